"""Byte codecs and digests for ``(guix base16)``, ``(guix base32)``, ``(guix base64)``,
``(gcrypt hash)`` and ``(gcrypt random)``: Python's ``hashlib``, ``base64`` and ``secrets``
behind the names Guix and Guile-Gcrypt give them.  Bytevectors are ``bytearray``s."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from typing import Any

from schemy.lang.datum import Symbol, to_str
from schemy.lang.errors import scheme_error

_RFC4648 = "abcdefghijklmnopqrstuvwxyz234567"


def to_base16(bv: Any) -> str:
    """Lower-case hexadecimal, two digits a byte."""
    return bytes(bv).hex()


def from_base16(text: Any) -> bytearray:
    s = to_str(text)
    try:
        return bytearray(bytes.fromhex(s))
    except ValueError:
        raise scheme_error(f"invalid hexadecimal string: {s!r}", kind="misc-error") from None


def to_base32(bv: Any) -> str:
    """RFC 4648 base32 in lower case without padding, as Guix writes it."""
    return base64.b32encode(bytes(bv)).decode().rstrip("=").lower()


def from_base32(text: Any) -> bytearray:
    s = to_str(text)
    bad = [c for c in s if c not in _RFC4648]
    if bad:
        raise scheme_error(f"invalid base32 string: {s!r} (bad character {bad[0]!r})", kind="misc-error")
    padded = s.upper() + "=" * (-len(s) % 8)
    try:
        return bytearray(base64.b32decode(padded))
    except binascii.Error:
        raise scheme_error(f"invalid base32 string: {s!r}", kind="misc-error") from None


def _alphabet(alphabet: Any) -> bytes | None:
    """The two last characters of a base64 alphabet other than the standard one."""
    if alphabet is None:
        return None
    s = to_str(alphabet)
    return None if s.endswith("+/") else s[-2:].encode()


def to_base64(bv: Any, start: int = 0, end: Any = None, line_length: Any = False, line_break: Any = "\n",
              alphabet: Any = None) -> str:
    """Base64 of BV[START:END] with padding (``base64-encode``); LINE-LENGTH, an integer,
    cuts the text into lines joined by LINE-BREAK."""
    data = bytes(bv)[start:end if isinstance(end, int) else None]
    out = base64.b64encode(data, altchars=_alphabet(alphabet)).decode()
    if type(line_length) is int and line_length > 0:
        out = to_str(line_break).join(out[i:i + line_length] for i in range(0, len(out), line_length))
    return out


def from_base64(text: Any, alphabet: Any = None) -> bytearray:
    s = "".join(to_str(text).split())
    try:
        return bytearray(base64.b64decode(s + "=" * (-len(s) % 4), altchars=_alphabet(alphabet), validate=True))
    except binascii.Error:
        raise scheme_error(f"invalid base64 string: {s[:40]!r}", kind="misc-error") from None


_ALGORITHMS = {"md5": "md5", "sha1": "sha1", "sha224": "sha224", "sha256": "sha256", "sha384": "sha384",
               "sha512": "sha512", "sha3-224": "sha3_224", "sha3-256": "sha3_256", "sha3-384": "sha3_384",
               "sha3-512": "sha3_512", "blake2b-256": "blake2b", "blake2b-512": "blake2b",
               "blake2s-256": "blake2s"}


def _hasher(algorithm: Any) -> Any:
    name = algorithm.name if isinstance(algorithm, Symbol) else to_str(algorithm)
    py = _ALGORITHMS.get(name)
    if py is None:
        raise scheme_error(f"unsupported hash algorithm: {name}", kind="wrong-type-arg",
                           hint=f"known: {', '.join(_ALGORITHMS)}")
    if name == "blake2b-256":
        return hashlib.blake2b(digest_size=32)
    return hashlib.new(py)


def bytevector_hash(bv: Any, algorithm: Any) -> bytearray:
    """The digest of BV by ALGORITHM (a symbol: sha256, sha1, md5...)."""
    h = _hasher(algorithm)
    h.update(bytes(bv))
    return bytearray(h.digest())


def file_hash(algorithm: Any, file: Any) -> bytearray:
    h = _hasher(algorithm)
    try:
        with open(to_str(file), "rb") as f:
            for chunk in iter(lambda: f.read(1 << 16), b""):
                h.update(chunk)
    except OSError as e:
        raise scheme_error(f"cannot open {to_str(file)}: {e.strerror}", kind="system-error") from None
    return bytearray(h.digest())


def hash_size(algorithm: Any) -> int:
    return _hasher(algorithm).digest_size


def random_bytes(n: int, level: Any = None) -> bytearray:
    """N bytes from the system's cryptographic generator (every gcrypt level is that)."""
    return bytearray(secrets.token_bytes(n))


PRIMITIVES: dict[str, Any] = {
    "bytevector->base16-string": to_base16,
    "base16-string->bytevector": from_base16,
    "bytevector->base32-string": to_base32,
    "base32-string->bytevector": from_base32,
    "%base64-encode": to_base64,
    "%base64-decode": from_base64,
    "%bytevector-hash": bytevector_hash,
    "%file-hash": file_hash,
    "%hash-size": hash_size,
    "%random-bytes": random_bytes,
}
