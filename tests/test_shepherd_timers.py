"""The Shepherd's timers, (shepherd service timer): calendar events, timers that really run their
command in the service manager, the trigger action, and the timer service's schedule action."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from helpers import running_manager, wait_for

from schemy.lang.datum import Keyword, Symbol, make_list
from schemy.lang.errors import SchemeError
from schemy.shepherd.herd import format_service_status
from schemy.shepherd.process import PROCESSES
from schemy.shepherd.timer import (
    CalendarEvent,
    _parse_schedule,
    calendar_event,
    cron_string_to_calendar_event,
)

T0 = datetime(2024, 3, 10, 12, 3, 20)  # a Sunday


def kw(**values):
    args = []
    for k, v in values.items():
        args += [Keyword(k.replace("_", "-")), make_list(v)]
    return args


# ----------------------------------------------------------------- calendar events


def test_every_sunday_and_wednesday_at_noon():
    e = calendar_event(*kw(hours=[12], minutes=[0], days_of_week=[Symbol("sunday"), Symbol("wednesday")]))
    assert e.next_after(T0) == datetime(2024, 3, 13, 12, 0, 0)  # T0 is past Sunday noon
    assert e.next_after(datetime(2024, 3, 10, 11, 59, 59)) == datetime(2024, 3, 10, 12, 0, 0)


def test_first_and_fifteenth_at_nine_ten():
    e = calendar_event(*kw(days_of_month=[1, 15], hours=[9], minutes=[10]))
    assert e.next_after(T0) == datetime(2024, 3, 15, 9, 10, 0)
    assert e.next_after(datetime(2024, 3, 15, 9, 10, 0)) == datetime(2024, 4, 1, 9, 10, 0)


def test_next_is_strictly_after_and_seconds_default_to_zero():
    e = calendar_event(*kw(hours=[11, 20], minutes=[0]))
    assert e.next_after(datetime(2024, 3, 10, 11, 0, 0)) == datetime(2024, 3, 10, 20, 0, 0)
    every_minute = calendar_event()
    assert every_minute.next_after(T0) == datetime(2024, 3, 10, 12, 4, 0)


def test_day_of_month_and_day_of_week_both_constrain_the_day():
    # Friday the 13th
    e = calendar_event(*kw(days_of_month=[13], days_of_week=[Symbol("friday")], hours=[0], minutes=[0]))
    assert e.next_after(T0) == datetime(2024, 9, 13, 0, 0, 0)


def test_a_leap_day_and_an_event_that_never_happens():
    leap = calendar_event(*kw(months=[2], days_of_month=[29], hours=[0], minutes=[0]))
    assert leap.next_after(T0) == datetime(2028, 2, 29, 0, 0, 0)
    never = calendar_event(*kw(months=[4], days_of_month=[31]))
    assert never.next_after(T0) is None


@pytest.mark.parametrize("args, message", [
    (kw(hours=[24]), "out of range 0-23"),
    (kw(months=[0]), "out of range 1-12"),
    (kw(days_of_week=[Symbol("funday")]), "invalid day of week"),
])
def test_calendar_event_rejects_values_out_of_range(args, message):
    with pytest.raises(SchemeError, match=message):
        calendar_event(*args)


def test_cron_strings():
    e = cron_string_to_calendar_event("0 3 * * *")
    assert (e.hours, e.minutes, e.seconds, e.months, e.days_of_week) == ({3}, {0}, {0}, None, None)
    weekly = cron_string_to_calendar_event("0 22 * * 7")  # Sunday as 7
    assert weekly.days_of_week == {0}
    assert weekly.next_after(T0) == datetime(2024, 3, 10, 22, 0, 0)
    every5 = cron_string_to_calendar_event("*/5 * * * *")
    assert every5.next_after(T0) == datetime(2024, 3, 10, 12, 5, 0)
    assert cron_string_to_calendar_event("@daily").next_after(T0) == datetime(2024, 3, 11, 0, 0, 0)
    with pytest.raises(SchemeError, match="invalid cron schedule"):
        cron_string_to_calendar_event("61 * * * *")


def test_schedule_arguments_as_herd_passes_them():
    event, command, log = _parse_schedule(["at", "07:00", "--user=charlie", "-d", "/tmp",
                                           "-E", "A=b", "--", "mpg123", "alarm.mp3"])
    assert (event.hours, event.minutes, event.seconds) == ({7}, {0}, {0})
    assert command.line == ["mpg123", "alarm.mp3"] and command.user == "charlie"
    assert command.directory == "/tmp" and command.env == {"A": "b"} and log is None
    # herd's own option parser may have taken the "--"
    _, command, _ = _parse_schedule(["at", "12:30", "mail", "-s", "Lunch"])
    assert command.line == ["mail", "-s", "Lunch"]
    with pytest.raises(SchemeError, match="invalid time"):
        _parse_schedule(["at", "25:00", "--", "true"])


# ----------------------------------------------------------------- timers in the manager


@pytest.fixture
def manager(tmp_path):
    with running_manager(tmp_path) as m:
        yield m


def test_a_timer_runs_its_command_at_each_event_and_on_trigger(manager, tmp_path):
    out = tmp_path / "ticks"
    config = tmp_path / "timers.scm"
    config.write_text(f"""
