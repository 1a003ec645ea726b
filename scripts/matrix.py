#!/usr/bin/env python3
"""matrix.py - the conformance matrix: for every rule of rules/ffm-rules.yaml, the tests that
claim it and their result in this run (JUnit XML), the code that carries it (FFM_RULE_*
constants and `ffm-rule:` tags in the sources), the line and branch coverage of that code
(lcov), and the rules the fuzz corpora reached. Writes matrix.html, matrix.md and matrix.json
and prints one summary line. Documented in docs/rules.md ("The conformance matrix").

Exit status: 0 when the matrix holds; 1 when any check fails (each failure is printed as one
line "matrix: error: ..." naming the rule or test); 2 on bad usage or unreadable inputs.

Only the Python standard library and PyYAML (python3-yaml) are used.
"""
import argparse
import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

RULE_ID = re.compile(r"^[A-Z]+-[0-9]{2,}$")
CONST = re.compile(r"\bFFM_RULE_([A-Z]+)_([0-9]{2,})\b")
TAG = re.compile(r"ffm-rule:\s*([A-Z]+-[0-9]{2,}(?:\s*,\s*[A-Z]+-[0-9]{2,})*)")
TAG_LOOSE = re.compile(r"ffm-rule:")
FUZZ_LINE = re.compile(r"^ffm-fuzz-rule: ([A-Z]+-[0-9]{2,})\s*$")
# The catalogue's own list of IDs and the functions that only name or map rules: they carry
# every ID, so they are not the code of any one rule.
NOT_CODE = ("src/core/ffm_rules.def", "src/core/ffm_rules.h", "src/core/ffm_rules.c")
# The APIs whose PE rules the fuzz targets are expected to reach.
FUZZ_APIS = ("psa_call", "psa_connect", "psa_close")
SCHEMA = "ffmsim-matrix/1"


class InputError(Exception):
    """An input the matrix cannot be built from (exit status 2)."""


# ------------------------------------------------------------------ catalogue

def load_rules(path):
    try:
        import yaml
    except ImportError:
        raise InputError("python3 module 'yaml' is missing: run scripts/install-deps.sh")
    try:
        with open(path, encoding="utf-8") as f:
            rows = yaml.safe_load(f)
    except OSError as e:
        raise InputError("%s: cannot open: %s" % (path, e.strerror))
    except yaml.YAMLError as e:
        raise InputError("%s: malformed YAML: %s" % (path, e))
    if not isinstance(rows, list) or not all(isinstance(r, dict) and "id" in r for r in rows):
        raise InputError("%s: not a list of rules (run the rules suite: make test)" % path)
    return rows


# ------------------------------------------------------------------ test results

def test_profile(name, overrides):
    if name in overrides:
        return overrides[name]
    return "tfm" if "tfm" in name.lower() else "spec"


def read_junit(results_dir):
    """{test name: {suite, result}} from every *.xml file, and the duplicate-name errors."""
    tests, errors = {}, []
    try:
        files = sorted(f for f in os.listdir(results_dir) if f.endswith(".xml"))
    except OSError as e:
        raise InputError("%s: cannot open: %s" % (results_dir, e.strerror))
    if not files:
        raise InputError("%s: no JUnit XML files (run make test TEST_OUTPUT=xml)" % results_dir)
    for fname in files:
        path = os.path.join(results_dir, fname)
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as e:
            raise InputError("%s:%d:%d: malformed JUnit XML: %s"
                             % (path, e.position[0], e.position[1] + 1, e))
        suites = [root] if root.tag == "testsuite" else root.findall(".//testsuite")
        stem = fname[:-4]
        for ts in suites:
            suite = stem if len(suites) == 1 else "%s:%s" % (stem, ts.get("name", "?"))
            for tc in ts.findall("testcase"):
                name = tc.get("name", "")
                if tc.find("failure") is not None or tc.find("error") is not None:
                    result = "failed"
                elif tc.find("skipped") is not None:
                    result = "skipped"
                else:
                    result = "passed"
                if name in tests:
                    errors.append("test name '%s' is used by suites %s and %s: a claim on it "
                                  "is ambiguous" % (name, tests[name]["suite"], suite))
                    if result == "failed":
                        tests[name]["result"] = "failed"
                    continue
                tests[name] = {"suite": suite, "result": result}
    return tests, errors


