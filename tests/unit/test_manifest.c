/*
 * test_manifest.c - the manifest library (ffm-rules.md §7, MAN-*): every invalid fixture with
 * its exact diagnostic lines, the valid fixtures and their load descriptions, the two
 * reference pairs, the tfm profile's differences, and golden files of the generated headers.
 * Run from the repository root (fixture paths are relative to it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "manifest/manifest.h"

#define FIX "tests/fixtures/manifest/"
#define BAD FIX "bad/"
#define LST FIX "lists/"
#define GOOD FIX "good/"
#define TA FIX "tfm_agents/"

/* One load: the inputs and what must come out of it. */
struct load_case {
    const char *name;
    enum ffm_profile profile;
    const char *lists[3];
    const char *manifests[4];
    const char *defines[3];
    const char *regions[3]; /* non-NULL first entry: MAN-29 checked against these names */
    bool werror;
    enum ffm_manifest_status status;
    const char *expected; /* every diagnostic line, each ending in \n */
};

static size_t count(const char *const *v, size_t max)
{
    size_t n = 0;
    while (n < max && v[n] != NULL) {
        n++;
    }
    return n;
}

static struct ffm_manifest_options options_of(const struct load_case *c)
{
    struct ffm_manifest_options o = {.profile = c->profile, .werror = c->werror};
    o.lists = c->lists;
    o.n_lists = count(c->lists, 3);
    o.manifests = c->manifests;
    o.n_manifests = count(c->manifests, 4);
    o.defines = c->defines;
    o.n_defines = count(c->defines, 3);
    o.platform_regions = c->regions;
    o.n_platform_regions = count(c->regions, 3);
    o.check_platform_regions = o.n_platform_regions > 0;
    return o;
}

/* All diagnostics of a set as printed by the CLI. */
static char *diag_text(const struct ffm_manifest_set *set)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    ffm_manifest_print_diags(set, f);
    fclose(f);
    return buf;
}

static struct ffm_manifest_set *load(const struct load_case *c)
{
    struct ffm_manifest_options o = options_of(c);
    struct ffm_manifest_set *set = NULL;
    enum ffm_manifest_status st = ffm_manifest_load(&o, &set);
    assert_non_null(set);
    char *text = diag_text(set);
    assert_string_equal(text, c->expected);
    free(text);
    assert_int_equal(st, c->status);
    if (st == FFM_MANIFEST_OK) {
        assert_non_null(ffm_manifest_desc(set));
    } else {
        assert_null(ffm_manifest_desc(set));
        assert_null(ffm_manifest_header_text(set, "sid.h"));
    }
    return set;
}


/* ------------------------------------------------------------------ the table */

#define INVALID FFM_MANIFEST_INVALID
#define SPEC FFM_PROFILE_SPEC
#define TFM FFM_PROFILE_TFM

