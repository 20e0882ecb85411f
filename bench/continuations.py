"""What re-entrant continuations would cost schemy: a prototype of call/cc on greenlets
against the exception-based escapes schemy has (notes/continuations.md has the figures).

Needs the ``greenlet`` package (not a schemy dependency): ``pip install greenlet``, then
``python bench/continuations.py``.  In the prototype each call/cc runs its body in a new
greenlet, so an escape can leave the body suspended and a continuation captured in it can
be resumed later (the generator pattern).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from greenlet import getcurrent, greenlet

N = 200_000


class Escape(BaseException):
    pass


def call_cc_exception(fn: Callable[[Any], Any]) -> Any:
    """schemy's way: the body runs on the caller's stack; escaping raises."""
    try:
        return fn(None)
    except Escape:
        return 1


def call_cc_greenlet(fn: Callable[[Any], Any]) -> Any:
    """The prototype: the body runs in its own greenlet; escaping switches back."""
    home = getcurrent()
    body = greenlet(lambda: ("done", fn(home)), parent=home)
    message = body.switch()
    return message[1]


def per_call(label: str, step: Callable[[int], Any], n: int = N) -> float:
    start = time.perf_counter()
    for i in range(n):
        step(i)
    us = (time.perf_counter() - start) / n * 1e6
    print(f"{label:62s} {us:6.2f} us")
    return us


def escape(_k: Any) -> Any:
    raise Escape


def deep(n: int, f: Callable[[], Any]) -> Any:
    return f() if n == 0 else deep(n - 1, f)


def main() -> None:
    sys.setrecursionlimit(100_000)
    per_call("call/cc returning normally, exception-based", lambda i: call_cc_exception(lambda k: i))
    per_call("call/cc returning normally, greenlet per call/cc", lambda i: call_cc_greenlet(lambda k: i))
    per_call("call/cc escaping, exception-based (body unwound)", lambda i: call_cc_exception(escape))
    per_call("call/cc escaping, greenlet switch (body left suspended)",
             lambda i: call_cc_greenlet(lambda home: home.switch(("return", i))))

    def generator(depth: int) -> greenlet:
        def body() -> None:
            def loop() -> None:
                while True:
                    getcurrent().parent.switch(1)
            deep(depth, loop)
        return greenlet(body)

    shallow, deep_gen = generator(0), generator(5000)
    per_call("resuming a suspended body (one generator step)", lambda i: shallow.switch())
    per_call("same, with 5 000 frames on the body's stack", lambda i: deep_gen.switch(), 2000)


if __name__ == "__main__":
    main()
