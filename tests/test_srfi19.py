"""(srfi srfi-19): times, dates, julian days, date->string and string->date.

Expected values come from GNU Guile 3.0.8, each obtained with
    guile -c '(use-modules (srfi srfi-19)) (write EXPR)'
The directive table below is Guile's verbatim output of
    (for-each (lambda (fmt) (write (list fmt (date->string d fmt) (date->string d2 fmt)
                                         (date->string d3 fmt))) (newline)) FORMATS)
for the three dates D, D2 and D3 defined below.
"""

from __future__ import annotations

import pytest

from schemy.app import Interpreter
from schemy.lang.datum import Symbol, list_to_python
from schemy.lang.errors import SchemeError
from schemy.lang.printer import write_string
from schemy.lang.reader import read
from schemy.runtime.srfi19 import PRIMITIVES, Date, date_to_string, make_date

D = "(make-date 123456789 5 7 9 3 2 2021 3600)"
D2 = "(make-date 0 59 30 15 28 12 1999 -16200)"
D3 = "(make-date 500000000 0 0 0 1 1 2020 0)"

GUILE_DIRECTIVES = r"""
("~Y" "2021" "1999" "2020")
("~m" "02" "12" "01")
("~d" "03" "28" "01")
("~H" "09" "15" "00")
("~M" "07" "30" "00")
("~S" "05" "59" "00")
("~Z" "+0100" "-0430" "Z")
("~z" "+0100" "-0430" "Z")
("~a" "Wed" "Tue" "Wed")
("~b" "Feb" "Dec" "Jan")
("~A" "Wednesday" "Tuesday" "Wednesday")
("~B" "February" "December" "January")
("~e" " 3" "28" " 1")
("~j" "034" "362" "001")
("~Y-~m-~dT~H:~M:~S" "2021-02-03T09:07:05" "1999-12-28T15:30:59" "2020-01-01T00:00:00")
("~1" "2021-02-03" "1999-12-28" "2020-01-01")
("~2" "09:07:05+0100" "15:30:59-0430" "00:00:00Z")
("~3" "09:07:05" "15:30:59" "00:00:00")
("~4" "2021-02-03T09:07:05+0100" "1999-12-28T15:30:59-0430" "2020-01-01T00:00:00Z")
("~5" "2021-02-03T09:07:05" "1999-12-28T15:30:59" "2020-01-01T00:00:00")
("~T" "09:07:05" "15:30:59" "00:00:00")
("~D" "02/03/21" "12/28/99" "01/01/20")
("~s" "1612339625" "946411259" "1577836800")
("~N" "123456789" "000000000" "500000000")
("~p" "AM" "PM" "AM")
("~y" "21" "99" "20")
("~c" "Wed Feb 03 09:07:05+0100 2021" "Tue Dec 28 15:30:59-0430 1999" "Wed Jan 01 00:00:00Z 2020")
("~f" "5.123456789" "59.0" "0.5")
("~h" "Feb" "Dec" "Jan")
("~I" "09" "03" "00")
("~k" " 9" "15" " 0")
("~l" " 9" " 3" " 0")
("~r" "09:07:05 AM" "03:30:59 PM" "00:00:00 AM")
("~U" "05" "52" "00")
("~V" "04" "51" "-1")
("~W" "05" "52" "00")
("~w" "3" "2" "3")
("~x" "02/03/21" "12/28/99" "01/01/20")
("~X" "09:07:05" "15:30:59" "00:00:00")
("~~" "~" "~" "~")
("~-m" "2" "12" "1")
("~_m" " 2" "12" " 1")
("~_H" " 9" "15" " 0")
("~-d" "03" "28" "01")
("~n~t" "\n\t" "\n\t" "\n\t")
"""


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    interp = Interpreter()
    for name, value in PRIMITIVES.items():
        interp.core.define(Symbol(name), value)
    interp.eval_string(f"(define d {D}) (define d2 {D2}) (define d3 {D3})")
    return interp


@pytest.fixture()
def ev(interp: Interpreter):
    def run(text: str) -> str:
        return write_string(interp.eval_string(text))

    return run


DIRECTIVE_ROWS = [list_to_python(row) for row in read(GUILE_DIRECTIVES)]


