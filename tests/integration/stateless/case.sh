# stateless: the stateless-readiness report and the migration, as `make run-migration` shows
# them on the demo system (docs/migrating-to-stateless.md): the report says DEMO_HASH_STREAM
# "cannot (rhandle)" and DEMO_VERSION "can"; ffm-manifest refuses the first and migrates the
# second (FF-M 1.0 -> 1.1); the rebuilt NS application's calls through DEMO_VERSION_HANDLE
# succeed; each report's numbers match the trace of its run (report_check); the report states
# the limit of its verdict.
S=$OUT/stateless
REPORT_CHECK=$BUILD/tests/report_check
M=$BUILD/migration
bounded stateless_make_run_migration 120 env MAKEFLAGS= MAKELEVEL= "${MAKE:-make}" \
    --no-print-directory BUILD="$BUILD" CC="$CC" run-migration
expect stateless_run_migration_report_migrate_rerun 0 \
    out "^ +DEMO_HASH_STREAM \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ / [0-9.]+ / [0-9]+ \| [1-9][0-9]* \| cannot \(rhandle\) $" \
    out "^ +DEMO_VERSION \| 18 \| 0 \| 18 \| 1 / 1 / 1 \| 0 \| can $" \
    err "^ffm-manifest: DEMO_HASH_STREAM: refused: .*report-before.json says it cannot be stateless: uses rhandle" \
    out "demo_version.yaml: psa_framework_version 1.0 -> 1.1$" \
    out "demo_version.yaml: DEMO_VERSION is now stateless \(connection_based: false, stateless_handle: auto\)$" \
    out "^ +psa_call\(DEMO_VERSION_HANDLE, type, in_vec, in_len, out_vec, out_len\);$" \
    out "^#define DEMO_VERSION_HANDLE \(0x4[0-9A-F]{7}U\)$" \
    out "^  \[ns\] boot 1: DEMO_VERSION: firmware \"demo-fw 1.4.2\" \(0x00010402\) through psa_call\(DEMO_VERSION_HANDLE\) \(stateless\)$" \
    out "^  \[ns\] boot 3: DEMO_VERSION: 16 lookups, each psa_call\(DEMO_VERSION_HANDLE\) \(stateless\)$" \
    out "^  \[ns\] boot 3: demo complete: all checks passed$" \
    out "^  before \(connect \+ call \+ close\): 18 uses, [0-9.]+ us per use \(mean\), [0-9.]+ us \(median\), 3.0 API calls per use$" \
    out "^  after  \(psa_call on 0x4[0-9a-fA-F]{7}\): 18 uses, [0-9.]+ us per use \(mean\), [0-9.]+ us \(median\), 1.0 API calls per use$"

# The migrated copy: only the service's keys and the version changed; the checked-in
# manifest is untouched; the header states the limit of the verdict.
if diff manifests/demo/demo_version.yaml "$M/manifests/demo_version.yaml" > "$S/version.diff";
then
    ko stateless_migrated_manifest_diff "the migrated copy is identical to the original"
elif [ "$(grep -c '^[<>]' "$S/version.diff")" -eq 5 ] &&
    grep -q '^< psa_framework_version: 1.0$' "$S/version.diff" &&
    grep -q '^> psa_framework_version: 1.1$' "$S/version.diff" &&
    grep -q '^> model: IPC$' "$S/version.diff" &&
    grep -q '^>     connection_based: false$' "$S/version.diff" &&
    grep -q '^>     stateless_handle: auto$' "$S/version.diff" &&
    grep -q '^psa_framework_version: 1.0$' manifests/demo/demo_version.yaml; then
    ok stateless_migrated_manifest_diff
else
    ko stateless_migrated_manifest_diff "unexpected diff:" "$(cat "$S/version.diff")"
fi
if grep -q '^\*\*Limit of the verdict:\*\* "can be stateless" means "no evidence against it in this run"' \
    "$M/report-before.md" &&
    grep -q '"limit":"\\"can be stateless\\" means \\"no evidence against it in this run\\"' \
        "$M/report-before.json"; then
    ok stateless_report_states_its_limit
else
    ko stateless_report_states_its_limit "no limit statement in $M/report-before.md/.json"
fi

if grep -qx '| DEMO_SP_STORAGE | 2 | 2 | 0 | 2 | no: their non_secure_clients differ |' \
    "$M/report-before.md" &&
    grep -qx '| DEMO_SP_VERSION | 1 | 0 | 1 | 1 | nothing to group |' "$M/report-before.md" &&
    grep -qx -- '- Stateless slots in use: 4 of 32.' "$M/report-before.md" &&
    grep -qx -- '- Services that could move: 1 (`DEMO_VERSION`); moving them uses 5 of 32 slots, or 5 with one SID per groupable partition.' \
        "$M/report-before.md" &&
    grep -qx -- '- Stateless slots in use: 5 of 32.' "$M/report-after.md"; then
    ok stateless_report_grouping_and_summary
