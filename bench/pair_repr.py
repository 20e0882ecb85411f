#!/usr/bin/env python3
"""Could another pair representation bring `reverse` of 1e5 elements within 5x of
``[x for x in reversed(xs)]``?  Each candidate reverses a 1e5-element list of its own kind
(walk + one fresh cell per element, the result then freed, as `bench/run lists` does), with
the collector paused as schemy's builders do, best of 9 CPU times, next to the Python
reference measured alongside.  Run: ``.venv/bin/python bench/pair_repr.py``.

Candidates (all mutable except the tuple chain, which cannot implement set-car!):
  schemy     schemy.lang.datum.Pair as it is (3 slots, no __init__: ``Pair()`` + 3 stores)
  2 slots    the same class without the ``loc`` slot
  __init__   3 slots made by ``Cls(car, cdr)`` with a Python ``__init__`` (schemy before perf3)
  new()      3 slots made by ``object.__new__(Cls)`` + 3 stores (schemy's builders before)
  starmap    3 slots allocated in bulk in C (``itertools.starmap``), linked in Python after
  list cell  a Python list ``[car, cdr]`` per pair (``x[0]``/``x[1]``, not attributes)
  tuple      a 2-tuple per pair: the cheapest linked cell CPython has (immutable)
"""

from __future__ import annotations

import gc
import sys
import time
from itertools import repeat, starmap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from schemy.lang.datum import NIL, Pair  # noqa: E402

N = 100_000


class P2:
    __slots__ = ("car", "cdr")


class PInit:
    __slots__ = ("car", "cdr", "loc")

    def __init__(self, car, cdr, loc=None):
        self.car = car
        self.cdr = cdr
        self.loc = loc


def chain(make_cell, items):
    r = NIL
    for x in reversed(items):
        r = make_cell(x, r)
    return r


def _schemy_cell(a, b):
    p = Pair()
    p.car, p.cdr, p.loc = a, b, None
    return p


def _p2_cell(a, b):
    p = P2()
    p.car, p.cdr = a, b
    return p


def rev_schemy(lst):
    cls, r, x = Pair, NIL, lst
    while x.__class__ is cls:
        p = cls()
        p.car = x.car
        p.cdr = r
        p.loc = None
        r = p
        x = x.cdr
    return r


def rev_p2(lst):
    cls, r, x = P2, NIL, lst
    while x.__class__ is cls:
        p = cls()
        p.car = x.car
        p.cdr = r
        r = p
        x = x.cdr
    return r


def rev_init(lst):
    cls, r, x = PInit, NIL, lst
    while x.__class__ is cls:
        r = cls(x.car, r)
        x = x.cdr
    return r


def rev_new(lst):
    cls, new, r, x = PInit, object.__new__, NIL, lst
    while x.__class__ is cls:
        p = new(cls)
        p.car = x.car
        p.cdr = r
        p.loc = None
        r = p
        x = x.cdr
    return r


def rev_starmap(lst, n=N):
    cells = starmap(Pair, repeat((), n))
    r, x = NIL, lst
    for p in cells:
        if x.__class__ is not Pair:
            break
        p.car = x.car
        p.cdr = r
        p.loc = None
        r = p
        x = x.cdr
    return r


def rev_list(lst):
    r, x = NIL, lst
    while x.__class__ is list:
        r = [x[0], r]
        x = x[1]
    return r


def rev_tuple(lst):
    r, x = NIL, lst
    while x.__class__ is tuple:
        r = (x[0], r)
        x = x[1]
    return r


def best(fn, arg, n=9):
    times = []
    for _ in range(n):
        gc.disable()
        t = time.process_time()
        r = fn(arg)
        del r
        times.append(time.process_time() - t)
        gc.enable()
    return min(times)


def main() -> None:
    xs = list(range(N))
    def init_cell(a, b):
        return PInit(a, b)
    cases = [
        ("schemy (Pair(), 3 stores)", rev_schemy, chain(_schemy_cell, xs)),
        ("2 slots, no loc", rev_p2, chain(_p2_cell, xs)),
        ("3 slots, Python __init__", rev_init, chain(init_cell, xs)),
        ("3 slots, object.__new__", rev_new, chain(init_cell, xs)),
        ("starmap bulk allocation", rev_starmap, chain(_schemy_cell, xs)),
        ("list [car, cdr] cell", rev_list, chain(lambda a, b: [a, b], xs)),
        ("tuple (car, cdr), immutable", rev_tuple, chain(lambda a, b: (a, b), xs)),
    ]
    ref = best(lambda v: [x for x in reversed(v)], xs)
    print(f"python [x for x in reversed(xs)]: {ref * 1000:.2f} ms (5x = {5 * ref * 1000:.2f} ms)")
    for label, fn, lst in cases:
        t = best(fn, lst)
        print(f"reverse 1e5, {label:<30} {t * 1000:6.2f} ms  {t / ref:5.1f}x")


if __name__ == "__main__":
    main()
