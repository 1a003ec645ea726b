# upgrade: ffm-manifest --upgrade rewrites an FF-M 1.0 manifest as 1.1 in place: version,
# model, connection_based, the IRQ's signal as name + handling, every comment kept; the result
# validates; a second run leaves it alone; a file that cannot be read as YAML is refused with
# one line and nothing is written, not even the other manifests given.
U=$OUT/upgrade
cp "$T/upgrade/old_sp.yaml" "$U/old_sp.yaml"
cp "$T/upgrade/list.yaml" "$U/list.yaml"
"$MF" --upgrade "$U/old_sp.yaml" > "$U/up.out" 2> "$U/up.err"
rc=$?
if [ $rc -eq 0 ] && grep -qx "ffm-manifest: $U/old_sp.yaml: upgraded from FF-M 1.0 to 1.1" "$U/up.out" &&
    grep -qx "psa_framework_version: 1.1   # the version this file was written for" "$U/old_sp.yaml" &&
    grep -qx "model: IPC" "$U/old_sp.yaml" &&
    grep -qx "    connection_based: true" "$U/old_sp.yaml" &&
    grep -Eq "^    name: TICK   # 1.0 form: becomes name \+ handling$" "$U/old_sp.yaml" &&
    grep -qx "    handling: SLIH" "$U/old_sp.yaml" &&
    ! grep -q "signal:" "$U/old_sp.yaml" &&
    [ "$(grep -c '#' "$U/old_sp.yaml")" -eq "$(grep -c '#' "$T/upgrade/old_sp.yaml")" ] &&
    "$MF" -m "$U/list.yaml" -o "$U/gen" > "$U/gen.log" 2>&1 &&
    grep -q "TICK_SIGNAL" "$U/gen/psa_manifest/old_sp.h"; then
    ok manifest_upgrade_1_0_to_1_1_keeps_comments
else
    ko manifest_upgrade_1_0_to_1_1_keeps_comments "exit $rc; stderr: $(cat "$U/up.err"); file:"
    sed 's/^/      /' "$U/old_sp.yaml"
fi
cp "$U/old_sp.yaml" "$U/once.yaml"
"$MF" --upgrade "$U/old_sp.yaml" > "$U/up2.out" 2>&1
if [ $? -eq 0 ] && cmp -s "$U/old_sp.yaml" "$U/once.yaml" &&
    grep -qx "ffm-manifest: $U/old_sp.yaml: already FF-M 1.1, left unchanged" "$U/up2.out"; then
    ok manifest_upgrade_twice_changes_nothing
else
    ko manifest_upgrade_twice_changes_nothing "$(cat "$U/up2.out")"
fi
cp "$T/upgrade/old_sp.yaml" "$U/again.yaml"
printf 'psa_framework_version: 1.0\nname: [unclosed\n' > "$U/broken.yaml"
"$MF" --upgrade "$U/again.yaml" "$U/broken.yaml" > "$U/up3.out" 2> "$U/up3.err"
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l < "$U/up3.err")" -eq 1 ] &&
    grep -Eq "^ffm-manifest: $U/broken.yaml:[0-9]+:[0-9]+: " "$U/up3.err" &&
    cmp -s "$U/again.yaml" "$T/upgrade/old_sp.yaml"; then
    ok manifest_upgrade_refuses_bad_yaml_and_writes_nothing
else
    ko manifest_upgrade_refuses_bad_yaml_and_writes_nothing "exit $rc; $(cat "$U/up3.err")"
fi