def read_maps(paths):
    """Mapping files: external test name -> rule IDs, and test name -> profile."""
    claims, profiles = {}, {}
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except OSError as e:
            raise InputError("%s: cannot open: %s" % (path, e.strerror))
        profile = None
        for n, line in enumerate(lines, 1):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            if words[0] == "profile":
                if len(words) != 2 or words[1] not in ("spec", "tfm", "both"):
                    raise InputError("%s:%d: expected 'profile spec|tfm|both'" % (path, n))
                profile = words[1]
                continue
            for rid in words[1:]:
                if not RULE_ID.match(rid):
                    raise InputError("%s:%d: '%s' is not a rule ID" % (path, n, rid))
            claims.setdefault(words[0], []).extend(words[1:])
            if profile is not None:
                profiles[words[0]] = profile
    return claims, profiles


def read_fuzz(results_dir):
    """{target: set of rule IDs} from the replays' output lines 'ffm-fuzz-rule: ID'."""
    reached = {}
    for fname in sorted(os.listdir(results_dir)):
        if not fname.endswith(".out"):
            continue
        with open(os.path.join(results_dir, fname), encoding="utf-8", errors="replace") as f:
            ids = {m.group(1) for m in map(FUZZ_LINE.match, f) if m}
        if ids:
            target = fname[:-4]
            reached[target[7:] if target.startswith("replay-") else target] = ids
    return reached


# ------------------------------------------------------------------ code locations

def strip_code(line, in_comment):
    """The line without comments, strings and character literals; and the comment state."""
    out, i, n = [], 0, len(line)
    while i < n:
        if in_comment:
            end = line.find("*/", i)
            if end < 0:
                return "".join(out), True
            i, in_comment = end + 2, False
        elif line.startswith("/*", i):
            in_comment, i = True, i + 2
        elif line.startswith("//", i):
            break
        elif line[i] in "\"'":
            q, i = line[i], i + 1
            while i < n and line[i] != q:
                i += 2 if line[i] == "\\" else 1
            i += 1
        else:
            out.append(line[i])
            i += 1
    return "".join(out), in_comment


def top_level_blocks(lines):
    """(start, end) 1-based of each top-level brace block, start moved back to its signature."""
    blocks, depth, opened, in_comment = [], 0, 0, False
    for no, line in enumerate(lines, 1):
        code, in_comment = strip_code(line, in_comment)
        for ch in code:
            if ch == "{":
                if depth == 0:
                    opened = no
                depth += 1
            elif ch == "}" and depth > 0:
                depth -= 1
                if depth == 0:
                    blocks.append((signature_start(lines, opened), no))
    return blocks


def signature_start(lines, opened):
    start = opened
    while start > 1:
        prev = lines[start - 2].strip()
        if (not prev or prev.startswith(("/*", "*", "//", "#")) or prev.endswith((";", "}", "*/"))):
            break
        start -= 1
    return start


def location_range(blocks, lines, no):
    """The code a hit at line `no` stands for: its function (or initializer); for a tag in
    the comment just above a function, that function; otherwise the line itself."""
    for start, end in blocks:
        if start <= no <= end:
            return start, end
    for start, end in blocks:
        if start > no:
            between = [l.strip() for l in lines[no:start - 1]]
            if all(not l or l.startswith(("*", "/*", "//")) for l in between):
                return start, end
            break
    return no, no


def scan_code(roots, known_ids):
    """{rule ID: [(file, start, end, line)]} and the errors (malformed or unknown tags)."""
    locs, errors = {}, []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for fname in sorted(filenames):
                path = os.path.join(dirpath, fname).replace(os.sep, "/")
                if not fname.endswith((".c", ".h")) or path in NOT_CODE:
                    continue
                scan_file(path, known_ids, locs, errors)
    return locs, errors


def scan_file(path, known_ids, locs, errors):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    blocks = None
    for no, line in enumerate(lines, 1):
        ids = ["%s-%s" % m.groups() for m in CONST.finditer(line)]
        tag = TAG.search(line)
        if tag:
            ids += [t.strip() for t in tag.group(1).split(",")]
        elif TAG_LOOSE.search(line):
            errors.append("%s:%d: malformed tag: expected 'ffm-rule: ID[, ID...]'" % (path, no))
        if not ids:
            continue
        if blocks is None:
            blocks = top_level_blocks(lines)
        start, end = location_range(blocks, lines, no)
        for rid in ids:
            if rid not in known_ids:
                errors.append("%s:%d: '%s' is not a rule of the catalogue" % (path, no, rid))
                continue
            entry = (path, start, end, no)
            if entry not in locs.setdefault(rid, []):
                locs[rid].append(entry)


