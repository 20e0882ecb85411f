"""Guile's port procedures: textual and binary output and input, eof, and questions about port objects.
"""

from __future__ import annotations

import re
from typing import Any

from schemy.lang.datum import EOF_OBJECT, NIL, UNSPECIFIED, Char, Symbol, is_string, make_list, make_pair, to_str
from schemy.lang.errors import scheme_error, string_arg, wrong_type
from schemy.runtime.ports.port import (
    CHUNK,
    CURRENT_INPUT,
    CURRENT_OUTPUT,
    OPEN_FILE_PORTS,
    STDERR_PORT,
    STDOUT_PORT,
    Port,
    _advance,
    bytes_arg,
    char_arg,
    in_port,
    index_arg,
    out_port,
    port_arg,
    range_args,
)

# ----------------------------------------------------------------- output procedures


def display(obj: Any, port: Any = None) -> Any:
    p = out_port(port, "display", 2)
    if obj.__class__ is str:
        p.put(obj)
    else:
        from schemy.lang.printer import display_string

        p.put(display_string(obj))
    return UNSPECIFIED


def write(obj: Any, port: Any = None) -> Any:
    p = out_port(port, "write", 2)
    from schemy.lang.printer import write_string

    p.put(write_string(obj))
    return UNSPECIFIED


def write_simple(obj: Any, port: Any = None) -> Any:
    p = out_port(port, "write-simple", 2)
    from schemy.lang.printer import write_string

    p.put(write_string(obj))
    return UNSPECIFIED


def write_shared(obj: Any, port: Any = None) -> Any:
    p = out_port(port, "write-shared", 2)
    from schemy.lang.printer import write_shared_string

    p.put(write_shared_string(obj))
    return UNSPECIFIED


def newline(port: Any = None) -> Any:
    out_port(port, "newline", 1).put("\n")
    return UNSPECIFIED


def fresh_line(port: Any = None) -> Any:
    p = out_port(port, "fresh-line", 1)
    if p.column != 0:
        p.put("\n")
    return UNSPECIFIED


def write_char(ch: Any, port: Any = None) -> Any:
    if ch.__class__ is Char:
        if port is None:
            port = CURRENT_OUTPUT.value
        if port.__class__ is Port and port.output and not port.closed:
            # Port.put's work for one character, written out (the hot path of character output).
            s = ch.ch
            port.sink(s)
            if s == "\n":
                port.line += 1
                port.column = 0
            elif s != "\t" and len(s) == 1:
                port.column += 1
            else:
                port.line, port.column = _advance(s, port.line, port.column)
            return UNSPECIFIED
    c = char_arg(ch, "write-char", 1)
    out_port(port, "write-char", 2).put(c)
    return UNSPECIFIED


def write_string(s: Any, port: Any = None, start: Any = None, end: Any = None) -> Any:
    text = string_arg(s, "write-string", 1)
    p = out_port(port, "write-string", 2)
    a, b = range_args("write-string", len(text), start, end, 3)
    p.put(text[a:b] if (a, b) != (0, len(text)) else text)
    return UNSPECIFIED


def write_line(obj: Any, port: Any = None) -> Any:
    display(obj, port)
    newline(port)
    return UNSPECIFIED


def write_u8(byte: Any, port: Any = None) -> Any:
    if byte.__class__ is not int or not 0 <= byte <= 255:
        raise wrong_type("write-u8", 1, byte, "octet")
    out_port(port, "write-u8", 2).put_bytes(bytes((byte,)))
    return UNSPECIFIED


def write_bytevector(bv: Any, port: Any = None, start: Any = None, end: Any = None) -> Any:
    data = bytes_arg(bv, "write-bytevector", 1)
    p = out_port(port, "write-bytevector", 2)
    a, b = range_args("write-bytevector", len(data), start, end, 3)
    p.put_bytes(bytes(data[a:b]))
    return UNSPECIFIED


def put_string(port: Any, s: Any, start: Any = None, count: Any = None) -> Any:
    text = string_arg(s, "put-string", 2)
    p = out_port(port, "put-string", 1)
    a = 0 if start is None else index_arg(start, "put-string", 3)
    b = len(text) if count is None else a + index_arg(count, "put-string", 4)
    a, b = range_args("put-string", len(text), a, b, 3)
    p.put(text[a:b])
    return UNSPECIFIED


