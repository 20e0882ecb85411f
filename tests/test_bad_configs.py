"""The corpus of broken configurations: each one fails with a located, Guile-style error.

Every ``tests/bad/*.scm`` is built with ``schemy -L tests/bad/modules system build FILE``;
it must exit with code 1, print no Python traceback, and the first line of its error
output must be the one recorded in ``tests/bad/expected.txt``:

    NAME.scm<TAB>LINE:COL: error: MESSAGE

(the first stderr line with the config's own file name removed; an error located in
another user file, such as a module under tests/bad/modules, keeps that file's path
relative to tests/bad).  A line ``# TODO NAME.scm<TAB>REASON`` (a configuration whose error
is not right yet) makes the suite fail: no configuration is skipped.

To regenerate after a deliberate change: ``python tests/test_bad_configs.py > tests/bad/expected.txt``
(this keeps the TODO lines), then read every line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from schemy.cli.main import main

BAD = Path(__file__).parent / "bad"
EXPECTED = BAD / "expected.txt"
CONFIGS = sorted(p.name for p in BAD.glob("*.scm"))


def _expected() -> tuple[dict[str, str], dict[str, str]]:
    expected: dict[str, str] = {}
    todo: dict[str, str] = {}
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if line.startswith("# TODO "):
            name, _, reason = line[len("# TODO "):].partition("\t")
            todo[name] = reason
            continue
        name, sep, message = line.partition("\t")
        assert sep, f"malformed line in expected.txt: {line!r}"
        expected[name] = message
    return expected, todo


def build_error(name: str, root: Path) -> tuple[int, str, str]:
    """(exit code, first stderr line relative to tests/bad, whole output) of building tests/bad/NAME."""
    config = BAD / name
    result = CliRunner().invoke(main, ["-L", str(BAD / "modules"), "system", "build", str(config),
                                       "--root", str(root)])
    stderr = result.stderr
    first = stderr.splitlines()[0] if stderr.strip() else ""
    if first.startswith(f"{config}:"):
        first = first[len(f"{config}:"):]
    first = first.replace(f"{BAD}/", "")  # also in "(at FILE:LINE:COL)" inside messages
    output = result.output + stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        output += "Traceback (in-process):\n" + "".join(traceback.format_exception(result.exception))
    return result.exit_code, first, output


def test_every_config_has_an_expected_line():
    expected, todo = _expected()
    listed = set(expected) | set(todo)
    assert sorted(set(CONFIGS) - listed) == [], "configs missing from expected.txt"
    assert sorted(listed - set(CONFIGS)) == [], "expected.txt names configs that do not exist"


def test_most_configs_are_checked_exactly():
    expected, todo = _expected()
    assert len(expected) >= 60
    assert todo == {}, "every configuration's error must be right: no TODO lines"


@pytest.mark.parametrize("name", CONFIGS)
def test_bad_config_fails_with_located_error(name, tmp_path):
    expected, todo = _expected()
    assert name not in todo, f"{name}: {todo.get(name)}"
    code, first, output = build_error(name, tmp_path / "root")
    assert "Traceback" not in output, output
    assert code == 1, output
    assert "/stdlib/" not in first, f"error located in the library, not the user's file: {first}"
    assert first == expected[name], output
    # nothing was realized for a broken configuration
    assert not (tmp_path / "root" / "current-system").exists()


if __name__ == "__main__":  # regenerate expected.txt (keeping the TODO lines)
    import tempfile

    _, todo = _expected() if EXPECTED.exists() else ({}, {})
    for config in CONFIGS:
        if config in todo:
            print(f"# TODO {config}\t{todo[config]}")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            _, line, _ = build_error(config, Path(tmp) / "root")
        print(f"{config}\t{line}")
    sys.exit(0)