# ------------------------------------------------------------------ coverage

def read_lcov(path, root):
    """{file relative to root: ({line: hits}, {(line, block, branch): taken})}."""
    cov, cur = {}, None
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if line.startswith("SF:"):
                    name = os.path.relpath(line[3:], root).replace(os.sep, "/")
                    cur = cov.setdefault(name, ({}, {}))
                elif line.startswith("DA:") and cur is not None:
                    no, hits = line[3:].split(",")[:2]
                    cur[0][int(no)] = cur[0].get(int(no), 0) + int(hits)
                elif line.startswith("BRDA:") and cur is not None:
                    no, block, branch, taken = line[5:].split(",")
                    key = (int(no), block, branch)
                    cur[1][key] = cur[1].get(key, 0) + (0 if taken == "-" else int(taken))
                elif line == "end_of_record":
                    cur = None
    except OSError as e:
        raise InputError("%s: cannot open: %s" % (path, e.strerror))
    except ValueError:
        raise InputError("%s: malformed lcov tracefile" % path)
    return cov


def count(cov, files_lines):
    """Lines and branches hit/total over a set of (file, line)."""
    lh = lt = bh = bt = 0
    for name, wanted in files_lines.items():
        da, brda = cov.get(name, ({}, {}))
        for no, hits in da.items():
            if no in wanted:
                lt += 1
                lh += hits > 0
        for (no, _b, _r), taken in brda.items():
            if no in wanted:
                bt += 1
                bh += taken > 0
    return {"lines_hit": lh, "lines_total": lt, "branches_hit": bh, "branches_total": bt}


def pct(hit, total):
    return 100.0 * hit / total if total else 100.0


def core_coverage(cov, prefix):
    lines = {name: set(da) for name, (da, _) in cov.items() if name.startswith(prefix)}
    c = count(cov, lines)
    c["line_pct"] = round(pct(c["lines_hit"], c["lines_total"]), 1)
    c["branch_pct"] = round(pct(c["branches_hit"], c["branches_total"]), 1)
    return c


# ------------------------------------------------------------------ the join

def build(args):
    rows = load_rules(args.rules)
    known = {r["id"] for r in rows}
    runs, errors = read_junit(args.results)
    map_files = list(args.map) + sorted(os.path.join(args.results, f)
                                        for f in os.listdir(args.results) if f.endswith(".map"))
    map_claims, map_profiles = read_maps(map_files)
    locs, code_errors = scan_code(args.code, known)
    errors += code_errors
    cov = read_lcov(args.lcov, args.root) if args.lcov else {}
    fuzz = read_fuzz(args.results)
    if args.test_status:
        errors.append("the test run failed (exit status %s): see %s" % (args.test_status,
                                                                        args.results))
    for name, t in sorted(runs.items()):
        if t["result"] == "failed":
            errors.append("test '%s' failed (suite %s)" % (name, t["suite"]))
    warnings = ["test '%s' (in a mapping file) did not run" % name
                for name in sorted(set(map_claims) | set(map_profiles)) if name not in runs]
    for name, ids in map_claims.items():
        for rid in ids:
            if rid not in known:
                errors.append("map: test '%s' claims '%s', which is not a rule" % (name, rid))
    claims_by_rule = {}
    for name, ids in map_claims.items():
        for rid in ids:
            claims_by_rule.setdefault(rid, []).append(name)
    out = []
    for r in rows:
        out.append(rule_entry(r, runs, claims_by_rule.get(r["id"], []), map_profiles,
                              locs.get(r["id"], []), cov, fuzz, errors, args.rules))
    summary = summarise(out, cov, fuzz, args, errors)
    summary["warnings"] = warnings
    return {"schema": SCHEMA, "summary": summary, "rules": out}


