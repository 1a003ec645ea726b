/* Fixture for tests/unit/test_rules.c (test-name scanning). Never compiled. */
static void fixture_static(void **state)
{
    (void)state;
}

static void
fixture_split_lines(void **state)
{
    (void)state;
}

void fixture_not_static(void **state);
static int fixture_returns_int(void **state);

/* static void fixture_in_comment(void **state) */
// static void fixture_in_comment(void **state)
static const char fixture_quote = '"';
static const char *fixture_text = "static void fixture_in_string(void **state) \" x";

static const struct CMUnitTest fixture_tests[] = {
    cmocka_unit_test(fixture_registered),
    cmocka_unit_test_setup_teardown(fixture_setup_registered, NULL, NULL),
};
