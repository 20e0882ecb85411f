"""File ports (open-file, call-with-output-file, with-output-to-file...) and pipes (ice-9 popen).
"""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import is_string, to_str
from schemy.lang.errors import scheme_error, string_arg, wrong_type
from schemy.runtime.parameters import parameterized
from schemy.runtime.ports.port import (
    CHUNK,
    CURRENT_ERROR,
    CURRENT_INPUT,
    CURRENT_OUTPUT,
    Port,
    open_file_port,
    os_error,
    port_arg,
)
from schemy.runtime.ports.procedures import flush_all_ports

# ----------------------------------------------------------------- file ports


def _ignore_keywords(origin: str, rest: tuple) -> dict[str, Any]:
    """Guile's ``#:binary``/``#:encoding``/``#:guess-encoding`` options."""
    from schemy.lang.datum import Keyword

    opts: dict[str, Any] = {}
    i = 0
    while i < len(rest):
        k = rest[i]
        if not isinstance(k, Keyword) or i + 1 >= len(rest):
            raise scheme_error(f"Wrong number of arguments to {origin}", kind="wrong-number-of-args")
        opts[k.name] = rest[i + 1]
        i += 2
    return opts


def _apply_opts(p: Port, opts: dict[str, Any]) -> Port:
    if opts.get("binary", False) is not False:
        p.binary = True
        p.encoding = "ISO-8859-1"
    enc = opts.get("encoding", False)
    if enc is not False and is_string(enc):
        p.encoding = to_str(enc)
    return p


def open_file(path: Any, mode: Any, *rest: Any) -> Port:
    return _apply_opts(open_file_port(path, mode), _ignore_keywords("open-file", rest))


def open_input_file(path: Any, *rest: Any) -> Port:
    opts = _ignore_keywords("open-input-file", rest)
    return _apply_opts(open_file_port(path, "r", "open-input-file"), opts)


def open_output_file(path: Any, *rest: Any) -> Port:
    opts = _ignore_keywords("open-output-file", rest)
    return _apply_opts(open_file_port(path, "w", "open-output-file"), opts)


def open_binary_input_file(path: Any) -> Port:
    return _apply_opts(open_file_port(path, "rb", "open-binary-input-file"), {"binary": True})


def open_binary_output_file(path: Any) -> Port:
    return _apply_opts(open_file_port(path, "wb", "open-binary-output-file"), {"binary": True})


def call_with_input_file(path: Any, proc: Any, *rest: Any) -> Any:
    p = open_input_file(path, *rest)
    try:
        return proc(p)
    finally:
        p.close()


def call_with_output_file(path: Any, proc: Any, *rest: Any) -> Any:
    p = open_output_file(path, *rest)
    try:
        return proc(p)
    finally:
        p.close()


def with_input_from_file(path: Any, thunk: Any, *rest: Any) -> Any:
    p = open_input_file(path, *rest)
    try:
        with parameterized([(CURRENT_INPUT, p)]):
            return thunk()
    finally:
        p.close()


def with_output_to_file(path: Any, thunk: Any, *rest: Any) -> Any:
    p = open_output_file(path, *rest)
    try:
        with parameterized([(CURRENT_OUTPUT, p)]):
            return thunk()
    finally:
        p.close()


def with_error_to_file(path: Any, thunk: Any, *rest: Any) -> Any:
    p = open_output_file(path, *rest)
    try:
        with parameterized([(CURRENT_ERROR, p)]):
            return thunk()
    finally:
        p.close()


def call_with_port(port: Any, proc: Any) -> Any:
    p = port_arg(port, "call-with-port")
    result = proc(p)
    p.close()
    return result


# ----------------------------------------------------------------- pipes (ice-9 popen)


def _popen(origin: str, mode: Any, argv: list[str]) -> Port:
    m = string_arg(mode, origin, 1)
    reading = m in ("r", "r+")
    writing = m in ("w", "r+")
    if not (reading or writing):
        from schemy.lang.printer import write_string

        raise scheme_error(f"Value out of range: {write_string(m)}", kind="out-of-range", origin=origin)
    flush_all_ports()
    try:
        import subprocess

        proc = subprocess.Popen(argv, stdin=subprocess.PIPE if writing else None,
                                stdout=subprocess.PIPE if reading else None)
    except OSError as e:
        raise os_error(origin, e) from None
    p = Port("pipe", input=reading, output=writing)
    p.process = proc
    if reading:
        out = proc.stdout
        assert out is not None
        p._read_raw = lambda: out.read1(CHUNK) if hasattr(out, "read1") else out.read(CHUNK)
        p._incremental = True
        p.fileno_getter = out.fileno
    if writing:
        inp = proc.stdin
        assert inp is not None
        p.sink = lambda s: inp.write(s.encode("utf-8", errors="replace"))
        p.bsink = inp.write
        p.flusher = inp.flush

    def closer() -> None:
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass

    p.closer = closer
    return p


def open_pipe_star(mode: Any, prog: Any, *args: Any) -> Port:
    argv = [string_arg(prog, "open-pipe*", 2)] + [string_arg(a, "open-pipe*", i + 3) for i, a in enumerate(args)]
    return _popen("open-pipe*", mode, argv)


def open_pipe(command: Any, mode: Any) -> Port:
    return _popen("open-pipe", mode, ["/bin/sh", "-c", string_arg(command, "open-pipe", 1)])


def open_input_pipe(command: Any) -> Port:
    return open_pipe(command, "r")


def open_output_pipe(command: Any) -> Port:
    return open_pipe(command, "w")


def close_pipe(port: Any) -> Any:
    """Close a pipe port and wait for its process; the raw wait status, as Guile returns."""
    p = port_arg(port, "close-pipe")
    if p.process is None:
        raise wrong_type("close-pipe", 1, port, "pipe")
    p.close()
    rc = p.process.wait()
    return rc << 8 if rc >= 0 else -rc
