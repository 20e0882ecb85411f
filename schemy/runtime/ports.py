"""Guile-style ports: textual and binary input/output over strings, bytevectors, files and pipes.

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

Python helpers for other modules: ``write_to_port``, ``current_output`` and
``call_with_output_string_py``.
"""

from __future__ import annotations

import atexit
import codecs
import os
import re
import subprocess
import sys
import weakref
from collections.abc import Callable
from typing import Any

from schemy.lang.datum import EOF_OBJECT, NIL, UNSPECIFIED, Char, MString, Pair, Symbol, Values, make_list, to_str
from schemy.lang.errors import Condition, SchemeError, scheme_error, wrong_type
from schemy.runtime.parameters import Parameter, parameterized

# Consumed text is dropped past this size (but a file read with `read` keeps all its text).
_DISCARD_AT = 1 << 16
_CHUNK = 1 << 16


def _is_str(x: Any) -> bool:
    return x.__class__ is str or x.__class__ is MString


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


def _py_encoding(name: str) -> str:
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


_OPEN_FILE_PORTS: weakref.WeakSet[Port] = weakref.WeakSet()


def _flush_all_files() -> None:
    for p in list(_OPEN_FILE_PORTS):
        try:
            p.flush()
        except Exception:  # noqa: BLE001 - best effort at exit, as Guile does
            pass


atexit.register(_flush_all_files)


_MODE_RE = re.compile(r"^[rwa]\+?[b0le+]*$")


def open_file_port(path: Any, mode: Any = "r", origin: str = "open-file") -> Port:
    """Guile's ``open-file``: MODE is r, w or a, optionally with +, b, 0, l."""
    if not _is_str(path):
        raise wrong_type(origin, 1, path, "string")
    if not _is_str(mode):
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
        p._read_raw = lambda: read_some(_CHUNK) or b""
    if writing:
        line_buffered = "l" in mode

        def sink(s: str) -> None:
            raw.write(s.encode(_py_encoding(p.encoding), errors="replace"))
            if line_buffered and "\n" in s:
                raw.flush()

        p.sink = sink
        p.bsink = raw.write
        p.flusher = raw.flush
        _OPEN_FILE_PORTS.add(p)
    p.closer = raw.close
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
    p = _out(port, "write-string", 2)
    p.put(text)


def call_with_output_string_py(fn: Callable[[Port], Any]) -> str:
    """Call ``fn`` with a fresh string port; return what it wrote."""
    p = make_output_string_port()
    fn(p)
    return string_port_text(p)


def _out(port: Any, origin: str, pos: int) -> Port:
    if port is None:
        port = CURRENT_OUTPUT.value
    if port.__class__ is not Port or not port.output or port.closed:
        raise wrong_type(origin, pos, port)
    return port


def _in(port: Any, origin: str, pos: int = 1) -> Port:
    if port is None:
        port = CURRENT_INPUT.value
    if port.__class__ is not Port or not port.input or port.closed:
        raise wrong_type(origin, pos, port, "open input port")
    return port


def _port(port: Any, origin: str, pos: int = 1) -> Port:
    if port.__class__ is not Port:
        raise wrong_type(origin, pos, port, "port")
    return port


def _string(x: Any, origin: str, pos: int) -> str:
    if x.__class__ is str:
        return x
    if x.__class__ is MString:
        return str(x)
    raise wrong_type(origin, pos, x, "string")


def _char(x: Any, origin: str, pos: int) -> str:
    if x.__class__ is not Char:
        raise wrong_type(origin, pos, x, "character")
    return x.ch


def _index(x: Any, origin: str, pos: int) -> int:
    if x.__class__ is not int or x < 0:
        raise wrong_type(origin, pos, x, "exact nonnegative integer")
    return x


def _bytes(x: Any, origin: str, pos: int) -> bytearray | bytes:
    if not isinstance(x, (bytearray, bytes)):
        raise wrong_type(origin, pos, x, "bytevector")
    return x