def put_char(port: Any, ch: Any) -> Any:
    c = char_arg(ch, "put-char", 2)
    out_port(port, "put-char", 1).put(c)
    return UNSPECIFIED


def put_u8(port: Any, byte: Any) -> Any:
    if byte.__class__ is not int or not 0 <= byte <= 255:
        raise wrong_type("put-u8", 2, byte, "octet")
    out_port(port, "put-u8", 1).put_bytes(bytes((byte,)))
    return UNSPECIFIED


def put_bytevector(port: Any, bv: Any, start: Any = None, count: Any = None) -> Any:
    data = bytes_arg(bv, "put-bytevector", 2)
    p = out_port(port, "put-bytevector", 1)
    a = 0 if start is None else index_arg(start, "put-bytevector", 3)
    b = len(data) if count is None else a + index_arg(count, "put-bytevector", 4)
    a, b = range_args("put-bytevector", len(data), a, b, 3)
    p.put_bytes(bytes(data[a:b]))
    return UNSPECIFIED


def put_datum(port: Any, obj: Any) -> Any:
    return write(obj, port)


def flush_output(port: Any = None) -> Any:
    out_port(port, "force-output", 1).flush()
    return UNSPECIFIED


def flush_all_ports() -> Any:
    for p in (STDOUT_PORT, STDERR_PORT, *list(OPEN_FILE_PORTS)):
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


_CHARS = Char._table  # the interned characters, by their text


def read_char(port: Any = None) -> Any:
    if port is None:
        port = CURRENT_INPUT.value
    if port.__class__ is Port and port.input and not port.closed:
        # Fast path (a character already buffered): Port.read_char's work, written out.
        text = port._text
        pos = port._pos
        if pos < len(text):
            ch = text[pos]
            port._pos = pos + 1
            if ch == "\n":
                port.line += 1
                port.column = 0
            elif ch != "\t":
                port.column += 1
            else:
                port.line, port.column = _advance(ch, port.line, port.column)
            c = _CHARS.get(ch)
            return c if c is not None else Char(ch)
    p = in_port(port, "read-char")
    ch = p.read_char()
    return EOF_OBJECT if ch is None else Char(ch)


def peek_char(port: Any = None) -> Any:
    if port is None:
        port = CURRENT_INPUT.value
    if port.__class__ is Port and port.input and not port.closed:
        pos = port._pos
        if pos < len(port._text):
            ch = port._text[pos]
            c = _CHARS.get(ch)
            return c if c is not None else Char(ch)
    p = in_port(port, "peek-char")
    ch = p.peek_char()
    return EOF_OBJECT if ch is None else Char(ch)


def unread_char(ch: Any, port: Any = None) -> Any:
    c = char_arg(ch, "unread-char", 1)
    in_port(port, "unread-char", 2).unread(c)
    return ch


def unread_string(s: Any, port: Any = None) -> Any:
    text = string_arg(s, "unread-string", 1)
    in_port(port, "unread-string", 2).unread(text)
    return UNSPECIFIED


def char_ready(port: Any = None) -> bool:
    p = in_port(port, "char-ready?")
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
            return make_pair(EOF_OBJECT, EOF_OBJECT) if mode == "split" else EOF_OBJECT
        text = p.consume(p.available())
        return make_pair(text, EOF_OBJECT) if mode == "split" else text
    text = p.consume(n)
    if mode == "peek":
        return text
    delim = p.consume(1)
    if mode == "concat":
        return text + delim
    if mode == "split":
        return make_pair(text, Char(delim))
    return text


def read_line(port: Any = None, handle_delim: Any = None) -> Any:
    """(ice-9 rdelim) ``read-line``: the next line without its newline, or the EOF object."""
    mode = _handle_delim(handle_delim, "read-line", 2)
    p = in_port(port, "read-line")
    return _read_until(p, "\n", mode)


def percent_read_line(port: Any = None) -> Any:
    p = in_port(port, "%read-line")
    return _read_until(p, "\n", "split")


def _delims_pattern(delims: Any) -> re.Pattern[str]:
    if is_string(delims):
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
    p = in_port(port, "read-delimited", 2)
    return _read_until(p, _delims_pattern(delims), mode)