@pytest.mark.parametrize("row", DIRECTIVE_ROWS, ids=[str(r[0]) for r in DIRECTIVE_ROWS])
def test_date_to_string_directive(interp: Interpreter, row: list) -> None:
    fmt, expected = row[0], row[1:]
    got = [interp.eval_string(f"(date->string {d} {write_string(fmt)})") for d in ("d", "d2", "d3")]
    assert got == expected


GUILE_CASES = {
    "print_date": ("(make-date 0 0 0 0 1 1 2020 0)",
                   "#<date nanosecond: 0 second: 0 minute: 0 hour: 0 day: 1 month: 1 year: 2020 "
                   "zone-offset: 0>"),
    "print_time": ("(make-time time-utc 5 10)", "#<time type: time-utc nanosecond: 5 second: 10>"),
    "time_type_is_symbol": ("time-utc", "time-utc"),
    "date_to_string_default": ("(date->string d)", "\"Wed Feb 03 09:07:05+0100 2021\""),
    "accessors": ("(list (date-nanosecond d) (date-second d) (date-minute d) (date-hour d) (date-day d) "
                  "(date-month d) (date-year d) (date-zone-offset d))", "(123456789 5 7 9 3 2 2021 3600)"),
    "date_equal": ("(equal? (make-date 0 0 0 0 1 1 2020 0) (make-date 0 0 0 0 1 1 2020 0))", "#t"),
    "time_equal": ("(equal? (make-time time-utc 0 1) (make-time time-utc 0 1))", "#t"),
    "julian_day": ("(date->julian-day d)", "212479099625123456789/86400000000000"),
    "julian_day_negative_zone": ("(date->julian-day d2)", "211813171259/86400"),
    "julian_day_half": ("(date->julian-day d3)", "424889193601/172800"),
    "julian_day_start": ("(date->julian-day (make-date 0 0 0 0 1 1 -4712 0))", "807/2"),
    "modified_julian_day": ("(date->modified-julian-day d)", "5119056425123456789/86400000000000"),
    "year_day": ("(list (date-year-day d) (date-year-day d2))", "(34 362)"),
    "week_day": ("(list (date-week-day d) (date-week-day d2))", "(3 2)"),
    "week_number": ("(date-week-number d 0)", "4"),
    "date_to_time_utc": ("(date->time-utc d)", "#<time type: time-utc nanosecond: 123456789 second: "
                                               "1612339625>"),
    "date_to_time_utc_negative_zone": ("(date->time-utc d2)",
                                       "#<time type: time-utc nanosecond: 0 second: 946411259>"),
    "date_to_time_tai": ("(date->time-tai d)", "#<time type: time-tai nanosecond: 123456789 second: "
                                               "1612339662>"),
    "date_to_time_monotonic": ("(date->time-monotonic d)",
                               "#<time type: time-monotonic nanosecond: 123456789 second: 1612339662>"),
    "time_utc_to_date": ("(time-utc->date (make-time time-utc 0 1700000000) 0)",
                         "#<date nanosecond: 0 second: 20 minute: 13 hour: 22 day: 14 month: 11 year: 2023 "
                         "zone-offset: 0>"),
    "time_utc_to_date_before_epoch": ("(time-utc->date (make-time time-utc 999 -1) 3600)",
                                      "#<date nanosecond: 999 second: 59 minute: 59 hour: 0 day: 1 month: 1 "
                                      "year: 1970 zone-offset: 3600>"),
    "julian_day_to_date": ("(julian-day->date 4917699/2 0)",
                           "#<date nanosecond: 0 second: 0 minute: 0 hour: 0 day: 1 month: 1 year: 2020 "
                           "zone-offset: 0>"),
    "julian_day_to_date_noon": ("(julian-day->date 2459249 0)",
                                "#<date nanosecond: 0 second: 0 minute: 0 hour: 12 day: 3 month: 2 year: "
                                "2021 "
                                "zone-offset: 0>"),
    "julian_day_to_time_utc": ("(julian-day->time-utc 4917699/2)",
                               "#<time type: time-utc nanosecond: 0 second: 1577836800>"),
    "epoch_julian_day": ("(time-utc->julian-day (make-time time-utc 0 0))", "4881175/2"),
    "epoch_modified_julian_day": ("(time-utc->modified-julian-day (make-time time-utc 0 0))", "40587"),
    "modified_julian_day_to_date": ("(modified-julian-day->date 59000 0)",
                                    "#<date nanosecond: 0 second: 0 minute: 0 hour: 0 day: 31 month: 5 "
                                    "year: 2020 zone-offset: 0>"),
    "make_time_normalizes": ("(make-time time-utc 1500000000 3)",
                             "#<time type: time-utc nanosecond: 500000000 second: 4>"),
    "make_time_negative_nanoseconds": ("(make-time time-utc -1 3)",
                                       "#<time type: time-utc nanosecond: 999999999 second: 2>"),
    "make_time_negative_seconds": ("(make-time time-duration 5 -3)",
                                   "#<time type: time-duration nanosecond: -999999995 second: -2>"),
    "time_difference": ("(time-difference (make-time time-utc 100 10) (make-time time-utc 200 5))",
                        "#<time type: time-duration nanosecond: 999999900 second: 4>"),
    "add_duration": ("(add-duration (make-time time-utc 900000000 10) (make-time time-duration 200000000 1))",
                     "#<time type: time-utc nanosecond: 100000000 second: 12>"),
    "subtract_duration": ("(subtract-duration (make-time time-utc 100000000 10) "
                          "(make-time time-duration 200000000 1))",
                          "#<time type: time-utc nanosecond: 900000000 second: 8>"),
    "time_comparisons": ("(list (time<? (make-time time-utc 1 1) (make-time time-utc 2 1)) "
                         "(time=? (make-time time-utc 1 1) (make-time time-utc 1 1)) "
                         "(time>? (make-time time-utc 1 2) (make-time time-utc 2 1)) "
                         "(time<=? (make-time time-utc 1 1) (make-time time-utc 1 1)) "
                         "(time>=? (make-time time-utc 0 1) (make-time time-utc 1 1)))", "(#t #t #t #t #f)"),
    "utc_to_tai": ("(time-utc->time-tai (make-time time-utc 0 1700000000))",
                   "#<time type: time-tai nanosecond: 0 second: 1700000037>"),
    "tai_to_utc": ("(time-tai->time-utc (make-time time-tai 0 1700000037))",
                   "#<time type: time-utc nanosecond: 0 second: 1700000000>"),
    "utc_to_monotonic": ("(time-utc->time-monotonic (make-time time-utc 0 1700000000))",
                         "#<time type: time-monotonic nanosecond: 0 second: 1700000037>"),
    "tai_to_date": ("(time-tai->date (make-time time-tai 0 1700000037) 0)",
                    "#<date nanosecond: 0 second: 20 minute: 13 hour: 22 day: 14 month: 11 year: 2023 "
                    "zone-offset: 0>"),
    "string_to_date_iso": ("(string->date \"2021-02-03T09:07:05+0100\" \"~Y-~m-~dT~H:~M:~S~z\")",
                           "#<date nanosecond: 0 second: 5 minute: 7 hour: 9 day: 3 month: 2 year: 2021 "
                           "zone-offset: 3600>"),
    "string_to_date_nanoseconds": ("(string->date \"2021-02-03 09:07:05.5 Z\" \"~Y-~m-~d ~H:~M:~S.~N ~z\")",
                                   "#<date nanosecond: 500000000 second: 5 minute: 7 hour: 9 day: 3 month: 2 "
                                   "year: 2021 zone-offset: 0>"),
    "string_to_date_month_name": ("(string->date \"Feb 3 2021 -0430\" \"~b ~d ~Y ~z\")",
                                  "#<date nanosecond: 0 second: 0 minute: 0 hour: 0 day: 3 month: 2 "
                                  "year: 2021 "
                                  "zone-offset: -16200>"),
    "string_to_date_long_names": ("(string->date \"Wednesday, 03 February 2021 +0000\" \"~A, ~d ~B ~Y ~z\")",
                                  "#<date nanosecond: 0 second: 0 minute: 0 hour: 0 day: 3 month: 2 "
                                  "year: 2021 "
                                  "zone-offset: 0>"),
    "string_to_date_padded": ("(string->date \" 3/ 2/2021 +0000\" \"~e/~m/~Y ~z\")",
                              "#<date nanosecond: 0 second: 0 minute: 0 hour: 0 day: 3 month: 2 year: 2021 "
                              "zone-offset: 0>"),
    "string_to_date_round_trip": ("(date->string (string->date \"2021-02-03T09:07:05+0100\" "
                                  "\"~Y-~m-~dT~H:~M:~S~z\") \"~4\")", "\"2021-02-03T09:07:05+0100\""),
    "negative_year": ("(date->string (make-date 0 0 0 0 1 1 -5 0) \"~Y ~y\")", "\"-0004 05\""),
    "five_digit_year": ("(date->string (make-date 0 0 0 0 1 1 12345 0) \"~Y\")", "\"+12345\""),
    "negative_year_week_day": ("(date->string (make-date 0 0 0 0 1 1 -5 0) \"~a ~j ~U\")", "\"Mon 001 00\""),
    "time_error_arguments": ("(catch #t (lambda () (time<? (make-time time-utc 0 1) (make-time time-tai "
                             "0 1))) "
                             "(lambda (k . a) (list k (car a) (cadr a) (car (caddr a)))))",
                             "(misc-error time<? \"TIME-ERROR type ~A: ~S\" incompatible-time-types)"),
    "bad_format_string": ("(catch 'misc-error (lambda () (date->string d \"~Q\")) (lambda (k . a) (caddr "
                          "a)))",
                          "(bad-date-format-string \"~Q\")"),
    "incomplete_date": ("(catch 'misc-error (lambda () (string->date \"2020\" \"~Y-~m\")) "
                        "(lambda (k . a) (caddr a)))", "(bad-date-format-string \"~Y-~m\")"),
}