def _range(origin: str, length: int, start: Any, end: Any, pos: int) -> tuple[int, int]:
    s = 0 if start is None else _index(start, origin, pos)
    e = length if end is None else _index(end, origin, pos + 1)
    if s > length:
        raise scheme_error(f"Value out of range: {s}", kind="out-of-range", origin=origin)
    if e > length or e < s:
        raise scheme_error(f"Value out of range: {e}", kind="out-of-range", origin=origin)
    return s, e


# ----------------------------------------------------------------- output procedures


def display(obj: Any, port: Any = None) -> Any:
    p = _out(port, "display", 2)
    if obj.__class__ is str:
        p.put(obj)
    else:
        from schemy.lang.printer import display_string

        p.put(display_string(obj))
    return UNSPECIFIED


def write(obj: Any, port: Any = None) -> Any:
    p = _out(port, "write", 2)
    from schemy.lang.printer import write_string

    p.put(write_string(obj))
    return UNSPECIFIED


def write_simple(obj: Any, port: Any = None) -> Any:
    p = _out(port, "write-simple", 2)
    from schemy.lang.printer import write_string

    p.put(write_string(obj))
    return UNSPECIFIED


def write_shared(obj: Any, port: Any = None) -> Any:
    p = _out(port, "write-shared", 2)
    from schemy.lang.printer import write_string

    p.put(write_string(obj))
    return UNSPECIFIED


def newline(port: Any = None) -> Any:
    _out(port, "newline", 1).put("\n")
    return UNSPECIFIED


def fresh_line(port: Any = None) -> Any:
    p = _out(port, "fresh-line", 1)
    if p.column != 0:
        p.put("\n")
    return UNSPECIFIED


def write_char(ch: Any, port: Any = None) -> Any:
    c = _char(ch, "write-char", 1)
    _out(port, "write-char", 2).put(c)
    return UNSPECIFIED


def write_string(s: Any, port: Any = None, start: Any = None, end: Any = None) -> Any:
    text = _string(s, "write-string", 1)
    p = _out(port, "write-string", 2)
    a, b = _range("write-string", len(text), start, end, 3)
    p.put(text[a:b] if (a, b) != (0, len(text)) else text)
    return UNSPECIFIED


def write_line(obj: Any, port: Any = None) -> Any:
    display(obj, port)
    newline(port)
    return UNSPECIFIED


def write_u8(byte: Any, port: Any = None) -> Any:
    if byte.__class__ is not int or not 0 <= byte <= 255:
        raise wrong_type("write-u8", 1, byte, "octet")
    _out(port, "write-u8", 2).put_bytes(bytes((byte,)))
    return UNSPECIFIED


def write_bytevector(bv: Any, port: Any = None, start: Any = None, end: Any = None) -> Any:
    data = _bytes(bv, "write-bytevector", 1)
    p = _out(port, "write-bytevector", 2)
    a, b = _range("write-bytevector", len(data), start, end, 3)
    p.put_bytes(bytes(data[a:b]))
    return UNSPECIFIED


def put_string(port: Any, s: Any, start: Any = None, count: Any = None) -> Any:
    text = _string(s, "put-string", 2)
    p = _out(port, "put-string", 1)
    a = 0 if start is None else _index(start, "put-string", 3)
    b = len(text) if count is None else a + _index(count, "put-string", 4)
    a, b = _range("put-string", len(text), a, b, 3)
    p.put(text[a:b])
    return UNSPECIFIED


def put_char(port: Any, ch: Any) -> Any:
    c = _char(ch, "put-char", 2)
    _out(port, "put-char", 1).put(c)
    return UNSPECIFIED


def put_u8(port: Any, byte: Any) -> Any:
    if byte.__class__ is not int or not 0 <= byte <= 255:
        raise wrong_type("put-u8", 2, byte, "octet")
    _out(port, "put-u8", 1).put_bytes(bytes((byte,)))
    return UNSPECIFIED


