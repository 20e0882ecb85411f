"""SRFI-35 conditions and Guile's (ice-9 exceptions): condition types, compound conditions."""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import Symbol, list_to_python, make_list, to_str
from schemy.lang.errors import Condition, SchemeError, scheme_error, wrong_type


class ConditionType:
    __slots__ = ("name", "parent", "fields")

    def __init__(self, name: str, parent: ConditionType | None, fields: list[Symbol]) -> None:
        self.name = name
        self.parent = parent
        self.fields = fields

    def all_fields(self) -> list[Symbol]:
        return (self.parent.all_fields() if self.parent else []) + self.fields

    def is_a(self, other: ConditionType) -> bool:
        t: ConditionType | None = self
        while t is not None:
            if t is other:
                return True
            t = t.parent
        return False

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<condition-type {self.name}>"


CONDITION = ConditionType("&condition", None, [])
MESSAGE = ConditionType("&message", CONDITION, [Symbol("message")])
SERIOUS = ConditionType("&serious", CONDITION, [])
ERROR = ConditionType("&error", SERIOUS, [])
IRRITANTS = ConditionType("&irritants", CONDITION, [Symbol("irritants")])
ORIGIN = ConditionType("&origin", CONDITION, [Symbol("origin")])
EXTERNAL_ERROR = ConditionType("&external-error", ERROR, [])
ASSERTION = ConditionType("&assertion-failure", ERROR, [])


class CompoundCondition:
    """A SRFI-35 condition: one value per field of each component type."""

    __slots__ = ("components",)

    def __init__(self, components: list[tuple[ConditionType, dict]]) -> None:
        self.components = components

    def __scheme_repr__(self, write: bool) -> str:
        names = " ".join(t.name for t, _ in self.components)
        return f"#<condition {names}>"


def _components(c: Any) -> list[tuple[ConditionType, dict]]:
    if isinstance(c, CompoundCondition):
        return c.components
    if isinstance(c, Condition):  # errors raised by `error` and primitives
        comps = [(ERROR, {}), (MESSAGE, {Symbol("message"): c.message}),
                 (IRRITANTS, {Symbol("irritants"): make_list(c.irritants)})]
        if c.origin:
            comps.append((ORIGIN, {Symbol("origin"): Symbol(c.origin)}))
        return comps
    return []


def make_condition_type(name: Any, parent: Any, fields: Any) -> ConditionType:
    if not isinstance(parent, ConditionType):
        raise wrong_type("make-condition-type", 2, parent, "condition-type")
    return ConditionType(name.name if isinstance(name, Symbol) else to_str(name), parent, list_to_python(fields))


def make_condition(ctype: ConditionType, *field_values: Any) -> CompoundCondition:
    values = {field_values[i]: field_values[i + 1] for i in range(0, len(field_values), 2)}
    missing = [f for f in ctype.all_fields() if f not in values]
    if missing:
        raise scheme_error(f"make-condition: missing field {missing[0].name} of {ctype.name}")
    return CompoundCondition([(ctype, values)])


def make_compound_condition(*conds: Any) -> CompoundCondition:
    comps: list = []
    for c in conds:
        comps += _components(c)
    return CompoundCondition(comps)


def is_condition(x: Any) -> bool:
    return isinstance(x, (CompoundCondition, Condition))


def condition_has_type(c: Any, ctype: ConditionType) -> bool:
    return any(t.is_a(ctype) for t, _ in _components(c))


def condition_ref(c: Any, field: Symbol) -> Any:
    for _t, values in _components(c):
        if field in values:
            return values[field]
    raise scheme_error(f"condition-ref: no field {field.name}", c)


def extract_condition(c: Any, ctype: ConditionType) -> CompoundCondition:
    for t, values in _components(c):
        if t.is_a(ctype):
            return CompoundCondition([(t, values)])
    raise scheme_error(f"extract-condition: no component of type {ctype.name}")


def condition_predicate(ctype: ConditionType) -> Any:
    return lambda c: condition_has_type(c, ctype)


def condition_accessor(ctype: ConditionType, field: Symbol) -> Any:
    return lambda c: condition_ref(c, field)


# Guile's (ice-9 exceptions) names for the same objects.
def make_exception_with_message(message: Any) -> CompoundCondition:
    return CompoundCondition([(MESSAGE, {Symbol("message"): message})])


def make_exception_with_irritants(irritants: Any) -> CompoundCondition:
    return CompoundCondition([(IRRITANTS, {Symbol("irritants"): irritants})])


def make_exception_with_origin(origin: Any) -> CompoundCondition:
    return CompoundCondition([(ORIGIN, {Symbol("origin"): origin})])


def exception_message(c: Any) -> Any:
    return condition_ref(c, Symbol("message"))


def exception_irritants(c: Any) -> Any:
    return condition_ref(c, Symbol("irritants"))


def exception_origin(c: Any) -> Any:
    return condition_ref(c, Symbol("origin"))


def _raise_with_message(obj: Any) -> Any:
    raise SchemeError(obj)


PRIMITIVES: dict[str, Any] = {
    "make-condition-type": make_condition_type, "condition-type?": lambda x: isinstance(x, ConditionType),
    "make-condition": make_condition, "make-compound-condition": make_compound_condition,
    "condition?": is_condition, "condition-has-type?": condition_has_type, "condition-ref": condition_ref,
    "extract-condition": extract_condition,
    "&condition": CONDITION, "&message": MESSAGE, "&serious": SERIOUS, "&error": ERROR,
    "&irritants": IRRITANTS, "&origin": ORIGIN, "&external-error": EXTERNAL_ERROR,
    "&assertion-failure": ASSERTION,
    "message-condition?": condition_predicate(MESSAGE), "condition-message": exception_message,
    "serious-condition?": condition_predicate(SERIOUS), "error?": condition_predicate(ERROR),
    "exception?": is_condition, "make-exception": make_compound_condition,
    "make-exception-type": make_condition_type, "exception-type?": lambda x: isinstance(x, ConditionType),
    "make-exception-with-message": make_exception_with_message,
    "exception-with-message?": condition_predicate(MESSAGE), "exception-message": exception_message,
    "make-exception-with-irritants": make_exception_with_irritants,
    "exception-with-irritants?": condition_predicate(IRRITANTS), "exception-irritants": exception_irritants,
    "make-exception-with-origin": make_exception_with_origin,
    "exception-with-origin?": condition_predicate(ORIGIN), "exception-origin": exception_origin,
    "make-error": lambda: CompoundCondition([(ERROR, {})]),
    "make-external-error": lambda: CompoundCondition([(EXTERNAL_ERROR, {})]),
    "external-error?": condition_predicate(EXTERNAL_ERROR),
    "exception-predicate": condition_predicate, "exception-accessor": condition_accessor,
}