else
    ko stateless_report_grouping_and_summary "unexpected rows in $M/report-before.md:" \
        "$(sed -n '/^## Grouping/,$p' "$M/report-before.md")"
fi

# The report's numbers against the trace of the same run, before and after the migration.
for run in before after; do
    if "$REPORT_CHECK" "$M/$run.json" "$M/report-$run.json" > "$S/check-$run.out" 2>&1; then
        ok "stateless_report_matches_trace_$run"
    else
        ko "stateless_report_matches_trace_$run" "$(cat "$S/check-$run.out")"
    fi
done
# ... and the checker fails on a report that does not match (one call moved).
sed 's/"list":\[3,0\]/"list":[2,1]/' "$M/report-before.json" > "$S/tampered.json"
if cmp -s "$M/report-before.json" "$S/tampered.json"; then
    ko stateless_report_check_rejects_a_mismatch "could not tamper with the report"
elif "$REPORT_CHECK" "$M/before.json" "$S/tampered.json" > "$S/check-tampered.out" 2>&1; then
    ko stateless_report_check_rejects_a_mismatch "report_check accepted $S/tampered.json"
elif grep -q "^DEMO_HASH_STREAM: report: 2 connections, 3 calls; trace: 2 connections, 3 calls" \
    "$S/check-tampered.out"; then
    ok stateless_report_check_rejects_a_mismatch
else
    ko stateless_report_check_rejects_a_mismatch "$(cat "$S/check-tampered.out")"
fi

# One kind of evidence per service, through the real port: work on CONNECT (a platform call),
# work on DISCONNECT (a PSA call), a refusal, a service never called, and one that only logs.
W=$OUT/stateless
if gen stateless && image stateless work_sp work_sp.c && image stateless ns ns.c; then
    sim stateless_work 20 -m $T/stateless/list.yaml --image $W/work_sp.so --ns $W/ns.so \
        --trace $W/work-trace.json --stateless-report $W/work.md
    expect stateless_verdict_per_evidence 0 \
        out "^ns: work services ok$" \
        err "^ffm-sim: stateless report written to $W/work.md and $W/work.json$"
    for row in \
        '| W_CONNECT_WORK | 0x0000e101 | WORK_SP | 1 | 0 | 1 | 1 / 1 / 1 | 3 | 0 | 0 | 1 / 0 | cannot (work on CONNECT) | does work on CONNECT (1 API calls, first ffm_platform_wdog_feed) |' \
        '| W_DISC_WORK | 0x0000e102 | WORK_SP | 1 | 0 | 1 | 1 / 1 / 1 | 3 | 0 | 0 | 0 / 1 | cannot (work on DISCONNECT) | does work on DISCONNECT (1 API calls, first psa_framework_version) |' \
        '| W_REFUSE | 0x0000e103 | WORK_SP | 0 | 1 | 0 | - | none | 0 | 0 | 0 / 0 | cannot (refused connections) | refused 1 connections (first with status -130): a stateless service cannot refuse at connect time |' \
        '| W_QUIET | 0x0000e104 | WORK_SP | 0 | 0 | 0 | - | none | 0 | 0 | 0 / 0 | not exercised | no connection seen in this run |' \
        '| W_LOGONLY | 0x0000e105 | WORK_SP | 1 | 0 | 2 | 2 / 2 / 2 | 3 | 0 | 0 | 0 / 0 | can | no rhandle, nothing done on CONNECT or DISCONNECT, no refusal, no call depended on an earlier one (no evidence against it in this run) |'; do
        if grep -qxF -- "$row" "$W/work.md"; then
            ok "stateless_row_$(echo "$row" | cut -d' ' -f2)"
        else
            ko "stateless_row_$(echo "$row" | cut -d' ' -f2)" "no row '$row' in $W/work.md:" \
                "$(grep '^| W_' "$W/work.md")"
        fi
    done
    if "$REPORT_CHECK" "$W/work-trace.json" "$W/work.json" > "$W/check-work.out" 2>&1; then
        ok stateless_work_report_matches_trace
    else
        ko stateless_work_report_matches_trace "$(cat "$W/check-work.out")"
    fi
else
    ko stateless_work_build "cannot build the stateless case"
fi

# --stateless-report FILE that cannot be written is bad input, before the run (exit 2).
sim stateless_report_bad_path 20 -m manifests/demo/demo_manifest_list.yaml \
    --platform manifests/demo/demo_board.yaml --ns "$BUILD/demo/ns_app.so" \
    $(for p in storage platform crypto session version; do echo "--image $BUILD/demo/demo_$p.so"; done) \
    --stateless-report /nonexistent-dir/report.md
expect stateless_report_bad_path_exit_2 2 \
    err "^ffm-sim: error: --stateless-report /nonexistent-dir/report.md: No such file or directory$"
if [ -s "$log.out" ]; then
    ko stateless_report_bad_path_before_the_run "the system ran: $(head -1 "$log.out")"
else
    ok stateless_report_bad_path_before_the_run
fi