def put_bytevector(port: Any, bv: Any, start: Any = None, count: Any = None) -> Any:
    data = _bytes(bv, "put-bytevector", 2)
    p = _out(port, "put-bytevector", 1)
    a = 0 if start is None else _index(start, "put-bytevector", 3)
    b = len(data) if count is None else a + _index(count, "put-bytevector", 4)
    a, b = _range("put-bytevector", len(data), a, b, 3)
    p.put_bytes(bytes(data[a:b]))
    return UNSPECIFIED


def put_datum(port: Any, obj: Any) -> Any:
    return write(obj, port)


def flush_output(port: Any = None) -> Any:
    _out(port, "force-output", 1).flush()
    return UNSPECIFIED


def flush_all_ports() -> Any:
    for p in (STDOUT_PORT, STDERR_PORT, *list(_OPEN_FILE_PORTS)):
        try:
            p.flush()
        except (OSError, ValueError):
            pass
    return UNSPECIFIED


def pk(*args: Any) -> Any:
    """Guile's debugging ``pk``/``peek``: show the arguments, return the last."""
    from schemy.lang.printer import write_string

    p = CURRENT_OUTPUT.value
    p.put("\n;;; " + write_string(make_list(args)) + "\n")
    p.flush()
    if not args:
        raise wrong_type("car", 1, NIL, "pair")
    return args[-1]


# ----------------------------------------------------------------- input procedures


def read_char(port: Any = None) -> Any:
    p = _in(port, "read-char")
    ch = p.read_char()
    return EOF_OBJECT if ch is None else Char(ch)


def peek_char(port: Any = None) -> Any:
    p = _in(port, "peek-char")
    ch = p.peek_char()
    return EOF_OBJECT if ch is None else Char(ch)


def unread_char(ch: Any, port: Any = None) -> Any:
    c = _char(ch, "unread-char", 1)
    _in(port, "unread-char", 2).unread(c)
    return ch


def unread_string(s: Any, port: Any = None) -> Any:
    text = _string(s, "unread-string", 1)
    _in(port, "unread-string", 2).unread(text)
    return UNSPECIFIED


def char_ready(port: Any = None) -> bool:
    p = _in(port, "char-ready?")
    if p.available() > 0 or p._bbuf or p._eof:
        return True
    if p.kind in ("std", "pipe"):
        fd = p.fileno()
        if fd is None:
            return True
        try:
            import select

            return bool(select.select([fd], [], [], 0)[0])
        except (OSError, ValueError):
            return True
    return True


_HANDLE_DELIMS = ("trim", "concat", "peek", "split")


def _handle_delim(x: Any, origin: str, pos: int) -> str:
    if x is None:
        return "trim"
    if isinstance(x, Symbol) and x.name in _HANDLE_DELIMS:
        return x.name
    raise wrong_type(origin, pos, x, "symbol trim, concat, peek or split")


def _read_until(p: Port, delims: Any, mode: str) -> Any:
    n = p.find(delims)
    if n < 0:
        if p.available() == 0:
            return Pair(EOF_OBJECT, EOF_OBJECT) if mode == "split" else EOF_OBJECT
        text = p.consume(p.available())
        return Pair(text, EOF_OBJECT) if mode == "split" else text
    text = p.consume(n)
    if mode == "peek":
        return text
    delim = p.consume(1)
    if mode == "concat":
        return text + delim
    if mode == "split":
        return Pair(text, Char(delim))
    return text


def read_line(port: Any = None, handle_delim: Any = None) -> Any:
    """(ice-9 rdelim) ``read-line``: the next line without its newline, or the EOF object."""
    mode = _handle_delim(handle_delim, "read-line", 2)
    p = _in(port, "read-line")
    return _read_until(p, "\n", mode)


def percent_read_line(port: Any = None) -> Any:
    p = _in(port, "%read-line")
    return _read_until(p, "\n", "split")


