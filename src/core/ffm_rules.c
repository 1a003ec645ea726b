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
