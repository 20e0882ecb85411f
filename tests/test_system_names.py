"""Names Guix exports from its (gnu system ...) modules that configs import by
name (`#:select`) or call: each is available from the module Guix has it in and
gives what Guix gives (facts read from Guix's tree: gnu/system/*.scm)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ev, system_check

from schemy.app import Interpreter
from schemy.lang.datum import to_str


@pytest.fixture(scope="module")
def interp():
    return Interpreter()


def text(interp, code: str) -> str:
    return to_str(ev(interp, code))


# (gnu system accounts): Guix defines the account records there.

ACCOUNT_NAMES = """user-account user-account? user-account-name user-account-password
user-account-uid user-account-group user-account-supplementary-groups user-account-comment
user-account-home-directory user-account-create-home-directory? user-account-shell
user-account-system? user-group user-group? user-group-name user-group-password user-group-id
user-group-system? sexp->user-account sexp->user-group default-shell""".split()


def test_accounts_exports_every_account_accessor_guix_has(interp):
    ev(interp, f"(use-modules ((gnu system accounts) #:select ({' '.join(ACCOUNT_NAMES)})))")
    got = text(interp, """(let ((a (user-account (name "alice") (group "users") (uid 1000)
                                        (supplementary-groups '("wheel")))))
      (object->string (list (user-account-name a) (user-account-home-directory a)
                            (user-account-uid a) (user-account-group a)
                            (user-account-supplementary-groups a) (user-account-comment a)
                            (user-account-create-home-directory? a) (user-account-system? a)
                            (user-account-password a))))""")
    assert got == '("alice" "/home/alice" 1000 "users" ("wheel") "" #t #f #f)'


def test_accounts_group_accessors(interp):
    ev(interp, "(use-modules (gnu system accounts))")
    got = text(interp, """(let ((g (user-group (name "kvm") (id 302) (system? #t))))
      (object->string (list (user-group-name g) (user-group-id g) (user-group-system? g)
                            (user-group-password g))))""")
    assert got == '("kvm" 302 #t #f)'


def test_default_shell_parameter_sets_the_shell_of_new_accounts(interp):
    ev(interp, "(use-modules (gnu system accounts))")
    got = text(interp, """(object->string
      (list (user-account-shell (user-account (name "a") (group "users")))
            (parameterize ((default-shell "/bin/zsh"))
              (user-account-shell (user-account (name "b") (group "users"))))))""")
    assert got == '("/bin/bash" "/bin/zsh")'


def test_sexp_to_user_account_reads_guix_tuple_order(interp):
    ev(interp, "(use-modules (gnu system accounts))")
    got = text(interp, """(let ((a (sexp->user-account
                 '("bob" 1001 "users" ("audio") "Bob" "/srv/bob" #f "/bin/sh" "x" #t))))
      (object->string (list (user-account-name a) (user-account-uid a) (user-account-group a)
                            (user-account-supplementary-groups a) (user-account-comment a)
                            (user-account-home-directory a)
                            (user-account-create-home-directory? a) (user-account-shell a)
                            (user-account-password a) (user-account-system? a))))""")
    assert got == '("bob" 1001 "users" ("audio") "Bob" "/srv/bob" #f "/bin/sh" "x" #t)'


def test_sexp_to_user_group_reads_guix_tuple_order(interp):
    ev(interp, "(use-modules (gnu system accounts))")
    got = text(interp, """(let ((g (sexp->user-group '("wheel" #f 10 #t))))
      (object->string (list (user-group-name g) (user-group-password g) (user-group-id g)
                            (user-group-system? g))))""")
    assert got == '("wheel" #f 10 #t)'
