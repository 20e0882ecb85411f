"""``(srfi srfi-19)``: time and date, following Guile 3's implementation.

Times are ``Time`` objects (type symbol, nanosecond, second) and dates are
``Date`` objects (nanosecond second minute hour day month year zone-offset,
the offset in seconds east of UTC); both print like Guile's records
(``#<date nanosecond: 0 second: 0 ... zone-offset: 0>``), are mutable where
Guile's are, and compare field by field with ``equal?``.  Julian days are
exact rationals, as in Guile.  Month and day names are the C locale's.

Guile's core ``current-time`` (integer seconds) stays the core binding; the
SRFI-19 procedure that returns a time object is ``%srfi-19-current-time``
here (the module system may map ``current-time`` to it for modules importing
``(srfi srfi-19)``).  Meanwhile every procedure expecting a UTC time also
accepts an integer as that many seconds, so ``(time-utc->date (current-time))``
works with the core procedure too.

Errors are Guile's: ``misc-error`` from the procedure, with messages such as
``TIME-ERROR type incompatible-time-types: ...``.
"""

from __future__ import annotations

import time as _clock
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from schemy.lang.datum import UNSPECIFIED, Symbol, is_string, to_str
from schemy.lang.errors import Condition, SchemeError, wrong_type

NANO = 1_000_000_000
SID = 86400  # seconds in a day
SIHD = 43200  # seconds in half a day
UTC_EPOCH_IN_JD = Fraction(4881175, 2)  # Julian day of 1970-01-01T00:00:00Z
MJD_OFFSET = Fraction(4800001, 2)

TIME_UTC = Symbol("time-utc")
TIME_TAI = Symbol("time-tai")
TIME_MONOTONIC = Symbol("time-monotonic")
TIME_DURATION = Symbol("time-duration")
TIME_PROCESS = Symbol("time-process")
TIME_THREAD = Symbol("time-thread")

# (UTC seconds since the epoch when a leap second took effect . TAI - UTC from then on)
LEAP_SECONDS: list[tuple[int, int]] = [
    (1483228800, 37), (1435708800, 36), (1341100800, 35), (1230768000, 34), (1136073600, 33),
    (915148800, 32), (867715200, 31), (820454400, 30), (773020800, 29), (741484800, 28),
    (709948800, 27), (662688000, 26), (631152000, 25), (567993600, 24), (489024000, 23),
    (425865600, 22), (394329600, 21), (362793600, 20), (315532800, 19), (283996800, 18),
    (252460800, 17), (220924800, 16), (189302400, 15), (157766400, 14), (126230400, 13),
    (94694400, 12), (78796800, 11), (63072000, 10),
]

DAYS_SHORT = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
DAYS_LONG = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTHS_LONG = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


def _w(x: Any) -> str:
    from schemy.lang.printer import write_string

    return write_string(x)


def time_error(caller: str, kind: str, value: Any = None) -> SchemeError:
    """Guile's ``(throw 'misc-error caller "TIME-ERROR type ~A: ~S" (list kind value) #f)``."""
    from schemy.lang.datum import make_list

    text = f"TIME-ERROR type {kind}" + (f": {_w(value)}" if value is not None else "")
    fmt = "TIME-ERROR type ~A: ~S" if value is not None else "TIME-ERROR type ~A"
    items = [Symbol(kind)] + ([value] if value is not None else [])
    args = [Symbol(caller), fmt, make_list(items), False]
    return SchemeError(Condition("misc-error", text, origin=caller,
                                 fields={"key": Symbol("misc-error"), "args": args}))


def _exact(q: Any) -> Any:
    """An exact rational as schemy represents it (an int when integral)."""
    if q.__class__ is Fraction and q.denominator == 1:
        return q.numerator
    return q


# ====================================================================== time objects


class Time:
    """A SRFI-19 time: ``kind`` is one of the ``time-...`` symbols."""

    __slots__ = ("kind", "nanosecond", "second")

    def __init__(self, kind: Any, nanosecond: Any, second: Any) -> None:
        self.kind = kind
        self.nanosecond = nanosecond
        self.second = second

    def normalize(self) -> Time:
        s, ns = self.second, self.nanosecond
        if abs(ns) >= NANO:
            q = int(ns / NANO) if ns.__class__ is float else _trunc_quotient(ns, NANO)
            s = s + q
            ns = ns - q * NANO
        if s > 0 and ns < 0:
            s, ns = s - 1, ns + NANO
        elif s < 0 and ns > 0:
            s, ns = s + 1, ns - NANO
        self.second, self.nanosecond = s, ns
        return self

    def copy(self) -> Time:
        return Time(self.kind, self.nanosecond, self.second)

    def __scheme_repr__(self, write: bool) -> str:
        return f"#<time type: {_w(self.kind)} nanosecond: {_w(self.nanosecond)} second: {_w(self.second)}>"

    def __scheme_equal__(self, other: Any) -> bool:
        from schemy.runtime.primitives.equality import is_equal

        return (other.__class__ is Time and self.kind is other.kind
                and is_equal(self.nanosecond, other.nanosecond) and is_equal(self.second, other.second))

    def __repr__(self) -> str:
        return self.__scheme_repr__(True)