static const struct load_case cases[] = {
    /* MAN-01: list top level */
    {"MAN-01 no manifest_list", SPEC, {LST "man01_missing.yaml"}, {0}, {0}, {0}, false, INVALID,
     LST "man01_missing.yaml:1:1: error: manifest_list: required attribute missing [MAN-01]\n"},
    {"MAN-01 not a list", SPEC, {LST "man01_not_list.yaml"}, {0}, {0}, {0}, false, INVALID,
     LST "man01_not_list.yaml:1:16: error: manifest_list: not a list [MAN-01]\n"},
    {"MAN-01 unknown key", SPEC, {LST "man01_unknown.yaml"}, {0}, {0}, {0}, false, INVALID,
     LST "man01_unknown.yaml:1:1: error: manifest_lists: unknown attribute [MAN-01]\n"},
    {"MAN-01 YAML syntax error at libyaml's position", SPEC, {LST "man01_syntax.yaml"}, {0},
     {0}, {0}, false, INVALID,
     LST "man01_syntax.yaml:3:16: error: YAML syntax error: did not find expected key while "
         "parsing a block mapping [MAN-01]\n"},
    /* MAN-02: list items */
    {"MAN-02 item keys", SPEC, {LST "man02_keys.yaml"}, {0}, {0}, {0}, false, INVALID,
     LST "man02_keys.yaml:3:5: error: manifest_list[0].outputpath: unknown attribute [MAN-02]\n"
     LST "man02_keys.yaml:2:5: error: manifest_list[0].description: required attribute missing "
         "[MAN-02]\n"
     LST "man02_keys.yaml:4:5: error: manifest_list[1]: list item is not a mapping [MAN-02]\n"},
    /* MAN-03: manifest paths */
    {"MAN-03 missing file", SPEC, {LST "man03_missing.yaml"}, {0}, {0}, {0}, false, INVALID,
     LST "man03_missing.yaml:3:15: error: manifest_list[0].manifest: file "
         "../good/no_such_manifest.yaml not found [MAN-03]\n"},
    {"MAN-03 unset variable", SPEC, {LST "man03_unset_var.yaml"}, {0}, {0}, {0}, false, INVALID,
     LST "man03_unset_var.yaml:3:15: error: manifest_list[0].manifest: environment variable "
         "FFM_TEST_UNSET_VARIABLE is not set [MAN-03]\n"},
    /* MAN-04: conditional */
    {"MAN-04 undefined and bad values", SPEC, {LST "man04_conditional.yaml"}, {0},
     {"TEST_MAYBE=maybe"}, {0}, false, INVALID,
     LST "man04_conditional.yaml:4:18: error: manifest_list[0].conditional: TEST_UNDEFINED is "
         "not defined [MAN-04]\n"
     LST "man04_conditional.yaml:7:18: error: manifest_list[1].conditional: TEST_MAYBE has "
         "value \"maybe\"; expected 1/on/true/enabled or 0/off/false/disabled [MAN-04]\n"},
    /* MAN-06: explicit pids */
    {"MAN-06 reserved pid", SPEC, {LST "man06_reserved.yaml"}, {0}, {0}, {0}, false, INVALID,
     LST "man06_reserved.yaml:4:10: error: manifest_list[0].pid: 255 outside 256..2147483647 "
         "[MAN-06]\n"},
    {"MAN-06 reserved pid allowed (tfm)", TFM, {LST "man06_reserved.yaml"}, {0}, {0}, {0},
     false, FFM_MANIFEST_OK, ""},
    {"MAN-06 duplicate pid, compared by value", SPEC, {LST "man06_pids.yaml"}, {0}, {0}, {0},
     false, INVALID,
     LST "man06_pids.yaml:7:10: error: manifest_list[1].pid: pid 512 already used at "
     LST "man06_pids.yaml:4:10 [MAN-06]\n"},
    /* MAN-07: automatic pids run out */
    {"MAN-07 no automatic pid left", SPEC, {LST "man07_no_pid_left.yaml"}, {0}, {0}, {0}, false,
     INVALID,
     LST "man07_no_pid_left.yaml:5:5: error: manifest_list[1]: no automatic pid left: "
         "TEST_SP_IPC would get 2147483648, above INT32_MAX [MAN-07]\n"},
    {"MAN-07 no automatic pid left for a positional manifest", SPEC,
     {LST "man07_no_pid_left.yaml"}, {GOOD "alloc.yaml"}, {0}, {0}, false, INVALID,
     LST "man07_no_pid_left.yaml:5:5: error: manifest_list[1]: no automatic pid left: "
         "TEST_SP_IPC would get 2147483648, above INT32_MAX [MAN-07]\n"
     GOOD "alloc.yaml:2:1: error: no automatic pid left: ALLOC_SP would get 2147483649, "
          "above INT32_MAX [MAN-07]\n"
     GOOD "alloc.yaml:26:14: warning: services[2].version: 511 does not fit the 8-bit version "
          "of a stateless handle; it encodes 0xff [MAN-19]\n"},
    /* MAN-10: partition attributes and YAML hygiene */
    /* TF-M NS agents: client_id_base/limit and irqs[].client_id_* with TF-M's checks. */
    {"MAN-10 TF-M NS agent client ID ranges", SPEC, {TA "list_ok.yaml"}, {0}, {0}, {0}, false,
     FFM_MANIFEST_OK, ""},
    {"MAN-10 NS agents' client ID ranges overlap", SPEC, {TA "list_overlap.yaml"}, {0}, {0},
     {0}, false, INVALID,
     TA "agent_b_overlaps_a.yaml:10:17: error: client_id_base: client IDs -0x4008000..-0x4000001 "
        "of AGENT_B overlap those of AGENT_A (-0x400ffff..-0x4000000) [MAN-10]\n"},
    {"MAN-10 client_id_base above client_id_limit", SPEC, {TA "list_order.yaml"}, {0}, {0},
     {0}, false, INVALID,
     TA "agent_d_base_above_limit.yaml:10:17: error: client_id_base: client_id_base -0x6000000 "
        "is greater than client_id_limit -0x6000fff [MAN-10]\n"},
    {"MAN-10 client ID not negative", SPEC, {TA "list_not_negative.yaml"}, {0}, {0}, {0},
     false, INVALID,
     TA "agent_f_not_negative.yaml:10:17: error: client_id_base: \"0x7fffffff\" is not a "
        "32-bit negative client ID [MAN-10]\n"},
    {"MAN-10 client IDs outside an NS agent", SPEC, {TA "list_not_agent.yaml"}, {0}, {0}, {0},
     false, INVALID,
     TA "plain_with_client_ids.yaml:8:17: error: client_id_base: only a TF-M NS agent partition "
        "(ns_agent: true) has a client ID range [MAN-10]\n"},
    {"MAN-10 a wrong model is one error", SPEC, {0}, {BAD "man10_model_lowercase.yaml"}, {0},
     {0}, false, INVALID,
     BAD "man10_model_lowercase.yaml:6:8: error: model: sfn is not IPC, SFN or dual [MAN-10]\n"},
    {"MAN-01 a partition manifest given as a list", SPEC, {BAD "man10_model_lowercase.yaml"},
     {0}, {0}, {0}, false, INVALID,
     BAD "man10_model_lowercase.yaml:2:1: error: this looks like a partition manifest, -m wants "
         "a manifest list (give a partition manifest without -m) [MAN-01]\n"},
    {"MAN-11 NS agent IRQ client IDs outside the partition's", SPEC,
     {TA "list_irq_outside.yaml"}, {0}, {0}, {0}, false, INVALID,
     TA "agent_e_irq_outside.yaml:22:21: error: irqs[0].client_id_base: client IDs "
        "-0x7001fff..-0x7000000 are outside the partition's range -0x7000fff..-0x7000000 "
        "[MAN-11]\n"},
    {"MAN-10 missing name", SPEC, {0}, {BAD "man10_missing_name.yaml"}, {0}, {0}, false,
     INVALID, BAD "man10_missing_name.yaml:1:1: error: name: required attribute missing "
                  "[MAN-10]\n"},
    {"MAN-10 enum", SPEC, {0}, {BAD "man10_bad_type.yaml"}, {0}, {0}, false, INVALID,
     BAD "man10_bad_type.yaml:3:7: error: type: SECURE is not PSA-ROT or APPLICATION-ROT "
         "[MAN-10]\n"},
    {"MAN-10 unknown top-level key", SPEC, {0}, {BAD "man10_unknown_key.yaml"}, {0}, {0}, false,
     INVALID, BAD "man10_unknown_key.yaml:8:1: error: ns_agent: unknown attribute [MAN-10]\n"},
    {"MAN-10 framework version", SPEC, {0}, {BAD "man10_bad_version.yaml"}, {0}, {0}, false,
     INVALID, BAD "man10_bad_version.yaml:1:24: error: psa_framework_version: 1.2 is not 1.0 "
                  "or 1.1 [MAN-10]\n"},
    {"MAN-10 only true/false are booleans", SPEC, {0}, {BAD "man10_not_bool.yaml"}, {0}, {0},
     false, INVALID,
     BAD "man10_not_bool.yaml:11:25: error: services[0].non_secure_clients: \"true\" is not a "
         "boolean (true or false) [MAN-10]\n"
     BAD "man10_not_bool.yaml:12:23: error: services[0].connection_based: yes is not a boolean "
         "(true or false) [MAN-10]\n"},
    {"MAN-10 duplicate key", SPEC, {0}, {BAD "man10_dup_key.yaml"}, {0}, {0}, false, INVALID,
     BAD "man10_dup_key.yaml:8:1: error: duplicate key \"priority\" (first at line 4, column "
         "1) [MAN-10]\n"},
    {"MAN-10 YAML syntax error", SPEC, {0}, {BAD "man10_syntax.yaml"}, {0}, {0}, false, INVALID,
     BAD "man10_syntax.yaml:11:1: error: YAML syntax error: did not find expected ',' or ']' "
         "while parsing a flow sequence [MAN-10]\n"},
    {"MAN-10 alias bomb", SPEC, {0}, {BAD "man10_alias_bomb.yaml"}, {0}, {0}, false, INVALID,
     BAD "man10_alias_bomb.yaml:5:46: error: aliases expand to more than 20000 nodes (alias "
         "bomb refused) [MAN-10]\n"},
    {"MAN-10 recursive alias", SPEC, {0}, {BAD "man10_alias_self.yaml"}, {0}, {0}, false,
     INVALID, BAD "man10_alias_self.yaml:1:8: error: a[0]: alias *a names no complete anchor "
                  "[MAN-10]\n"},
    {"MAN-10 nesting", SPEC, {0}, {BAD "man10_deep.yaml"}, {0}, {0}, false, INVALID,
     BAD "man10_deep.yaml:1:67: error: x[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
         "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
         "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: nesting deeper than 64 levels "
         "[MAN-10]\n"},
    {"MAN-10 empty file", SPEC, {0}, {BAD "man10_empty.yaml"}, {0}, {0}, false, INVALID,
     BAD "man10_empty.yaml:1:1: error: empty document [MAN-10]\n"},
    /* MAN-11 */
    {"MAN-11 unknown service key", SPEC, {0}, {BAD "man11_service_key.yaml"}, {0}, {0}, false,
     INVALID, BAD "man11_service_key.yaml:13:5: error: services[0].flavour: unknown attribute "
                  "[MAN-11]\n"},
    {"MAN-11 unknown irq key", SPEC, {0}, {BAD "man11_irq_key.yaml"}, {0}, {0}, false, INVALID,
     BAD "man11_irq_key.yaml:17:5: error: irqs[0].priority: unknown attribute [MAN-11]\n"},
    /* MAN-12 */
    {"MAN-12 mixed", SPEC, {0}, {BAD "man12_mixed.yaml"}, {0}, {0}, false, INVALID,
     BAD "man12_mixed.yaml:14:5: error: mmio_regions[0]: named and numbered region attributes "
         "mixed [MAN-12]\n"},
    {"MAN-12 permission", SPEC, {0}, {BAD "man12_permission.yaml"}, {0}, {0}, false, INVALID,
     BAD "man12_permission.yaml:15:17: error: mmio_regions[0].permission: WRITE-ONLY is not "
         "READ-ONLY or READ-WRITE [MAN-12]\n"},
    {"MAN-12 numbered without size", SPEC, {0}, {BAD "man12_no_size.yaml"}, {0}, {0}, false,
     INVALID, BAD "man12_no_size.yaml:14:5: error: mmio_regions[0]: needs name, or base and "
                  "size [MAN-12]\n"},
    /* MAN-13 */
    {"MAN-13 SFN in 1.0", SPEC, {0}, {BAD "man13_sfn_in_10.yaml"}, {0}, {0}, false, INVALID,
     BAD "man13_sfn_in_10.yaml:5:8: error: model: SFN requires psa_framework_version 1.1 "
         "[MAN-13]\n"},
    {"MAN-13 1.1 keys in 1.0", SPEC, {0}, {BAD "man13_v11_keys_in_10.yaml"}, {0}, {0}, false,
     INVALID,
     BAD "man13_v11_keys_in_10.yaml:13:23: error: services[0].stateless_handle: requires "
         "psa_framework_version 1.1 [MAN-13]\n"
     BAD "man13_v11_keys_in_10.yaml:14:15: error: services[0].mm_iovec: requires "
         "psa_framework_version 1.1 [MAN-13]\n"
     BAD "man13_v11_keys_in_10.yaml:17:11: error: irqs[0].name: requires psa_framework_version "
         "1.1 [MAN-13]\n"},
    {"MAN-13 warning: 1.0 connection_based false", SPEC, {0}, {BAD "man13_warn_cb_false.yaml"},
     {0}, {0}, false, FFM_MANIFEST_OK,
     BAD "man13_warn_cb_false.yaml:12:23: warning: services[0].connection_based: false is not "
         "supported in FF-M 1.0; treated as true [MAN-13]\n"},
    {"MAN-33 --werror", SPEC, {0}, {BAD "man13_warn_cb_false.yaml"}, {0}, {0}, true, INVALID,
     BAD "man13_warn_cb_false.yaml:12:23: warning: services[0].connection_based: false is not "
         "supported in FF-M 1.0; treated as true [MAN-13]\n"},
    /* MAN-14 */
    {"MAN-14 IPC without entry_point", SPEC, {0}, {BAD "man14_no_entry.yaml"}, {0}, {0}, false,
     INVALID, BAD "man14_no_entry.yaml:1:1: error: entry_point: required attribute missing "
                  "[MAN-14]\n"},
    {"MAN-14 SFN with entry_point", SPEC, {0}, {BAD "man14_sfn_entry_point.yaml"}, {0}, {0},
     false, INVALID,
     BAD "man14_sfn_entry_point.yaml:6:14: error: entry_point: not allowed in an SFN partition "
         "[MAN-14]\n"},
    {"MAN-14 IPC with entry_init", SPEC, {0}, {BAD "man14_ipc_entry_init.yaml"}, {0}, {0},
     false, INVALID,
     BAD "man14_ipc_entry_init.yaml:7:13: error: entry_init: not allowed in an IPC partition "
         "[MAN-14]\n"},
    /* MAN-15, MAN-16 */
    {"MAN-15 no services or irqs", SPEC, {0}, {BAD "man15_empty.yaml"}, {0}, {0}, false,
     INVALID, BAD "man15_empty.yaml:1:1: error: partition has no services and no irqs "
                  "[MAN-15]\n"},
    {"MAN-16 29 services and irqs", SPEC, {0}, {BAD "man16_too_many.yaml"}, {0}, {0}, false,
     INVALID, BAD "man16_too_many.yaml:1:1: error: 29 services and irqs; at most 28 "
                  "[MAN-16]\n"},
    /* MAN-17 */
    {"MAN-17 not a C identifier", SPEC, {0}, {BAD "man17_bad_ident.yaml"}, {0}, {0}, false,
     INVALID, BAD "man17_bad_ident.yaml:13:11: error: services[1].name: 1BAD is not a C "
                  "identifier [MAN-17]\n"},
    {"MAN-17 duplicate names (and MAN-18 SID)", SPEC, {0},
     {BAD "dup_one.yaml", BAD "dup_two.yaml"}, {0}, {0}, false, INVALID,
     BAD "dup_two.yaml:2:7: error: name: partition name DUP_SP already used at "
     BAD "dup_one.yaml:2:7 [MAN-17]\n"
     BAD "dup_two.yaml:9:11: error: services[0].name: service name DUP_A already used at "
     BAD "dup_one.yaml:9:11 [MAN-17]\n"
     BAD "dup_two.yaml:10:10: error: services[0].sid: SID 0x00000080 of DUP_A already used by "
         "DUP_A at " BAD "dup_one.yaml:10:10 [MAN-18]\n"},
    {"MAN-17 IRQ signal macro equals a service signal", SPEC, {0},
     {BAD "man17_signal_clash.yaml"}, {0}, {0}, false, INVALID,
     BAD "man17_signal_clash.yaml:15:11: error: irqs[0].name: macro TICK_SIGNAL is also the "
         "signal of service TICK at " BAD "man17_signal_clash.yaml:9:11 [MAN-17]\n"},
    /* MAN-18 */
    {"MAN-18 \"0x80\" equals 128", SPEC, {0}, {BAD "dup_one.yaml", BAD "dup_three.yaml"}, {0},
     {0}, false, INVALID,
     BAD "dup_three.yaml:10:10: error: services[0].sid: SID 0x00000080 of DUP_B already used "
         "by DUP_A at " BAD "dup_one.yaml:10:10 [MAN-18]\n"},
    {"MAN-18 raw text compare (tfm)", TFM, {0}, {BAD "dup_one.yaml", BAD "dup_three.yaml"}, {0},
     {0}, false, FFM_MANIFEST_OK, ""},
    /* MAN-19 */
    {"MAN-19 version 0", SPEC, {0}, {BAD "man19_version0.yaml"}, {0}, {0}, false, INVALID,
     BAD "man19_version0.yaml:13:14: error: services[0].version: 0 is not a valid version (>= "
         "1) [MAN-19]\n"},
    /* MAN-20 */
    {"MAN-20 no connection_based in 1.1", SPEC, {0}, {BAD "man20_no_cb.yaml"}, {0}, {0}, false,
     INVALID, BAD "man20_no_cb.yaml:9:5: error: services[0].connection_based: required "
                  "attribute missing (FF-M 1.1) [MAN-20]\n"},
    /* MAN-21 */
    {"MAN-21 33", SPEC, {0}, {BAD "man21_value_33.yaml"}, {0}, {0}, false, INVALID,
     BAD "man21_value_33.yaml:13:23: error: services[0].stateless_handle: 33 outside 1..32 "
         "[MAN-21]\n"},
    {"MAN-21 0", SPEC, {0}, {BAD "man21_value_0.yaml"}, {0}, {0}, false, INVALID,
     BAD "man21_value_0.yaml:13:23: error: services[0].stateless_handle: 0 outside 1..32 "
         "[MAN-21]\n"},
    {"MAN-21 \"x\"", SPEC, {0}, {BAD "man21_value_x.yaml"}, {0}, {0}, false, INVALID,
     BAD "man21_value_x.yaml:13:23: error: services[0].stateless_handle: \"x\" is not an "
         "integer 1..32 or \"auto\" [MAN-21]\n"},
    {"MAN-21 1.0", SPEC, {0}, {BAD "man21_value_10.yaml"}, {0}, {0}, false, INVALID,
     BAD "man21_value_10.yaml:13:23: error: services[0].stateless_handle: 1.0 is not an "
         "integer 1..32 or \"auto\" [MAN-21]\n"},
    {"MAN-21 \"1\"", SPEC, {0}, {BAD "man21_value_1.yaml"}, {0}, {0}, false, INVALID,
     BAD "man21_value_1.yaml:13:23: error: services[0].stateless_handle: \"1\" is not an "
         "integer 1..32 or \"auto\" [MAN-21]\n"},
    {"MAN-21 true", SPEC, {0}, {BAD "man21_value_true.yaml"}, {0}, {0}, false, INVALID,
     BAD "man21_value_true.yaml:13:23: error: services[0].stateless_handle: true is not an "
         "integer 1..32 or \"auto\" [MAN-21]\n"},
    {"MAN-21 duplicate explicit value", SPEC, {0}, {BAD "man21_dup.yaml"}, {0}, {0}, false,
     INVALID, BAD "man21_dup.yaml:18:23: error: services[1].stateless_handle: 5 already used by "
                  "S1 at " BAD "man21_dup.yaml:13:23 [MAN-21]\n"},
    {"MAN-21 warning on a CB service", SPEC, {0}, {BAD "man21_warn_cb.yaml"}, {0}, {0}, false,
     FFM_MANIFEST_OK,
     BAD "man21_warn_cb.yaml:13:23: warning: services[0].stateless_handle: ignored on a "
         "connection-based service [MAN-21]\n"},
    /* MAN-22 */
    {"MAN-22 33 stateless services", SPEC, {0}, {BAD "man22_a.yaml", BAD "man22_b.yaml"}, {0},
     {0}, false, INVALID,
     BAD "man22_b.yaml:69:5: error: services[15]: more than 32 stateless services in the "
         "system [MAN-22]\n"},
    /* MAN-25 */
    {"MAN-25 mm_iovec value", SPEC, {0}, {BAD "man25_value.yaml"}, {0}, {0}, false, INVALID,
     BAD "man25_value.yaml:13:15: error: services[0].mm_iovec: \"on\" is not disable or enable "
         "[MAN-25]\n"},
    /* MAN-26 */
    {"MAN-26 unknown dependency", SPEC, {0}, {BAD "man26_unknown.yaml"}, {0}, {0}, false,
     INVALID, BAD "man26_unknown.yaml:14:5: error: dependencies[0]: NO_SUCH_SERVICE is not a "
                  "service of an enabled partition [MAN-26]\n"},
    {"MAN-26 own service", SPEC, {0}, {BAD "man26_own.yaml"}, {0}, {0}, false, INVALID,
     BAD "man26_own.yaml:14:5: error: dependencies[0]: S1 is a service of BAD_SP itself "
         "[MAN-26]\n"},
    {"MAN-26 duplicate: warning", SPEC, {0}, {BAD "man26_dup_warn.yaml", GOOD "ipc.yaml"}, {0},
     {0}, false, FFM_MANIFEST_OK,
     BAD "man26_dup_warn.yaml:15:5: warning: dependencies[1]: TEST_IPC_CB listed twice "
         "[MAN-26]\n"},
    {"MAN-26 unknown and own accepted (tfm)", TFM, {0},
     {BAD "man26_unknown.yaml", BAD "other/man29_region.yaml"}, {0}, {0}, false,
     FFM_MANIFEST_OK, ""},
    /* MAN-27 */
    {"MAN-27 cycle", SPEC, {0},
     {BAD "man27_a.yaml", BAD "man27_b.yaml", BAD "man27_c.yaml"}, {0}, {0}, false, INVALID,
     BAD "man27_c.yaml:14:5: error: dependencies[0]: circular dependency: CYC_A -> CYC_B -> "
         "CYC_C -> CYC_A [MAN-27]\n"},
    /* MAN-28 */
    {"MAN-28 handling required", SPEC, {0}, {BAD "man28_no_handling.yaml"}, {0}, {0}, false,
     INVALID, BAD "man28_no_handling.yaml:9:5: error: irqs[0].handling: required attribute "
                  "missing [MAN-28]\n"},
    {"MAN-28 absent handling is SLIH (tfm)", TFM, {0}, {BAD "man28_no_handling.yaml"}, {0}, {0},
     false, FFM_MANIFEST_OK, ""},
    {"MAN-28 duplicate source by value", SPEC, {0}, {BAD "man28_dup_source.yaml"}, {0}, {0},
     false, INVALID,
     BAD "man28_dup_source.yaml:12:13: error: irqs[1].source: source 0x3 already used at "
     BAD "man28_dup_source.yaml:9:13 [MAN-28]\n"},
    {"MAN-28 1.0 keys in 1.1", SPEC, {0}, {BAD "man28_v10_keys_in_11.yaml"}, {0}, {0}, false,
     INVALID,
     BAD "man28_v10_keys_in_11.yaml:9:13: error: irqs[0].source: \"3x\" is not an integer >= 0 "
         "or a C identifier [MAN-28]\n"
     BAD "man28_v10_keys_in_11.yaml:10:13: error: irqs[0].signal: is an FF-M 1.0 attribute; "
         "use name [MAN-28]\n"
     BAD "man28_v10_keys_in_11.yaml:9:5: error: irqs[0].name: required attribute missing "
         "[MAN-28]\n"},
    {"MAN-28 1.0 needs signal", SPEC, {0}, {BAD "man28_v10_no_signal.yaml"}, {0}, {0}, false,
     INVALID,
     BAD "man28_v10_no_signal.yaml:9:13: error: irqs[0].source: -1 is not an integer >= 0 or a "
         "C identifier [MAN-28]\n"
     BAD "man28_v10_no_signal.yaml:9:5: error: irqs[0].signal: required attribute missing "
         "[MAN-28]\n"},
    /* MAN-29 */
    {"MAN-29 unknown platform region", SPEC, {0}, {BAD "man29_region.yaml"}, {0},
     {"UART0", "TEST_UART0"}, false, INVALID,
     BAD "man29_region.yaml:14:11: error: mmio_regions[0].name: NO_SUCH_REGION is not a region "
         "of the platform [MAN-29]\n"},
    {"MAN-29 skipped without a platform list", SPEC, {0}, {BAD "man29_region.yaml"}, {0}, {0},
     false, FFM_MANIFEST_OK, ""},
    /* MAN-30 */
    {"MAN-30 sizes", SPEC, {0}, {BAD "man30_sizes.yaml"}, {0}, {0}, false, INVALID,
     BAD "man30_sizes.yaml:7:13: error: stack_size: 0 must be > 0 [MAN-30]\n"
     BAD "man30_sizes.yaml:8:12: error: heap_size: -16 must be >= 0 [MAN-30]\n"},
    {"MAN-30 neither number nor macro", SPEC, {0}, {BAD "man30_not_size.yaml"}, {0}, {0}, false,
     INVALID, BAD "man30_not_size.yaml:7:13: error: stack_size: \"4 KiB\" is not a number or a "
                  "macro name [MAN-10]\n"},
    /* MAN-31: every error of a file, in order */
    {"MAN-31 all errors reported", SPEC, {0}, {BAD "man31_many.yaml"}, {0}, {0}, false, INVALID,
     BAD "man31_many.yaml:4:11: error: priority: URGENT is not HIGH, NORMAL or LOW [MAN-10]\n"
     BAD "man31_many.yaml:13:23: error: services[0].stateless_handle: 40 outside 1..32 "
         "[MAN-21]\n"
     BAD "man31_many.yaml:15:10: error: services[1].sid: -5 outside 0..0xffffffff [MAN-10]\n"
     BAD "man31_many.yaml:16:25: error: services[1].non_secure_clients: 1 is not a boolean "
         "(true or false) [MAN-10]\n"},
    /* MAN-42 */
    {"MAN-42 two partitions, one header", SPEC, {LST "man42_same_header.yaml"}, {0}, {0}, {0},
     false, INVALID,
     LST "../bad/other/man29_region.yaml:1:1: error: header psa_manifest/man29_region.h is also "
         "generated for " LST "../bad/man29_region.yaml [MAN-42]\n"},
    /* I/O */
    {"I/O unreadable manifest", SPEC, {0}, {BAD "no_such_file.yaml"}, {0}, {0}, false,
     FFM_MANIFEST_IO_ERROR, BAD "no_such_file.yaml: error: cannot open: No such file or "
                                "directory\n"},
};

