"""The catalogue's parsed index and package-name table are kept in schemy's cache
(schemy.guix.catalogue._derived): a later run reads them instead of parsing index.json."""

import json
import marshal
import os
import subprocess
import sys

from helpers import cold_then_warm

from schemy.guix import catalogue
from schemy.lang.printer import write_string

PROBE = """
import json, sys
from schemy.guix import catalogue
names = catalogue.names()
print(json.dumps([len(names), names.get("openssh"), catalogue._index().get(("gnu", "packages", "ssh"))[0],
                  sorted(e.var for e in catalogue.catalogue()[("gnu", "packages", "ssh")])]))
"""


def _probe(cache, extra=None):
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    env.pop("SCHEMY_NO_CACHE", None)
    env.update(extra or {})
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _entries(cache):
    return sorted((cache / "schemy" / "catalogue").glob("*.entry"))


def test_a_second_run_reads_the_catalogue_from_the_cache_with_the_same_answers(tmp_path):
    first = _probe(tmp_path)
    assert len(_entries(tmp_path)) == 1
    assert first[1] == [["gnu", "packages", "ssh"]]
    entry = _entries(tmp_path)[0]
    mtime = entry.stat().st_mtime_ns
    assert _probe(tmp_path) == first
    assert entry.stat().st_mtime_ns == mtime  # read, not written again


def test_the_cached_tables_are_the_ones_made_from_the_files(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with open(catalogue.INDEX_FILE, encoding="utf-8") as fh:
        modules = json.load(fh)["modules"]
    index = catalogue._Index({tuple(m.split()): marshal.dumps(tuple(v)) for m, v in modules.items()})
    mapping = catalogue._read_mapping(catalogue.MAPPING_FILE)
    made = catalogue._make_names(index, mapping)
    _probe(tmp_path)
    catalogue._DERIVED.clear()
    try:
        assert dict(catalogue.names().items()) == made
        cached = catalogue._mapping()
        assert isinstance(cached, catalogue._Index)  # read from the entry, not parsed
        assert sorted(cached) == sorted(mapping)
        for module, table in mapping.items():  # the programs lists come back as they were read
            assert {v: (m[0], write_string(m[1]), *m[2:]) for v, m in cached.get(module).items()} == \
                   {v: (m[0], write_string(m[1]), *m[2:]) for v, m in table.items()}
    finally:
        catalogue._DERIVED.clear()


def test_a_damaged_entry_is_ignored_and_rewritten(tmp_path):
    first = _probe(tmp_path)
    entry = _entries(tmp_path)[0]
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0xFF
    entry.write_bytes(bytes(data))
    assert _probe(tmp_path) == first
    assert entry.read_bytes() != bytes(data)


def test_schemy_no_cache_writes_no_catalogue_entry(tmp_path):
    _probe(tmp_path, extra={"SCHEMY_NO_CACHE": "1"})
    assert _entries(tmp_path) == []


def test_a_catalogue_modules_packages_are_made_when_first_read():
    """Importing a package module makes none of its ~50 packages; reading a variable makes
    that one, once (the same object every time), and a superseded package still points at
    the package replacing it."""
    from schemy.app import Interpreter
    from schemy.lang.datum import Symbol
    from schemy.lang.printer import write_string
    from schemy.runtime.modules import Cell, LazyCell

    interp = Interpreter()
    interp.eval_string("(use-modules (guix packages) (gnu packages admin))", "t.scm")
    module = interp.modules[("gnu", "packages", "admin")]
    cells = [b for b in module.table.values() if isinstance(b, LazyCell)]
    assert len(cells) > 20
    assert all(c in module.pending for c in cells)  # nothing made yet
    value = interp.eval_string("(list (package-name htop) (eq? htop htop))", "t.scm")
    assert write_string(value) == '("htop" #t)'
    htop = module.table[Symbol("htop")]
    assert htop not in module.pending and htop.bound
    assert type(htop) is Cell  # made: a plain cell from now on
    assert sum(c not in module.pending for c in cells) == 1


def test_a_catalogue_modules_procedures_file_is_replayed_and_its_dependents_stay_cached(tmp_path, monkeypatch):
    """stdlib/gnu/packages/procedures/linux.scm goes through the module cache, and a module
    importing (gnu packages linux) is still replayed on the next run (the catalogue module
    counts as made from schemy's data, not from that file)."""

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SCHEMY_NO_CACHE", raising=False)
    monkeypatch.delenv("SCHEMY_NO_MODULE_CACHE", raising=False)
    (tmp_path / "lib" / "k").mkdir(parents=True)
    (tmp_path / "lib" / "k" / "kern.scm").write_text(
        "(define-module (k kern) #:use-module (guix packages) #:use-module (gnu packages linux)"
        " #:export (my-kernel))\n"
        "(define my-kernel (customize-linux #:name \"my-linux\"))\n")
    runs = cold_then_warm([str(tmp_path / "lib")], "(use-modules (k kern) (guix packages)) (package-name my-kernel)")
    assert [v for v, _ in runs] == ['"my-linux"', '"my-linux"']
    counts = [c for _, c in runs]
    assert counts[0]["written"] >= 2
    assert counts[1]["miss"] == 0 and counts[1]["hit"] >= 2