def _delims_pattern(delims: Any) -> re.Pattern[str]:
    if _is_str(delims):
        chars = to_str(delims)
    else:
        # a char-set object: anything iterable over Chars or one-character strings
        try:
            chars = "".join(c.ch if isinstance(c, Char) else str(c) for c in delims)
        except TypeError:
            raise wrong_type("read-delimited", 1, delims, "string") from None
    if not chars:
        return re.compile(r"(?!)")
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


def read_delimited(delims: Any, port: Any = None, handle_delim: Any = None) -> Any:
    mode = _handle_delim(handle_delim, "read-delimited", 3)
    p = _in(port, "read-delimited", 2)
    return _read_until(p, _delims_pattern(delims), mode)


def read_string(*args: Any) -> Any:
    """R7RS ``(read-string k [port])`` or (ice-9 rdelim) ``(read-string [port [count]])``."""
    if not args or args[0].__class__ is Port:
        port = args[0] if args else None
        count = args[1] if len(args) > 1 else None
        if len(args) > 2:
            raise scheme_error("Wrong number of arguments to read-string", kind="wrong-number-of-args")
        p = _in(port, "read-string")
        if count is None or count is False:
            return p.read_all()
        return p.read_n(_index(count, "read-string", 2))
    k = _index(args[0], "read-string", 1)
    if len(args) > 2:
        raise scheme_error("Wrong number of arguments to read-string", kind="wrong-number-of-args")
    p = _in(args[1] if len(args) > 1 else None, "read-string", 2)
    if k == 0:
        return ""
    s = p.read_n(k)
    return s if s else EOF_OBJECT


def get_char(port: Any) -> Any:
    return read_char(_in(port, "get-char"))


def lookahead_char(port: Any) -> Any:
    return peek_char(_in(port, "lookahead-char"))


def get_line(port: Any) -> Any:
    return _read_until(_in(port, "get-line"), "\n", "trim")


def get_string_all(port: Any) -> Any:
    """Everything left, "" at the end (Guile's behaviour, not R6RS's EOF)."""
    return _in(port, "get-string-all").read_all()


def get_string_n(port: Any, count: Any) -> Any:
    p = _in(port, "get-string-n")
    n = _index(count, "get-string-n", 2)
    if n == 0:
        return ""
    s = p.read_n(n)
    return s if s else EOF_OBJECT


def read(port: Any = None) -> Any:
    """Read one datum (with the reader) from the port's remaining text."""
    from schemy.lang.errors import ReadError
    from schemy.lang.reader import read_first, resume_after_error

    p = _in(port, "read")
    filename = p.filename if isinstance(p.filename, str) else "<string>"
    if not p._incremental:
        p._keep_text = True
        p.fill_all()
    while True:
        try:
            datum, end = read_first(p._text, filename, p._pos)
        except ReadError as e:
            if getattr(e, "incomplete", False) and not p._eof and p.fill_text():
                continue
            # Like Guile, leave the port after the bad text, so reading again moves on.
            offset = getattr(e, "offset", None)
            resume = len(p._text) if offset is None or getattr(e, "incomplete", False) \
                else resume_after_error(p._text, offset)
            p.consume(max(0, resume - p._pos))
            raise
        if (datum is EOF_OBJECT or end >= len(p._text)) and not p._eof and p.fill_text():
            continue
        break
    p.consume(max(0, end - p._pos))
    return datum


def get_datum(port: Any) -> Any:
    return read(_in(port, "get-datum"))


# -- binary input


def read_u8(port: Any = None) -> Any:
    p = _in(port, "read-u8")
    if not p.fill_bytes(1):
        return EOF_OBJECT
    b = p._bbuf[0]
    del p._bbuf[:1]
    p.column += 1
    return b


def peek_u8(port: Any = None) -> Any:
    p = _in(port, "peek-u8")
    if not p.fill_bytes(1):
        return EOF_OBJECT
    return p._bbuf[0]


def u8_ready(port: Any = None) -> bool:
    _in(port, "u8-ready?")
    return True


