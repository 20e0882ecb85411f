"""(guix base16), (guix base32), (guix base64), (gcrypt hash) and (gcrypt random), and the
Transmission password helpers of (gnu services file-sharing) built on them."""

from __future__ import annotations

import hashlib

import pytest

from schemy.app import Interpreter
from schemy.lang.errors import SchemeError

IMPORTS = ("(use-modules (guix base16) (guix base32) (guix base64) (gcrypt hash) (gcrypt random)"
           " (rnrs bytevectors) (gnu services file-sharing))")


@pytest.fixture(scope="module")
def ev():
    i = Interpreter()
    i.eval_string(IMPORTS)
    return lambda text: i.eval_string(text)


def test_sha256_in_base16(ev):
    assert str(ev('(bytevector->base16-string (sha256 (string->utf8 "abc")))')) == hashlib.sha256(b"abc").hexdigest()


def test_hash_algorithm_records(ev):
    assert str(ev('(bytevector->base16-string (bytevector-hash (string->utf8 "x") (hash-algorithm sha1)))')) \
        == hashlib.sha1(b"x").hexdigest()
    assert ev("(hash-size (hash-algorithm sha512))") == 64
    assert ev("(lookup-hash-algorithm 'nope)") is False


def test_base16_round_trip(ev):
    assert str(ev('(utf8->string (base16-string->bytevector "68656c6c6f"))')) == "hello"


def test_rfc4648_base32_is_lower_case_without_padding(ev):
    assert str(ev('(bytevector->base32-string (string->utf8 "foobar"))')) == "mzxw6ytboi"
    assert str(ev('(utf8->string (base32-string->bytevector "mzxw6ytboi"))')) == "foobar"


def test_bad_base32_is_an_error(ev):
    with pytest.raises(SchemeError, match="invalid base32"):
        ev('(base32-string->bytevector "MZ!")')


def test_base64_standard_and_url_alphabets(ev):
    assert str(ev('(base64-encode (string->utf8 "hello?>"))')) == "aGVsbG8/Pg=="
    assert str(ev('(base64-encode (string->utf8 "hello?>") 0 7 #f #f base64url-alphabet)')) == "aGVsbG8_Pg=="
    assert str(ev('(utf8->string (base64-decode "aGVsbG8/Pg=="))')) == "hello?>"


def test_random_bytes_are_fresh(ev):
    assert ev("(bytevector-length (gen-random-bv 16 %gcry-strong-random))") == 16
    assert ev("(equal? (gen-random-bv 16) (gen-random-bv 16))") is False


def test_transmission_password_hash_as_transmission_writes_it(ev):
    expected = "{" + hashlib.sha1(b"transmissionuKd1uMs9").hexdigest() + "uKd1uMs9"
    assert str(ev('(transmission-password-hash "transmission" "uKd1uMs9")')) == expected


def test_transmission_salt_must_have_eight_characters(ev):
    with pytest.raises(SchemeError, match="8 characters"):
        ev('(transmission-password-hash "pw" "short")')


def test_transmission_random_salt(ev):
    salt = str(ev("(transmission-random-salt)"))
    assert len(salt) == 8
    assert all(c.isalnum() or c in "./" for c in salt)


def test_symlink_to_builds_a_dangling_link_into_home(tmp_path):
    """(guix gexp)'s symlink-to: a store item that is a symbolic link to a target that need
    not exist, put into the home by home-files-service-type (the manual's example)."""
    import os
    import subprocess
    import sys

    config = tmp_path / "home.scm"
    config.write_text('(use-modules (gnu home) (gnu home services) (gnu services) (guix gexp))\n'
                      '(home-environment (services (list (service home-files-service-type\n'
                      '  `(("Sync" ,(symlink-to "/nonexistent/Sync")))))))\n')
    root = tmp_path / "root"
    done = subprocess.run([sys.executable, "-m", "schemy", "home", "build", str(config), "--root", str(root)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    link = root / "home" / "Sync"
    assert os.path.realpath(link) == "/nonexistent/Sync"
    assert not link.exists()  # dangling, as asked


def test_base64_lines_are_cut_and_joined_as_asked(ev):
    assert str(ev('(base64-encode (string->utf8 "hello?>") 0 7 4 "\\r\\n")')) == "aGVs\r\nbG8/\r\nPg=="