def rule_entry(r, runs, mapped, map_profiles, locs, cov, fuzz, errors, rules_path):
    rid, implemented = r["id"], r.get("status") == "implemented"
    tests = []
    for name, source in [(n, "yaml") for n in (r.get("tests") or [])] + \
                        [(n, "map") for n in mapped]:
        run = runs.get(name)
        result = run["result"] if run else "not-run"
        tests.append({"name": name, "source": source, "suite": run["suite"] if run else None,
                      "profile": test_profile(name, map_profiles), "result": result})
        if result == "not-run" and source == "yaml":
            errors.append("%s: test '%s' (named in %s) did not run" % (rid, name, rules_path))
    passed = [t for t in tests if t["result"] == "passed"]
    failed = [t for t in tests if t["result"] == "failed"]
    if implemented and not passed:
        errors.append("%s: implemented but no passing test in this run (%s)"
                      % (rid, ", ".join("%s: %s" % (t["name"], t["result"]) for t in tests)
                         or "no tests claim it"))
    if implemented and not locs:
        errors.append("%s: implemented but no code location (add FFM_RULE_* or "
                      "'ffm-rule: %s' at its check in src/ or sim/)" % (rid, rid))
    ranges = merge_ranges(locs)
    code = []
    for (name, start, end), tags in ranges.items():
        c = count(cov, {name: set(range(start, end + 1))})
        c.update({"file": name, "start": start, "end": end, "tag_lines": sorted(tags),
                  "in_report": name in cov})
        code.append(c)
    allc = count(cov, union_lines(ranges))
    allc["full"] = bool(code) and allc["lines_total"] > 0 and \
        allc["lines_hit"] == allc["lines_total"] and allc["branches_hit"] == allc["branches_total"]
    profiles = {p: profile_result([t for t in tests if t["profile"] in (p, "both")])
                for p in ("spec", "tfm")}
    one_profile = implemented and r["profile"] == "spec" and \
        "none" in (profiles["spec"], profiles["tfm"])
    return {"id": rid, "api": r.get("api"), "ord": r.get("ord"), "condition": r.get("condition"),
            "result_ns": r.get("result_ns"), "result_s": r.get("result_s"),
            "profile": r.get("profile"), "tfm_result": r.get("tfm_result"),
            "status": r.get("status"), "tests": tests,
            "passing": implemented and bool(passed) and not failed,
            "profile_results": profiles, "one_profile_only": one_profile,
            "code": code, "coverage": allc,
            "fuzz": sorted(t for t, ids in fuzz.items() if rid in ids),
            "fuzz_observable": is_pe_rule(r)}


def is_pe_rule(r):
    """A rule whose outcome is a PE event (its S result is a panic): the fuzz oracle sees it.
    Other rows (deliveries, replies, CONNECTION_BUSY) raise no event to record."""
    return str(r.get("result_s") or "").startswith("panic")


def profile_result(tests):
    if not tests:
        return "none"
    if any(t["result"] == "failed" for t in tests):
        return "failed"
    return "passed" if any(t["result"] == "passed" for t in tests) else "not-run"


def merge_ranges(locs):
    ranges = {}
    for name, start, end, line in locs:
        ranges.setdefault((name, start, end), set()).add(line)
    return dict(sorted(ranges.items()))


def union_lines(ranges):
    files = {}
    for name, start, end in ranges:
        files.setdefault(name, set()).update(range(start, end + 1))
    return files


def summarise(rules, cov, fuzz, args, errors):
    impl = [r for r in rules if r["status"] == "implemented"]
    core = core_coverage(cov, args.core) if cov else None
    if core and args.min_core_line is not None and core["line_pct"] < args.min_core_line:
        errors.append("%s line coverage %.1f %% is below %.1f %%"
                      % (args.core, core["line_pct"], args.min_core_line))
    if core and args.min_core_branch is not None and core["branch_pct"] < args.min_core_branch:
        errors.append("%s branch coverage %.1f %% is below %.1f %%"
                      % (args.core, core["branch_pct"], args.min_core_branch))
    return {
        "rules": len(rules),
        "implemented": len(impl),
        "planned": sum(r["status"] == "planned" for r in rules),
        "retired": sum(r["status"] == "retired" for r in rules),
        "passing": sum(r["passing"] for r in impl),
        "fully_covered": sum(r["coverage"]["full"] for r in impl),
        "fuzz_reached": sum(bool(r["fuzz"]) for r in impl),
        "fuzz_targets": sorted(fuzz),
        "fuzz_unreached": [r["id"] for r in impl if r["api"] in FUZZ_APIS and not r["fuzz"]
                           and r["fuzz_observable"]],
        "one_profile_only": [r["id"] for r in impl if r["one_profile_only"]],
        "core": core,
        "core_prefix": args.core,
        "errors": errors,
    }


# ------------------------------------------------------------------ output