def read_bytevector(k: Any, port: Any = None) -> Any:
    n = _index(k, "read-bytevector", 1)
    p = _in(port, "read-bytevector", 2)
    if n == 0:
        return bytearray()
    data = p.take_bytes(n)
    return bytearray(data) if data else EOF_OBJECT


def read_bytevector_bang(bv: Any, port: Any = None, start: Any = None, end: Any = None) -> Any:
    if not isinstance(bv, bytearray):
        raise wrong_type("read-bytevector!", 1, bv, "bytevector")
    p = _in(port, "read-bytevector!", 2)
    a, b = _range("read-bytevector!", len(bv), start, end, 3)
    if a == b:
        return 0
    data = p.take_bytes(b - a)
    if not data:
        return EOF_OBJECT
    bv[a:a + len(data)] = data
    return len(data)


def get_u8(port: Any) -> Any:
    return read_u8(_in(port, "get-u8"))


def lookahead_u8(port: Any) -> Any:
    return peek_u8(_in(port, "lookahead-u8"))


def get_bytevector_n(port: Any, count: Any) -> Any:
    p = _in(port, "get-bytevector-n")
    n = _index(count, "get-bytevector-n", 2)
    if n == 0:
        return bytearray()
    data = p.take_bytes(n)
    return bytearray(data) if data else EOF_OBJECT


def get_bytevector_n_bang(port: Any, bv: Any, start: Any, count: Any) -> Any:
    if not isinstance(bv, bytearray):
        raise wrong_type("get-bytevector-n!", 2, bv, "bytevector")
    a = _index(start, "get-bytevector-n!", 3)
    n = _index(count, "get-bytevector-n!", 4)
    return read_bytevector_bang(bv, _in(port, "get-bytevector-n!"), a, a + n)


def get_bytevector_some(port: Any) -> Any:
    p = _in(port, "get-bytevector-some")
    if not p.fill_bytes(1):
        return EOF_OBJECT
    data = bytes(p._bbuf)
    p._bbuf.clear()
    p.column += len(data)
    return bytearray(data)


def get_bytevector_all(port: Any) -> Any:
    p = _in(port, "get-bytevector-all")
    while p.fill_bytes(len(p._bbuf) + _CHUNK):
        pass
    if not p._bbuf:
        return EOF_OBJECT
    data = bytes(p._bbuf)
    p._bbuf.clear()
    p.column += len(data)
    return bytearray(data)


# ----------------------------------------------------------------- eof


def eof_object() -> Any:
    return EOF_OBJECT


def is_eof_object(x: Any) -> bool:
    return x is EOF_OBJECT


# ----------------------------------------------------------------- string and bytevector ports


def open_input_string(s: Any) -> Port:
    return make_input_string_port(_string(s, "open-input-string", 1))


def open_output_string() -> Port:
    return make_output_string_port()


def get_output_string(port: Any) -> str:
    if port.__class__ is not Port or port.chunks is None or port.closed:
        raise wrong_type("get-output-string", 1, port, "open output string port")
    return string_port_text(port)


def call_with_output_string(proc: Any) -> str:
    p = make_output_string_port()
    proc(p)
    return string_port_text(p)


def call_with_input_string(s: Any, proc: Any) -> Any:
    return proc(open_input_string(s))


def with_output_to_string(thunk: Any) -> str:
    p = make_output_string_port()
    with parameterized([(CURRENT_OUTPUT, p)]):
        thunk()
    return string_port_text(p)


def with_error_to_string(thunk: Any) -> str:
    p = make_output_string_port()
    with parameterized([(CURRENT_ERROR, p)]):
        thunk()
    return string_port_text(p)


def with_input_from_string(s: Any, thunk: Any) -> Any:
    p = open_input_string(s)
    with parameterized([(CURRENT_INPUT, p)]):
        return thunk()


def with_output_to_port(port: Any, thunk: Any) -> Any:
    with parameterized([(CURRENT_OUTPUT, _out(port, "with-output-to-port", 1))]):
        return thunk()