def _trunc_quotient(a: Any, b: int) -> Any:
    q = abs(a) // b
    return _exact(q if a >= 0 else -q)


def _as_time(x: Any) -> Any:
    """Guile's core ``current-time`` returns integer seconds; where SRFI-19 wants a time,
    such an integer stands for the UTC time with that many seconds (a schemy leniency:
    the core and SRFI-19 ``current-time`` share one namespace here)."""
    return Time(TIME_UTC, 0, x) if x.__class__ is int else x


def _time(x: Any, origin: str) -> Time:
    if x.__class__ is not Time:
        if x.__class__ is int and not origin.endswith("!"):
            return _as_time(x)
        raise wrong_type(origin, 1, x, "time")
    return x


def make_time(kind: Any, nanosecond: Any, second: Any) -> Time:
    return Time(kind, nanosecond, second).normalize()


def is_time(x: Any) -> bool:
    return x.__class__ is Time


def time_type(t: Any) -> Any:
    return _time(t, "time-type").kind


def time_nanosecond(t: Any) -> Any:
    return _time(t, "time-nanosecond").nanosecond


def time_second(t: Any) -> Any:
    return _time(t, "time-second").second


def set_time_type(t: Any, v: Any) -> Any:
    _time(t, "set-time-type!").kind = v
    return UNSPECIFIED


def set_time_nanosecond(t: Any, v: Any) -> Any:
    _time(t, "set-time-nanosecond!").nanosecond = v
    return UNSPECIFIED


def set_time_second(t: Any, v: Any) -> Any:
    _time(t, "set-time-second!").second = v
    return UNSPECIFIED


def copy_time(t: Any) -> Time:
    return _time(t, "copy-time").copy()


