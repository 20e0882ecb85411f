"""Running a step of the system's life in the root's view (``schemy.shepherd.namespace``):
activation sees what the root's services see (its /etc, /run, /var/lib...)."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from schemy.lang.errors import SchemeError, scheme_error


def run_in_view(root: Path, thunk: Callable[[], None], keep: Iterable[str | Path] = ()) -> None:
    """Call ``thunk`` in a fresh view of ``root`` (in which the directories of ``keep``, e.g. the
    interpreter's load path, stay visible): in this thread as root, else in a forked child."""
    if os.geteuid() == 0:
        with in_view(root, keep):
            thunk()
    else:
        in_forked_view(root, thunk, keep)


def uses_view(root: Path | None) -> bool:
    """Whether the services of ``root`` get the root's own view (not for the host's own root)."""
    return root is not None and Path(root).resolve() != Path("/")


@contextlib.contextmanager
def in_view(root: Path, keep: Iterable[str | Path] = ()) -> Any:
    """The calling thread in a transient view of ``root`` (root only)."""
    from schemy.shepherd import namespace

    try:
        cm = namespace.transient_view(root, keep)
        cm.__enter__()
    except namespace.ViewError as e:
        raise scheme_error(f"cannot make the view activation runs in: {e}") from None
    try:
        yield
    finally:
        cm.__exit__(None, None, None)


def in_forked_view(root: Path, load: Callable[[], None], keep: Iterable[str | Path] = ()) -> None:
    """Run ``load`` in a forked child that makes the root's view first: a user that is not
    root gets a view through a user namespace, which only a single-threaded process may
    enter (the child of a fork has one thread).  The child's error comes back as the same
    message, location and hint."""
    from schemy.lang.datum import SourceLocation
    from schemy.shepherd import namespace

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        payload: dict[str, Any] = {}
        try:
            namespace.create_view(root, keep=keep)
            load()
        except SchemeError as e:
            if e.loc is None:
                from schemy.compile.pyerrors import locate

                locate(e, e.__traceback__)  # what run_protected would do, before the child exits
            loc = e.loc
            payload = {"message": e.message(), "hint": e.hint(),
                       "loc": [loc.filename, loc.line, loc.column] if loc is not None else None}
        except namespace.ViewError as e:
            payload = {"message": f"cannot make the view activation runs in: {e}"}
        except BaseException as e:  # noqa: BLE001 - reported to the parent, which reports it
            payload = {"message": f"{type(e).__name__}: {e}"}
        with contextlib.suppress(OSError):
            os.write(w, json.dumps(payload).encode())
        os._exit(0)
    os.close(w)
    chunks = []
    while data := os.read(r, 65536):
        chunks.append(data)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    try:
        payload = json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        payload = {}
    if not chunks or os.waitstatus_to_exitcode(status) != 0:
        payload = {"message": f"the activation process died ({os.waitstatus_to_exitcode(status)})"}
    if payload.get("message"):
        loc = payload.get("loc")
        raise scheme_error(payload["message"], hint=payload.get("hint"),
                           loc=SourceLocation(*loc) if loc else None)
