"""``system check`` reports every missing module and unbound name of a config at once.

A real config often lacks several modules and names; stopping at the first one makes the
user fix them one run at a time.  While a ``CheckRecorder`` is installed on the interpreter,
the config file's own top-level forms run under it:

* importing a module nobody has records the module (at its name inside ``use-modules``) and
  imports nothing, so evaluation goes on;
* each top-level form is expanded, and the global references it makes to variables that are
  not bound are noted; a form that then fails is skipped (the names it would have defined
  are remembered, so uses of them are not reported again as if they were separate mistakes)
  and the next form runs.

At the end ``report`` gives the missing modules, the unbound names of the forms that failed
(each at its first reference), and the other errors of failed forms.  Unbound names that
only sit in procedures that never ran are warnings, as in Guile's compiler.  Only forms of
the config file itself are treated so: a library module that fails is schemy's own error
and stops as before.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from schemy.lang import core
from schemy.lang.datum import UNSPECIFIED, Pair, SourceLocation, Symbol
from schemy.lang.errors import Condition, SchemeError, cap
from schemy.lang.resources import STDLIB_DIR, removed_variables
from schemy.lang.syntax import strip
from schemy.runtime.modules import Cell, Module

_LIBRARY = os.path.realpath(STDLIB_DIR) + os.sep

DEFINING_HEADS = frozenset({"define", "define*", "define-public", "define-syntax", "define-record-type",
                            "define-record-type*", "define-configuration", "define-values"})


class CheckRecorder:
    """What one config file lacks: missing modules, unbound names, errors of failed forms."""

    def __init__(self, filename: str) -> None:
        self.filename = os.path.realpath(filename)
        self.config_name = filename
        self.missing: list[tuple[tuple[str, ...], SourceLocation | None]] = []
        self.placeholders: dict[tuple[str, ...], Module] = {}
        self.failed_refs: list[tuple[Cell, SourceLocation | None]] = []
        self.ok_refs: list[tuple[Cell, SourceLocation | None]] = []
        self.runtime_unbound: list[tuple[Cell, SourceLocation | None]] = []
        self.errors: list[SchemeError] = []
        self.skipped: set[str] = set()
        self.failed_forms = 0
        self._covered: dict[str, bool] = {}

    # ------------------------------------------------------------ which forms
    def covers(self, loc: SourceLocation | None) -> bool:
        """Is ``loc`` in the config file itself, or in a file of its own (its own modules,
        found with -L or add-to-load-path, and the files it loads)?  Everything but
        schemy's library is the user's."""
        if loc is None:
            return False
        name = loc.filename
        covered = self._covered.get(name)
        if covered is None:
            real = os.path.realpath(name)
            covered = self._covered[name] = real == self.filename or (
                not name.startswith("<") and not real.startswith(_LIBRARY) and os.path.isfile(real))
        return covered

    def covers_module(self, module: Module) -> bool:
        """Is ``module`` the config's own (for top-level forms without a location: a bare
        variable name)?"""
        return module.name[:1] == ("schemy-config",) or (module.filename is not None
                                                         and self.covers(SourceLocation(module.filename, 0, 0)))

    # ------------------------------------------------------------ missing modules
    def missing_module(self, name: tuple[str, ...], loc: SourceLocation | None) -> Module:
        """Record a missing module imported by the config; an empty module stands for it."""
        if not any(n == name for n, _ in self.missing):
            self.missing.append((name, module_name_location(loc, name)))
        m = self.placeholders.get(name)
        if m is None:
            m = self.placeholders[name] = Module(name)
        return m

    # ------------------------------------------------------------ forms
    def run_form(self, interp: Any, form: Any, expand: Any, run: Any) -> Any:
        """Expand ``form`` with ``expand()``, run the node with ``run(node)``; a form that
        fails is recorded and skipped."""
        try:
            node = expand()
        except SchemeError as e:
            self._failed(e, [], _defined_names(form))
            return UNSPECIFIED
        refs = unbound_refs(node)
        try:
            value = run(node)
        except Exception as e:  # noqa: BLE001 - Python errors of Scheme code are Scheme errors
            from schemy.compile.pyerrors import locate, translate

            err = translate(e)
            if err.loc is None or not err.backtrace:
                locate(err, e.__traceback__)
            self._failed(err, refs, _defined_names(form) | _node_defines(node))
            return UNSPECIFIED
        self.ok_refs += refs
        return value

    def _failed(self, err: SchemeError, refs: list, defines: set[str]) -> None:
        self.failed_forms += 1
        self.failed_refs += refs
        self.skipped |= defines
        cond = err.condition
        if isinstance(cond, Condition) and cond.kind == "unbound-variable":
            name = cond.fields.get("name")
            if name is not None:
                if name.name in self.skipped - defines:
                    return  # a consequence of an earlier failed form
                cell = next((c for c, _ in refs if c.name is name), None)
                if cell is not None or self.covers(err.loc):
                    self.runtime_unbound.append((cell or Cell(name), err.loc))
                    return
        if self.missing and _mentions_placeholder(err, self.placeholders):
            return
        self.errors.append(err)

    def note(self, err: SchemeError) -> None:
        """An error the evaluation can go on after (a ``local-file`` that does not exist):
        reported with the others, and nothing is skipped."""
        self.errors.append(err)

    # ------------------------------------------------------------ the report
    def has_errors(self) -> bool:
        return bool(self.missing or self.failed_forms or self.errors)

    def report(self, interp: Any) -> list[str]:
        """The problems, as ``FILE:LINE:COL: error: ...`` texts (with ``hint:`` lines)."""
        out: list[tuple[tuple, str]] = []
        _key = _file_key(self.config_name)
        for name, loc in self.missing:
            text = f"{_where(loc)}error: no code for module ({' '.join(name)})"
            out.append((_key(loc), text + f"\nhint: {missing_module_hint(interp, name)}"))
        seen: set[str] = set()
        unbound = [(c, loc) for c, loc in self.runtime_unbound] + \
                  [(c, loc) for c, loc in self.failed_refs if not c.bound]
        for cell, loc in unbound:
            name = cell.name.name
            if name in seen or name in self.skipped:
                continue
            seen.add(name)
            loc = locate_token(loc, name)
            text = f"{_where(loc)}error: {name}: unbound variable"
            hint = unbound_hint(interp, cell, [n for n, _ in self.missing])
            out.append((_key(loc), text + (f"\nhint: {hint}" if hint else "")))
        for err in self.errors:
            from schemy.lang.errors import render_error

            interp.add_hints(err)
            out.append((_key(err.loc), render_error(err)))
        warned: set[str] = set()
        for cell, loc in self.ok_refs:
            name = cell.name.name
            if cell.bound or name in seen or name in warned or name in self.skipped:
                continue
            warned.add(name)
            out.append((_key(loc), f"{_where(locate_token(loc, name))}warning: possibly unbound variable "
                                   f"'{name}' (in a procedure the configuration never called)"))
        out.sort(key=lambda x: x[0])
        return [text for _, text in out]


def _where(loc: SourceLocation | None) -> str:
    return f"{loc}: " if loc is not None else ""


def _file_key(config: str) -> Any:
    """The order of problems: the config file's first, then those of its own modules, file
    by file, each by line and column."""

    def key(loc: SourceLocation | None) -> tuple:
        if loc is None:
            return (0, "", 0, 0)
        return (0 if loc.filename == config else 1, loc.filename, loc.line, loc.column)

    return key


def _mentions_placeholder(err: SchemeError, placeholders: dict) -> bool:
    text = err.message()
    return any(f"({' '.join(n)})" in text for n in placeholders)


def _defined_names(form: Any) -> set[str]:
    """The names a top-level ``(define NAME ...)``-like form defines (by its text)."""
    form = strip(form)
    if form.__class__ is not Pair or not isinstance(form.car, Symbol) or form.car.name not in DEFINING_HEADS:
        return set()
    target = form.cdr.car if form.cdr.__class__ is Pair else None
    while target.__class__ is Pair:  # (define (f x) ...), curried defines
        target = target.car
    return {target.name} if isinstance(target, Symbol) else set()


def _node_defines(node: core.Node) -> set[str]:
    """Names defined at the top of an expanded form (through ``begin``s)."""
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if n.__class__ is core.GSet and n.define:
            out.add(n.cell.name.name)
        elif n.__class__ is core.Seq:
            stack.extend(n.nodes)
    return out


def _is_unbound_ref(n: Any) -> bool:
    return n.__class__ is core.GRef and isinstance(n.cell, Cell) and not n.cell.bound


def unbound_refs(node: core.Node) -> list[tuple[Cell, SourceLocation | None]]:
    """Global references in ``node`` to variables that are not bound (yet), in source order."""
    out: list[tuple[Cell, SourceLocation | None]] = []
    stack: list[Any] = [node]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if isinstance(n, (list, tuple)):
            stack.extend(reversed(n))
            continue
        if not isinstance(n, core.Node) or id(n) in seen:
            continue
        seen.add(id(n))
        if n.__class__ is core.GRef:
            if isinstance(n.cell, Cell) and not n.cell.bound:
                out.append((n.cell, n.loc))
            continue
        if n.__class__ is core.Call and _is_unbound_ref(n.fn):
            # (unknown-record (field value) ...): the fields of a record constructor that is
            # missing read as calls; only the constructor is the mistake.
            for arg in n.args:
                if arg.__class__ is core.Call and _is_unbound_ref(arg.fn):
                    seen.add(id(arg.fn))
        children = []
        for cls in type(n).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                if slot != "loc":
                    children.append(getattr(n, slot, None))
        if hasattr(n, "__dict__"):
            children += [v for k, v in vars(n).items() if k != "loc"]
        stack.extend(reversed(children))
    return out


# ---------------------------------------------------------------- precise locations


@lru_cache(maxsize=64)
def _lines(filename: str) -> tuple[str, ...]:
    try:
        return tuple(Path(filename).read_text(encoding="utf-8").split("\n"))
    except OSError:
        return ()


def locate_token(loc: SourceLocation | None, word: str) -> SourceLocation | None:
    """The position of ``word`` (as a whole token) at or after ``loc`` within the form that
    starts there: symbols carry no location of their own, their enclosing list does."""
    pattern = re.compile(r"(?<![^\s()\[\]'`,])" + re.escape(word) + r"(?![^\s()\[\]])")
    return locate_pattern(loc, pattern) or loc


def module_name_location(loc: SourceLocation | None, name: tuple[str, ...]) -> SourceLocation | None:
    """Where module ``name`` is written inside the form at ``loc`` (``use-modules``,
    ``define-module``...): at ``(a b c)``, or at the short name of ``use-service-modules``."""
    spec = r"\(\s*" + r"\s+".join(re.escape(p) for p in name) + r"(?=[\s)])"
    return locate_pattern(loc, re.compile(spec)) or locate_token(loc, name[-1])


def locate_pattern(loc: SourceLocation | None, pattern: re.Pattern) -> SourceLocation | None:
    """Where ``pattern`` first matches at or after ``loc`` within the form that starts there."""
    if loc is None:
        return None
    lines = _lines(loc.filename)
    if not 0 < loc.line <= len(lines):
        return None
    depth = 0
    for i in range(loc.line - 1, min(len(lines), loc.line + 200)):
        text = lines[i]
        start = loc.column if i == loc.line - 1 else 0
        code = text.split(";", 1)[0] if ";" in text and '"' not in text else text
        m = pattern.search(code, start)
        # Only inside the form that starts at loc.
        segment = code[start:m.start()] if m else code[start:]
        for ch in segment:
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
        if m:
            return SourceLocation(loc.filename, i + 1, m.start())
        if depth <= 0 and segment.strip():
            return None
    return None


# ---------------------------------------------------------------- hints


def _find_data(interp: Any, rel: str) -> Path | None:
    for d in interp.load_path:
        p = Path(d) / rel
        if p.is_file():
            return p
    return None


@lru_cache(maxsize=4)
def _guile_modules(path: str) -> frozenset[str]:
    """The modules GNU Guile installs (stdlib/guile-modules.txt, tools/derive_guile_modules.sh)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()
    return frozenset(line for line in lines if line and not line.startswith("#"))


