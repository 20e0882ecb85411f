"""Which fields of Guix's records (tests/data/guix-record-fields.json, derived by
tools/derive_record_fields.py) schemy's records of the same constructor name in the same
module lack.  Shared by tests/test_record_fields_complete.py and the measuring script."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from schemy.lang.datum import Symbol
from schemy.runtime.records import RecordType

DATA = Path(__file__).resolve().parent / "data" / "guix-record-fields.json"
STDLIB = Path(__file__).resolve().parent.parent / "stdlib"


def guix_records() -> dict[str, dict[str, Any]]:
    """Guix's records by module name ("gnu services desktop") and constructor name."""
    return json.loads(DATA.read_text())["records"]


def schemy_module_exists(module: str) -> bool:
    return (STDLIB / (module.replace(" ", "/") + ".scm")).is_file()


def star_types(module: Any) -> list[RecordType]:
    """The ``define-record-type*`` (and so ``define-configuration``) record types MODULE defines."""
    return [cell.value for cell in list(module.table.values())
            if isinstance(getattr(cell, "value", None), RecordType) and "star" in cell.value.properties]


def schemy_type(interp: Any, module: str, ctor: str, type_name: str) -> RecordType | None:
    """The record type schemy's MODULE offers as CTOR (see schemy_fields), or None."""
    mod = interp.resolve_module(interp.eval_string(f"'({module})", "record-fields.scm"))
    binding = mod.lookup(Symbol(ctor))
    if binding is None:
        return None
    home = mod if mod.table.get(Symbol(ctor)) is binding else next(
        (m for m in list(interp.modules.values()) if m.table.get(Symbol(ctor)) is binding), mod)
    for rtd in star_types(home):
        if rtd.properties["star"].ctor_name in (ctor, "%" + ctor) or rtd.name == type_name:
            return rtd
    return None


def schemy_fields(interp: Any, module: str, ctor: str, type_name: str) -> list[str] | None:
    """The field names of the record schemy's MODULE offers as CTOR (defined there or imported
    and re-exported; the constructor may be a wrapper macro over ``%CTOR``, as Guix's
    ``operating-system``), or None when MODULE has no such record."""
    rtd = schemy_type(interp, module, ctor, type_name)
    return None if rtd is None else [f.name for f in rtd.fields]


Gaps = dict[tuple[str, str], list[str]]


def missing_fields(interp: Any, allow: dict[tuple[str, str], set[str]] | None = None) -> tuple[int, Gaps]:
    """(number of records compared, {(module, constructor): [missing field ...]})."""
    allow = allow or {}
    compared = 0
    gaps: dict[tuple[str, str], list[str]] = {}
    for module, records in guix_records().items():
        if not schemy_module_exists(module):
            continue
        for ctor, facts in records.items():
            ours = schemy_fields(interp, module, ctor, facts["type"])
            if ours is None:
                continue
            compared += 1
            lacking = [f for f in facts["fields"]
                       if f not in ours and f not in allow.get((module, ctor), set())]
            if lacking:
                gaps[(module, ctor)] = lacking
    return compared, gaps


def different_defaults(interp: Any, module: str) -> dict[str, dict[str, tuple[str, str]]]:
    """{constructor: {field: (Guix's literal default, schemy's)}} for MODULE's records whose
    field schemy defaults to another value (written as Scheme text)."""
    from schemy.lang.datum import make_list
    from schemy.lang.errors import SchemeError
    from schemy.lang.printer import write_string
    from schemy.runtime.control import apply

    out: dict[str, dict[str, tuple[str, str]]] = {}
    for ctor, facts in guix_records()[module].items():
        rtd = schemy_type(interp, module, ctor, facts["type"])
        if rtd is None:
            continue
        names = [f.name for f in rtd.fields]
        for field, text in facts["defaults"].items():
            default = rtd.properties["star"].defaults.get(names.index(field)) if field in names else None
            if default is None:
                continue
            try:
                ours = write_string(apply(default, make_list([False])))
            except SchemeError:
                ours = "(computed from the record)"
            if ours != write_string(interp.eval_string(text, "guix-default.scm")):
                out.setdefault(ctor, {})[field] = (text, ours)
    return out
