#!/usr/bin/env python3
"""Decide whether an Odoo test run passed, from its exit code and its log.

Odoo's exit code alone is not enough: a module that is not loaded, a broken view or a
test module that fails to import are only logged at ERROR while Odoo may still exit 0,
and a skipped test (e.g. a browser test without chromium or websocket-client) is only
an INFO line. So the run fails when any of these is true:

- Odoo's exit code is not 0;
- a log record at ERROR or CRITICAL;
- a log record at WARNING that is not in ALLOWED_WARNINGS below;
- a module name Odoo ignored or skipped ("invalid module names, ignored",
  "not installable, skipped");
- a skipped test;
- no "N failed, N error(s) of N tests when loading database" line, or 0 tests in all.

Prints the reasons, then one closing line "N passed, N failed" as the last line of
output; exits 1 when the run failed, 0 otherwise.

Usage: check_test_log.py LOG_FILE --exit-code N [--reason TEXT]...
(--reason adds a failure found by an earlier step, e.g. lint, to the same report.)
"""

import argparse
import re
import sys
from xml.etree import ElementTree

# Warnings that are harmless and may appear in a test run, as (regex searched in
# "<logger>: <message>", why it is harmless). Keep it short: every entry hides a
# whole class of messages. Fix the cause rather than adding an entry when possible.
ALLOWED_WARNINGS: list[tuple[str, str]] = [
    # (none yet)
]

# One log record starts with Odoo's log format:
# "%(asctime)s %(pid)s %(levelname)s %(dbname)s %(name)s: %(message)s %(perf_info)s"
RECORD_RE = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (?P<pid>\d+) "
    r"(?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>\S+?): (?P<message>.*)$"
)
ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")
# Logged once per database by odoo.tests.result at the end of --stop-after-init
# (covers the at_install and post_install phases); summed in case there are several.
SUMMARY_RE = re.compile(
    r"^(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<tests>\d+) tests "
    r"when loading database"
)
# OdooTestResult.addSkip: "skipped <test description> : <reason>" (INFO)
SKIP_RE = re.compile(r"^skipped (?P<test>.+?) : (?P<reason>.*)$")
MODULE_PROBLEM_RE = re.compile(
    r"invalid module names, ignored|not installable, skipped"
)
# Continuation lines (the end of tracebacks) shown under an offending record.
MAX_CONTINUATION_LINES = 20
# Lines of the end of the log shown when Odoo stopped before the test summary.
TAIL_LINES = 15


class Record:
    def __init__(self, lineno, match):
        self.lineno = lineno
        self.level = match["level"]
        self.logger = match["logger"]
        self.message = match["message"].rstrip()
        self.first_line = match.string.rstrip()
        self.continuation = []

    def text(self, max_lines=MAX_CONTINUATION_LINES):
        lines = [f"  line {self.lineno}: {self.first_line}"]
        hidden = len(self.continuation) - max_lines
        if max_lines and hidden > 0:
            # The end of a traceback says what went wrong: keep that part.
            lines.append(f"    ... ({hidden} lines, see the log)")
        if max_lines:
            lines += [f"    {line}" for line in self.continuation[-max_lines:]]
        return "\n".join(lines)


def parse_records(path):
    """Yield the log records of the file, with their continuation lines."""
    record = None
    with open(path, encoding="utf-8", errors="replace") as log:
        for lineno, raw in enumerate(log, start=1):
            line = ANSI_RE.sub("", raw.rstrip("\n"))
            match = RECORD_RE.match(line)
            if match:
                if record:
                    yield record
                record = Record(lineno, match)
            elif record and line.strip():
                record.continuation.append(line.rstrip())
    if record:
        yield record


def allowed_warning(record):
    subject = f"{record.logger}: {record.message}"
    return any(re.search(pattern, subject) for pattern, _why in ALLOWED_WARNINGS)