def with_error_to_port(port: Any, thunk: Any) -> Any:
    with parameterized([(CURRENT_ERROR, _out(port, "with-error-to-port", 1))]):
        return thunk()


def with_input_from_port(port: Any, thunk: Any) -> Any:
    with parameterized([(CURRENT_INPUT, _in(port, "with-input-from-port"))]):
        return thunk()


def open_input_bytevector(bv: Any) -> Port:
    return make_bytevector_input_port(_bytes(bv, "open-input-bytevector", 1))


def open_output_bytevector() -> Port:
    return make_bytevector_output_port()


def get_output_bytevector(port: Any) -> bytearray:
    if port.__class__ is not Port or port.bytes_out is None or port.closed:
        raise wrong_type("get-output-bytevector", 1, port, "bytevector output port")
    return bytearray(port.bytes_out)


def open_bytevector_input_port(bv: Any, transcoder: Any = None) -> Port:
    return make_bytevector_input_port(_bytes(bv, "open-bytevector-input-port", 1))


def open_bytevector_output_port(transcoder: Any = None) -> Any:
    """R6RS: two values, the port and a procedure returning (and resetting) its contents."""
    p = make_bytevector_output_port()

    def extract() -> bytearray:
        buf = p.bytes_out
        assert buf is not None
        data = bytearray(buf)
        buf.clear()
        return data

    return Values((p, extract))


def call_with_bytevector_output_port(proc: Any, transcoder: Any = None) -> bytearray:
    p = make_bytevector_output_port()
    proc(p)
    return bytearray(p.bytes_out or b"")


def open_string_input_port(s: Any) -> Port:
    return make_input_string_port(_string(s, "open-string-input-port", 1))


def open_string_output_port() -> Any:
    p = make_output_string_port()

    def extract() -> str:
        text = string_port_text(p)
        assert p.chunks is not None
        p.chunks.clear()
        return text

    return Values((p, extract))


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
    if enc is not False and _is_str(enc):
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
    p = _port(port, "call-with-port")
    result = proc(p)
    p.close()
    return result


# ----------------------------------------------------------------- pipes (ice-9 popen)


def _popen(origin: str, mode: Any, argv: list[str]) -> Port:
    m = _string(mode, origin, 1)
    reading = m in ("r", "r+")
    writing = m in ("w", "r+")
    if not (reading or writing):
        from schemy.lang.printer import write_string

        raise scheme_error(f"Value out of range: {write_string(m)}", kind="out-of-range", origin=origin)
    flush_all_ports()
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE if writing else None,
                                stdout=subprocess.PIPE if reading else None)
    except OSError as e:
        raise os_error(origin, e) from None
    p = Port("pipe", input=reading, output=writing)
    p.process = proc
    if reading:
        out = proc.stdout
        assert out is not None
        p._read_raw = lambda: out.read1(_CHUNK) if hasattr(out, "read1") else out.read(_CHUNK)
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
    argv = [_string(prog, "open-pipe*", 2)] + [_string(a, "open-pipe*", i + 3) for i, a in enumerate(args)]
    return _popen("open-pipe*", mode, argv)


def open_pipe(command: Any, mode: Any) -> Port:
    return _popen("open-pipe", mode, ["/bin/sh", "-c", _string(command, "open-pipe", 1)])


def open_input_pipe(command: Any) -> Port:
    return open_pipe(command, "r")


def open_output_pipe(command: Any) -> Port:
    return open_pipe(command, "w")


def close_pipe(port: Any) -> Any:
    """Close a pipe port and wait for its process; the raw wait status, as Guile returns."""
    p = _port(port, "close-pipe")
    if p.process is None:
        raise wrong_type("close-pipe", 1, port, "pipe")
    p.close()
    rc = p.process.wait()
    return rc << 8 if rc >= 0 else -rc


# ----------------------------------------------------------------- port objects


def close_port(port: Any) -> bool:
    return _port(port, "close-port").close()


