"""The Port object, its constructors (string, bytevector, file, standard ports) and the current ports.

A ``Port`` is one object whatever it wraps.  Its input side is a decoded text
buffer (``_text`` from offset ``_pos``) in front of a byte buffer (``_bbuf``)
in front of the source (a function returning the next chunk of text or of
bytes), so textual and binary reads can be mixed on one port the way Guile
allows.  Its output side is a ``sink`` function taking text.

The standard ports look ``sys.stdin``/``sys.stdout``/``sys.stderr`` up on
every use (pytest and ``contextlib.redirect_stdout`` replace them).  The
current ports are SRFI-39 parameters: the Scheme procedures
``current-output-port`` etc. *are* ``CURRENT_OUTPUT`` etc., so
``parameterize`` works on them.

The argument checkers (``check_output`` etc.) are shared by the procedure modules.
"""

from __future__ import annotations

import atexit
import codecs
import functools
import os
import re
import sys
import weakref
from collections.abc import Callable
from typing import Any

from schemy.lang.datum import Char, Symbol, is_string, make_list, to_str
from schemy.lang.errors import Condition, SchemeError, scheme_error, wrong_type
from schemy.runtime.parameters import Parameter

# Consumed text is dropped past this size (but a file read with `read` keeps all its text).
_DISCARD_AT = 1 << 16
CHUNK = 1 << 16


