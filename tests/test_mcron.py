"""mcron schedules: Vixie strings, mcron's Scheme time expressions, and jobs that really run."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemy.lang.datum import Keyword, Symbol, make_list
from schemy.lang.errors import SchemeError
from schemy.shepherd.manager import ServiceManager
from schemy.shepherd.mcron import (
    PRIMITIVES,
    Job,
    VixieSchedule,
    at_action_time,
    make_job,
    next_from,
    next_run,
    read_expression,
)
from schemy.shepherd.process import PROCESSES
from schemy.shepherd.records import loading_registry

T0 = datetime(2024, 3, 10, 12, 3, 20)  # a Sunday


def epoch(dt: datetime) -> int:
    return int(time.mktime(dt.timetuple()))


# ----------------------------------------------------------------- the chapter's schedules


def test_every_five_minutes_as_the_ganeti_watcher_default():
    sched = "(next-second-from (next-minute (range 0 60 5)))"
    # mcron: the second after each five-minute mark
    assert next_run(sched, T0) == datetime(2024, 3, 10, 12, 5, 1)
    runs = [T0]
    for _ in range(4):
        runs.append(next_run(sched, runs[-1]))
    assert runs[1:] == [datetime(2024, 3, 10, 12, m, 1) for m in (5, 10, 15, 20)]
    assert next_run(sched, datetime(2024, 3, 10, 23, 58, 0)) == datetime(2024, 3, 11, 0, 0, 1)


def test_the_same_schedule_as_scheme_data():
    expr = make_list([Symbol("next-second-from"),
                      make_list([Symbol("next-minute"), make_list([Symbol("range"), 0, 60, 5])])])
    assert next_run(expr, T0) == datetime(2024, 3, 10, 12, 5, 1)
    read = read_expression("(next-second-from (next-minute (range 0 60 5)))")
    assert read.car is Symbol("next-second-from")


def test_ganeti_cleaner_defaults():
    assert next_run("45 1 * * *", T0) == datetime(2024, 3, 11, 1, 45)
    assert next_run("45 2 * * *", T0) == datetime(2024, 3, 11, 2, 45)
    assert next_run("45 1 * * *", datetime(2024, 3, 10, 0, 0)) == datetime(2024, 3, 10, 1, 45)
    assert next_run("45 1 * * *", datetime(2024, 3, 10, 1, 45)) == datetime(2024, 3, 11, 1, 45)


# ----------------------------------------------------------------- mcron's procedures


def test_next_hour_with_a_list():
    assert next_run("(next-hour '(1 13))", T0) == datetime(2024, 3, 10, 13, 0, 0)
    assert next_run("(next-hour '(1 12))", T0) == datetime(2024, 3, 11, 1, 0, 0)  # strictly later
    assert next_run("(next-hour)", T0) == datetime(2024, 3, 10, 13, 0, 0)


def test_manual_examples():
    # "fifteen minutes past the hour, every two hours"
    sched = "(next-minute-from (next-hour (range 0 24 2)) '(15))"
    assert next_run(sched, T0) == datetime(2024, 3, 10, 14, 15)
    assert next_run(sched, datetime(2024, 3, 10, 14, 15)) == datetime(2024, 3, 10, 16, 15)
    assert next_run("(next-day '(1 15))", T0) == datetime(2024, 3, 15)
    assert next_run("(next-day '(1))", T0) == datetime(2024, 4, 1)
    assert next_run("(next-month '(0))", T0) == datetime(2025, 1, 1)  # months count from 0 (January)
    assert next_run("(next-minute)", T0) == datetime(2024, 3, 10, 12, 4)
    assert next_run("(next-second)", T0) == datetime(2024, 3, 10, 12, 3, 21)


def test_next_from_procedures_return_numbers_like_mcron():
    t = epoch(T0)
    assert PRIMITIVES["next-hour-from"](t, make_list([1, 13])) == epoch(datetime(2024, 3, 10, 13))
    assert PRIMITIVES["next-minute-from"](t) == epoch(datetime(2024, 3, 10, 12, 4))
    with at_action_time(t):
        assert PRIMITIVES["next-day"]() == epoch(datetime(2024, 3, 11))
    assert list(PRIMITIVES["range"](0, 10, 3)) == [0, 3, 6, 9]
    assert list(PRIMITIVES["range"](1, 4)) == [1, 2, 3]
    with pytest.raises(SchemeError, match="empty"):
        next_from("hour", t, make_list([]))


def test_procedure_and_interval_schedules():
    assert next_run(lambda t: t + 3600, T0) == T0 + timedelta(hours=1)
    assert next_run(30, T0) == T0 + timedelta(seconds=30)
    with pytest.raises(SchemeError, match="did not give a time"):
        next_run(lambda t: "soon", T0)


# ----------------------------------------------------------------- Vixie strings


def test_vixie_fields():
    assert next_run("*/5 * * * *", T0) == datetime(2024, 3, 10, 12, 5)
    assert next_run("0 9 * * mon-fri", T0) == datetime(2024, 3, 11, 9, 0)
    assert next_run("0 9 * * 1-5", datetime(2024, 3, 15, 10)) == datetime(2024, 3, 18, 9, 0)
    assert next_run("30 4 1,15 * *", T0) == datetime(2024, 3, 15, 4, 30)
    assert next_run("0 0 1 jan *", T0) == datetime(2025, 1, 1)
    assert next_run("10-40/10 * * * *", T0) == datetime(2024, 3, 10, 12, 10)
    assert next_run("0 0 * * 7", T0) == datetime(2024, 3, 17)  # 7 is Sunday too
    # both day fields restricted: either matches (Friday the 5th comes before the 13th)
    assert next_run("0 0 13 * fri", datetime(2024, 1, 1)) == datetime(2024, 1, 5)
    assert next_run("0 0 29 2 *", T0) == datetime(2028, 2, 29)


def test_vixie_specials():
    assert next_run("@hourly", T0) == datetime(2024, 3, 10, 13)
    assert next_run("@daily", T0) == datetime(2024, 3, 11)
    assert next_run("@midnight", T0) == datetime(2024, 3, 11)
    assert next_run("@weekly", T0) == datetime(2024, 3, 17)
    assert next_run("@monthly", T0) == datetime(2024, 4, 1)
    assert next_run("@yearly", T0) == datetime(2025, 1, 1)
    assert next_run("@reboot", T0) is None


@pytest.mark.parametrize("bad", ["* * * *", "61 * * * *", "* 24 * * *", "*/0 * * * *", "5-1 * * * *",
                                 "0 0 * foo *"])
def test_vixie_errors(bad):
    with pytest.raises(SchemeError, match="invalid cron schedule"):
        VixieSchedule(bad)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1)),
       st.sampled_from(["*/5 * * * *", "45 1 * * *", "0 9 * * mon-fri", "30 4 1,15 * *", "*/7 3-5 * * *"]))
def test_vixie_next_matches_and_nothing_is_skipped(after, spec):
    sched = VixieSchedule(spec)
    nxt = sched.next_after(after)
    assert nxt is not None and nxt > after and nxt.second == 0
    assert nxt.minute in sched.minutes and nxt.hour in sched.hours and nxt.month in sched.months
    # no matching minute strictly between `after` and `nxt`
    probe = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    steps = 0
    while probe < nxt and steps < 2000:
        assert not (probe.minute in sched.minutes and probe.hour in sched.hours and sched._day_ok(probe)
                    and probe.month in sched.months)
        probe += timedelta(minutes=1)
        steps += 1


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2030, 1, 1)))
def test_every_five_minutes_property(after):
    nxt = next_run("(next-second-from (next-minute (range 0 60 5)))", after)
    assert nxt > after and nxt.minute % 5 == 0 and nxt.second == 1
    assert nxt - after <= timedelta(minutes=5, seconds=1)


# ----------------------------------------------------------------- jobs


def test_job_procedure_registers_and_names():
    with loading_registry() as reg:
        j1 = make_job("45 1 * * *", "ganeti-cleaner master")
        j2 = make_job(read_expression("(next-hour '(3))"), lambda: None, "tidy", Keyword("user"), "nobody")
    assert reg.jobs == [j1, j2]
    assert j1.name == "ganeti-cleaner master" and j1.user is None
    assert j2.name == "tidy" and j2.user == "nobody"
    assert Job("@reboot", "true").reboot
    with pytest.raises(SchemeError, match="invalid cron schedule"):
        Job("61 * * * *", "true")
    with pytest.raises(SchemeError, match="action must be"):
        Job("* * * * *", 42)


def test_jobs_run_on_schedule_in_the_manager(tmp_path):
    out = tmp_path / "ticks"
    calls = []
    m = ServiceManager(tmp_path / "root")
    m.register_jobs([
        Job(lambda t: t + 1, f"echo tick >> {out}", "every second"),
        Job(0.3, lambda: calls.append(time.time()) or print("thunk output"), "thunk"),
        Job("@reboot", f"echo booted >> {out}"),
        Job("0 0 1 1 *", "echo never-in-this-test"),
    ])
    m.run()
    try:
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:
            if out.exists() and out.read_text().count("tick") >= 2 and len(calls) >= 2:
                break
            time.sleep(0.05)
    finally:
        m.shutdown()
    text = out.read_text()
    assert text.count("tick") >= 2 and text.count("booted") == 1
    assert len(calls) >= 2
    log = (tmp_path / "root" / "var" / "log" / "schemy" / "mcron.log").read_text()
    assert "thunk output" in log
    manager_log = (tmp_path / "root" / "var" / "log" / "schemy" / "manager.log").read_text()
    assert "mcron: job 'every second'" in manager_log and "exited with code 0" in manager_log
    schedule = {j["name"]: j for j in m.schedule()}
    assert schedule["echo never-in-this-test"]["next"].endswith("00:00:00")
    assert not PROCESSES.children()


def test_a_broken_schedule_disables_only_that_job(tmp_path):
    m = ServiceManager(tmp_path / "root")
    m.register_jobs([Job(lambda t: "later", "true", "broken"), Job("@daily", "true", "fine")])
    jobs = {j["name"]: j for j in m.schedule()}
    assert jobs["broken"]["next"] is None and "did not give a time" in jobs["broken"]["error"]
    assert jobs["fine"]["next"] is not None
