"""Ports: string, bytevector, file, standard and pipe ports, through the PRIMITIVES table."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from schemy.lang.datum import EOF_OBJECT, NIL, Char, MString, Pair, Symbol, Values, make_list
from schemy.lang.errors import SchemeError
from schemy.runtime import ports
from schemy.runtime.parameters import parameterized

P = ports.PRIMITIVES


def kind_of(err: pytest.ExceptionInfo[SchemeError]) -> str:
    cond = err.value.condition
    assert cond is not None
    return cond.kind


# ----------------------------------------------------------------- read-line and friends


def test_read_line_returns_lines_without_newline() -> None:
    port = P["open-input-string"]("hello\nworld")
    assert P["read-line"](port) == "hello"
    assert P["read-line"](port) == "world"


def test_read_line_at_end_returns_eof() -> None:
    port = P["open-input-string"]("x\n")
    P["read-line"](port)
    assert P["read-line"](port) is EOF_OBJECT


def test_read_line_handle_delim_modes() -> None:
    port = P["open-input-string"]("a\nb\n\nc")
    assert P["read-line"](port, Symbol("concat")) == "a\n"
    split = P["read-line"](port, Symbol("split"))
    assert split.car == "b" and split.cdr is Char("\n")
    assert P["read-line"](port, Symbol("peek")) == ""
    assert P["read-line"](port) == ""
    assert P["read-line"](port, Symbol("concat")) == "c"


def test_read_line_split_at_eof_gives_eof_pair() -> None:
    result = P["read-line"](P["open-input-string"](""), Symbol("split"))
    assert result.car is EOF_OBJECT and result.cdr is EOF_OBJECT


def test_read_line_accepts_mutable_string_port_text() -> None:
    port = P["open-input-string"](MString("m\n"))
    assert P["read-line"](port) == "m"


def test_read_delimited_stops_at_any_delimiter() -> None:
    port = P["open-input-string"]("ab,cd;ef")
    assert P["read-delimited"](",;", port) == "ab"
    assert P["read-delimited"](",;", port, Symbol("concat")) == "cd;"
    assert P["read-delimited"](",;", port) == "ef"
    assert P["read-delimited"](",;", port) is EOF_OBJECT


def test_read_string_guile_order_reads_count_or_rest() -> None:
    port = P["open-input-string"]("abcdefgh")
    assert P["read-string"](port, 3) == "abc"
    assert P["read-string"](port) == "defgh"
    assert P["read-string"](port) == ""


def test_read_string_r7rs_order_returns_eof_at_end() -> None:
    port = P["open-input-string"]("abcdef")
    assert P["read-string"](2, port) == "ab"
    assert P["read-string"](10, port) == "cdef"
    assert P["read-string"](0, port) == ""
    assert P["read-string"](1, port) is EOF_OBJECT


def test_read_char_and_peek_char() -> None:
    port = P["open-input-string"]("ab")
    assert P["peek-char"](port) is Char("a")
    assert P["read-char"](port) is Char("a")
    assert P["read-char"](port) is Char("b")
    assert P["read-char"](port) is EOF_OBJECT
    assert P["peek-char"](port) is EOF_OBJECT


def test_unread_char_and_string_push_back_text() -> None:
    port = P["open-input-string"]("xyz")
    P["unread-char"](Char("a"), port)
    P["unread-string"]("bc", port)
    assert P["read-string"](port) == "bcaxyz"


def test_char_ready_on_string_port() -> None:
    assert P["char-ready?"](P["open-input-string"]("")) is True


def test_port_line_and_column_track_reading() -> None:
    port = P["open-input-string"]("ab\ncd")
    assert (P["port-line"](port), P["port-column"](port)) == (0, 0)
    P["read-char"](port)
    assert (P["port-line"](port), P["port-column"](port)) == (0, 1)
    P["read-line"](port)
    assert (P["port-line"](port), P["port-column"](port)) == (1, 0)


def test_port_column_advances_tabs_to_multiple_of_eight() -> None:
    port = P["open-input-string"]("\tx")
    P["read-char"](port)
    assert P["port-column"](port) == 8


def test_output_column_is_tracked() -> None:
    port = P["open-output-string"]()
    P["display"]("ab\ncd", port)
    assert P["port-column"](port) == 2
    assert P["port-line"](port) == 1


def test_fresh_line_only_adds_newline_mid_line() -> None:
    port = P["open-output-string"]()
    P["fresh-line"](port)
    P["display"]("x", port)
    P["fresh-line"](port)
    P["fresh-line"](port)
    assert P["get-output-string"](port) == "x\n"


# ----------------------------------------------------------------- read (datums)


def test_read_returns_datums_in_order_then_eof() -> None:
    port = P["open-input-string"]("(1 2) foo")
    first = P["read"](port)
    assert isinstance(first, Pair) and list(first) == [1, 2]
    assert P["port-column"](port) == 5
    assert P["read"](port) is Symbol("foo")
    assert P["read"](port) is EOF_OBJECT


def test_read_from_stdin_reads_line_by_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("(a\n b)\n42\n"))
    port = ports.make_std_port(lambda: sys.stdin, 0, False)
    assert list(P["read"](port)) == [Symbol("a"), Symbol("b")]
    assert P["read"](port) == 42
    assert P["read"](port) is EOF_OBJECT


def test_read_line_from_current_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("first\nsecond\n"))
    port = ports.make_std_port(lambda: sys.stdin, 0, False)
    with parameterized([(ports.CURRENT_INPUT, port)]):
        assert P["read-line"]() == "first"
        assert P["read-char"]() is Char("s")


# ----------------------------------------------------------------- output procedures


def test_display_and_write_to_string_port() -> None:
    port = P["open-output-string"]()
    P["display"]("a\"b", port)
    P["write"]("a\"b", port)
    P["write-char"](Char("z"), port)
    P["newline"](port)
    assert P["get-output-string"](port) == 'a"b"a\\"b"z\n'


def test_write_string_with_start_and_end() -> None:
    text = P["call-with-output-string"](lambda p: P["write-string"]("hello", p, 1, 3))
    assert text == "el"


def test_write_line_displays_then_newline() -> None:
    assert P["with-output-to-string"](lambda: P["write-line"]("a")) == "a\n"


def test_put_string_and_put_char() -> None:
    port = P["open-output-string"]()
    P["put-string"](port, "abcdef", 2, 3)
    P["put-char"](port, Char("!"))
    assert P["get-output-string"](port) == "cde!"


def test_with_output_to_string_rebinds_current_output() -> None:
    def thunk() -> None:
        P["display"]("inside")
        P["write"](Symbol("sym"))

    assert P["with-output-to-string"](thunk) == "insidesym"


def test_with_error_to_string_rebinds_current_error() -> None:
    assert P["with-error-to-string"](lambda: P["display"]("oops", P["current-error-port"]())) == "oops"


def test_current_output_port_is_a_parameter() -> None:
    port = P["open-output-string"]()
    with parameterized([(P["current-output-port"], port)]):
        P["display"]("x")
    assert P["get-output-string"](port) == "x"


def test_parameterizing_current_output_with_non_port_fails() -> None:
    with pytest.raises(SchemeError) as err:
        with parameterized([(P["current-output-port"], 5)]):
            pass
    assert kind_of(err) == "wrong-type-arg"


def test_stdout_port_writes_to_sys_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    P["display"]("to stdout", ports.STDOUT_PORT)
    P["display"]("to stderr", ports.STDERR_PORT)
    out = capsys.readouterr()
    assert out.out == "to stdout"
    assert out.err == "to stderr"


def test_pk_prints_and_returns_last_argument() -> None:
    port = P["open-output-string"]()
    with parameterized([(ports.CURRENT_OUTPUT, port)]):
        assert P["pk"](1, 2) == 2
    assert P["get-output-string"](port) == "\n;;; (1 2)\n"


def test_write_to_port_defaults_to_current_output() -> None:
    port = P["open-output-string"]()
    with parameterized([(ports.CURRENT_OUTPUT, port)]):
        ports.write_to_port(None, "abc")
        assert ports.current_output() is port
    assert P["get-output-string"](port) == "abc"


def test_call_with_output_string_py_returns_text() -> None:
    assert ports.call_with_output_string_py(lambda p: p.put("hi")) == "hi"


def test_display_to_non_port_is_wrong_type() -> None:
    with pytest.raises(SchemeError) as err:
        P["display"](1, 5)
    assert kind_of(err) == "wrong-type-arg"
    assert "In procedure display" in err.value.message()


def test_write_char_requires_character() -> None:
    with pytest.raises(SchemeError) as err:
        P["write-char"]("a", P["open-output-string"]())
    assert kind_of(err) == "wrong-type-arg"


# ----------------------------------------------------------------- string ports


def test_call_with_input_string_passes_port() -> None:
    assert P["call-with-input-string"]("(1 2) 3", lambda p: (P["read"](p), P["read"](p))[1]) == 3


def test_with_input_from_string_rebinds_current_input() -> None:
    assert P["with-input-from-string"]("42 x", P["read"]) == 42


def test_get_output_string_rejects_input_port() -> None:
    with pytest.raises(SchemeError) as err:
        P["get-output-string"](P["open-input-string"](""))
    assert kind_of(err) == "wrong-type-arg"


def test_open_string_output_port_returns_port_and_extractor() -> None:
    result = P["open-string-output-port"]()
    assert isinstance(result, Values)
    port, extract = result
    P["put-string"](port, "abc")
    assert extract() == "abc"


def test_string_port_repr_names_direction_and_kind() -> None:
    from schemy.lang.printer import write_string

    assert write_string(P["open-input-string"]("x")).startswith("#<input: string ")
    assert write_string(P["open-output-string"]()).startswith("#<output: string ")


def test_standard_port_repr_shows_descriptor() -> None:
    from schemy.lang.printer import write_string

    assert write_string(ports.STDOUT_PORT) == "#<output: file 1>"
    assert write_string(ports.STDIN_PORT) == "#<input: file 0>"


# ----------------------------------------------------------------- closing and predicates


def test_close_port_returns_true_then_false() -> None:
    port = P["open-output-string"]()
    assert P["close-port"](port) is True
    assert P["close-port"](port) is False
    assert P["port-closed?"](port) is True


def test_closed_port_repr() -> None:
    from schemy.lang.printer import write_string

    port = P["open-input-string"]("")
    P["close-port"](port)
    assert write_string(port).startswith("#<closed: string ")


def test_reading_closed_port_is_wrong_type() -> None:
    port = P["open-input-string"]("x")
    P["close-input-port"](port)
    with pytest.raises(SchemeError) as err:
        P["read-char"](port)
    assert kind_of(err) == "wrong-type-arg"
    assert "open input port" in err.value.message()


def test_port_predicates() -> None:
    inp = P["open-input-string"]("")
    out = P["open-output-string"]()
    bv = P["open-input-bytevector"](bytearray(b"x"))
    assert P["port?"](inp) and P["input-port?"](inp) and not P["output-port?"](inp)
    assert P["output-port?"](out) and not P["input-port?"](out)
    assert P["textual-port?"](inp) and not P["binary-port?"](inp)
    assert P["binary-port?"](bv)
    assert P["port?"]("no") is False


def test_eof_object_and_predicate() -> None:
    assert P["eof-object?"](P["eof-object"]()) is True
    assert P["eof-object?"](NIL) is False


# ----------------------------------------------------------------- binary ports


def test_bytevector_input_port_reads_octets() -> None:
    port = P["open-input-bytevector"](bytearray([1, 2, 3]))
    assert P["peek-u8"](port) == 1
    assert P["read-u8"](port) == 1
    assert P["read-bytevector"](5, port) == bytearray([2, 3])
    assert P["read-u8"](port) is EOF_OBJECT
    assert P["read-bytevector"](1, port) is EOF_OBJECT


def test_bytevector_output_port_collects_octets() -> None:
    port = P["open-output-bytevector"]()
    P["write-u8"](65, port)
    P["write-bytevector"](bytearray(b"xyz"), port, 1)
    assert P["get-output-bytevector"](port) == bytearray(b"Ayz")


def test_read_u8_on_string_port_sees_utf8_bytes() -> None:
    port = P["open-input-string"]("λx")
    assert [P["read-u8"](port), P["read-u8"](port)] == [0xCE, 0xBB]
    assert P["read-char"](port) is Char("x")


def test_read_bytevector_bang_fills_range() -> None:
    bv = bytearray(4)
    port = P["open-input-bytevector"](bytearray(b"ab"))
    assert P["read-bytevector!"](bv, port, 1) == 2
    assert bv == bytearray(b"\0ab\0")


def test_r6rs_bytevector_output_port_returns_extractor() -> None:
    port, extract = P["open-bytevector-output-port"]()
    P["put-u8"](port, 7)
    P["put-bytevector"](port, bytearray(b"\x08\x09"))
    assert extract() == bytearray([7, 8, 9])
    assert extract() == bytearray()


def test_get_bytevector_all_and_n() -> None:
    port = P["open-bytevector-input-port"](bytearray(b"abcdef"))
    assert P["get-bytevector-n"](port, 2) == bytearray(b"ab")
    assert P["get-bytevector-all"](port) == bytearray(b"cdef")
    assert P["get-bytevector-all"](port) is EOF_OBJECT


# ----------------------------------------------------------------- R6RS textual names


def test_get_line_get_char_lookahead() -> None:
    port = P["open-input-string"]("ab\ncd")
    assert P["lookahead-char"](port) is Char("a")
    assert P["get-char"](port) is Char("a")
    assert P["get-line"](port) == "b"
    assert P["get-string-all"](port) == "cd"
    assert P["get-string-all"](port) == ""
    assert P["get-line"](port) is EOF_OBJECT


# ----------------------------------------------------------------- file ports


def test_output_file_round_trip(tmp_path: Path) -> None:
    name = str(tmp_path / "f.txt")
    P["call-with-output-file"](name, lambda p: P["display"]("héllo\nworld\n", p))
    assert P["call-with-input-file"](name, P["read-line"]) == "héllo"


def test_open_output_file_truncates(tmp_path: Path) -> None:
    f = tmp_path / "t.txt"
    f.write_text("old contents")
    port = P["open-output-file"](str(f))
    P["display"]("new", port)
    P["close-port"](port)
    assert f.read_text() == "new"


def test_open_file_append_mode(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("one\n")
    port = P["open-file"](str(f), "a")
    P["display"]("two\n", port)
    P["close-port"](port)
    assert f.read_text() == "one\ntwo\n"


def test_open_file_bad_mode_is_out_of_range(tmp_path: Path) -> None:
    with pytest.raises(SchemeError) as err:
        P["open-file"](str(tmp_path / "x"), "q")
    assert kind_of(err) == "out-of-range"


def test_open_missing_file_is_system_error() -> None:
    with pytest.raises(SchemeError) as err:
        P["open-input-file"]("/nonexistent/file")
    cond = err.value.condition
    assert cond is not None and cond.kind == "system-error"
    assert cond.fields["errno"] == 2
    assert err.value.message() == 'In procedure open-file: No such file or directory: "/nonexistent/file"'


def test_file_port_filename_and_repr(tmp_path: Path) -> None:
    from schemy.lang.printer import write_string

    f = tmp_path / "r.txt"
    f.write_text("")
    port = P["open-input-file"](str(f))
    assert P["port-filename"](port) == str(f)
    assert write_string(port).startswith(f"#<input: {f} ")
    P["close-port"](port)


def test_with_output_to_file_and_with_input_from_file(tmp_path: Path) -> None:
    name = str(tmp_path / "w.txt")
    P["with-output-to-file"](name, lambda: P["write"](make_list([1, "two"])))
    assert P["with-input-from-file"](name, P["read"]).cdr.car == "two"


def test_reading_large_file_with_multibyte_text(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    line = "λ" * 1000 + "\n"
    f.write_text(line * 200, encoding="utf-8")
    port = P["open-input-file"](str(f))
    count = 0
    while P["read-line"](port) is not EOF_OBJECT:
        count += 1
    assert count == 200
    P["close-port"](port)


def test_binary_and_text_reads_mix_on_file(tmp_path: Path) -> None:
    f = tmp_path / "mix"
    f.write_bytes(b"AB\xce\xbbC")
    port = P["open-file"](str(f), "rb")
    assert P["binary-port?"](port) is True
    assert P["port-encoding"](port) == "ISO-8859-1"
    assert P["read-u8"](port) == 65
    assert P["read-char"](port) is Char("B")
    assert P["get-bytevector-all"](port) == bytearray(b"\xce\xbbC")
    P["close-port"](port)


def test_port_filename_of_string_port_is_false() -> None:
    assert P["port-filename"](P["open-input-string"]("")) is False


# ----------------------------------------------------------------- pipes


def test_open_input_pipe_reads_command_output() -> None:
    port = P["open-input-pipe"]("echo hi; echo there")
    assert P["read-line"](port) == "hi"
    assert P["read-line"](port) == "there"
    assert P["read-line"](port) is EOF_OBJECT
    assert P["close-pipe"](port) == 0


def test_close_pipe_returns_wait_status() -> None:
    port = P["open-pipe*"]("r", "sh", "-c", "exit 3")
    assert P["close-pipe"](port) == 3 * 256


def test_percent_read_line_returns_line_and_delimiter() -> None:
    result = P["%read-line"](P["open-input-string"]("ab\ncd"))
    assert result.car == "ab" and result.cdr is Char("\n")


def test_format_output_hook_writes_to_ports() -> None:
    from schemy.runtime.primitives import format as fmt

    ports._connect_format()
    port = P["open-output-string"]()
    fmt.OUTPUT_HOOK(port, "to port")
    with parameterized([(ports.CURRENT_OUTPUT, port)]):
        fmt.OUTPUT_HOOK(True, "+current")
    assert P["get-output-string"](port) == "to port+current"