/* Run every case whose name starts with `rule` and a space; at least one must exist. */
static void run_cases(const char *rule)
{
    size_t ran = 0, len = strlen(rule);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (strncmp(cases[i].name, rule, len) == 0 && cases[i].name[len] == ' ') {
            ffm_manifest_free(load(&cases[i]));
            ran++;
        }
    }
    assert_true(ran > 0);
}

/* One test function per rule, so that rules/ffm-rules.yaml can name them. */
#define RULE_TEST(fn, rule)                                                                  \
    static void fn(void **state)                                                             \
    {                                                                                        \
        (void)state;                                                                         \
        run_cases(rule);                                                                     \
    }
RULE_TEST(test_man01_list_top_level, "MAN-01")
RULE_TEST(test_man02_list_items, "MAN-02")
RULE_TEST(test_man03_manifest_paths, "MAN-03")
RULE_TEST(test_man04_conditional, "MAN-04")
RULE_TEST(test_man06_explicit_pids, "MAN-06")
RULE_TEST(test_man07_automatic_pids, "MAN-07")
RULE_TEST(test_man10_partition_attributes, "MAN-10")
RULE_TEST(test_man11_unknown_nested_keys, "MAN-11")
RULE_TEST(test_man12_mmio_regions, "MAN-12")
RULE_TEST(test_man13_ff10_restrictions, "MAN-13")
RULE_TEST(test_man14_entry_points, "MAN-14")
RULE_TEST(test_man15_service_or_irq_required, "MAN-15")
RULE_TEST(test_man16_at_most_28, "MAN-16")
RULE_TEST(test_man17_names, "MAN-17")
RULE_TEST(test_man18_duplicate_sids, "MAN-18")
RULE_TEST(test_man19_version, "MAN-19")
RULE_TEST(test_man20_connection_based_required, "MAN-20")
RULE_TEST(test_man21_stateless_handle_values, "MAN-21")
RULE_TEST(test_man22_at_most_32_stateless, "MAN-22")
RULE_TEST(test_man25_mm_iovec, "MAN-25")
RULE_TEST(test_man26_dependencies, "MAN-26")
RULE_TEST(test_man27_circular_dependencies, "MAN-27")
RULE_TEST(test_man28_irqs, "MAN-28")
RULE_TEST(test_man29_platform_regions, "MAN-29")
RULE_TEST(test_man30_sizes, "MAN-30")
RULE_TEST(test_man31_all_errors_reported, "MAN-31")
RULE_TEST(test_man33_werror, "MAN-33")
RULE_TEST(test_man42_one_header_per_partition, "MAN-42")
RULE_TEST(test_io_errors, "I/O")