def summary_line(s):
    line = ("matrix: %d rules: %d implemented, %d passing, %d fully covered, "
            "%d reached by fuzzing" % (s["rules"], s["implemented"], s["passing"],
                                       s["fully_covered"], s["fuzz_reached"]))
    if s["core"]:
        c = s["core"]
        line += "; %s lines %.1f %% (%d/%d), branches %.1f %% (%d/%d)" % (
            s["core_prefix"], c["line_pct"], c["lines_hit"], c["lines_total"],
            c["branch_pct"], c["branches_hit"], c["branches_total"])
    return line


def cov_text(c):
    if not c["lines_total"]:
        return "no data"
    text = "%d/%d lines" % (c["lines_hit"], c["lines_total"])
    if c["branches_total"]:
        text += ", %d/%d branches" % (c["branches_hit"], c["branches_total"])
    return text


def tests_text(r):
    return ", ".join("%s (%s)" % (t["name"], t["result"]) for t in r["tests"]) or "none"


def fuzz_text(r):
    if r["fuzz"]:
        return ", ".join(r["fuzz"])
    return "-" if r["fuzz_observable"] else "n/a (no PE event)"


def code_text(r):
    return ", ".join("%s:%d-%d" % (c["file"], c["start"], c["end"]) for c in r["code"]) or "none"


def md_cell(text):
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def write_md(m, path):
    s = m["summary"]
    out = ["# Conformance matrix", "", summary_line(s), ""]
    out += notes_lines(s, lambda x: x)
    out += ["", "| ID | API | Condition | NS | S | Profile | Status | Tests (this run) | "
            "spec / tfm | Code | Coverage | Fuzz |", "|" + "---|" * 12]
    for r in m["rules"]:
        pr = r["profile_results"]
        out.append("| " + " | ".join(md_cell(x) for x in (
            r["id"], r["api"], r["condition"], r["result_ns"], r["result_s"], r["profile"],
            r["status"], tests_text(r), "%s / %s%s" % (pr["spec"], pr["tfm"],
                                                       " (one profile)" if r["one_profile_only"]
                                                       else ""),
            code_text(r), cov_text(r["coverage"]) + (" (full)" if r["coverage"]["full"] else ""),
            fuzz_text(r))) + " |")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def notes_lines(s, esc):
    out = []
    if s["errors"]:
        out.append("- **%d check(s) failed**: %s" % (len(s["errors"]),
                                                     "; ".join(esc(e) for e in s["errors"])))
    out.append("- %s PE rules not reached by any fuzz corpus (%s): %s" % (
        "/".join(FUZZ_APIS), ", ".join(s["fuzz_targets"]) or "no targets",
        ", ".join(s["fuzz_unreached"]) or "none"))
    out.append("- `spec` rules tested in one profile only: %s"
               % (", ".join(s["one_profile_only"]) or "none"))
    out.append("- retired: %d, planned: %d" % (s["retired"], s["planned"]))
    return out


CSS = """body{font:14px/1.4 sans-serif;margin:1em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:3px 5px;vertical-align:top}
th{background:#eee;position:sticky;top:0}
.passed{color:#060}.failed,.not-run{color:#b00;font-weight:bold}.skipped{color:#a60}
tr.retired{color:#888}.full{background:#dfd}.partial{background:#ffd}.none{background:#fdd}
td.cond{max-width:28em}code{font-size:12px}"""