def read_string(*args: Any) -> Any:
    """R7RS ``(read-string k [port])`` or (ice-9 rdelim) ``(read-string [port [count]])``."""
    if not args or args[0].__class__ is Port:
        port = args[0] if args else None
        count = args[1] if len(args) > 1 else None
        if len(args) > 2:
            raise scheme_error("Wrong number of arguments to read-string", kind="wrong-number-of-args")
        p = in_port(port, "read-string")
        if count is None or count is False:
            return p.read_all()
        return p.read_n(index_arg(count, "read-string", 2))
    k = index_arg(args[0], "read-string", 1)
    if len(args) > 2:
        raise scheme_error("Wrong number of arguments to read-string", kind="wrong-number-of-args")
    p = in_port(args[1] if len(args) > 1 else None, "read-string", 2)
    if k == 0:
        return ""
    s = p.read_n(k)
    return s if s else EOF_OBJECT


def get_char(port: Any) -> Any:
    return read_char(in_port(port, "get-char"))


def lookahead_char(port: Any) -> Any:
    return peek_char(in_port(port, "lookahead-char"))


def get_line(port: Any) -> Any:
    return _read_until(in_port(port, "get-line"), "\n", "trim")


def get_string_all(port: Any) -> Any:
    """Everything left, "" at the end (Guile's behaviour, not R6RS's EOF)."""
    return in_port(port, "get-string-all").read_all()


def get_string_n(port: Any, count: Any) -> Any:
    p = in_port(port, "get-string-n")
    n = index_arg(count, "get-string-n", 2)
    if n == 0:
        return ""
    s = p.read_n(n)
    return s if s else EOF_OBJECT


_SIMPLE_DATUM = re.compile(r"[ \t\n\r]*(?:([-+]?[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?)|([a-z][a-z0-9-]*[a-z0-9]|[a-z]))"
                           r"(?=[ \t\n\r()\";])")


def read(port: Any = None) -> Any:
    """Read one datum (with the reader) from the port's remaining text."""
    from schemy.lang.errors import ReadError
    from schemy.lang.reader import read_first, resume_after_error

    p = in_port(port, "read")
    filename = p.filename if isinstance(p.filename, str) else "<string>"
    if not p._incremental:
        p._keep_text = True
        p.fill_all()
    m = _SIMPLE_DATUM.match(p._text, p._pos)
    if m is not None:
        # A decimal number or a plain lower-case symbol followed by a delimiter: what the full
        # reader would return, without building its parser state for one token.
        number, symbol = m.group(1), m.group(2)
        if number is not None:
            datum = int(number) if number.lstrip("+-").isdigit() else float(number)
        else:
            datum = Symbol(symbol)
        p.consume(m.end() - p._pos)
        return datum
    final = False  # reading for the precise error of a datum cut off at the end
    while True:
        try:
            datum, end = read_first(p._text, filename, p._pos, more=not (final or p._eof))
        except ReadError as e:
            if getattr(e, "incomplete", False) and not p._eof and p.fill_text():
                continue
            if getattr(e, "cut", False):
                final = True
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
    return read(in_port(port, "get-datum"))


# -- binary input


def read_u8(port: Any = None) -> Any:
    p = in_port(port, "read-u8")
    if not p.fill_bytes(1):
        return EOF_OBJECT
    b = p._bbuf[0]
    del p._bbuf[:1]
    p.column += 1
    return b


def peek_u8(port: Any = None) -> Any:
    p = in_port(port, "peek-u8")
    if not p.fill_bytes(1):
        return EOF_OBJECT
    return p._bbuf[0]


def u8_ready(port: Any = None) -> bool:
    in_port(port, "u8-ready?")
    return True


def read_bytevector(k: Any, port: Any = None) -> Any:
    n = index_arg(k, "read-bytevector", 1)
    p = in_port(port, "read-bytevector", 2)
    if n == 0:
        return bytearray()
    data = p.take_bytes(n)
    return bytearray(data) if data else EOF_OBJECT