def close_input_port(port: Any) -> Any:
    p = _port(port, "close-input-port")
    if p.input:
        if p.output:
            p.input = False
        else:
            p.close()
    return UNSPECIFIED


def close_output_port(port: Any) -> Any:
    p = _port(port, "close-output-port")
    if p.output:
        if p.input:
            p.flush()
            p.output = False
        else:
            p.close()
    return UNSPECIFIED


def is_port(x: Any) -> bool:
    return x.__class__ is Port


def is_input_port(x: Any) -> bool:
    return x.__class__ is Port and x.input


def is_output_port(x: Any) -> bool:
    return x.__class__ is Port and x.output


def is_textual_port(x: Any) -> bool:
    return x.__class__ is Port


def is_binary_port(x: Any) -> bool:
    return x.__class__ is Port and x.binary


def is_port_closed(x: Any) -> bool:
    return _port(x, "port-closed?").closed


def is_input_port_open(x: Any) -> bool:
    p = _port(x, "input-port-open?")
    return p.input and not p.closed


def is_output_port_open(x: Any) -> bool:
    p = _port(x, "output-port-open?")
    return p.output and not p.closed


def port_filename(port: Any) -> Any:
    return _port(port, "port-filename").filename


def set_port_filename(port: Any, name: Any) -> Any:
    _port(port, "set-port-filename!").filename = name
    return UNSPECIFIED


def port_line(port: Any) -> int:
    return _port(port, "port-line").line


def port_column(port: Any) -> int:
    return _port(port, "port-column").column


def set_port_line(port: Any, line: Any) -> Any:
    _port(port, "set-port-line!").line = _index(line, "set-port-line!", 2)
    return UNSPECIFIED


def set_port_column(port: Any, col: Any) -> Any:
    _port(port, "set-port-column!").column = _index(col, "set-port-column!", 2)
    return UNSPECIFIED


def port_encoding(port: Any) -> str:
    return _port(port, "port-encoding").encoding


def set_port_encoding(port: Any, enc: Any) -> Any:
    p = _port(port, "set-port-encoding!")
    p.encoding = _string(enc, "set-port-encoding!", 2)
    p._decoder = None
    return UNSPECIFIED


def set_port_conversion_strategy(port: Any, strategy: Any) -> Any:
    return UNSPECIFIED


def setvbuf(port: Any, mode: Any, size: Any = None) -> Any:
    _port(port, "setvbuf")
    return UNSPECIFIED


def fileno(port: Any) -> int:
    p = _port(port, "fileno")
    fd = p.fileno()
    if fd is None:
        raise wrong_type("fileno", 1, port, "file port")
    return fd


def is_file_port(x: Any) -> bool:
    return x.__class__ is Port and x.kind in ("file", "std")


