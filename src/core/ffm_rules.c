/*
 * ffm_rules.c - rule ID strings, one per catalogue entry (see ffm_rules.def).
 */
#include "ffm_rules.h"

static const char *const rule_ids[FFM_RULE_COUNT] = {
    [FFM_RULE_NONE] = "NONE",
#define FFM_RULE(sym, id) [FFM_RULE_##sym] = id,
#include "ffm_rules.def"
#undef FFM_RULE
};

const char *ffm_rule_id(enum ffm_rule rule)
{
    if ((unsigned)rule >= (unsigned)FFM_RULE_COUNT) {
        return "?";
    }
    return rule_ids[rule];
}

/* Exact string equality, by hand: the core uses no C library (freestanding builds). */
static int ids_equal(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

enum ffm_rule ffm_rule_from_id(const char *id)
{
    if (id == 0) {
        return FFM_RULE_NONE;
    }
    for (unsigned r = (unsigned)FFM_RULE_NONE + 1u; r < (unsigned)FFM_RULE_COUNT; r++) {
        if (ids_equal(rule_ids[r], id)) {
            return (enum ffm_rule)r;
        }
    }
    return FFM_RULE_NONE;
}