@pytest.mark.parametrize("name", list(GUILE_CASES))
def test_srfi19_like_guile(ev, name: str) -> None:
    text, expected = GUILE_CASES[name]
    assert ev(text) == expected


# ---------------------------------------------------------------- clocks (values vary)


def test_current_date(ev) -> None:
    text = "(let ((d (current-date 7200))) (list (date? d) (date-zone-offset d) (> (date-year d) 2020)))"
    assert ev(text) == "(#t 7200 #t)"


def test_srfi19_current_time_is_a_time_object(ev) -> None:
    assert ev("(let ((t (%srfi-19-current-time))) (list (time? t) (time-type t) (> (time-second t) "
              "1600000000)))") \
        == "(#t time-utc #t)"
    assert ev("(time-type (%srfi-19-current-time time-monotonic))") == "time-monotonic"


def test_current_julian_day_is_exact(ev) -> None:
    assert ev("(let ((j (current-julian-day))) (list (exact? j) (> j 2459000)))") == "(#t #t)"


def test_current_date_round_trips_through_time_utc(ev) -> None:
    text = "(let* ((d (current-date 0)) (d2 (time-utc->date (date->time-utc d) 0))) (equal? d d2))"
    assert ev(text) == "#t"


# ---------------------------------------------------------------- errors and Python API