def read_bytevector_bang(bv: Any, port: Any = None, start: Any = None, end: Any = None) -> Any:
    if not isinstance(bv, bytearray):
        raise wrong_type("read-bytevector!", 1, bv, "bytevector")
    p = in_port(port, "read-bytevector!", 2)
    a, b = range_args("read-bytevector!", len(bv), start, end, 3)
    if a == b:
        return 0
    data = p.take_bytes(b - a)
    if not data:
        return EOF_OBJECT
    bv[a:a + len(data)] = data
    return len(data)


def get_u8(port: Any) -> Any:
    return read_u8(in_port(port, "get-u8"))


def lookahead_u8(port: Any) -> Any:
    return peek_u8(in_port(port, "lookahead-u8"))


def get_bytevector_n(port: Any, count: Any) -> Any:
    p = in_port(port, "get-bytevector-n")
    n = index_arg(count, "get-bytevector-n", 2)
    if n == 0:
        return bytearray()
    data = p.take_bytes(n)
    return bytearray(data) if data else EOF_OBJECT


def get_bytevector_n_bang(port: Any, bv: Any, start: Any, count: Any) -> Any:
    if not isinstance(bv, bytearray):
        raise wrong_type("get-bytevector-n!", 2, bv, "bytevector")
    a = index_arg(start, "get-bytevector-n!", 3)
    n = index_arg(count, "get-bytevector-n!", 4)
    return read_bytevector_bang(bv, in_port(port, "get-bytevector-n!"), a, a + n)


def get_bytevector_some(port: Any) -> Any:
    p = in_port(port, "get-bytevector-some")
    if not p.fill_bytes(1):
        return EOF_OBJECT
    data = bytes(p._bbuf)
    p._bbuf.clear()
    p.column += len(data)
    return bytearray(data)


def get_bytevector_all(port: Any) -> Any:
    p = in_port(port, "get-bytevector-all")
    while p.fill_bytes(len(p._bbuf) + CHUNK):
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

# ----------------------------------------------------------------- port objects


def close_port(port: Any) -> bool:
    return port_arg(port, "close-port").close()


def close_input_port(port: Any) -> Any:
    p = port_arg(port, "close-input-port")
    if p.input:
        if p.output:
            p.input = False
        else:
            p.close()
    return UNSPECIFIED


def close_output_port(port: Any) -> Any:
    p = port_arg(port, "close-output-port")
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
    return port_arg(x, "port-closed?").closed


def is_input_port_open(x: Any) -> bool:
    p = port_arg(x, "input-port-open?")
    return p.input and not p.closed


def is_output_port_open(x: Any) -> bool:
    p = port_arg(x, "output-port-open?")
    return p.output and not p.closed


def port_filename(port: Any) -> Any:
    return port_arg(port, "port-filename").filename


def set_port_filename(port: Any, name: Any) -> Any:
    port_arg(port, "set-port-filename!").filename = name
    return UNSPECIFIED


def port_line(port: Any) -> int:
    return port_arg(port, "port-line").line


def port_column(port: Any) -> int:
    return port_arg(port, "port-column").column


def set_port_line(port: Any, line: Any) -> Any:
    port_arg(port, "set-port-line!").line = index_arg(line, "set-port-line!", 2)
    return UNSPECIFIED


def set_port_column(port: Any, col: Any) -> Any:
    port_arg(port, "set-port-column!").column = index_arg(col, "set-port-column!", 2)
    return UNSPECIFIED


def port_encoding(port: Any) -> str:
    return port_arg(port, "port-encoding").encoding


def set_port_encoding(port: Any, enc: Any) -> Any:
    p = port_arg(port, "set-port-encoding!")
    enc = string_arg(enc, "set-port-encoding!", 2)
    if p.output and not p.closed:
        p.flush()  # text written so far keeps the encoding it was written under
    p.encoding = enc
    p._decoder = None
    return UNSPECIFIED


def set_port_conversion_strategy(port: Any, strategy: Any) -> Any:
    return UNSPECIFIED


def setvbuf(port: Any, mode: Any, size: Any = None) -> Any:
    port_arg(port, "setvbuf")
    return UNSPECIFIED


def fileno(port: Any) -> int:
    p = port_arg(port, "fileno")
    fd = p.fileno()
    if fd is None:
        raise wrong_type("fileno", 1, port, "file port")
    return fd


def is_file_port(x: Any) -> bool:
    return x.__class__ is Port and x.kind in ("file", "std")
