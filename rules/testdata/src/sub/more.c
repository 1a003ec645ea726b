/* Fixture for tests/unit/test_rules.c: a test in a subdirectory. Never compiled. */
static void fixture_in_subdir(void **state)
{
    (void)state;
}
