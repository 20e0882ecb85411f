"""String and bytevector ports: open-input-string, with-output-to-string, open-bytevector-output-port...
"""

from __future__ import annotations

from typing import Any

from schemy.lang.datum import Values
from schemy.lang.errors import string_arg, wrong_type
from schemy.runtime.parameters import parameterized
from schemy.runtime.ports.port import (
    CURRENT_ERROR,
    CURRENT_INPUT,
    CURRENT_OUTPUT,
    Port,
    bytes_arg,
    in_port,
    make_bytevector_input_port,
    make_bytevector_output_port,
    make_input_string_port,
    make_output_string_port,
    out_port,
    string_port_text,
)

# ----------------------------------------------------------------- string and bytevector ports


def open_input_string(s: Any) -> Port:
    return make_input_string_port(string_arg(s, "open-input-string", 1))


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
    with parameterized([(CURRENT_OUTPUT, out_port(port, "with-output-to-port", 1))]):
        return thunk()


def with_error_to_port(port: Any, thunk: Any) -> Any:
    with parameterized([(CURRENT_ERROR, out_port(port, "with-error-to-port", 1))]):
        return thunk()


def with_input_from_port(port: Any, thunk: Any) -> Any:
    with parameterized([(CURRENT_INPUT, in_port(port, "with-input-from-port"))]):
        return thunk()


def open_input_bytevector(bv: Any) -> Port:
    return make_bytevector_input_port(bytes_arg(bv, "open-input-bytevector", 1))


def open_output_bytevector() -> Port:
    return make_bytevector_output_port()


def get_output_bytevector(port: Any) -> bytearray:
    if port.__class__ is not Port or port.bytes_out is None or port.closed:
        raise wrong_type("get-output-bytevector", 1, port, "bytevector output port")
    return bytearray(port.bytes_out)


def open_bytevector_input_port(bv: Any, transcoder: Any = None) -> Port:
    return make_bytevector_input_port(bytes_arg(bv, "open-bytevector-input-port", 1))


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
    return make_input_string_port(string_arg(s, "open-string-input-port", 1))


def open_string_output_port() -> Any:
    p = make_output_string_port()

    def extract() -> str:
        text = string_port_text(p)
        assert p.chunks is not None
        p.chunks.clear()
        return text

    return Values((p, extract))