def analyse(path, exit_code):
    """Return (reasons, totals) for the log file and Odoo's exit code."""
    errors, warnings, module_problems, skips = [], [], [], []
    totals = {"failed": 0, "errors": 0, "tests": 0, "skipped": 0}
    summaries = 0
    for record in parse_records(path):
        if MODULE_PROBLEM_RE.search(record.message):
            module_problems.append(record)
        elif record.level in ("ERROR", "CRITICAL"):
            errors.append(record)
        elif record.level == "WARNING" and not allowed_warning(record):
            warnings.append(record)
        skip = SKIP_RE.match(record.message)
        if skip:
            skips.append(record)
        summary = SUMMARY_RE.match(record.message)
        if summary:
            summaries += 1
            for key in ("failed", "errors", "tests"):
                totals[key] += int(summary[key])
    totals["skipped"] = len(skips)

    reasons = []
    if exit_code != 0:
        reasons.append(f"Odoo exited with code {exit_code}")
    if errors:
        reasons.append(
            f"{len(errors)} log record(s) at ERROR/CRITICAL:\n"
            + "\n".join(record.text() for record in errors)
        )
    if warnings:
        reasons.append(
            f"{len(warnings)} WARNING log record(s) not in the allow-list "
            "(ALLOWED_WARNINGS in setup/check_test_log.py):\n"
            + "\n".join(record.text(max_lines=5) for record in warnings)
        )
    if module_problems:
        reasons.append(
            "module(s) ignored or not installable:\n"
            + "\n".join(record.text(max_lines=0) for record in module_problems)
        )
    if skips:
        reasons.append(
            f"{len(skips)} test(s) skipped (a browser test is skipped when chromium "
            "or the websocket-client package is missing):\n"
            + "\n".join(record.text(max_lines=0) for record in skips)
        )
    if not summaries:
        # Odoo may die before its logging is set up (bad option, import error): show
        # the end of the log, which holds the traceback.
        with open(path, encoding="utf-8", errors="replace") as log:
            tail = [line.rstrip() for line in log][-TAIL_LINES:]
        reasons.append(
            "no 'N failed, N error(s) of N tests when loading database' line: "
            "the tests did not run to the end. End of the log:\n"
            + "\n".join(f"    {line}" for line in tail)
        )
    elif not totals["tests"]:
        reasons.append(
            "0 tests ran (tests not found or not imported in tests/__init__.py, "
            "wrong --test-tags, or the modules were already installed)"
        )
    return reasons, totals


def analyse_junit(path):
    """Counts and failures of a pytest JUnit XML report."""
    totals = {"tests": 0, "failed": 0, "errors": 0, "skipped": 0}
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as error:
        return [f"no test report {path} ({error})"], totals
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    reasons = []
    for suite in suites:
        totals["tests"] += int(suite.get("tests", 0))
        totals["failed"] += int(suite.get("failures", 0))
        totals["errors"] += int(suite.get("errors", 0))
        totals["skipped"] += int(suite.get("skipped", 0))
        for case in suite.iter("testcase"):
            for outcome in ("failure", "error", "skipped"):
                node = case.find(outcome)
                if node is not None:
                    message = (node.get("message") or "").splitlines()[:1]
                    reasons.append(
                        f"{outcome}: {case.get('classname')}.{case.get('name')} "
                        f"{message[0] if message else ''}".rstrip()
                    )
    if not totals["tests"]:
        reasons.append(f"0 tests ran in {path}")
    return reasons, totals


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("log_file")
    parser.add_argument("--exit-code", type=int, required=True, help="Odoo's exit code")
    parser.add_argument(
        "--reason",
        action="append",
        default=[],
        help="a failure found by an earlier step, reported with the others",
    )
    parser.add_argument(
        "--junit",
        action="append",
        default=[],
        help="a JUnit XML report of tests run outside Odoo (tests/e2e), counted too",
    )
    args = parser.parse_args(argv)

    reasons, totals = analyse(args.log_file, args.exit_code)
    reasons = args.reason + reasons
    for path in args.junit:
        junit_reasons, junit_totals = analyse_junit(path)
        reasons += junit_reasons
        for key, value in junit_totals.items():
            totals[key] += value
    failed = totals["failed"] + totals["errors"]
    # A skipped test did not pass: it is not counted as passed (and it fails the run).
    passed = max(totals["tests"] - failed - totals["skipped"], 0)

    print()
    print(
        f"Tests: {totals['tests']} run, {totals['failed']} failed, "
        f"{totals['errors']} error(s), {totals['skipped']} skipped"
    )
    if reasons:
        print("RESULT: FAILED because of:")
        for number, reason in enumerate(reasons, start=1):
            print(f"{number}. {reason}")
    else:
        print("RESULT: OK")
    print(f"{passed} passed, {failed} failed")
    return 1 if reasons else 0


if __name__ == "__main__":
    sys.exit(main())