static const char *const rule_prefixes[] = {
    "MAN-01",
    "MAN-02",
    "MAN-03",
    "MAN-04",
    "MAN-06",
    "MAN-07",
    "MAN-10",
    "MAN-11",
    "MAN-12",
    "MAN-13",
    "MAN-14",
    "MAN-15",
    "MAN-16",
    "MAN-17",
    "MAN-18",
    "MAN-19",
    "MAN-20",
    "MAN-21",
    "MAN-22",
    "MAN-25",
    "MAN-26",
    "MAN-27",
    "MAN-28",
    "MAN-29",
    "MAN-30",
    "MAN-31",
    "MAN-33",
    "MAN-42",
    "I/O",
};

/* Every case belongs to exactly one rule test, so none is silently skipped. */
static void test_every_case_runs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t owners = 0;
        for (size_t k = 0; k < sizeof rule_prefixes / sizeof rule_prefixes[0]; k++) {
            size_t len = strlen(rule_prefixes[k]);
            owners += strncmp(cases[i].name, rule_prefixes[k], len) == 0 &&
                      cases[i].name[len] == ' ';
        }
        assert_int_equal(owners, 1);
    }
}

/* ------------------------------------------------------------------ limits */

/* MAN-31: at most 50 errors are recorded; the rest are counted. */
static void test_error_limit(void **state)
{
    (void)state;
    const char *files[] = {BAD "limit.yaml"};
    struct ffm_manifest_options o = {.manifests = files, .n_manifests = 1};
    struct ffm_manifest_set *set = NULL;
    assert_int_equal(ffm_manifest_load(&o, &set), FFM_MANIFEST_INVALID);
    assert_int_equal(ffm_manifest_diag_count(set), 50);
    assert_int_equal(ffm_manifest_suppressed_count(set), 11);
    assert_int_equal(ffm_manifest_error_count(set), 61);
    const struct ffm_manifest_diag *d = ffm_manifest_diag_at(set, 49);
    assert_string_equal(d->file, BAD "limit.yaml");
    assert_int_equal(d->line, 258);
    assert_int_equal(d->column, 5);
    assert_int_equal(d->severity, FFM_DIAG_ERROR);
    assert_int_equal(d->rule, FFM_RULE_MAN_11);
    assert_string_equal(d->path, "services[49].bad");
    assert_string_equal(d->message, "unknown attribute");
    char *text = diag_text(set);
    assert_non_null(strstr(text, "ffm-manifest: 11 more errors not shown\n"));
    free(text);
    ffm_manifest_free(set);
}

