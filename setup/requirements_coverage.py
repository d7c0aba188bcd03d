#!/usr/bin/env python3
"""Share of the requirements of REQUIREMENTS.md that a test cites by its R-id.

Reads every requirement row ``| **R-xxx** | ... | P |`` of the catalogue (the priority
is the last column of every table: M = must, S = should, C = could, "—" = the catalogue
itself says it is not to be built), then looks for R-ids in the tests: the addons'
Python tests (forklift_*/tests/*.py), the end-to-end, load and benchmark scripts
(tests/**/*.py) and the browser tours (forklift_*/static/tests/**/*.js). A citation
is ``R-012``, a range ``R-236–R-241`` (each id of it) or a short list ``R-097/220/234``.

Prints the share of the must and should requirements cited by at least one test, per
priority; ``--missing`` lists the uncited must/should ids with their section and text.
It reports, it is not a gate: the exit code is 0, unless ``--min PERCENT`` is given and
the must+should share is below it (1), or the catalogue cannot be read (2).

Usage: requirements_coverage.py [REQUIREMENTS.md or its folder] [--missing] [--min 80]
The catalogue defaults to ../shared/REQUIREMENTS.md beside the repository.
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOGUE = ROOT.parent / "shared" / "REQUIREMENTS.md"
TEST_GLOBS = (
    "forklift_*/tests/*.py",
    "tests/**/*.py",
    "forklift_*/static/tests/**/*.js",
)
PRIORITIES = {"M": "must", "S": "should", "C": "could"}
NOT_BUILT = {"—", "-", "–"}
COUNTED = ("M", "S")

ROW = re.compile(r"^\|\s*\*\*(R-\d{3})\*\*\s*\|")
HEADING = re.compile(r"^(#{2,4})\s+(\d+(?:\.\d+)*)\.?\s")
# the column that names the requirement in each table layout, then the one that says
# what the software does (the first found of each, in this order)
LABEL_COLUMNS = (
    "English",
    "aspect",
    "requirement",
    "optional requirement",
    "deadline",
    "term",
    "step",
    "trigger",
    "report",
    "case",
)
DETAIL_COLUMNS = (
    "software behaviour",
    "behaviour",
    "outcome / cost bearer",
    "Odoo realisation",
    "Odoo form",
    "condition",
    "number",
    "requirement",
)
# R-012; R-236–R-241 (en dash or hyphen, "R-" repeated or not); R-097/220/234
CITATION = re.compile(r"R-(\d{3})(?:\s*[–-]\s*(?:R-)?(\d{3})|((?:/\d{3})+))?")
MAX_RANGE = 30  # a wider "range" is read as two ids, not as a citation of each between


def split_cells(line):
    """The cells of a markdown table row (an escaped \\| stays inside its cell)."""
    cells = re.split(r"(?<!\\)\|", line.strip())
    return [cell.strip() for cell in cells[1:-1]]


def plain(text):
    return re.sub(r"\s+", " ", text.replace("**", "").replace("`", "")).strip()


def parse_catalogue(path):
    """{R-id: {"priority", "section", "text"}} from every requirement row."""
    requirements = {}
    problems = []
    header = []
    section = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        heading = HEADING.match(line)
        if heading:
            section = "§" + heading.group(2)
            continue
        if not line.startswith("|"):
            continue
        cells = split_cells(line)
        match = ROW.match(line)
        if not match:
            if cells and not set("".join(cells)) <= set("-: "):
                header = cells  # a table header row (the separator row is skipped)
            continue
        rid = match.group(1)
        priority = cells[-1]
        if priority not in PRIORITIES and priority not in NOT_BUILT:
            problems.append(f"line {number}: {rid}: no priority M/S/C/— at the end")
            continue
        if rid in requirements:
            problems.append(f"line {number}: {rid} is listed twice")
            continue
        by_name = dict(zip(header, cells, strict=False))
        label = next((c for c in LABEL_COLUMNS if by_name.get(c)), None)
        found = [c for c in DETAIL_COLUMNS if by_name.get(c) and c != label]
        detail = found[0] if found else None
        text = plain(" — ".join(by_name[c] for c in (label, detail) if c))
        requirements[rid] = {
            "priority": "—" if priority in NOT_BUILT else priority,
            "section": section,
            "text": text,
        }
    return requirements, problems


def test_files(root):
    files = set()
    for pattern in TEST_GLOBS:
        files.update(path for path in root.glob(pattern) if path.is_file())
    return sorted(files)


def cited_ids(text):
    ids = set()
    for match in CITATION.finditer(text):
        first = int(match.group(1))
        ids.add(first)
        if match.group(2):
            last = int(match.group(2))
            if first < last <= first + MAX_RANGE:
                ids.update(range(first, last + 1))
            else:
                ids.add(last)
        elif match.group(3):
            ids.update(int(part) for part in match.group(3).split("/") if part)
    return {f"R-{number:03d}" for number in ids}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "catalogue",
        nargs="?",
        type=Path,
        default=DEFAULT_CATALOGUE,
        help="REQUIREMENTS.md or its folder (default: ../shared/ beside the repo)",
    )
    parser.add_argument(
        "--missing", action="store_true", help="list the must/should ids no test cites"
    )
    parser.add_argument(
        "--min",
        type=float,
        metavar="PERCENT",
        help="exit 1 when the must+should share cited is below PERCENT",
    )
    args = parser.parse_args(argv)

    catalogue = args.catalogue
    if catalogue.is_dir():
        catalogue = catalogue / "REQUIREMENTS.md"
    if not catalogue.is_file():
        print(f"requirements coverage: {catalogue} not found", file=sys.stderr)
        return 2
    requirements, problems = parse_catalogue(catalogue)
    for problem in problems:
        print(f"requirements coverage: {catalogue.name} {problem}", file=sys.stderr)
    if not requirements:
        print(f"requirements coverage: no requirement in {catalogue}", file=sys.stderr)
        return 2

    files = test_files(ROOT)
    cited = {}
    for path in files:
        for rid in cited_ids(path.read_text(encoding="utf-8", errors="replace")):
            cited.setdefault(rid, []).append(path)
    unknown = sorted(set(cited) - set(requirements))

    by_priority = {}
    for rid, requirement in requirements.items():
        by_priority.setdefault(requirement["priority"], []).append(rid)
    not_built = sorted(by_priority.get("—", []))

    print(
        f"{catalogue.name}: {len(requirements)} requirements "
        + ", ".join(f"{p} {len(by_priority.get(p, []))}" for p in PRIORITIES)
        + f"; {len(files)} test files scanned"
    )
    if not_built:
        print(
            "not to be built by the catalogue itself (priority —), left out: "
            f"{len(not_built)} ({', '.join(not_built)})"
        )

    def line(name, ids):
        done = sum(1 for rid in ids if rid in cited)
        share = 100.0 * done / len(ids) if ids else 100.0
        print(f"  {name:<12} {done:>4} / {len(ids):<4} {share:5.1f}%")
        return share

    for priority, name in PRIORITIES.items():
        line(f"{priority} ({name})", by_priority.get(priority, []))
    counted = [rid for p in COUNTED for rid in by_priority.get(p, [])]
    share = line("M+S", counted)
    if unknown:
        print(f"cited ids not in the catalogue: {', '.join(unknown)}")

    if args.missing:
        missing = sorted(rid for rid in counted if rid not in cited)
        print(f"uncited must/should requirements: {len(missing)}")
        for rid in missing:
            requirement = requirements[rid]
            text = requirement["text"]
            if len(text) > 150:
                text = text[:149] + "…"
            priority, section = requirement["priority"], requirement["section"]
            print(f"  {rid} {priority} {section:<6} {text}")

    if args.min is not None and share < args.min:
        print(
            f"requirements coverage: M+S {share:.1f}% is below {args.min:g}%",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