def _advance(text: str, line: int, col: int) -> tuple[int, int]:
    """Line and column after ``text``; tabs move to the next multiple of 8, as in Guile."""
    nl = text.rfind("\n")
    if nl >= 0:
        line += text.count("\n")
        col = 0
        text = text[nl + 1:]
    if "\t" in text:
        for ch in text:
            col = (col // 8 + 1) * 8 if ch == "\t" else col + 1
        return line, col
    return line, col + len(text)


def os_error(origin: str, exc: OSError, path: Any = None) -> SchemeError:
    """The ``system-error`` Guile raises for a failed OS call (``path`` shown for open-file/stat)."""
    errno = exc.errno or 0
    msg = os.strerror(errno) if errno else (exc.strerror or str(exc))
    from schemy.lang.printer import write_string

    if path is not None:
        message, fmt, fargs = f"{msg}: {write_string(path)}", "~A: ~S", [msg, path]
    else:
        message, fmt, fargs = msg, "~A", [msg]
    return SchemeError(Condition("system-error", message, origin=origin, fields={
        "errno": errno, "key": Symbol("system-error"),
        "args": [origin, fmt, make_list(fargs), make_list([errno])]}))


class Port:
    """A Guile port.  Build with the ``make_*`` functions below, not directly."""

    def __init__(self, kind: str, *, input: bool = False, output: bool = False, binary: bool = False,
                 filename: Any = False, encoding: str = "UTF-8") -> None:
        self.kind = kind  # "string", "bytevector", "file", "pipe", "std"
        self.input = input
        self.output = output
        self.binary = binary
        self.filename = filename
        self.encoding = encoding
        self.closed = False
        self.line = 0
        self.column = 0
        self.fd: int | None = None
        # input side
        self._text = ""
        self._pos = 0
        self._bbuf = bytearray()
        self._eof = False
        self._read_text: Callable[[], str] | None = None
        self._read_raw: Callable[[], bytes] | None = None
        self._decoder: Any = None
        self._incremental = False  # a line-at-a-time source: `read` asks for more only as needed
        self._keep_text = False  # set by `read` on files: keep all text so datum locations are right
        # output side
        self.sink: Callable[[str], None] | None = None
        self.bsink: Callable[[bytes], None] | None = None
        self.flusher: Callable[[], None] | None = None
        self.closer: Callable[[], None] | None = None
        self.chunks: list[str] | None = None  # string output ports
        self.bytes_out: bytearray | None = None  # bytevector output ports
        self.fileno_getter: Callable[[], int | None] | None = None
        self.process: Any = None  # pipes

    # ------------------------------------------------------------- printing

    def __scheme_repr__(self, write: bool) -> str:
        if self.closed:
            where = "file" if self.kind in ("file", "std", "pipe") else self.kind
            return f"#<closed: {where} {id(self):x}>"
        direction = "input-output" if self.input and self.output else "input" if self.input else "output"
        if self.kind == "std":
            return f"#<{direction}: file {self.fd}>"
        if self.kind == "file":
            return f"#<{direction}: {self.filename} {self.fd}>"
        return f"#<{direction}: {self.kind} {id(self):x}>"

    def __repr__(self) -> str:
        return self.__scheme_repr__(True)

    # ------------------------------------------------------------- input: text

    def _dec(self) -> Any:
        if self._decoder is None:
            self._decoder = codecs.getincrementaldecoder(_py_encoding(self.encoding))(errors="replace")
        return self._decoder

    def _append(self, s: str) -> None:
        if self._pos > _DISCARD_AT and (self._incremental or not self._keep_text):
            self._text = self._text[self._pos:] + s
            self._pos = 0
        else:
            self._text += s

    def fill_text(self) -> bool:
        """Decode more text into the buffer; False at the end of the input."""
        while True:
            if self._bbuf:
                data = bytes(self._bbuf)
                self._bbuf.clear()
                s = self._dec().decode(data, final=False)
            elif self._eof:
                s = self._decoder.decode(b"", final=True) if self._decoder is not None else ""
                if s:
                    self._append(s)
                    return True
                return False
            elif self._read_text is not None:
                s = self._read_text()
                if not s:
                    self._eof = True
                    continue
            elif self._read_raw is not None:
                data = self._read_raw()
                if not data:
                    self._eof = True
                    continue
                s = self._dec().decode(data, final=False)
            else:
                self._eof = True
                continue
            if s:
                self._append(s)
                return True

    def fill_all(self) -> None:
        while self.fill_text():
            pass

    def available(self) -> int:
        return len(self._text) - self._pos

    def consume(self, n: int) -> str:
        """Take ``n`` buffered characters, updating line and column."""
        pos = self._pos
        s = self._text[pos:pos + n]
        self._pos = pos + len(s)
        if s == "\n":
            self.line += 1
            self.column = 0
        elif len(s) == 1 and s != "\t":
            self.column += 1
        else:
            self.line, self.column = _advance(s, self.line, self.column)
        return s

    def read_char(self) -> str | None:
        if self._pos >= len(self._text) and not self.fill_text():
            return None
        return self.consume(1)

    def peek_char(self) -> str | None:
        if self._pos >= len(self._text) and not self.fill_text():
            return None
        return self._text[self._pos]

    def find(self, pattern: re.Pattern[str] | str) -> int:
        """Offset (from the read position) of the first delimiter, or -1 at the end of input."""
        start = self._pos
        while True:
            if isinstance(pattern, str):
                i = self._text.find(pattern, start)
            else:
                m = pattern.search(self._text, start)
                i = m.start() if m else -1
            if i >= 0:
                return i - self._pos
            start = len(self._text)
            old_pos = self._pos
            if not self.fill_text():
                return -1
            # fill_text may have dropped consumed text
            start -= old_pos - self._pos

    def read_n(self, n: int) -> str:
        while self.available() < n and self.fill_text():
            pass
        return self.consume(min(n, self.available()))

    def read_all(self) -> str:
        self.fill_all()
        return self.consume(self.available())

    def unread(self, s: str) -> None:
        self._text = s + self._text[self._pos:]
        self._pos = 0
        # Guile moves the column back; lines are not tracked backwards
        self.column = max(0, self.column - len(s))

    # ------------------------------------------------------------- input: bytes

    def _text_to_bytes(self) -> None:
        rest = self._text[self._pos:]
        pending = self._decoder.getstate()[0] if self._decoder is not None else b""
        if rest or pending:
            self._bbuf[0:0] = rest.encode(_py_encoding(self.encoding), errors="replace") + pending
            self._text = self._text[:self._pos]
            if self._decoder is not None:
                self._decoder.reset()

    def fill_bytes(self, n: int) -> bool:
        """Make ``n`` bytes available in ``_bbuf`` if the input has them."""
        self._text_to_bytes()
        while len(self._bbuf) < n and not self._eof:
            if self._read_raw is not None:
                data = self._read_raw()
            elif self._read_text is not None:
                data = self._read_text().encode(_py_encoding(self.encoding), errors="replace")
            else:
                data = b""
            if not data:
                self._eof = True
                break
            self._bbuf += data
        return len(self._bbuf) >= n

    def take_bytes(self, n: int) -> bytes:
        self.fill_bytes(n)
        data = bytes(self._bbuf[:n])
        del self._bbuf[:n]
        self.column += len(data)
        return data

    # ------------------------------------------------------------- output

    def put(self, s: str) -> None:
        if not s:
            return
        self.sink(s)  # type: ignore[misc]
        if len(s) == 1 and s != "\t":
            if s == "\n":
                self.line += 1
                self.column = 0
            else:
                self.column += 1
        else:
            self.line, self.column = _advance(s, self.line, self.column)

    def put_bytes(self, b: bytes) -> None:
        if self.bsink is not None:
            self.bsink(b)
        else:
            self.sink(b.decode(_py_encoding(self.encoding), errors="replace"))  # type: ignore[misc]
        self.column += len(b)

    def flush(self) -> None:
        if self.flusher is not None and not self.closed:
            self.flusher()

    def close(self) -> bool:
        if self.closed:
            return False
        try:
            self.flush()
        finally:
            self.closed = True
            if self.closer is not None:
                self.closer()
        return True

    def fileno(self) -> int | None:
        if self.fileno_getter is not None:
            try:
                return self.fileno_getter()
            except (OSError, ValueError, AttributeError):
                return None
        return self.fd


@functools.lru_cache(maxsize=64)
def _py_encoding(name: str) -> str:
    """Python's name of an encoding (memoized: file ports look it up for every write)."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


# ----------------------------------------------------------------- constructors


def make_input_string_port(text: str) -> Port:
    p = Port("string", input=True)
    p._text = text
    p._eof = True
    return p


def make_output_string_port() -> Port:
    p = Port("string", output=True)
    chunks: list[str] = []
    p.chunks = chunks
    p.sink = chunks.append
    return p


def string_port_text(p: Port) -> str:
    chunks = p.chunks
    assert chunks is not None
    if len(chunks) > 1:
        joined = "".join(chunks)
        chunks[:] = [joined]
        return joined
    return chunks[0] if chunks else ""


def make_bytevector_input_port(data: Any) -> Port:
    p = Port("bytevector", input=True, binary=True, encoding="ISO-8859-1")
    p._bbuf = bytearray(data)
    p._eof = True
    return p


def make_bytevector_output_port() -> Port:
    p = Port("bytevector", output=True, binary=True, encoding="ISO-8859-1")
    buf = bytearray()
    p.bytes_out = buf
    p.sink = lambda s: buf.extend(s.encode("latin-1", errors="replace"))
    p.bsink = buf.extend
    return p


OPEN_FILE_PORTS: weakref.WeakSet[Port] = weakref.WeakSet()


def _flush_all_files() -> None:
    for p in list(OPEN_FILE_PORTS):
        try:
            p.flush()
        except Exception:  # noqa: BLE001 - best effort at exit, as Guile does
            pass


atexit.register(_flush_all_files)


_MODE_RE = re.compile(r"^[rwa]\+?[b0le+]*$")


def open_file_port(path: Any, mode: Any = "r", origin: str = "open-file") -> Port:
    """Guile's ``open-file``: MODE is r, w or a, optionally with +, b, 0, l."""
    if not is_string(path):
        raise wrong_type(origin, 1, path, "string")
    if not is_string(mode):
        raise wrong_type(origin, 2, mode, "string")
    name, mode = to_str(path), to_str(mode)
    if not _MODE_RE.match(mode):
        from schemy.lang.printer import write_string

        raise scheme_error(f"Value out of range: {write_string(mode)}", kind="out-of-range",
                           origin="open-file")
    plus = "+" in mode
    base = mode[0]
    flags = {"r": os.O_RDONLY, "w": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
             "a": os.O_WRONLY | os.O_CREAT | os.O_APPEND}[base]
    if plus:
        flags = (flags & ~os.O_WRONLY & ~os.O_RDONLY) | os.O_RDWR
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(name, flags, 0o666)
        if base == "r" and not plus and os.path.isdir(name):
            os.close(fd)
            raise IsADirectoryError(21, os.strerror(21))
    except OSError as e:
        raise os_error("open-file", e, path) from None
    reading = base == "r" or plus
    writing = base != "r" or plus
    raw = os.fdopen(fd, "r+b" if plus else ("rb" if base == "r" else "ab" if base == "a" else "wb"),
                    buffering=0 if "0" in mode else -1)
    binary = "b" in mode
    p = Port("file", input=reading, output=writing, binary=binary, filename=name,
             encoding="ISO-8859-1" if binary else "UTF-8")
    p.fd = fd
    if reading:
        # read1: one system call, so FIFOs and devices deliver what they have
        read_some = getattr(raw, "read1", raw.read)
        p._read_raw = lambda: read_some(CHUNK) or b""
    closer = raw.close
    if writing and not plus and "0" not in mode:
        # Text is kept as str pieces and encoded in batches: one `encode` and one `write` per
        # ~1000 `write-char`s rather than per character.  Every way out (flush, bytes, close,
        # and the exit-time flush of OPEN_FILE_PORTS) writes the pending text first.
        line_buffered = "l" in mode
        pending: list[str] = []

        def drain() -> None:
            if pending:
                raw.write("".join(pending).encode(_py_encoding(p.encoding), errors="replace"))
                pending.clear()

        def sink(s: str) -> None:
            pending.append(s)
            if len(pending) >= 1024:
                drain()
            if line_buffered and "\n" in s:
                drain()
                raw.flush()

        def bsink(b: bytes) -> None:
            drain()
            raw.write(b)

        def flusher() -> None:
            drain()
            raw.flush()

        def closer() -> None:
            try:
                drain()
            finally:
                raw.close()

        p.sink = sink
        p.bsink = bsink
        p.flusher = flusher
        OPEN_FILE_PORTS.add(p)
    elif writing:
        line_buffered = "l" in mode

        def sink(s: str) -> None:
            raw.write(s.encode(_py_encoding(p.encoding), errors="replace"))
            if line_buffered and "\n" in s:
                raw.flush()

        p.sink = sink
        p.bsink = raw.write
        p.flusher = raw.flush
        OPEN_FILE_PORTS.add(p)
    p.closer = closer
    p.fileno_getter = raw.fileno
    return p


def make_std_port(getter: Callable[[], Any], fd: int, output: bool) -> Port:
    p = Port("std", input=not output, output=output)
    p.fd = fd
    p.fileno_getter = lambda: getter().fileno()
    if output:
        if fd == 2:
            def sink(s: str) -> None:
                out = sys.stdout
                if out is not None:
                    try:
                        out.flush()
                    except (OSError, ValueError):
                        pass
                err = getter()
                if err is not None:
                    err.write(s)
        else:
            def sink(s: str) -> None:
                stream = getter()
                if stream is not None:
                    stream.write(s)

        def bsink(b: bytes) -> None:
            stream = getter()
            if stream is None:
                return
            buf = getattr(stream, "buffer", None)
            if buf is not None:
                stream.flush()
                buf.write(b)
                buf.flush()
            else:
                stream.write(b.decode("utf-8", errors="replace"))

        def flusher() -> None:
            stream = getter()
            if stream is not None:
                stream.flush()

        p.sink = sink
        p.bsink = bsink
        p.flusher = flusher
    else:
        def read_text() -> str:
            stream = getter()
            if stream is None:
                return ""
            # Everything written so far should be visible before we block on input.
            for out in (sys.stdout, sys.stderr):
                try:
                    if out is not None:
                        out.flush()
                except (OSError, ValueError):
                    pass
            return stream.readline()

        p._read_text = read_text
        p._incremental = True
    return p


STDIN_PORT = make_std_port(lambda: sys.stdin, 0, False)
STDOUT_PORT = make_std_port(lambda: sys.stdout, 1, True)
STDERR_PORT = make_std_port(lambda: sys.stderr, 2, True)


def _check_output_port(p: Any) -> Port:
    if not isinstance(p, Port) or not p.output:
        raise wrong_type("current-output-port", 1, p, "open output port")
    return p


def _check_input_port(p: Any) -> Port:
    if not isinstance(p, Port) or not p.input:
        raise wrong_type("current-input-port", 1, p, "open input port")
    return p


CURRENT_OUTPUT = Parameter(STDOUT_PORT, _check_output_port, "current-output-port")
CURRENT_ERROR = Parameter(STDERR_PORT, _check_output_port, "current-error-port")
CURRENT_INPUT = Parameter(STDIN_PORT, _check_input_port, "current-input-port")
CURRENT_WARNING = Parameter(STDERR_PORT, _check_output_port, "current-warning-port")


# ----------------------------------------------------------------- Python helpers


def current_output() -> Port:
    return CURRENT_OUTPUT.value


def current_error() -> Port:
    return CURRENT_ERROR.value


def current_input() -> Port:
    return CURRENT_INPUT.value


def write_to_port(port: Any, text: str) -> None:
    """Write ``text`` to ``port`` (``None``: the current output port)."""
    p = out_port(port, "write-string", 2)
    p.put(text)


def call_with_output_string_py(fn: Callable[[Port], Any]) -> str:
    """Call ``fn`` with a fresh string port; return what it wrote."""
    p = make_output_string_port()
    fn(p)
    return string_port_text(p)


def out_port(port: Any, origin: str, pos: int) -> Port:
    if port is None:
        port = CURRENT_OUTPUT.value
    if port.__class__ is not Port or not port.output or port.closed:
        raise wrong_type(origin, pos, port)
    return port


def in_port(port: Any, origin: str, pos: int = 1) -> Port:
    if port is None:
        port = CURRENT_INPUT.value
    if port.__class__ is not Port or not port.input or port.closed:
        raise wrong_type(origin, pos, port, "open input port")
    return port


def port_arg(port: Any, origin: str, pos: int = 1) -> Port:
    if port.__class__ is not Port:
        raise wrong_type(origin, pos, port, "port")
    return port


def char_arg(x: Any, origin: str, pos: int) -> str:
    if x.__class__ is not Char:
        raise wrong_type(origin, pos, x, "character")
    return x.ch


def index_arg(x: Any, origin: str, pos: int) -> int:
    if x.__class__ is not int or x < 0:
        raise wrong_type(origin, pos, x, "exact nonnegative integer")
    return x


def bytes_arg(x: Any, origin: str, pos: int) -> bytearray | bytes:
    if not isinstance(x, (bytearray, bytes)):
        raise wrong_type(origin, pos, x, "bytevector")
    return x


def range_args(origin: str, length: int, start: Any, end: Any, pos: int) -> tuple[int, int]:
    s = 0 if start is None else index_arg(start, origin, pos)
    e = length if end is None else index_arg(end, origin, pos + 1)
    if s > length:
        raise scheme_error(f"Value out of range: {s}", kind="out-of-range", origin=origin)
    if e > length or e < s:
        raise scheme_error(f"Value out of range: {e}", kind="out-of-range", origin=origin)
    return s, e