def _now_utc() -> Time:
    ns = _clock.time_ns()
    # Guile's clock has microsecond resolution (gettimeofday).
    return Time(TIME_UTC, (ns // 1000) % 1_000_000 * 1000, ns // NANO)


def utc_to_tai(seconds: Any) -> Any:
    for when, delta in LEAP_SECONDS:
        if seconds >= when:
            return seconds + delta
    return seconds


def tai_to_utc(seconds: Any) -> Any:
    for when, delta in LEAP_SECONDS:
        if seconds >= when + delta:
            return seconds - delta
    return seconds


def current_time(clock: Any = TIME_UTC) -> Time:
    """SRFI-19's ``current-time``: a time object of the given clock type (default UTC)."""
    now = _now_utc()
    if clock is TIME_UTC:
        return now
    if clock is TIME_TAI or clock is TIME_MONOTONIC:
        return Time(clock, now.nanosecond, utc_to_tai(now.second))
    if clock is TIME_PROCESS:
        ns = _clock.process_time_ns()
        return make_time(TIME_PROCESS, ns % NANO, ns // NANO)
    if clock is TIME_THREAD:
        raise time_error("current-time-thread", "unsupported-clock-type", TIME_THREAD)
    raise time_error("current-time", "invalid-clock-type", clock)


def time_resolution(clock: Any = TIME_UTC) -> int:
    if clock in (TIME_UTC, TIME_TAI, TIME_MONOTONIC):
        return 1000
    if clock is TIME_PROCESS:
        return 1
    raise time_error("time-resolution", "invalid-clock-type", clock)


def _check_pair(t1: Any, t2: Any, caller: str) -> tuple[Time, Time]:
    t1, t2 = _as_time(t1), _as_time(t2)
    if not (t1.__class__ is Time and t2.__class__ is Time and t1.kind is t2.kind):
        from schemy.lang.datum import make_pair

        raise time_error(caller, "incompatible-time-types", make_pair(t1, t2))
    return t1, t2


def _key(t: Time) -> tuple:
    return (t.second, t.nanosecond)


def time_eq(t1: Any, t2: Any) -> bool:
    t1, t2 = _check_pair(t1, t2, "time=?")
    return _key(t1) == _key(t2)


def time_lt(t1: Any, t2: Any) -> bool:
    t1, t2 = _check_pair(t1, t2, "time<?")
    return _key(t1) < _key(t2)


def time_gt(t1: Any, t2: Any) -> bool:
    t1, t2 = _check_pair(t1, t2, "time>?")
    return _key(t1) > _key(t2)


def time_le(t1: Any, t2: Any) -> bool:
    t1, t2 = _check_pair(t1, t2, "time<=?")
    return _key(t1) <= _key(t2)


def time_ge(t1: Any, t2: Any) -> bool:
    t1, t2 = _check_pair(t1, t2, "time>=?")
    return _key(t1) >= _key(t2)


def time_difference_x(t1: Any, t2: Any) -> Time:
    if t1.__class__ is not Time:
        raise wrong_type("time-difference!", 1, t1, "time")
    t1, t2 = _check_pair(t1, t2, "time-difference!")
    t1.kind = TIME_DURATION
    t1.second, t1.nanosecond = t1.second - t2.second, t1.nanosecond - t2.nanosecond
    return t1.normalize()


def time_difference(t1: Any, t2: Any) -> Time:
    t1, t2 = _check_pair(t1, t2, "time-difference")
    return time_difference_x(t1.copy(), t2)


def add_duration_x(t: Any, d: Any) -> Time:
    if _time(d, "add-duration!").kind is not TIME_DURATION:
        raise time_error("add-duration!", "not-duration", d)
    t = _time(t, "add-duration!")
    t.second, t.nanosecond = t.second + d.second, t.nanosecond + d.nanosecond
    return t.normalize()


def add_duration(t: Any, d: Any) -> Time:
    return add_duration_x(_time(t, "add-duration").copy(), d)


def subtract_duration_x(t: Any, d: Any) -> Time:
    if _time(d, "subtract-duration!").kind is not TIME_DURATION:
        raise time_error("subtract-duration!", "not-duration", d)
    t = _time(t, "subtract-duration!")
    t.second, t.nanosecond = t.second - d.second, t.nanosecond - d.nanosecond
    return t.normalize()


def subtract_duration(t: Any, d: Any) -> Time:
    return subtract_duration_x(_time(t, "subtract-duration").copy(), d)


# -- converters between time types


def _expect(t: Any, kind: Symbol, caller: str) -> Time:
    if t.__class__ is int and kind is TIME_UTC and not caller.endswith("!"):
        t = _as_time(t)
    if t.__class__ is not Time or t.kind is not kind:
        raise time_error(caller, "incompatible-time-types", t)
    return t


def time_tai_to_utc(t: Any) -> Time:
    t = _expect(t, TIME_TAI, "time-tai->time-utc")
    return Time(TIME_UTC, t.nanosecond, tai_to_utc(t.second))


def time_tai_to_utc_x(t: Any) -> Time:
    t = _expect(t, TIME_TAI, "time-tai->time-utc!")
    t.kind, t.second = TIME_UTC, tai_to_utc(t.second)
    return t


def time_utc_to_tai(t: Any) -> Time:
    t = _expect(t, TIME_UTC, "time-utc->time-tai")
    return Time(TIME_TAI, t.nanosecond, utc_to_tai(t.second))


def time_utc_to_tai_x(t: Any) -> Time:
    t = _expect(t, TIME_UTC, "time-utc->time-tai!")
    t.kind, t.second = TIME_TAI, utc_to_tai(t.second)
    return t


def time_monotonic_to_utc(t: Any) -> Time:
    t = _expect(t, TIME_MONOTONIC, "time-monotonic->time-utc")
    return Time(TIME_UTC, t.nanosecond, tai_to_utc(t.second))


def time_monotonic_to_utc_x(t: Any) -> Time:
    t = _expect(t, TIME_MONOTONIC, "time-monotonic->time-utc!")
    t.kind, t.second = TIME_UTC, tai_to_utc(t.second)
    return t


def time_monotonic_to_tai(t: Any) -> Time:
    t = _expect(t, TIME_MONOTONIC, "time-monotonic->time-tai")
    return Time(TIME_TAI, t.nanosecond, t.second)


def time_monotonic_to_tai_x(t: Any) -> Time:
    _expect(t, TIME_MONOTONIC, "time-monotonic->time-tai!").kind = TIME_TAI
    return t


def time_utc_to_monotonic(t: Any) -> Time:
    t = _expect(t, TIME_UTC, "time-utc->time-monotonic")
    return Time(TIME_MONOTONIC, t.nanosecond, utc_to_tai(t.second))


def time_utc_to_monotonic_x(t: Any) -> Time:
    t = _expect(t, TIME_UTC, "time-utc->time-monotonic!")
    t.kind, t.second = TIME_MONOTONIC, utc_to_tai(t.second)
    return t


def time_tai_to_monotonic(t: Any) -> Time:
    t = _expect(t, TIME_TAI, "time-tai->time-monotonic")
    return Time(TIME_MONOTONIC, t.nanosecond, t.second)


def time_tai_to_monotonic_x(t: Any) -> Time:
    _expect(t, TIME_TAI, "time-tai->time-monotonic!").kind = TIME_MONOTONIC
    return t


# ====================================================================== dates

_DATE_FIELDS = ("nanosecond", "second", "minute", "hour", "day", "month", "year", "zone_offset")


class Date:
    """A SRFI-19 date; ``zone_offset`` is in seconds east of UTC."""

    __slots__ = _DATE_FIELDS

    def __init__(self, nanosecond: Any, second: Any, minute: Any, hour: Any, day: Any, month: Any, year: Any,
                 zone_offset: Any) -> None:
        self.nanosecond = nanosecond
        self.second = second
        self.minute = minute
        self.hour = hour
        self.day = day
        self.month = month
        self.year = year
        self.zone_offset = zone_offset

    def fields(self) -> tuple:
        return tuple(getattr(self, f) for f in _DATE_FIELDS)

    def __scheme_repr__(self, write: bool) -> str:
        inner = " ".join(f"{f.replace('_', '-')}: {_w(getattr(self, f))}" for f in _DATE_FIELDS)
        return f"#<date {inner}>"

    def __scheme_equal__(self, other: Any) -> bool:
        from schemy.runtime.primitives.equality import is_equal

        return other.__class__ is Date and all(is_equal(a, b) for a, b in zip(self.fields(), other.fields()))

    def __repr__(self) -> str:
        return self.__scheme_repr__(True)


def make_date(nanosecond: Any, second: Any, minute: Any, hour: Any, day: Any, month: Any, year: Any,
              zone_offset: Any) -> Date:
    return Date(nanosecond, second, minute, hour, day, month, year, zone_offset)


def is_date(x: Any) -> bool:
    return x.__class__ is Date


def _date(x: Any, origin: str) -> Date:
    if x.__class__ is not Date:
        raise wrong_type(origin, 1, x, "date")
    return x


def _date_accessor(field: str) -> Callable[[Any], Any]:
    origin = "date-" + field.replace("_", "-")

    def access(d: Any) -> Any:
        return getattr(_date(d, origin), field)

    access.scheme_name = origin  # type: ignore[attr-defined]
    return access


def encode_julian_day_number(day: int, month: int, year: int) -> int:
    a = (14 - month) // 12 if 14 - month >= 0 else -((month - 14) // 12)
    y = year + 4800 - a - (-1 if year < 0 else 0)
    m = month + 12 * a - 3
    return day + (153 * m + 2) // 5 + 365 * y + y // 4 - y // 100 + y // 400 - 32045


def decode_julian_day_number(jdn: Any) -> tuple[Any, int, int, int]:
    """(seconds into the day, day, month, year) of Julian day ``jdn``."""
    days = int(jdn // 1)
    a = days + 32044
    b = (4 * a + 3) // 146097
    c = a - (146097 * b) // 4
    d = (4 * c + 3) // 1461
    e = c - (1461 * d) // 4
    m = (5 * e + 2) // 153
    y = 100 * b + d - 4800 + m // 10
    return ((jdn - days) * SID, e - (153 * m + 2) // 5 + 1, m + 3 - 12 * (m // 10), y - 1 if y <= 0 else y)


def local_tz_offset(t: Time | None = None) -> int:
    """Seconds east of UTC of the local time zone at UTC time ``t`` (default: now)."""
    seconds = t.second if t is not None else int(_clock.time())
    try:
        return int(_clock.localtime(seconds).tm_gmtoff)
    except (OverflowError, OSError, ValueError):
        return int(_clock.localtime().tm_gmtoff)


def time_utc_to_date(t: Any, tz_offset: Any = None) -> Date:
    t = _expect(t, TIME_UTC, "time-utc->date")
    if tz_offset is None:
        tz_offset = local_tz_offset(t)
    nanoseconds = t.nanosecond + NANO * t.second
    seconds = nanoseconds // NANO
    jdn = Fraction(seconds + tz_offset + SIHD, SID) + UTC_EPOCH_IN_JD
    secs, day, month, year = decode_julian_day_number(jdn)
    int_secs = round(secs)
    hours, rem = divmod(int_secs, 3600)
    return Date(_exact(nanoseconds % NANO), rem % 60, rem // 60, hours, day, month, year, tz_offset)


def time_tai_to_date(t: Any, tz_offset: Any = None) -> Date:
    t = _expect(t, TIME_TAI, "time-tai->date")
    if any(t.second == when + delta - 1 for when, delta in LEAP_SECONDS):
        utc = subtract_duration_x(time_tai_to_utc(t), Time(TIME_DURATION, 0, 1))
        d = time_utc_to_date(utc, tz_offset)
        d.second = 60
        return d
    return time_utc_to_date(time_tai_to_utc(t), tz_offset)


def time_monotonic_to_date(t: Any, tz_offset: Any = None) -> Date:
    return time_tai_to_date(time_monotonic_to_tai(t), tz_offset)


def date_to_time_utc(d: Any) -> Time:
    d = _date(d, "date->time-utc")
    jdays = encode_julian_day_number(d.day, d.month, d.year) - UTC_EPOCH_IN_JD
    days = int(jdays - Fraction(1, 2))
    seconds = days * SID + d.hour * 3600 + d.minute * 60 + d.second - d.zone_offset
    return make_time(TIME_UTC, d.nanosecond, seconds)


def date_to_time_tai(d: Any) -> Time:
    t = time_utc_to_tai_x(date_to_time_utc(d))
    if d.second == 60:
        subtract_duration_x(t, Time(TIME_DURATION, 0, 1))
    return t


def date_to_time_monotonic(d: Any) -> Time:
    t = time_utc_to_monotonic_x(date_to_time_utc(d))
    if d.second == 60:
        subtract_duration_x(t, Time(TIME_DURATION, 0, 1))
    return t


def leap_year(year: int) -> bool:
    y = year + 1 if year < 0 else year
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


_MONTH_START = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]


def year_day(day: int, month: int, year: int) -> int:
    if not (isinstance(month, int) and 1 <= month <= 12):
        raise time_error("date-year-day", "invalid-month-specification", month)
    return day + _MONTH_START[month - 1] + (1 if leap_year(year) and month > 2 else 0)


def date_year_day(d: Any) -> int:
    d = _date(d, "date-year-day")
    return year_day(d.day, d.month, d.year)


def week_day(day: int, month: int, year: int) -> int:
    yy = year + 1 if year < 0 else year
    a = (14 - month) // 12
    y = yy - a
    m = month + 12 * a - 2
    return (day + y + y // 4 - y // 100 + y // 400 + (31 * m) // 12) % 7


def date_week_day(d: Any) -> int:
    d = _date(d, "date-week-day")
    return week_day(d.day, d.month, d.year)


def _days_before_first_week(d: Date, first_weekday: int) -> int:
    return (first_weekday - week_day(1, 1, d.year)) % 7


def date_week_number(d: Any, first_weekday: int) -> int:
    d = _date(d, "date-week-number")
    return (year_day(d.day, d.month, d.year) - 1 - _days_before_first_week(d, first_weekday)) // 7


def current_date(tz_offset: Any = None) -> Date:
    t = _now_utc()
    return time_utc_to_date(t, local_tz_offset(t) if tz_offset is None else tz_offset)


def natural_year(n: int) -> int:
    """A two-digit year as the year within 50 years of now."""
    current = current_date().year
    century = current // 100 * 100
    if n >= 100 or n < 0:
        return n
    if century + n - current <= 50:
        return century + n
    return century - 100 + n


def date_to_julian_day(d: Any) -> Any:
    d = _date(d, "date->julian-day")
    day_part = Fraction(-d.zone_offset + d.hour * 3600 + d.minute * 60 + d.second, SID) \
        + Fraction(d.nanosecond) / NANO / SID
    return _exact(encode_julian_day_number(d.day, d.month, d.year) - Fraction(1, 2) + day_part)


def date_to_modified_julian_day(d: Any) -> Any:
    return _exact(Fraction(date_to_julian_day(d)) - MJD_OFFSET)


def _time_to_jd(seconds: Any, nanosecond: Any) -> Any:
    return _exact((seconds + Fraction(nanosecond) / NANO) / SID + UTC_EPOCH_IN_JD)


def time_utc_to_julian_day(t: Any) -> Any:
    t = _expect(t, TIME_UTC, "time-utc->julian-day")
    return _time_to_jd(t.second, t.nanosecond)


def time_utc_to_modified_julian_day(t: Any) -> Any:
    return _exact(Fraction(time_utc_to_julian_day(t)) - MJD_OFFSET)


def time_tai_to_julian_day(t: Any) -> Any:
    t = _expect(t, TIME_TAI, "time-tai->julian-day")
    return _time_to_jd(tai_to_utc(t.second), t.nanosecond)


def time_tai_to_modified_julian_day(t: Any) -> Any:
    return _exact(Fraction(time_tai_to_julian_day(t)) - MJD_OFFSET)


def time_monotonic_to_julian_day(t: Any) -> Any:
    t = _expect(t, TIME_MONOTONIC, "time-monotonic->julian-day")
    return _time_to_jd(tai_to_utc(t.second), t.nanosecond)


def time_monotonic_to_modified_julian_day(t: Any) -> Any:
    return _exact(Fraction(time_monotonic_to_julian_day(t)) - MJD_OFFSET)


def julian_day_to_time_utc(jdn: Any) -> Time:
    if jdn.__class__ is float:
        secs = SID * (jdn - float(UTC_EPOCH_IN_JD))
        if secs.is_integer():
            return make_time(TIME_UTC, 0, int(secs))
        whole = int(secs)
        return make_time(TIME_UTC, (secs - whole) * NANO, whole)
    secs = SID * (Fraction(jdn) - UTC_EPOCH_IN_JD)
    whole = int(secs)  # truncate
    return make_time(TIME_UTC, _exact((secs - whole) * NANO), whole)


def julian_day_to_time_tai(jdn: Any) -> Time:
    return time_utc_to_tai_x(julian_day_to_time_utc(jdn))


def julian_day_to_time_monotonic(jdn: Any) -> Time:
    return time_utc_to_monotonic_x(julian_day_to_time_utc(jdn))


def julian_day_to_date(jdn: Any, tz_offset: Any = None) -> Date:
    t = julian_day_to_time_utc(jdn)
    return time_utc_to_date(t, local_tz_offset(t) if tz_offset is None else tz_offset)


def _mjd(jdn: Any) -> Any:
    return jdn + float(MJD_OFFSET) if jdn.__class__ is float else Fraction(jdn) + MJD_OFFSET


def modified_julian_day_to_date(jdn: Any, tz_offset: Any = None) -> Date:
    return julian_day_to_date(_mjd(jdn), tz_offset)


def modified_julian_day_to_time_utc(jdn: Any) -> Time:
    return julian_day_to_time_utc(_mjd(jdn))


def modified_julian_day_to_time_tai(jdn: Any) -> Time:
    return julian_day_to_time_tai(_mjd(jdn))


def modified_julian_day_to_time_monotonic(jdn: Any) -> Time:
    return julian_day_to_time_monotonic(_mjd(jdn))


def current_julian_day() -> Any:
    return time_utc_to_julian_day(_now_utc())


def current_modified_julian_day() -> Any:
    return time_utc_to_modified_julian_day(_now_utc())


# ====================================================================== date->string


def _padding(n: Any, pad: str | None, length: int) -> str:
    from schemy.lang.printer import display_string

    text = display_string(n)
    if pad is None or len(text) >= length:
        return text
    return pad * (length - len(text)) + text


def _tz(offset: int) -> str:
    if offset == 0:
        return "Z"
    sign = "-" if offset < 0 else "+"
    hours = abs(_trunc_quotient(offset, 3600))
    minutes = abs(_trunc_quotient(offset - _trunc_quotient(offset, 3600) * 3600, 60))
    return sign + _padding(hours, "0", 2) + _padding(minutes, "0", 2)


def _fmt_f(d: Date, pad: str | None) -> str:
    s, ns = divmod(d.second * NANO + d.nanosecond, NANO)
    text = _padding(ns, "0", 9)
    return f"{s}.{text[0]}{text[1:].rstrip('0')}"


def _fmt_hour12(d: Date, pad: str | None) -> str:
    hr = d.hour
    return _padding(hr - 12 if hr > 12 else hr, pad, 2)


def _fmt_week(first: int) -> Callable[[Date, str | None], str]:
    def fmt(d: Date, pad: str | None) -> str:
        n = date_week_number(d, first)
        if _days_before_first_week(d, first) > 0:
            n += 1
        return _padding(n, "0", 2)

    return fmt


def _fmt_year(d: Date, pad: str | None) -> str:
    y = d.year + 1 if d.year < 0 else d.year
    sign = "" if 0 <= y <= 9999 else ("-" if y < 0 else "+")
    return sign + _padding(abs(y), pad, 4)


def _sub(fmt: str) -> Callable[[Date, str | None], str]:
    return lambda d, pad: date_to_string(d, fmt)


_DIRECTIVES: dict[str, Callable[[Date, str | None], str]] = {
    "~": lambda d, pad: "~",
    "a": lambda d, pad: DAYS_SHORT[date_week_day(d)],
    "A": lambda d, pad: DAYS_LONG[date_week_day(d)],
    "b": lambda d, pad: MONTHS_SHORT[d.month - 1],
    "B": lambda d, pad: MONTHS_LONG[d.month - 1],
    "c": _sub("~a ~b ~d ~H:~M:~S~z ~Y"),
    "d": lambda d, pad: _padding(d.day, "0", 2),
    "D": _sub("~m/~d/~y"),
    "e": lambda d, pad: _padding(d.day, " ", 2),
    "f": _fmt_f,
    "h": _sub("~b"),
    "H": lambda d, pad: _padding(d.hour, pad, 2),
    "I": _fmt_hour12,
    "j": lambda d, pad: _padding(date_year_day(d), pad, 3),
    "k": lambda d, pad: _padding(d.hour, " ", 2),
    "l": lambda d, pad: _padding(d.hour - 12 if d.hour > 12 else d.hour, " ", 2),
    "m": lambda d, pad: _padding(d.month, pad, 2),
    "M": lambda d, pad: _padding(d.minute, pad, 2),
    "n": lambda d, pad: "\n",
    "N": lambda d, pad: _padding(d.nanosecond, pad, 9),
    "p": lambda d, pad: "PM" if d.hour > 11 else "AM",
    "r": _sub("~I:~M:~S ~p"),
    "s": lambda d, pad: str(date_to_time_utc(d).second),
    "S": lambda d, pad: _padding(d.second + 1 if d.nanosecond > NANO else d.second, pad, 2),
    "t": lambda d, pad: "\t",
    "T": _sub("~H:~M:~S"),
    "U": _fmt_week(0),
    "V": lambda d, pad: _padding(date_week_number(d, 1), "0", 2),
    "w": lambda d, pad: str(date_week_day(d)),
    "W": _fmt_week(1),
    "x": _sub("~m/~d/~y"),
    "X": _sub("~H:~M:~S"),
    "y": lambda d, pad: _padding(abs(d.year) % 100, pad, 2),
    "Y": _fmt_year,
    "z": lambda d, pad: _tz(d.zone_offset),
    "Z": lambda d, pad: _tz(d.zone_offset),
    "1": _sub("~Y-~m-~d"),
    "2": _sub("~H:~M:~S~z"),
    "3": _sub("~H:~M:~S"),
    "4": _sub("~Y-~m-~dT~H:~M:~S~z"),
    "5": _sub("~Y-~m-~dT~H:~M:~S"),
}


def date_to_string(d: Any, fmt: Any = "~c") -> str:
    """Format date ``d`` with SRFI-19 ``~`` directives (``~-X``: no padding, ``~_X``: spaces)."""
    d = _date(d, "date->string")
    if not is_string(fmt):
        raise wrong_type("date->string", 2, fmt, "string")
    text = to_str(fmt)
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch != "~":
            out.append(ch)
            i += 1
            continue
        if i + 1 >= n:
            raise time_error("date-printer", "bad-date-format-string", text)
        pad: str | None = "0"
        code = text[i + 1]
        step = 2
        if code in "-_":
            if i + 2 >= n:
                raise time_error("date-printer", "bad-date-format-string", text)
            pad = None if code == "-" else " "
            code = text[i + 2]
            step = 3
        formatter = _DIRECTIVES.get(code)
        if formatter is None:
            raise time_error("date-printer", "bad-date-format-string", text)
        out.append(formatter(d, pad))
        i += step
    return "".join(out)


# ====================================================================== string->date


class _Input:
    __slots__ = ("text", "pos")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self) -> str | None:
        return self.text[self.pos] if self.pos < len(self.text) else None

    def read(self) -> str | None:
        ch = self.peek()
        if ch is not None:
            self.pos += 1
        return ch


def _bad_template(template: str) -> SchemeError:
    return time_error("string->date", "bad-date-format-string", template)


def _read_int(inp: _Input, upto: int | None) -> int:
    value = count = 0
    while True:
        ch = inp.peek()
        if ch is None or not ch.isdigit() or (upto is not None and count >= upto):
            return value
        value = value * 10 + int(inp.read())  # type: ignore[arg-type]
        count += 1


def _read_fraction(inp: _Input, upto: int) -> int:
    value = count = 0
    while True:
        ch = inp.peek()
        if ch is None or not ch.isdigit() or count >= upto:
            return value * 10 ** (upto - count)
        value = value * 10 + int(inp.read())  # type: ignore[arg-type]
        count += 1


def _read_int_exact(inp: _Input, n: int) -> int:
    value = count = 0
    padding_ok = True
    while count < n:
        ch = inp.peek()
        if ch is None:
            raise time_error("string->date", "bad-date-template-string", "Premature ending to integer read.")
        if ch.isdigit():
            padding_ok = False
            value = value * 10 + int(inp.read())  # type: ignore[arg-type]
        elif padding_ok:
            inp.read()
        else:
            raise time_error("string->date", "bad-date-template-string",
                             "Non-numeric characters in integer read.")
        count += 1
    return value


def _read_zone(inp: _Input) -> int:
    ch = inp.read()
    if ch is None or ch not in "Zz+-":
        raise time_error("string->date", "bad-date-template-string", f"Invalid time zone +/- {ch}")
    if ch in "Zz":
        return 0
    digits = []
    for _ in range(4):
        c = inp.read()
        if c is None or not c.isdigit():
            raise time_error("string->date", "bad-date-template-string", f"Invalid time zone number {c}")
        digits.append(int(c))
    offset = digits[0] * 36000 + digits[1] * 3600 + digits[2] * 600 + digits[3] * 60
    return offset if ch == "+" else -offset


def _read_name(names: list[str]) -> Callable[[_Input], int]:
    def reader(inp: _Input) -> int:
        start = inp.pos
        while (ch := inp.peek()) is not None and ch.isalpha():
            inp.pos += 1
        word = inp.text[start:inp.pos]
        if word in names:
            return names.index(word) + 1
        raise time_error("string->date", "bad-date-template-string", f"Invalid string for {word}")

    return reader


def _read_tilde(inp: _Input) -> str:
    if inp.read() != "~":
        raise time_error("string->date", "bad-date-template-string", "Invalid character match.")
    return "~"


def _any(ch: str) -> bool:
    return True


def _is_zone_start(ch: str) -> bool:
    return ch in "Zz+-"


# directive -> (accepts the first char, reader, field to set or None)
_READERS: dict[str, tuple[Callable[[str], bool], Callable[[_Input], Any], str | None]] = {
    "~": (_any, _read_tilde, None),
    "a": (str.isalpha, _read_name(DAYS_SHORT), None),
    "A": (str.isalpha, _read_name(DAYS_LONG), None),
    "b": (str.isalpha, _read_name(MONTHS_SHORT), "month"),
    "B": (str.isalpha, _read_name(MONTHS_LONG), "month"),
    "d": (str.isdigit, lambda inp: _read_int(inp, 2), "day"),
    "e": (_any, lambda inp: _read_int_exact(inp, 2), "day"),
    "h": (str.isalpha, _read_name(MONTHS_SHORT), "month"),
    "H": (str.isdigit, lambda inp: _read_int(inp, 2), "hour"),
    "k": (_any, lambda inp: _read_int_exact(inp, 2), "hour"),
    "m": (str.isdigit, lambda inp: _read_int(inp, 2), "month"),
    "M": (str.isdigit, lambda inp: _read_int(inp, 2), "minute"),
    "N": (str.isdigit, lambda inp: _read_fraction(inp, 9), "nanosecond"),
    "S": (str.isdigit, lambda inp: _read_int(inp, 2), "second"),
    "y": (_any, lambda inp: natural_year(_read_int_exact(inp, 2)), "year"),
    "Y": (str.isdigit, lambda inp: _read_int(inp, 4), "year"),
    "z": (_is_zone_start, _read_zone, "zone_offset"),
}


def string_to_date(text: Any, template: Any) -> Date:
    """Parse ``text`` with a ``date->string``-style template (Guile's subset of directives)."""
    if not is_string(text):
        raise wrong_type("string->date", 1, text, "string")
    if not is_string(template):
        raise wrong_type("string->date", 2, template, "string")
    tmpl = to_str(template)
    inp = _Input(to_str(text))
    d = Date(0, 0, 0, 0, False, False, False, False)
    i, n = 0, len(tmpl)
    while i < n:
        ch = tmpl[i]
        if ch != "~":
            if inp.read() != ch:
                raise _bad_template(tmpl)
            i += 1
            continue
        if i + 1 >= n:
            raise _bad_template(tmpl)
        entry = _READERS.get(tmpl[i + 1])
        if entry is None:
            raise _bad_template(tmpl)
        accepts, reader, field = entry
        while True:  # skip until a character the directive accepts
            c = inp.peek()
            if c is None:
                raise _bad_template(tmpl)
            if accepts(c):
                break
            inp.read()
        value = reader(inp)
        if field is not None:
            setattr(d, field, value)
        i += 2
    if d.zone_offset is False:
        d.zone_offset = local_tz_offset(Time(TIME_UTC, 0, 0))
        if d.day is not False and d.month is not False and d.year is not False:
            d.zone_offset = local_tz_offset(date_to_time_utc(d))
    if any(v is False for v in d.fields()):
        from schemy.lang.datum import make_list

        raise time_error("string->date", "bad-date-format-string",
                         make_list(["Incomplete date read. ", d, tmpl]))
    return d


# ====================================================================== table

PRIMITIVES: dict[str, Any] = {
    "time-utc": TIME_UTC,
    "time-tai": TIME_TAI,
    "time-monotonic": TIME_MONOTONIC,
    "time-duration": TIME_DURATION,
    "time-process": TIME_PROCESS,
    "time-thread": TIME_THREAD,
    "%srfi-19-current-time": current_time,
    "time-resolution": time_resolution,
    "make-time": make_time,
    "time?": is_time,
    "time-type": time_type,
    "time-nanosecond": time_nanosecond,
    "time-second": time_second,
    "set-time-type!": set_time_type,
    "set-time-nanosecond!": set_time_nanosecond,
    "set-time-second!": set_time_second,
    "copy-time": copy_time,
    "time=?": time_eq,
    "time<?": time_lt,
    "time>?": time_gt,
    "time<=?": time_le,
    "time>=?": time_ge,
    "time-difference": time_difference,
    "time-difference!": time_difference_x,
    "add-duration": add_duration,
    "add-duration!": add_duration_x,
    "subtract-duration": subtract_duration,
    "subtract-duration!": subtract_duration_x,
    "time-tai->time-utc": time_tai_to_utc,
    "time-tai->time-utc!": time_tai_to_utc_x,
    "time-utc->time-tai": time_utc_to_tai,
    "time-utc->time-tai!": time_utc_to_tai_x,
    "time-monotonic->time-utc": time_monotonic_to_utc,
    "time-monotonic->time-utc!": time_monotonic_to_utc_x,
    "time-monotonic->time-tai": time_monotonic_to_tai,
    "time-monotonic->time-tai!": time_monotonic_to_tai_x,
    "time-utc->time-monotonic": time_utc_to_monotonic,
    "time-utc->time-monotonic!": time_utc_to_monotonic_x,
    "time-tai->time-monotonic": time_tai_to_monotonic,
    "time-tai->time-monotonic!": time_tai_to_monotonic_x,
    "make-date": make_date,
    "date?": is_date,
    **{"date-" + f.replace("_", "-"): _date_accessor(f) for f in _DATE_FIELDS},
    "date-year-day": date_year_day,
    "date-week-day": date_week_day,
    "date-week-number": date_week_number,
    "current-date": current_date,
    "time-utc->date": time_utc_to_date,
    "time-tai->date": time_tai_to_date,
    "time-monotonic->date": time_monotonic_to_date,
    "date->time-utc": date_to_time_utc,
    "date->time-tai": date_to_time_tai,
    "date->time-monotonic": date_to_time_monotonic,
    "date->julian-day": date_to_julian_day,
    "date->modified-julian-day": date_to_modified_julian_day,
    "time-utc->julian-day": time_utc_to_julian_day,
    "time-utc->modified-julian-day": time_utc_to_modified_julian_day,
    "time-tai->julian-day": time_tai_to_julian_day,
    "time-tai->modified-julian-day": time_tai_to_modified_julian_day,
    "time-monotonic->julian-day": time_monotonic_to_julian_day,
    "time-monotonic->modified-julian-day": time_monotonic_to_modified_julian_day,
    "julian-day->time-utc": julian_day_to_time_utc,
    "julian-day->time-tai": julian_day_to_time_tai,
    "julian-day->time-monotonic": julian_day_to_time_monotonic,
    "julian-day->date": julian_day_to_date,
    "modified-julian-day->date": modified_julian_day_to_date,
    "modified-julian-day->time-utc": modified_julian_day_to_time_utc,
    "modified-julian-day->time-tai": modified_julian_day_to_time_tai,
    "modified-julian-day->time-monotonic": modified_julian_day_to_time_monotonic,
    "current-julian-day": current_julian_day,
    "current-modified-julian-day": current_modified_julian_day,
    "date->string": date_to_string,
    "string->date": string_to_date,
}

__all__ = ["PRIMITIVES", "Date", "Time", "date_to_string", "make_date", "string_to_date"]