PRIMITIVES: dict[str, Any] = {
    # current ports (parameter objects)
    "current-output-port": CURRENT_OUTPUT,
    "current-error-port": CURRENT_ERROR,
    "current-input-port": CURRENT_INPUT,
    "current-warning-port": CURRENT_WARNING,
    # output
    "display": display,
    "write": write,
    "write-simple": write_simple,
    "write-shared": write_shared,
    "newline": newline,
    "fresh-line": fresh_line,
    "write-char": write_char,
    "write-string": write_string,
    "write-line": write_line,
    "write-u8": write_u8,
    "write-bytevector": write_bytevector,
    "put-string": put_string,
    "put-char": put_char,
    "put-u8": put_u8,
    "put-bytevector": put_bytevector,
    "put-datum": put_datum,
    "flush-output": flush_output,
    "flush-output-port": flush_output,
    "force-output": flush_output,
    "flush-all-ports": flush_all_ports,
    "pk": pk,
    "peek": pk,
    # textual input
    "read-char": read_char,
    "peek-char": peek_char,
    "unread-char": unread_char,
    "unread-string": unread_string,
    "char-ready?": char_ready,
    "read-line": read_line,
    "%read-line": percent_read_line,
    "read-delimited": read_delimited,
    "read-string": read_string,
    "read": read,
    "get-char": get_char,
    "lookahead-char": lookahead_char,
    "get-line": get_line,
    "get-string-all": get_string_all,
    "get-string-n": get_string_n,
    "get-datum": get_datum,
    # binary input
    "read-u8": read_u8,
    "peek-u8": peek_u8,
    "u8-ready?": u8_ready,
    "read-bytevector": read_bytevector,
    "read-bytevector!": read_bytevector_bang,
    "get-u8": get_u8,
    "lookahead-u8": lookahead_u8,
    "get-bytevector-n": get_bytevector_n,
    "get-bytevector-n!": get_bytevector_n_bang,
    "get-bytevector-some": get_bytevector_some,
    "get-bytevector-all": get_bytevector_all,
    # eof
    "eof-object": eof_object,
    "eof-object?": is_eof_object,
    # string / bytevector ports
    "open-input-string": open_input_string,
    "open-output-string": open_output_string,
    "get-output-string": get_output_string,
    "call-with-output-string": call_with_output_string,
    "call-with-input-string": call_with_input_string,
    "with-output-to-string": with_output_to_string,
    "with-error-to-string": with_error_to_string,
    "with-input-from-string": with_input_from_string,
    "with-output-to-port": with_output_to_port,
    "with-error-to-port": with_error_to_port,
    "with-input-from-port": with_input_from_port,
    "open-input-bytevector": open_input_bytevector,
    "open-output-bytevector": open_output_bytevector,
    "get-output-bytevector": get_output_bytevector,
    "open-bytevector-input-port": open_bytevector_input_port,
    "open-bytevector-output-port": open_bytevector_output_port,
    "call-with-bytevector-output-port": call_with_bytevector_output_port,
    "open-string-input-port": open_string_input_port,
    "open-string-output-port": open_string_output_port,
    # file ports
    "open-file": open_file,
    "open-input-file": open_input_file,
    "open-output-file": open_output_file,
    "open-binary-input-file": open_binary_input_file,
    "open-binary-output-file": open_binary_output_file,
    "call-with-input-file": call_with_input_file,
    "call-with-output-file": call_with_output_file,
    "with-input-from-file": with_input_from_file,
    "with-output-to-file": with_output_to_file,
    "with-error-to-file": with_error_to_file,
    "call-with-port": call_with_port,
    # pipes
    "open-pipe*": open_pipe_star,
    "open-pipe": open_pipe,
    "open-input-pipe": open_input_pipe,
    "open-output-pipe": open_output_pipe,
    "close-pipe": close_pipe,
    "OPEN_READ": "r",
    "OPEN_WRITE": "w",
    "OPEN_BOTH": "r+",
    # port objects
    "close-port": close_port,
    "close-input-port": close_input_port,
    "close-output-port": close_output_port,
    "close": close_port,
    "port?": is_port,
    "input-port?": is_input_port,
    "output-port?": is_output_port,
    "textual-port?": is_textual_port,
    "binary-port?": is_binary_port,
    "port-closed?": is_port_closed,
    "input-port-open?": is_input_port_open,
    "output-port-open?": is_output_port_open,
    "file-port?": is_file_port,
    "port-filename": port_filename,
    "set-port-filename!": set_port_filename,
    "port-line": port_line,
    "port-column": port_column,
    "set-port-line!": set_port_line,
    "set-port-column!": set_port_column,
    "port-encoding": port_encoding,
    "set-port-encoding!": set_port_encoding,
    "set-port-conversion-strategy!": set_port_conversion_strategy,
    "setvbuf": setvbuf,
    "fileno": fileno,
    "port->fdes": fileno,
}


def _connect_format() -> None:
    try:
        import schemy.runtime.primitives.format as fmt
    except ImportError:
        return
    fmt.OUTPUT_HOOK = lambda dest, text: write_to_port(current_output() if dest is True else dest, text)


_connect_format()
