"""(guix diagnostics) and (guix ui): messages, locations and hints as configs use them."""

from __future__ import annotations

import pytest

from schemy.app import Interpreter
from schemy.lang.errors import SchemeExit
from schemy.lang.printer import write_string


def run(code: str) -> str:
    i = Interpreter()
    return write_string(i.run_protected(lambda: i.eval_string(
        "(use-modules (guix ui) (guix diagnostics) (srfi srfi-34)) " + code, "/tmp/t.scm")))


def test_warnings_name_the_program_or_the_location(capfd):
    run('(warning (G_ "disk ~a is small~%") "sda") (warning (location "c.scm" 3 4) "no swap~%")'
        ' (info "done~%") (report-error "bad~%")')
    assert capfd.readouterr().err == ("guix: warning: disk sda is small\nc.scm:3:4: warning: no swap\n"
                                      "guix: done\nguix: error: bad\n")


def test_leave_reports_and_exits_with_status_1(capfd):
    with pytest.raises(SchemeExit) as e:
        run('(leave "no such disk: ~a~%" "sdz")')
    assert e.value.code == 1
    assert "guix: error: no such disk: sdz" in capfd.readouterr().err


def test_locations_from_and_to_source_properties():
    assert run("""(let ((loc (source-properties->location '((filename . "a.scm") (line . 0) (column . 2)))))
                    (list (location->string loc) (location-line loc)
                          (location->source-properties loc)))""") \
        == '("a.scm:1:2" 1 ((line . 0) (column . 2) (filename . "a.scm")))'


def test_formatted_messages_and_hints_are_conditions():
    assert run("""(guard (c ((formatted-message? c)
                             (list (formatted-message-string c) (formatted-message-arguments c))))
                    (raise (formatted-message "bad ~a" 'x)))""") == '("bad ~a" (x))'
    assert run("""(guard (c ((fix-hint? c) (condition-fix-hint c)))
                    (raise (condition (&fix-hint (hint "try this")))))""") == '"try this"'


def test_sizes_and_numbers():
    assert run('(list (size->number "10") (size->number "1.5GiB") (size->number "2MB") (number->size 3145728))') \
        == '(10 1610612736 2000000 "3.0 MiB")'
    with pytest.raises(SchemeExit):
        run('(string->number* "ten")')