def write_html(m, path, genhtml):
    s = m["summary"]
    e = html.escape
    out = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\">",
           "<title>ffmsim conformance matrix</title><style>%s</style></head><body>" % CSS,
           "<h1>ffmsim conformance matrix</h1>", "<p><b>%s</b></p>" % e(summary_line(s)),
           "<ul>"]
    out += ["<li>%s</li>" % x[2:] for x in notes_lines(s, e)]
    out += ["</ul>", "<p>Line and branch coverage are those of the functions that carry the "
            "rule (links open the lines in the <a href=\"%s/index.html\">coverage report</a>). "
            "Test results are from this run's JUnit XML.</p>" % e(genhtml),
            "<table><tr><th>ID</th><th>API</th><th>Condition</th><th>NS</th><th>S</th>"
            "<th>Profile</th><th>Status</th><th>Tests (this run)</th><th>spec / tfm</th>"
            "<th>Code</th><th>Coverage</th><th>Fuzz</th></tr>"]
    for r in m["rules"]:
        out.append(html_row(r, genhtml))
    out += ["</table></body></html>"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def html_row(r, genhtml):
    e = html.escape
    tests = "<br>".join("<span class=\"%s\">%s</span> %s" % (t["result"], e(t["name"]),
                                                             e(t["result"])) for t in r["tests"])
    code = "<br>".join(code_link(c, genhtml) for c in r["code"])
    c = r["coverage"]
    cls = "full" if c["full"] else ("none" if not c["lines_hit"] else "partial")
    pr = r["profile_results"]
    prof = "<span class=\"%s\">%s</span> / <span class=\"%s\">%s</span>%s" % (
        pr["spec"], pr["spec"], pr["tfm"], pr["tfm"],
        " <b>(one profile)</b>" if r["one_profile_only"] else "")
    cond = e(r["condition"] or "")
    if r.get("tfm_result"):
        cond += "<br><i>tfm:</i> " + e(r["tfm_result"])
    cells = [("<a id=\"%s\"></a>%s" % (e(r["id"]), e(r["id"]))), e(r["api"] or ""), cond,
             e(r["result_ns"] or ""), e(r["result_s"] or ""), e(r["profile"] or ""),
             e(r["status"] or ""), tests or "none", prof, code or "none"]
    row = "<tr class=\"%s\">" % e(r["status"] or "")
    row += "".join("<td%s>%s</td>" % (" class=\"cond\"" if i == 2 else "", x)
                   for i, x in enumerate(cells))
    row += "<td class=\"%s\">%s</td><td>%s</td></tr>" % (
        cls if r["status"] == "implemented" else "", e(cov_text(c)), e(fuzz_text(r)))
    return row


def code_link(c, genhtml):
    """file:start-end, linked to the tag's line in the genhtml report when the file is in it."""
    e = html.escape
    text = "<code>%s:%d-%d</code>" % (e(c["file"]), c["start"], c["end"])
    if not c["in_report"]:
        return text
    return "<a href=\"%s/%s.gcov.html#%d\">%s</a>" % (e(genhtml), e(c["file"]),
                                                      c["tag_lines"][0], text)


def main(argv):
    p = argparse.ArgumentParser(description="Build the conformance matrix (docs/rules.md).")
    p.add_argument("--rules", default="rules/ffm-rules.yaml")
    p.add_argument("--results", default="build/test-results",
                   help="directory of JUnit XML files (*.xml), mapping files (*.map) and "
                        "fuzz replay output (*.out)")
    p.add_argument("--map", action="append", default=[], help="extra mapping file")
    p.add_argument("--code", action="append", default=None,
                   help="source directory to scan for rule locations (default: src, sim)")
    p.add_argument("--lcov", help="lcov tracefile (with branch data)")
    p.add_argument("--root", default=".", help="directory the lcov paths are relative to")
    p.add_argument("--core", default="src/core/", help="path prefix of the core")
    p.add_argument("--min-core-line", type=float)
    p.add_argument("--min-core-branch", type=float)
    p.add_argument("--genhtml", default="html", help="genhtml report, relative to --out")
    p.add_argument("--out", default="coverage", help="output directory")
    p.add_argument("--test-status", default="",
                   help="exit status of the test run, when it failed")
    args = p.parse_args(argv)
    if args.code is None:
        args.code = ["src", "sim"]
    if args.test_status == "0":
        args.test_status = ""
    try:
        m = build(args)
        os.makedirs(args.out, exist_ok=True)
        write_html(m, os.path.join(args.out, "matrix.html"), args.genhtml)
        write_md(m, os.path.join(args.out, "matrix.md"))
        with open(os.path.join(args.out, "matrix.json"), "w", encoding="utf-8") as f:
            json.dump(m, f, indent=1)
            f.write("\n")
    except InputError as e:
        print("matrix: %s" % e, file=sys.stderr)
        return 2
    s = m["summary"]
    for err in s["errors"]:
        print("matrix: error: %s" % err)
    for warning in s["warnings"]:
        print("matrix: warning: %s" % warning)
    print(summary_line(s))
    if s["fuzz_unreached"]:
        print("matrix: %s PE rules no fuzz corpus reaches: %s"
              % ("/".join(FUZZ_APIS), " ".join(s["fuzz_unreached"])))
    if s["one_profile_only"]:
        print("matrix: spec rules tested in one profile only: %s"
              % " ".join(s["one_profile_only"]))
    print("matrix: %s/matrix.html, matrix.md, matrix.json" % args.out)
    return 1 if s["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
