"""A system's two graphs as data: the service extension graph and the shepherd service graph.

``system view`` draws them in a web page; each node carries what a reader wants when they
click it (where the service type is defined, its description, its configuration's fields).
"""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import NIL, Symbol, list_to_python, to_str
from schemy.runtime.records import Record, record_ref
from schemy.system.build import configuration_fields


def _type_name(t: Any) -> str:
    n = record_ref(t, Symbol("name"))
    return n.name if isinstance(n, Symbol) else to_str(n)


def _text(value: Any) -> str:
    if value is False or value is None:
        return ""
    try:
        return to_str(value)
    except (TypeError, ValueError):
        return str(value)


def graph_model(all_services: list, values: dict[str, Any]) -> dict[str, Any]:
    """``{"services": [...], "shepherd": [...]}``: nodes with their edges and details."""
    services: dict[str, dict[str, Any]] = {}
    for s in all_services:
        t = record_ref(s, Symbol("type"))
        name = _type_name(t)
        node = services.get(name)
        if node is None:
            loc = record_ref(t, Symbol("location"))
            node = services[name] = {
                "id": name, "location": str(loc) if loc not in (False, None) else None,
                "description": " ".join(_text(record_ref(t, Symbol("description"))).split()),
                "edges": [], "instances": []}
            for ext in list_to_python(record_ref(t, Symbol("extensions"))):
                target = _type_name(ext.values[0])
                if target not in node["edges"]:
                    node["edges"].append(target)
        loc = record_ref(s, Symbol("location"))
        value = record_ref(s, Symbol("value"))
        node["instances"].append({"location": str(loc) if loc not in (False, None) else None,
                                  "fields": configuration_fields(value) if isinstance(value, Record) else None})
    shepherd = []
    provided: dict[str, str] = {}
    specs = list_to_python(values.get("shepherd-root", NIL))
    for svc in specs:
        provision = [p.name for p in list_to_python(record_ref(svc, Symbol("provision")))]
        provided.update({p: provision[0] for p in provision})
    for svc in specs:
        provision = [p.name for p in list_to_python(record_ref(svc, Symbol("provision")))]
        requirement = [r.name for r in list_to_python(record_ref(svc, Symbol("requirement")))]
        shepherd.append({"id": provision[0], "provision": provision, "requirement": requirement,
                         "edges": [provided.get(r, r) for r in requirement],
                         "documentation": " ".join(_text(record_ref(svc, Symbol("documentation"))).split()),
                         "auto_start": record_ref(svc, Symbol("auto-start?")) is not False})
    known = {n["id"] for n in shepherd}
    for node in list(shepherd):
        for target in node["edges"]:
            if target not in known:  # required but provided by nothing in this system
                known.add(target)
                shepherd.append({"id": target, "provision": [target], "requirement": [], "edges": [],
                                 "documentation": "Required, but no service of this system provides it.",
                                 "auto_start": False, "missing": True})
    return {"services": list(services.values()), "shepherd": shepherd}