/* ------------------------------------------------------------------ valid systems */

static struct ffm_manifest_set *load_ok(const char *const *lists, size_t n_lists,
                                        const char *const *files, size_t n_files,
                                        const char *const *defines, size_t n_defines,
                                        enum ffm_profile profile)
{
    struct ffm_manifest_options o = {.profile = profile, .lists = lists, .n_lists = n_lists,
                                     .manifests = files, .n_manifests = n_files,
                                     .defines = defines, .n_defines = n_defines};
    struct ffm_manifest_set *set = NULL;
    enum ffm_manifest_status st = ffm_manifest_load(&o, &set);
    if (st != FFM_MANIFEST_OK) {
        ffm_manifest_print_diags(set, stderr);
    }
    assert_int_equal(st, FFM_MANIFEST_OK);
    return set;
}

static const struct ffm_service_desc *service(const struct ffm_system_desc *d,
                                              const char *name)
{
    for (size_t i = 0; i < d->n_services; i++) {
        if (strcmp(d->services[i].name, name) == 0) {
            return &d->services[i];
        }
    }
    fail_msg("no service %s", name);
    return NULL;
}

/* Reference pair 1: MAN-21, MAN-23, MAN-24, MAN-19 warning, HDL-02 via ffm_sl_encode. */
static void test_reference_pair_1(void **state)
{
    (void)state;
    const char *files[] = {GOOD "alloc.yaml"};
    struct ffm_manifest_set *set = load_ok(NULL, 0, files, 1, NULL, 0, FFM_PROFILE_SPEC);
    const struct ffm_system_desc *d = ffm_manifest_desc(set);
    static const struct {
        const char *name;
        int index;
        uint32_t handle;
    } want[] = {{"B", 0, 0x40000200u}, {"A", 1, 0x40000101u}, {"D", 2, 0x40000102u},
                {"C", 3, 0x4000ff03u}};
    for (size_t i = 0; i < 4; i++) {
        const struct ffm_service_desc *s = service(d, want[i].name);
        assert_int_equal(s->stateless_index, want[i].index);
        assert_int_equal((uint32_t)s->stateless_handle, want[i].handle);
        assert_string_equal(d->services[d->stateless_slot[want[i].index]].name, want[i].name);
    }
    for (size_t i = 4; i < 32; i++) {
        assert_int_equal(d->stateless_slot[i], -1);
    }
    char *text = diag_text(set);
    assert_string_equal(text, GOOD "alloc.yaml:26:14: warning: services[2].version: 511 does "
                                   "not fit the 8-bit version of a stateless handle; it "
                                   "encodes 0xff [MAN-19]\n");
    free(text);
    assert_non_null(strstr(ffm_manifest_header_text(set, "sid.h"),
                           "#define C_HANDLE (0x4000ff03U)\n"));
    ffm_manifest_free(set);
}

