"""Measure R7RS conformance: run a public R7RS test file form by form under schemy and under
GNU Guile (when installed) with tools/r7rs_conformance.scm, and print each one's figure and
failures grouped by section.

The suite is fetched at measurement time and never committed, e.g. chibi-scheme's:

    curl -o /tmp/r7rs-tests.scm \\
      https://raw.githubusercontent.com/ashinn/chibi-scheme/master/tests/r7rs-tests.scm
    .venv/bin/python tools/r7rs_conformance.py /tmp/r7rs-tests.scm [-v]

Both implementations are scored against the larger count of expected tests, since a reader that
misreads the file loses tests without counting them.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

DRIVER = Path(__file__).resolve().parent / "r7rs_conformance.scm"
ROOT = DRIVER.parent.parent


def run(command: list[str]) -> tuple[int, int, list[str]]:
    """(passed, expected, failure lines) of one implementation's run of the driver."""
    proc = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=ROOT)
    lines = proc.stdout.splitlines()
    total = [line for line in lines if line.startswith("TOTAL ")]
    if not total:
        raise SystemExit(f"{command[0]} did not finish the suite:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    _, passed, expected, *_ = total[-1].split()
    return int(passed), int(expected), [line for line in lines if line.startswith(("FAIL", "ERROR"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suite", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every failure")
    args = parser.parse_args()
    suite = str(args.suite.resolve())
    results = {"schemy": run([sys.executable, "-m", "schemy.cli.main", "run", str(DRIVER), suite])}
    if shutil.which("guile"):
        results["guile"] = run(["guile", "--no-auto-compile", str(DRIVER), suite])
    denominator = max(expected for _, expected, _ in results.values())
    for name, (passed, expected, failures) in results.items():
        print(f"{name}: {passed}/{denominator} = {100 * passed / denominator:.1f}% "
              f"({expected} tests read)")
        sections = Counter(re.match(r"\w+ \[([^]]*)\]", line)[1] for line in failures)  # type: ignore[index]
        for section, n in sections.most_common():
            print(f"  {n:4d} failing in {section}")
        if args.verbose:
            for line in failures:
                print("    " + line[:200])


if __name__ == "__main__":
    main()
