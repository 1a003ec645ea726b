/*
 * ffm_rules.h - rule IDs of the FF-M catalogue as an enum, so that every check in the core
 * names the rule it enforces and every PROGRAMMER ERROR event carries one.
 */
#ifndef FFM_RULES_H
#define FFM_RULES_H

enum ffm_rule {
    FFM_RULE_NONE = 0,
#define FFM_RULE(sym, id) FFM_RULE_##sym,
#include "ffm_rules.def"
#undef FFM_RULE
    FFM_RULE_COUNT
};

/* "CALL-05" for FFM_RULE_CALL_05; "NONE" for FFM_RULE_NONE; "?" for anything else. */
const char *ffm_rule_id(enum ffm_rule rule);

/* The rule whose ID is `id` ("CALL-05" -> FFM_RULE_CALL_05), compared exactly (case matters).
 * FFM_RULE_NONE when `id` is NULL, "NONE", "?" or not a catalogue ID. For code that receives a
 * rule as a string (a log line, a harness callback) and must check that it names a real rule. */
enum ffm_rule ffm_rule_from_id(const char *id);

#endif /* FFM_RULES_H */