static const char *const tfm_list[] = {FIX "tfm/tfm_manifest_list.yaml"};

static struct ffm_manifest_set *load_tfm(bool with_agent)
{
    const char *defs[] = {with_agent ? "TFM_PARTITION_NS_AGENT_MAILBOX=1"
                                     : "TFM_PARTITION_NS_AGENT_MAILBOX=0"};
    const char *configs[] = {FIX "tfm/config.h"};
    struct ffm_manifest_options o = {.lists = tfm_list, .n_lists = 1, .config_files = configs,
                                     .n_config_files = 1, .defines = defs, .n_defines = 1};
    struct ffm_manifest_set *set = NULL;
    assert_int_equal(ffm_manifest_load(&o, &set), FFM_MANIFEST_OK);
    assert_int_equal(ffm_manifest_diag_count(set), 0);
    return set;
}

/* Reference pair 2: TF-M's seven stateless services (MAN-23/24, MAN-40/41/43, MAN-45). */
static void test_reference_pair_2(void **state)
{
    (void)state;
    struct ffm_manifest_set *set = load_tfm(true);
    const struct ffm_system_desc *d = ffm_manifest_desc(set);
    static const struct {
        const char *name;
        uint32_t handle;
        int32_t pid;
    } want[] = {{"TFM_CRYPTO", 0x40000100u, 0x103},
                {"TFM_PROTECTED_STORAGE_SERVICE", 0x40000101u, 0x100},
                {"TFM_INTERNAL_TRUSTED_STORAGE_SERVICE", 0x40000102u, 0x101},
                {"TFM_ATTESTATION_SERVICE", 0x40000103u, 0x105},
                {"TFM_FIRMWARE_UPDATE_SERVICE", 0x40000104u, 0x10f},
                {"TFM_PLATFORM_SERVICE", 0x40000105u, 0x104},
                {"NS_AGENT_MBOX_PROCESS_NEW_MSG", 0x4000011du, 0x106}};
    assert_int_equal(d->n_partitions, 7);
    for (size_t i = 0; i < 7; i++) {
        const struct ffm_service_desc *s = service(d, want[i].name);
        assert_int_equal((uint32_t)s->stateless_handle, want[i].handle);
        assert_int_equal(s->stateless_index, (int)(want[i].handle & 0x1Fu));
        assert_int_equal(d->partitions[s->partition].pid, want[i].pid);
        assert_false(s->connection_based);
        assert_true(s->non_secure_clients);
        assert_int_equal(s->version, 1);
        assert_int_equal(s->version_policy, FFM_POLICY_STRICT);
    }
    const struct ffm_service_desc *mbox = service(d, "NS_AGENT_MBOX_PROCESS_NEW_MSG");
    const struct ffm_partition_desc *agent = &d->partitions[mbox->partition];
    assert_int_equal(agent->model, FFM_MODEL_IPC);
    assert_int_equal(mbox->signal, 0x10);
    assert_int_equal(d->irqs[agent->first_irq].signal, 0x80000000u);
    assert_null(mbox->sfn_name);
    assert_string_equal(service(d, "TFM_CRYPTO")->sfn_name, "tfm_crypto_sfn");
    /* PS depends on CRYPTO, ITS and PLATFORM (MAN-26), as flat service indices. */
    const struct ffm_partition_desc *ps = &d->partitions[0];
    assert_string_equal(ps->name, "TFM_SP_PS");
    assert_int_equal(ps->type, FFM_APPLICATION_ROT);
    assert_int_equal(ps->n_deps, 3);
    assert_string_equal(d->services[ps->deps[0]].name, "TFM_CRYPTO");
    assert_string_equal(d->services[ps->deps[1]].name, "TFM_INTERNAL_TRUSTED_STORAGE_SERVICE");
    assert_string_equal(d->services[ps->deps[2]].name, "TFM_PLATFORM_SERVICE");
    assert_string_equal(agent->stack_size, "NS_AGENT_MAILBOX_STACK_SIZE");
    assert_int_equal(agent->stack_bytes, 0);
    assert_string_equal(agent->output_path, "secure_fw/partitions/ns_agent_mailbox");
    assert_string_equal(agent->header_name, "ns_agent_mailbox.h");
    ffm_manifest_free(set);
}

