"""Deep recursion that goes up and down does not make CPython map and unmap its frame-stack
chunks over and over (schemy.runtime.control.run_on_deep_frame_stack): the evaluation thread's
frames live in one large chunk, so a return never leaves a chunk empty."""

from __future__ import annotations

import resource
import sys

import pytest

from schemy.app import Interpreter


def _down(n: int) -> int:
    return 0 if n == 0 else _down(n - 1) + 1


def _oscillate() -> int:
    """Minor page faults of this thread while the recursion depth swings between 10 and 600
    frames 3000 times (each swing crosses several 16 kB chunk edges)."""
    before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
    for _ in range(3000):
        _down(600)
        _down(10)
    return resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before


@pytest.mark.skipif(not hasattr(resource, "RUSAGE_THREAD") or sys.implementation.name != "cpython",
                    reason="per-thread page-fault counts are a Linux CPython measurement")
def test_recursion_swinging_in_depth_does_not_fault_in_new_frame_chunks():
    faults = Interpreter().run_protected(_oscillate)
    # Unmapping and remapping a chunk per crossing costs four faults each: ~50,000 here.
    assert faults < 2000
