"""Number syntax as Guile reads it: ``#e #i #b #o #d #x`` prefixes, rationals, decimals with
any exponent marker, infinities and NaNs, rectangular and polar complex numbers.  The reader,
the printer (to tell symbols that look like numbers) and ``string->number`` share it."""

from __future__ import annotations

import cmath
import re
from fractions import Fraction
from typing import Any


class OutOfRange(Exception):
    """A number whose exponent Guile refuses (|e| beyond the double range)."""


def _build_number_re(radix: int) -> re.Pattern[str]:
    digit = {2: "[01]", 8: "[0-7]", 10: "[0-9]", 16: "[0-9a-f]"}[radix]
    if radix == 10:
        ureal = r"(?:[0-9]+/[0-9]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[esfdl][+-]?[0-9]+)?)"
    else:
        ureal = rf"(?:{digit}+/{digit}+|{digit}+)"
    named = r"(?:inf\.0|nan\.0)"
    real = rf"(?:[+-]?{ureal}|[+-]{named})"
    imag = rf"[+-](?:{ureal}|{named})?i"
    return re.compile(
        rf"(?P<r>{real})|(?P<cr>{real})?(?P<ci>{imag})|(?P<pm>{real})@(?P<pa>{real})",
        re.I)


# Compiled on first use: each costs ~1.5 ms and most programs only need radix 10.
_NUMBER_RES: dict[int, re.Pattern[str]] = {}
_DECIMAL_RE = re.compile(r"([0-9]*)\.?([0-9]*)(?:[esfdl]([+-]?[0-9]+))?", re.I)
_RADIX_PREFIXES = {"b": 2, "o": 8, "d": 10, "x": 16}


def _int10(digits: str) -> int:
    """``int(digits)`` without Python's 4300-digit conversion limit."""
    if len(digits) <= 4000:
        return int(digits)
    half = len(digits) // 2
    return _int10(digits[:-half]) * 10 ** half + _int10(digits[-half:])


def _exact(value: Fraction) -> int | Fraction:
    return value.numerator if value.denominator == 1 else value


def _real_value(text: str, radix: int, exactness: str | None) -> Any:
    """The value of one real part already known to match the number syntax."""
    negative = text[0] == "-"
    body = text[1:] if text[0] in "+-" else text
    low = body.lower()
    if low == "inf.0":
        if exactness == "e":
            return None
        return float("-inf") if negative else float("inf")
    if low == "nan.0":
        return None if exactness == "e" else float("nan")
    if "/" in body:
        num, den = body.split("/")
        denominator = int(den, radix) if radix != 10 else _int10(den)
        if denominator == 0:
            return None
        numerator = int(num, radix) if radix != 10 else _int10(num)
        value: Any = _exact(Fraction(-numerator if negative else numerator, denominator))
        if exactness == "i":
            value = float(value)
        return value
    if radix == 10 and not body.isdigit():
        m = _DECIMAL_RE.fullmatch(body)
        assert m is not None
        whole, frac, exp_text = m.group(1), m.group(2), m.group(3)
        exponent = int(exp_text) if exp_text else 0
        if not -324 <= exponent <= 308:
            raise OutOfRange(text)
        if exactness == "e":
            value = Fraction(_int10((whole + frac) or "0"), 10 ** len(frac)) * Fraction(10) ** exponent
            value = _exact(value)
            return -value if negative else value
        value = float(f"{whole or '0'}.{frac or '0'}e{exponent}")
        return -value if negative else value
    value = int(body, radix) if radix != 10 else _int10(body)
    if negative:
        value = -value
    if exactness == "i":
        value = float(value)
    return value


def parse_number(text: str, radix: int = 10) -> Any:
    """Guile's ``string->number``: the number ``text`` denotes, or None.

    Handles ``#e #i #b #o #d #x`` prefixes, rationals, decimals with any of
    Guile's exponent markers, ``+inf.0``/``+nan.0`` and rectangular or polar
    complex numbers.  Raises OverflowError for an exponent outside the
    double range (Guile reports those as out of range rather than not-a-number).
    """
    if radix not in _RADIX_PREFIXES.values():
        raise ValueError(f"unsupported radix: {radix}")
    exactness: str | None = None
    radix_seen = False
    i = 0
    n = len(text)
    while i < n and text[i] == "#":
        if i + 1 >= n:
            return None
        c = text[i + 1].lower()
        if c in "ei":
            if exactness is not None:
                return None
            exactness = c
        elif c in _RADIX_PREFIXES:
            if radix_seen:
                return None
            radix_seen = True
            radix = _RADIX_PREFIXES[c]
        else:
            return None
        i += 2
    if i:
        text = text[i:]
    if not text:
        return None
    try:
        return number_value(text, radix, exactness)
    except OutOfRange as exc:
        raise OverflowError(f"number out of range: {exc}") from None


def number_value(text: str, radix: int, exactness: str | None) -> Any:
    if radix == 10 and exactness is None and text.isdigit() and text.isascii():
        return int(text) if len(text) <= 4000 else _int10(text)
    pattern = _NUMBER_RES.get(radix)
    if pattern is None:
        pattern = _NUMBER_RES[radix] = _build_number_re(radix)
    m = pattern.fullmatch(text)
    if m is None:
        return None
    try:
        real = m.group("r")
        if real is not None:
            return _real_value(real, radix, exactness)
        imag = m.group("ci")
        if imag is not None:
            re_text = m.group("cr")
            re_value: Any = 0 if re_text is None else _real_value(re_text, radix, exactness)
            im_body = imag[:-1]
            im_value: Any = (-1 if im_body == "-" else 1) if len(im_body) == 1 else _real_value(
                im_body, radix, exactness)
            if re_value is None or im_value is None:
                return None
            if im_value == 0 and not isinstance(im_value, float):
                return re_value
            return complex(float(re_value), float(im_value))
        magnitude = _real_value(m.group("pm"), radix, exactness)
        angle = _real_value(m.group("pa"), radix, exactness)
        if magnitude is None or angle is None:
            return None
        if angle == 0 and not isinstance(angle, float):
            return magnitude
        return cmath.rect(float(magnitude), float(angle))
    except (OverflowError, ValueError, ZeroDivisionError):
        raise OutOfRange(text) from None


# ---------------------------------------------------------------- the lexer