/* Reference pair 2 without the agent: TFM_MAX_USER_PARTITIONS (6), slot 29 empty (MAN-04). */
static void test_reference_pair_2_without_agent(void **state)
{
    (void)state;
    struct ffm_manifest_set *set = load_tfm(false);
    const struct ffm_system_desc *d = ffm_manifest_desc(set);
    assert_int_equal(d->n_partitions, 6);
    assert_int_equal(d->stateless_slot[29], -1);
    const char *pid = ffm_manifest_header_text(set, "pid.h");
    const char *tail = "#define TFM_MAX_USER_PARTITIONS (6)\n\n#endif /* PSA_MANIFEST_PID_H */\n";
    assert_string_equal(pid + strlen(pid) - strlen(tail), tail);
    assert_null(ffm_manifest_header_text(set, "ns_agent_mailbox.h"));
    ffm_manifest_free(set);
}

/* A valid list: ${VAR}, relative paths, a disabled item, auto pids, MAN-29 with regions. */
static void test_good_list(void **state)
{
    (void)state;
    setenv("FFM_TEST_GOOD_DIR", GOOD, 1);
    const char *lists[] = {LST "good.yaml"};
    const char *defs[] = {"TEST_DISABLED=Disabled"};
    const char *regions[] = {"TEST_UART0"};
    struct ffm_manifest_options o = {.lists = lists, .n_lists = 1, .defines = defs,
                                     .n_defines = 1, .platform_regions = regions,
                                     .n_platform_regions = 1, .check_platform_regions = true};
    struct ffm_manifest_set *set = NULL;
    assert_int_equal(ffm_manifest_load(&o, &set), FFM_MANIFEST_OK);
    assert_int_equal(ffm_manifest_diag_count(set), 0);
    const struct ffm_system_desc *d = ffm_manifest_desc(set);
    assert_int_equal(d->n_partitions, 2);
    const struct ffm_partition_desc *sfn = &d->partitions[0], *ipc = &d->partitions[1];
    assert_string_equal(sfn->manifest_path, LST "../good/sfn.yaml");
    assert_string_equal(ipc->manifest_path, GOOD "/ipc.yaml");
    assert_int_equal(ipc->pid, 300);
    assert_int_equal(sfn->pid, 301); /* MAN-07: max(300, 255) + 1 */
    assert_int_equal(sfn->model, FFM_MODEL_SFN);
    assert_string_equal(sfn->entry, "test_sp_sfn_init");
    assert_int_equal(sfn->priority, FFM_PRIORITY_NORMAL);
    assert_int_equal(ipc->priority, FFM_PRIORITY_HIGH);
    assert_int_equal(ipc->stack_bytes, 0x400);
    assert_int_equal(ipc->heap_bytes, 256);
    assert_int_equal(ipc->n_mmio, 2);
    assert_string_equal(ipc->mmio[0].name, "TEST_UART0");
    assert_true(ipc->mmio[0].read_write);
    assert_null(ipc->mmio[1].name);
    assert_int_equal(ipc->mmio[1].base, 0x50000000u);
    assert_int_equal(ipc->mmio[1].size, 0x1000u);
    assert_false(ipc->mmio[1].read_write);
    const struct ffm_service_desc *cb = service(d, "TEST_IPC_CB");
    assert_true(cb->connection_based);
    assert_int_equal(cb->stateless_index, FFM_NO_STATELESS_INDEX);
    assert_int_equal(cb->stateless_handle, 0);
    assert_int_equal(cb->version_policy, FFM_POLICY_RELAXED);
    assert_int_equal(cb->signal, 0x10);
    const struct ffm_service_desc *sl = service(d, "TEST_IPC_SL");
    assert_true(sl->mm_iovec);
    assert_int_equal(sl->signal, 0x20);
    assert_int_equal(sl->stateless_index, 0);
    assert_int_equal(sl->sid, 0xA001);
    assert_false(sl->non_secure_clients);
    assert_int_equal(service(d, "TEST_SFN_ONE")->stateless_index, 6);
    assert_int_equal(service(d, "TEST_SFN_TWO")->sid, 45057);
    assert_int_equal(service(d, "TEST_SFN_TWO")->signal, 0x20); /* SIG-05: internal, bit 5 */
    const struct ffm_irq_desc *timer = &d->irqs[ipc->first_irq];
    assert_string_equal(timer->name, "TEST_TIMER");
    assert_string_equal(timer->source, "TEST_TIMER_IRQ");
    assert_int_equal(timer->handling, FFM_IRQ_SLIH);
    assert_null(timer->flih_name);
    assert_int_equal(d->irqs[ipc->first_irq + 1].signal, 0x40000000u);
    assert_string_equal(d->irqs[ipc->first_irq + 1].flih_name, "test_fast_flih");
    assert_int_equal(sfn->n_deps, 2);
    ffm_manifest_free(set);
}

/* MAN-05, MAN-07: automatic pids follow collection order after the largest explicit pid. */
static void test_collection_order(void **state)
{
    (void)state;
    const char *lists[] = {LST "order.yaml"};
    struct ffm_manifest_set *set = load_ok(lists, 1, NULL, 0, NULL, 0, FFM_PROFILE_SPEC);
    const struct ffm_system_desc *d = ffm_manifest_desc(set);
    assert_int_equal(d->n_partitions, 3);
    assert_string_equal(d->partitions[0].name, "TEST_SP_SFN");
    assert_int_equal(d->partitions[0].pid, 0x1001);
    assert_int_equal(d->partitions[1].pid, 0x1000);
    assert_int_equal(d->partitions[2].pid, 0x1002);
    assert_non_null(strstr(ffm_manifest_header_text(set, "pid.h"),
                           "#define TEST_SP_SFN (0x1001)\n#define TEST_SP_IPC (0x1000)\n"
                           "#define ALLOC_SP (0x1002)\n"));
    ffm_manifest_free(set);
}