@lru_cache(maxsize=4)
def _channel_data(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def channel_modules(interp: Any) -> dict[str, Any]:
    """The derived list of Guix's and nonguix's modules and the names they export
    (stdlib/gnu/channel-modules.json, tools/derive_channel_modules.py)."""
    p = _find_data(interp, "gnu/channel-modules.json")
    return _channel_data(str(p)) if p is not None else {"modules": {}}


def _channel_of(interp: Any, name: tuple[str, ...]) -> str | None:
    entry = channel_modules(interp)["modules"].get(" ".join(name))
    return entry[0] if entry else None


def _channel_label(channel: str) -> str:
    return "Guix" if channel == "guix" else "the nonguix channel"


def missing_module_hint(interp: Any, name: tuple[str, ...]) -> str:
    channel = _channel_of(interp, name)
    shown = f"({' '.join(name)})"
    if channel is not None:
        extra = (" (add nonguix to your channels; in schemy it is built in)" if channel == "nonguix" else "")
        return f"{_channel_label(channel)} has {shown}, but schemy does not implement it yet{extra}"
    removed_file = _find_data(interp, "gnu/packages/removed-modules.json")
    removed = _channel_data(str(removed_file))["modules"].get(" ".join(name)) if removed_file else None
    if removed is not None:  # (tools/derive_removed_modules.py, from Guix's history)
        return f"Guix removed {shown} in {removed['removed']}; none of its packages is in Guix now"
    if " ".join(name) in _guile_modules(str(_find_data(interp, "guile-modules.txt"))):
        return (f"{shown} is a module of GNU Guile 3.0, which schemy does not implement yet "
                "(it is not your own: -L does not help)")
    known = channel_modules(interp)["modules"]
    import difflib

    text = " ".join(name)
    close = [m for m in known if m.startswith(text + "-")][:3] or \
        difflib.get_close_matches(text, list(known), n=1, cutoff=0.9)
    also = f"; similar: {', '.join(f'({m})' for m in close)}" if close else ""
    rel = "/".join(name) + ".scm"
    return (f"neither Guix nor nonguix has {shown}: if it is a module of your own, pass its "
            f"directory with -L (the one that holds {rel}; for another channel's, a checkout of "
            f"that channel){also}")


def removed_variable_hint(interp: Any, name: str) -> str | None:
    """What Guix's history says of a name no module defines any more: when it was removed
    (and deprecated) and what replaces it (stdlib/gnu/removed-variables.json, from
    tools/derive_removed_variables.py)."""
    removed = removed_variables()
    facts = removed.get(name)
    if facts is None:
        return None
    where = f" (of ({facts['module']}))" if facts.get("module") else ""
    since = f", deprecated since {facts['deprecated']}" if facts.get("deprecated") else ""
    who = "nonguix" if facts.get("channel") == "nonguix" else "Guix"
    text = f"{who} removed {name}{where} in {facts['removed']}{since}"
    replacement = facts.get("replacement")
    names = channel_modules(interp).get("names", {})
    if replacement and replacement in names:
        return f"{text}; use {replacement} instead (in ({names[replacement][0]}))"
    if replacement:
        later = removed.get(replacement)
        gone = f", itself removed in {later['removed']}" if later else ""
        return f"{text}; it was replaced by {replacement}{gone}"
    return text


def unbound_hint(interp: Any, cell: Cell, missing: list[tuple[str, ...]]) -> str | None:
    """Where the name is: a module of schemy's library to import, or Guix's/nonguix's module
    that has it (missing or not), or the names it is probably a misspelling of."""
    return unbound_name_hint(interp, cell.name, cell.module, missing)


def unbound_name_hint(interp: Any, name: Symbol, module: Any, missing: list[tuple[str, ...]]) -> str:
    """``unbound_hint`` for ``name`` looked up in ``module``."""
    data = channel_modules(interp)
    owners = data.get("names", {}).get(name.name, [])
    owner_modules = [tuple(m.split(" ")) for m in owners]
    for m in owner_modules:
        if m in missing:
            return f"it comes from ({' '.join(m)}), which is missing (above)"
    from schemy.eval.library_index import hint_for

    hint = hint_for(interp, name, module)
    if hint and hint.startswith("Did you forget"):
        return hint
    if not owner_modules:
        removed = removed_variable_hint(interp, name.name)
        if removed:
            return removed
    if owner_modules:
        m = owner_modules[0]
        ch = _channel_of(interp, m) or "guix"
        return cap(f"{_channel_label(ch)} has {name.name} in ({' '.join(m)}), but schemy does not yet")
    if hint:
        return hint
    return "neither Guix nor nonguix defines it"
