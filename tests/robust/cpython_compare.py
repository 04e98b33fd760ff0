"""Compare two runs of CPython's regression tests, test case by test case.

    cpython_compare.py PLAIN.xml PLAIN.log SHIM.xml SHIM.log

The .xml files are regrtest's --junit-xml output, the .log files its
console output. Prints each run's summary (regrtest's own lines, and the
test cases counted by outcome), then every test case whose outcome differs.
Exit status 0 when every test file and every test case has the same outcome
in both runs, 1 when something differs, 2 when a run is unreadable.

The ids of the differing test cases are written to SHIM.xml.diff, one per
line, for the caller to run again.
"""
import re
import sys
import xml.etree.ElementTree as ET


def cases(path):
    """{(classname, name): outcome} of a junit file."""
    out = {}
    root = ET.parse(path).getroot()
    for tc in root.iter("testcase"):
        key = (tc.get("classname") or "", tc.get("name") or "")
        kinds = [c.tag for c in tc]
        if "error" in kinds:
            outcome = "error"
        elif "failure" in kinds:
            outcome = "failure"
        elif "skipped" in kinds or tc.get("status") == "skipped":
            outcome = "skipped"
        else:
            outcome = "passed"
        # A test id can appear more than once (subtests): keep the worst.
        rank = ["passed", "skipped", "failure", "error"]
        old = out.get(key)
        if old is None or rank.index(outcome) > rank.index(old):
            out[key] = outcome
    return out


FILE_RE = re.compile(r"\[\s*\d+/\d+(?:/\d+)?\]\s+(test_\w+)\s+(.*)$")


def files(log):
    """{test file: regrtest's verdict} from the console log."""
    out = {}
    for line in log.splitlines():
        m = FILE_RE.search(line)
        if m:
            verdict = m.group(2)
            # "passed (12.3 sec)" -> "passed": durations differ by nature
            verdict = re.sub(r"\s*\(\d[^)]*\)\s*$", "", verdict)
            verdict = re.sub(r"\s+--\s+running.*$", "", verdict)
            out[m.group(1)] = verdict.strip()
    return out


def summary(log):
    keep = []
    grab = False
    for line in log.splitlines():
        if line.startswith("== Tests result") or line.startswith("Total ") or \
                line.startswith("Result:") or re.match(r"^\d+ tests? (OK|failed|skipped)", line) or \
                re.match(r"^\d+ tests? (altered|omitted|run no tests)", line):
            keep.append(line)
            grab = True
        elif grab and line.startswith("    "):
            keep.append(line)
        else:
            grab = False
    return keep


def main(argv):
    if len(argv) != 5:
        print(__doc__)
        return 2
    try:
        pc, sc = cases(argv[1]), cases(argv[3])
        plog = open(argv[2], errors="replace").read()
        slog = open(argv[4], errors="replace").read()
    except (OSError, ET.ParseError) as e:
        print("cpython_compare: cannot read a run: %s" % e)
        return 2
    pf, sf = files(plog), files(slog)
    for title, c, log in (("without the shim", pc, plog), ("under syswatch", sc, slog)):
        print("---- summary %s ----" % title)
        for line in summary(log):
            print("  " + line)
        counts = {}
        for o in c.values():
            counts[o] = counts.get(o, 0) + 1
        print("  test cases: %d (%s)" % (len(c), ", ".join(
            "%s %d" % (k, counts[k]) for k in sorted(counts))))
    bad = 0
    print("---- test files ----")
    for f in sorted(set(pf) | set(sf)):
        a, b = pf.get(f, "(not run)"), sf.get(f, "(not run)")
        mark = "" if a == b else "   <-- differs"
        bad += a != b
        print("  %-20s %-30s %-30s%s" % (f, a, b, mark))
    diffs = []
    for key in sorted(set(pc) | set(sc)):
        a, b = pc.get(key, "(not run)"), sc.get(key, "(not run)")
        if a != b:
            diffs.append((key, a, b))
    if diffs:
        print("---- test cases whose outcome differs (%d) ----" % len(diffs))
        for (cls, name), a, b in diffs:
            print("  %s.%s: without %s, under syswatch %s" % (cls, name, a, b))
    with open(argv[3] + ".diff", "w") as f:
        for (cls, name), a, b in diffs:
            f.write("%s.%s\n" % (cls, name))
    if len(pc) == 0:
        print("cpython_compare: the plain run has no test cases")
        return 2
    return 1 if bad or diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