/* FF-M 1.0 JSON (driver_partition_psa.json style): CB forced, IRQ `signal` macros, SLIH. */
static void test_ff10_json(void **state)
{
    (void)state;
    const char *files[] = {GOOD "driver_partition_psa.json"};
    struct ffm_manifest_set *set = load_ok(NULL, 0, files, 1, NULL, 0, FFM_PROFILE_SPEC);
    const struct ffm_system_desc *d = ffm_manifest_desc(set);
    assert_int_equal(d->partitions[0].ff_version, FFM_FF_VERSION_1_0);
    assert_int_equal(d->partitions[0].model, FFM_MODEL_IPC);
    assert_int_equal(d->partitions[0].pid, 256);
    assert_true(d->services[0].connection_based);
    assert_int_equal(d->n_irqs, 2);
    assert_string_equal(d->irqs[0].name, "UART_IRQ_SIGNAL");
    assert_int_equal(d->irqs[0].handling, FFM_IRQ_SLIH);
    assert_string_equal(d->irqs[1].source, "5");
    assert_string_equal(d->partitions[0].header_name, "driver_partition_psa.h");
    ffm_manifest_free(set);
}

/* tfm profile: true = 1 (MAN-21), anything but "enable" is off (MAN-25), SLIH default. */
static void test_tfm_profile_values(void **state)
{
    (void)state;
    const char *files[] = {BAD "man21_value_true.yaml"};
    struct ffm_manifest_set *set = load_ok(NULL, 0, files, 1, NULL, 0, FFM_PROFILE_TFM);
    assert_int_equal((uint32_t)ffm_manifest_desc(set)->services[0].stateless_handle,
                     0x40000100u);
    ffm_manifest_free(set);
    files[0] = BAD "man25_value.yaml";
    set = load_ok(NULL, 0, files, 1, NULL, 0, FFM_PROFILE_TFM);
    assert_false(ffm_manifest_desc(set)->services[0].mm_iovec);
    ffm_manifest_free(set);
    files[0] = BAD "man28_no_handling.yaml";
    set = load_ok(NULL, 0, files, 1, NULL, 0, FFM_PROFILE_TFM);
    assert_int_equal(ffm_manifest_desc(set)->irqs[0].handling, FFM_IRQ_SLIH);
    ffm_manifest_free(set);
}

/* ------------------------------------------------------------------ goldens (MAN-40..44) */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static const size_t max = 1 << 16;
    char *buf = calloc(1, max + 1);
    assert_non_null(buf);
    size_t n = fread(buf, 1, max, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void assert_golden(struct ffm_manifest_set *set, const char *which, const char *golden)
{
    char *want = read_file(golden);
    const char *got = ffm_manifest_header_text(set, which);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(want);
}

static void test_golden_tfm(void **state)
{
    (void)state;
    struct ffm_manifest_set *set = load_tfm(true);
    assert_golden(set, "sid.h", FIX "golden/tfm_sid.h");
    assert_golden(set, "pid.h", FIX "golden/tfm_pid.h");
    assert_golden(set, "ns_agent_mailbox.h", FIX "golden/ns_agent_mailbox.h");
    ffm_manifest_free(set);
    /* MAN-44: a second load gives the same bytes. */
    set = load_tfm(true);
    assert_golden(set, "sid.h", FIX "golden/tfm_sid.h");
    ffm_manifest_free(set);
}

static void test_golden_partitions(void **state)
{
    (void)state;
    setenv("FFM_TEST_GOOD_DIR", GOOD, 1);
    const char *lists[] = {LST "good.yaml"};
    const char *defs_off[] = {"TEST_DISABLED="};
    struct ffm_manifest_set *set = load_ok(lists, 1, NULL, 0, defs_off, 1, FFM_PROFILE_SPEC);
    assert_golden(set, "ipc.h", FIX "golden/ipc.h");
    assert_golden(set, "sfn.h", FIX "golden/sfn.h");
    ffm_manifest_free(set);
    const char *files[] = {GOOD "driver_partition_psa.json"};
    set = load_ok(NULL, 0, files, 1, NULL, 0, FFM_PROFILE_SPEC);
    assert_golden(set, "driver_partition_psa.h", FIX "golden/driver_partition_psa.h");
    ffm_manifest_free(set);
}

/* MAN-04: "-D NAME" means 1: the item is enabled, so its pid and file are now checked. */
static void test_define_without_value_enables(void **state)
{
    (void)state;
    setenv("FFM_TEST_GOOD_DIR", GOOD, 1);
    const struct load_case c = {
        "", SPEC, {LST "good.yaml"}, {0}, {"TEST_DISABLED"}, {0}, false, INVALID,
        LST "good.yaml:14:10: error: manifest_list[2].pid: 3 outside 256..2147483647 "
            "[MAN-06]\n"
        LST "good.yaml:12:15: error: manifest_list[2].manifest: file ../good/missing.yaml not "
            "found [MAN-03]\n"};
    ffm_manifest_free(load(&c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_man01_list_top_level),
        cmocka_unit_test(test_man02_list_items),
        cmocka_unit_test(test_man03_manifest_paths),
        cmocka_unit_test(test_man04_conditional),
        cmocka_unit_test(test_man06_explicit_pids),
        cmocka_unit_test(test_man07_automatic_pids),
        cmocka_unit_test(test_man10_partition_attributes),
        cmocka_unit_test(test_man11_unknown_nested_keys),
        cmocka_unit_test(test_man12_mmio_regions),
        cmocka_unit_test(test_man13_ff10_restrictions),
        cmocka_unit_test(test_man14_entry_points),
        cmocka_unit_test(test_man15_service_or_irq_required),
        cmocka_unit_test(test_man16_at_most_28),
        cmocka_unit_test(test_man17_names),
        cmocka_unit_test(test_man18_duplicate_sids),
        cmocka_unit_test(test_man19_version),
        cmocka_unit_test(test_man20_connection_based_required),
        cmocka_unit_test(test_man21_stateless_handle_values),
        cmocka_unit_test(test_man22_at_most_32_stateless),
        cmocka_unit_test(test_man25_mm_iovec),
        cmocka_unit_test(test_man26_dependencies),
        cmocka_unit_test(test_man27_circular_dependencies),
        cmocka_unit_test(test_man28_irqs),
        cmocka_unit_test(test_man29_platform_regions),
        cmocka_unit_test(test_man30_sizes),
        cmocka_unit_test(test_man31_all_errors_reported),
        cmocka_unit_test(test_man33_werror),
        cmocka_unit_test(test_man42_one_header_per_partition),
        cmocka_unit_test(test_io_errors),
        cmocka_unit_test(test_every_case_runs),
        cmocka_unit_test(test_error_limit),
        cmocka_unit_test(test_reference_pair_1),
        cmocka_unit_test(test_reference_pair_2),
        cmocka_unit_test(test_reference_pair_2_without_agent),
        cmocka_unit_test(test_good_list),
        cmocka_unit_test(test_collection_order),
        cmocka_unit_test(test_ff10_json),
        cmocka_unit_test(test_tfm_profile_values),
        cmocka_unit_test(test_golden_tfm),
        cmocka_unit_test(test_golden_partitions),
        cmocka_unit_test(test_define_without_value_enables),
    };
    return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