def test_date_accessor_wrong_type(interp: Interpreter) -> None:
    with pytest.raises(SchemeError) as info:
        interp.eval_string("(date-year 5)")
    assert "date-year" in str(info.value) and "Wrong type argument" in str(info.value)


def test_date_predicates(ev) -> None:
    assert ev("(list (date? d) (date? 5) (time? (make-time time-utc 0 0)) (time? d))") == "(#t #f #t #f)"


def test_time_mutators(ev) -> None:
    assert ev("(let ((t (make-time time-utc 0 0))) (set-time-second! t 5) (set-time-nanosecond! t 7) "
              "(set-time-type! t time-tai) t)") == "#<time type: time-tai nanosecond: 7 second: 5>"


def test_copy_time_is_independent(ev) -> None:
    assert ev("(let* ((t (make-time time-utc 1 2)) (c (copy-time t))) (set-time-second! c 9) "
              "(list (time-second t) (time-second c)))") == "(2 9)"


def test_python_date_api() -> None:
    d = make_date(0, 0, 0, 0, 1, 1, 2020, 0)
    assert isinstance(d, Date)
    assert (d.year, d.month, d.day, d.zone_offset) == (2020, 1, 1, 0)
    assert date_to_string(d, "~4") == "2020-01-01T00:00:00Z"


def test_core_integer_current_time_accepted_as_utc_time(ev) -> None:
    # Guile's core current-time gives integer seconds; SRFI-19 procedures take it as a UTC time.
    assert ev("(date? (time-utc->date (current-time) 0))") == "#t"
    assert ev("(date->string (time-utc->date 1700000000 0) \"~4\")") == "\"2023-11-14T22:13:20Z\""
    assert ev("(time<? 5 (make-time time-utc 0 6))") == "#t"