(register-services
 (list (service '(tick)
         #:start (make-timer-constructor (calendar-event #:seconds (iota 60))
                                         (command '("/bin/sh" "-c" "echo tick >> {out}"))
                                         #:wait-for-termination? #t)
         #:stop (make-timer-destructor)
         #:actions (list (action 'trigger trigger-timer)))
       (service '(every-day)
         #:start (make-timer-constructor (cron-string->calendar-event "0 3 * * *")
                                         (lambda () (display "daily run")))
         #:stop (make-timer-destructor)
         #:actions (list (action 'trigger trigger-timer)))))
(start-in-the-background '(tick every-day))
""")
    manager.load(config)
    assert wait_for(lambda: out.exists() and out.read_text().count("tick") >= 2, timeout=8)
    status = manager.status("tick")
    assert status["status"] == "running" and status["timer"]["runs"]
    assert "exited with code 0" in status["timer"]["runs"][-1][1]
    text = format_service_status(status)
    assert "Calendar event: seconds:" in text and "Next run: " in text
    daily = manager.status("every-day")
    assert daily["timer"]["next"].endswith("03:00:00") and not daily["timer"]["runs"]
    manager.action("every-day", "trigger", ())
    assert wait_for(lambda: manager.status("every-day")["timer"]["runs"], timeout=5)
    assert manager.status("every-day")["timer"]["runs"][-1][1] == "completed"
    assert "daily run" in "\n".join(manager.read_log("every-day", 50))
    manager.stop("tick")
    count = out.read_text().count("tick")
    time.sleep(1.5)
    assert out.read_text().count("tick") == count  # a stopped timer no longer fires
    assert manager.status("tick")["status"] == "stopped"


def test_the_timer_service_schedules_a_command_once(manager, tmp_path):
    out = tmp_path / "at"
    config = tmp_path / "timer-service.scm"
    config.write_text("(register-services (list (timer-service '(timer))))\n"
                      "(start-in-the-background '(timer))\n")
    manager.load(config)
    soon = datetime.fromtimestamp(time.time() + 2)
    manager.action("timer", "schedule", ["at", soon.strftime("%H:%M:%S"), "--",
                                          "/bin/sh", "-c", f"echo once >> {out}"])
    names = [s["name"] for s in manager.status()]
    assert "timer-1" in names
    assert wait_for(lambda: out.exists(), timeout=8)
    # transient: gone once it has run
    assert wait_for(lambda: "timer-1" not in [s["name"] for s in manager.status()], timeout=5)
    assert out.read_text() == "once\n"
    assert not [p for p in PROCESSES.children() if p]


def test_timer_constructor_errors_are_clear():
    from schemy.shepherd.timer import make_command, make_timer_constructor

    with pytest.raises(SchemeError, match="not a calendar event"):
        make_timer_constructor("0 3 * * *", make_command(make_list(["true"])))
    with pytest.raises(SchemeError, match="must be a command or a procedure"):
        make_timer_constructor(CalendarEvent(), 42)


# ----------------------------------------------------------------- a system with a timer


def test_guix_shepherd_timer_lowers_to_a_running_timer(tmp_path):
    from helpers import minimal_os

    from schemy.app import Interpreter
    from schemy.guix.store import Store
    from schemy.system.build import build_system

    config = tmp_path / "config.scm"
    config.write_text(minimal_os(
        modules="(gnu) (gnu services shepherd)",
        services="(cons* (simple-service 'updatedb-timer shepherd-root-service-type"
                 " (list (shepherd-timer '(updatedb) \"0 3 * * *\""
                 " #~(\"/usr/bin/updatedb\" \"--prunepaths=/tmp\") #:requirement '(user-processes))))"
                 " (service shepherd-timer-service-type) %base-services)"))
    store = Store(tmp_path / "store")
    built = build_system(Interpreter(), str(config), store)
    text = open(built.shepherd_file).read()
    assert ("(make-timer-constructor (cron-string->calendar-event \"0 3 * * *\") "
            "(command (quote (\"/usr/bin/updatedb\" \"--prunepaths=/tmp\"))) #:wait-for-termination? #t)"
            ) in text
    assert "(timer-service (quote (timer)) #:requirement (quote (user-processes)))" in text


def test_file_and_package_databases_update_on_guix_timers(tmp_path):
    from helpers import minimal_os

    from schemy.app import Interpreter
    from schemy.guix.store import Store
    from schemy.system.build import build_system

    config = tmp_path / "config.scm"
    config.write_text(minimal_os(
        modules="(gnu) (gnu services admin)",
        services="(cons* (service file-database-service-type"
                 " (file-database-configuration (excluded-directories '(\"/tmp\" \"/srv\"))))"
                 " (service package-database-service-type) %base-services)"))
    built = build_system(Interpreter(), str(config), Store(tmp_path / "store"))
    text = open(built.shepherd_file).read()
    by = {s.provision[0]: s for s in built.shepherd}
    assert "trigger" in text and by["file-database-update"].requirement == ["user-processes"]
    assert '(cron-string->calendar-event "10 23 * * 0") (command (list "' in text
    assert '/bin/updatedb" "--prunepaths=/tmp /srv")) #:wait-for-termination? #t)' in text
    assert by["package-database-update"].requirement == ["user-processes", "guix-daemon"]
    assert '"locate" "--update" "--method=store"' in text
