"""(gnu services configuration)'s public field checkers: the sanitizers of record fields."""

from __future__ import annotations

import pytest

from schemy.app import Interpreter
from schemy.lang.errors import SchemeError, render_error

PRELUDE = """
(use-modules (guix records) (gnu services configuration))
(define-record-type* <widget> widget make-widget widget?
  (size   widget-size (default 1)
          (sanitize (field-checker (lambda (v) (and (exact-integer? v) (> v 0)))
                                   "widget: bad size ~s")))
  (name   widget-name (default "w")
          (sanitize (field-checker string? (lambda (v) (format #f "widget: ~a is no name" v)))))
  (parts  widget-parts (default '())
          (sanitize (compose (field-element-checker symbol? "widget: part ~s is not a symbol")
                             (field-checker list? "widget: parts must be a list, not ~s"))))
  (colour widget-colour (default 'red)
          (sanitize (field-checker symbol? (invalid-field-value 'widget 'colour "a symbol")))))
"""


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    i.eval_string(PRELUDE, "prelude.scm")
    return i


def error_of(interp, text: str) -> str:
    with pytest.raises(SchemeError) as info:
        interp.eval_string(text, "test.scm")
    return render_error(info.value)


def test_field_checker_keeps_a_valid_value(interp):
    assert interp.eval_string("(widget-size (widget (size 3)))", "test.scm") == 3


def test_field_checker_error_is_the_message_with_the_value_at_the_construction(interp):
    assert error_of(interp, "\n  (widget (size 0))") == "test.scm:2:2: error: widget: bad size 0"


def test_field_checker_message_may_be_a_procedure_of_the_value(interp):
    assert error_of(interp, "(widget (name 'x))") == "test.scm:1:0: error: widget: x is no name"


def test_field_element_checker_names_the_first_bad_element(interp):
    assert error_of(interp, "(widget (parts '(a \"b\" 3)))") == \
        'test.scm:1:0: error: widget: part "b" is not a symbol'


def test_checkers_compose_list_check_first(interp):
    assert error_of(interp, "(widget (parts 5))") == "test.scm:1:0: error: widget: parts must be a list, not 5"


def test_invalid_field_value_is_define_configurations_message(interp):
    assert error_of(interp, '(widget (colour "blue"))') == \
        "test.scm:1:0: error: invalid value \"blue\" for field 'colour' of widget (expected a symbol)"
    interp.eval_string("(define-configuration/no-serialization gadget (colour (symbol 'red) \"Colour.\"))",
                       "test.scm")
    assert error_of(interp, '(gadget (colour "blue"))') == \
        "test.scm:1:0: error: invalid value \"blue\" for field 'colour' of gadget (expected a symbol)"


def test_file_system_flags_are_checked_element_by_element(interp):
    interp.eval_string("(use-modules (gnu system file-systems))", "test.scm")
    message = error_of(interp, '(file-system (device "/dev/sda1") (mount-point "/") (type "ext4") '
                               "(flags '(read-only sometimes)))")
    assert message.startswith("test.scm:1:0: error: file-system: unknown flag 'sometimes' (known flags: ")
