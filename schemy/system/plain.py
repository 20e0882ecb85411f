"""Plain data classes for the build's records (``Generation``, ``BuiltSystem``...) without the
``dataclasses`` module, whose import (it pulls in ``inspect``, ``ast``, ``dis``, ``tokenize``,
``copy``) is ~5-7 ms of every warm ``schemy system build``.

A subclass lists its fields as annotations, in order, with optional defaults (a value, or
``Factory(f)`` for a fresh ``f()`` per instance); it gets what ``@dataclass`` gave: an
``__init__`` taking the fields positionally or by name, field-wise ``==`` between instances
of the same class, no hash, and a ``repr`` naming the fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar


class Factory:
    """A default made afresh for each instance (``dataclasses.field(default_factory=...)``)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


_NO_DEFAULT = object()


class PlainRecord:
    """Base of the plain data classes (see the module's documentation)."""

    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = list(cls._fields)
        defaults = dict(cls._defaults)
        for name, hint in cls.__dict__.get("__annotations__", {}).items():
            if str(hint).startswith("ClassVar"):
                continue
            if name not in fields:
                fields.append(name)
            if name in cls.__dict__:
                defaults[name] = cls.__dict__[name]
                delattr(cls, name)
        cls._fields = tuple(fields)
        cls._defaults = defaults

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__}() takes {len(fields)} arguments, {len(args)} given")
        for name, value in zip(fields, args):
            setattr(self, name, value)
        for name in fields[len(args):]:
            value = kwargs.pop(name, _NO_DEFAULT)
            if value is _NO_DEFAULT:
                default = self._defaults.get(name, _NO_DEFAULT)
                if default is _NO_DEFAULT:
                    raise TypeError(f"{type(self).__name__}() is missing the argument {name!r}")
                value = default.make() if isinstance(default, Factory) else default
            setattr(self, name, value)
        if kwargs:
            raise TypeError(f"{type(self).__name__}() got unexpected arguments {sorted(kwargs)}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()  # type: ignore[attr-defined]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment] - mutable, compared by value: as a dataclass

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({shown})"
