"""(gnu services ganeti): records, daemons, mcron jobs, /etc files and the chapter's examples.

The module imports (gnu packages virtualization) and (gnu services mcron).  Where those
modules do not exist yet, a throw-away stand-in is written to a temporary directory put in
front of the load path (only for the missing ones), so the Ganeti module is tested alone.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.guix.gexp import CURRENT_STORE
from schemy.guix.store import Store
from schemy.lang.datum import NIL
from schemy.lang.errors import SchemeError
from schemy.lang.printer import display_string, write_string
from schemy.runtime.parameters import parameterized

ROOT = Path(__file__).resolve().parent.parent
STDLIB = ROOT / "stdlib"
EXAMPLES = ROOT / "examples"

STUB_PACKAGES = """
(define-module (gnu packages virtualization)
  #:export (ganeti ganeti-instance-guix ganeti-instance-debootstrap qemu))
(define ganeti (plain-file "ganeti" "stand-in"))
(define ganeti-instance-guix (plain-file "ganeti-instance-guix" "stand-in"))
(define ganeti-instance-debootstrap
  (computed-file "ganeti-instance-debootstrap"
    #~(let ((dir (string-append #$output "/share/doc/ganeti-instance-debootstrap/examples")))
        (use-modules (guix build utils))
        (mkdir-p dir)
        (call-with-output-file (string-append dir "/interfaces")
          (lambda (p) (display "#!/bin/sh\\necho interfaces\\n" p)))
        (call-with-output-file (string-append dir "/grub")
          (lambda (p) (display "#!/bin/sh\\necho grub\\n" p))))))
(define qemu (plain-file "qemu" "stand-in"))
"""

STUB_MCRON = """
(define-module (gnu services mcron)
  #:use-module (gnu services)
  #:export (mcron-service-type mcron-configuration-jobs))
(define (mcron-configuration-jobs jobs) jobs)
(define mcron-service-type
  (service-type
   (name 'mcron)
   (extensions (list (service-extension system-service-type
                                        (lambda (jobs) (list (cons 'mcron jobs))))))
   (compose (lambda (l) (apply append l)))
   (extend append)
   (default-value '())))
"""

PRELUDE = """
(use-modules (guix gexp) (gnu services) (gnu services shepherd) (gnu services configuration)
             (gnu services mcron) (gnu services ganeti) (gnu packages virtualization))

(define (fold-ganeti . services)
  ;; An alist: service type name -> folded value, for SERVICES plus the root.
  (call-with-values
      (lambda ()
        (fold-services* (cons (service system-service-type '()) services)))
    (lambda (root value-of all)
      (map (lambda (s) (cons (service-type-name (service-kind s)) (value-of s))) all))))

(define (ganeti-shepherd-services config)
  (assq-ref (fold-ganeti (service ganeti-service-type config)) 'shepherd-root))

(define (find-shepherd name services)
  (find (lambda (s) (memq name (shepherd-service-provision s))) services))

(define (mcron-jobs . services)
  (mcron-configuration-jobs (assq-ref (apply fold-ganeti services) 'mcron)))

(define (etc-entries config)
  (assq-ref (fold-ganeti (service ganeti-service-type config)) 'etc))
"""

# A store item's file name: DIR/HASH-NAME[-VERSION].
STORE_RE = re.compile(r'/[^\s"]*?/[a-z0-9]{32}-([a-z][a-z-]*?)(?:-[0-9][^/\s"]*)?(?=[/\s"])')


def _unusable(module: str) -> bool:
    """Whether MODULE is missing from the stdlib or does not load (yet)."""
    try:
        Interpreter(load_path=[str(STDLIB)]).eval_string(f"(use-modules {module})", "probe.scm")
    except SchemeError:
        return True
    return False


@pytest.fixture(scope="module")
def interp(tmp_path_factory):
    stubs = tmp_path_factory.mktemp("ganeti-stubs")
    if _unusable("(gnu packages virtualization)"):
        (stubs / "gnu/packages").mkdir(parents=True)
        (stubs / "gnu/packages/virtualization.scm").write_text(STUB_PACKAGES)
    if _unusable("(gnu services mcron)"):
        (stubs / "gnu/services").mkdir(parents=True, exist_ok=True)
        (stubs / "gnu/services/mcron.scm").write_text(STUB_MCRON)
    interp = Interpreter(load_path=[str(stubs), str(STDLIB)])
    interp.eval_string(PRELUDE, "prelude.scm")
    return interp


@pytest.fixture
def store(tmp_path):
    with parameterized([(CURRENT_STORE, Store(tmp_path / "store"))]):
        yield


def ev(interp, text: str):
    return interp.eval_string(text, "test.scm")


def w(interp, text: str) -> str:
    """The value of TEXT as Guile's `write` prints it."""
    return write_string(ev(interp, text))


def strip_store(text: str) -> str:
    """Replace store item names by <store>/NAME so expectations depend on neither hashes nor versions."""
    return STORE_RE.sub(r"<store>/\1", text)


# --------------------------------------------------------------------------- records: defaults

DEFAULTS = [
    ("ganeti-noded-configuration", "port", "1811"),
    ("ganeti-noded-configuration", "address", '"0.0.0.0"'),
    ("ganeti-noded-configuration", "interface", "#f"),
    ("ganeti-noded-configuration", "max-clients", "20"),
    ("ganeti-noded-configuration", "ssl?", "#t"),
    ("ganeti-noded-configuration", "ssl-key", '"/var/lib/ganeti/server.pem"'),
    ("ganeti-noded-configuration", "ssl-cert", '"/var/lib/ganeti/server.pem"'),
    ("ganeti-noded-configuration", "debug?", "#f"),
    ("ganeti-confd-configuration", "port", "1814"),
    ("ganeti-confd-configuration", "address", '"0.0.0.0"'),
    ("ganeti-confd-configuration", "debug?", "#f"),
    ("ganeti-wconfd-configuration", "no-voting?", "#f"),
    ("ganeti-wconfd-configuration", "debug?", "#f"),
    ("ganeti-luxid-configuration", "no-voting?", "#f"),
    ("ganeti-luxid-configuration", "debug?", "#f"),
    ("ganeti-rapi-configuration", "require-authentication?", "#f"),
    ("ganeti-rapi-configuration", "port", "5080"),
    ("ganeti-rapi-configuration", "address", '"0.0.0.0"'),
    ("ganeti-rapi-configuration", "interface", "#f"),
    ("ganeti-rapi-configuration", "max-clients", "20"),
    ("ganeti-rapi-configuration", "ssl?", "#t"),
    ("ganeti-rapi-configuration", "ssl-key", '"/var/lib/ganeti/server.pem"'),
    ("ganeti-rapi-configuration", "ssl-cert", '"/var/lib/ganeti/server.pem"'),
    ("ganeti-rapi-configuration", "debug?", "#f"),
    ("ganeti-kvmd-configuration", "debug?", "#f"),
    ("ganeti-mond-configuration", "port", "1815"),
    ("ganeti-mond-configuration", "address", '"0.0.0.0"'),
    ("ganeti-mond-configuration", "debug?", "#f"),
    ("ganeti-metad-configuration", "port", "80"),
    ("ganeti-metad-configuration", "address", "#f"),
    ("ganeti-metad-configuration", "debug?", "#f"),
    ("ganeti-watcher-configuration", "schedule", "(next-second-from (next-minute (range 0 60 5)))"),
    ("ganeti-watcher-configuration", "rapi-ip", "#f"),
    ("ganeti-watcher-configuration", "job-age", "21600"),
    ("ganeti-watcher-configuration", "verify-disks?", "#t"),
    ("ganeti-watcher-configuration", "debug?", "#f"),
    ("ganeti-cleaner-configuration", "master-schedule", '"45 1 * * *"'),
    ("ganeti-cleaner-configuration", "node-schedule", '"45 2 * * *"'),
    ("ganeti-configuration", "file-storage-paths", "()"),
    ("ganeti-configuration", "hooks", "#f"),
    ("ganeti-os-for-test", "extension", "#f"),
    ("ganeti-os-for-test", "variants", "()"),
    ("debootstrap-configuration", "proxy", "#f"),
    ("debootstrap-configuration", "mirror", "#f"),
    ("debootstrap-configuration", "arch", "#f"),
    ("debootstrap-configuration", "suite", '"stable"'),
    ("debootstrap-configuration", "components", "#f"),
    ("debootstrap-configuration", "generate-cache?", "#t"),
    ("debootstrap-configuration", "clean-cache", "14"),
    ("debootstrap-configuration", "partition-style", "msdos"),
    ("debootstrap-configuration", "partition-alignment", "2048"),
]


def _construct(record: str) -> str:
    if record == "ganeti-os-for-test":
        return '(ganeti-os (name "x"))'
    return f"({record})"


@pytest.mark.parametrize(("record", "field", "expected"), DEFAULTS,
                         ids=[f"{r}-{f}" for r, f, _ in DEFAULTS])
def test_field_default(interp, record, field, expected):
    rec = "ganeti-os" if record == "ganeti-os-for-test" else record
    assert w(interp, f"({rec}-{field} {_construct(record)})") == expected


PACKAGE_FIELDS = ["noded", "confd", "wconfd", "luxid", "rapi", "kvmd", "mond", "metad", "watcher",
                  "cleaner"]


@pytest.mark.parametrize("daemon", PACKAGE_FIELDS)
def test_each_daemon_defaults_to_the_ganeti_package(interp, daemon):
    assert ev(interp, f"(eq? ganeti (ganeti-{daemon}-configuration-ganeti "
                      f"(ganeti-{daemon}-configuration)))") is True


@pytest.mark.parametrize("daemon", PACKAGE_FIELDS)
def test_ganeti_configuration_defaults_each_daemon_configuration(interp, daemon):
    assert ev(interp, f"(ganeti-{daemon}-configuration? "
                      f"(ganeti-configuration-{daemon}-configuration (ganeti-configuration)))") is True


def test_ganeti_configuration_defaults_to_the_ganeti_package_and_default_os(interp):
    assert ev(interp, "(eq? ganeti (ganeti-configuration-ganeti (ganeti-configuration)))") is True
    assert ev(interp, "(eq? %default-ganeti-os (ganeti-configuration-os (ganeti-configuration)))") is True


def test_debootstrap_defaults_use_the_default_hooks_and_packages(interp):
    assert ev(interp, "(eq? %default-debootstrap-hooks "
                      "(debootstrap-configuration-hooks (debootstrap-configuration)))") is True
    assert ev(interp, "(eq? %default-debootstrap-extra-pkgs "
                      "(debootstrap-configuration-extra-pkgs (debootstrap-configuration)))") is True


def test_watcher_default_job_age_is_six_hours(interp):
    assert ev(interp, "(= (* 6 3600) (ganeti-watcher-configuration-job-age "
                      "(ganeti-watcher-configuration)))") is True


# --------------------------------------------------------------------------- records: validation

BAD_VALUES = [
    ("ganeti-noded-configuration", "port", '"1811"'),
    ("ganeti-noded-configuration", "port", "70000"),
    ("ganeti-noded-configuration", "address", "0"),
    ("ganeti-noded-configuration", "interface", "'eth0"),
    ("ganeti-noded-configuration", "max-clients", "-1"),
    ("ganeti-noded-configuration", "ssl?", '"yes"'),
    ("ganeti-noded-configuration", "ssl-key", "#f"),
    ("ganeti-noded-configuration", "ssl-cert", "1"),
    ("ganeti-noded-configuration", "debug?", "1"),
    ("ganeti-noded-configuration", "ganeti", '"ganeti"'),
    ("ganeti-confd-configuration", "port", "'x"),
    ("ganeti-confd-configuration", "address", "#f"),
    ("ganeti-confd-configuration", "debug?", "'no"),
    ("ganeti-wconfd-configuration", "no-voting?", '"#t"'),
    ("ganeti-wconfd-configuration", "debug?", "0"),
    ("ganeti-luxid-configuration", "no-voting?", "'yes"),
    ("ganeti-luxid-configuration", "debug?", "0"),
    ("ganeti-rapi-configuration", "require-authentication?", "1"),
    ("ganeti-rapi-configuration", "port", "5080.5"),
    ("ganeti-rapi-configuration", "address", "'any"),
    ("ganeti-rapi-configuration", "interface", "1"),
    ("ganeti-rapi-configuration", "max-clients", '"20"'),
    ("ganeti-rapi-configuration", "ssl?", "'()"),
    ("ganeti-rapi-configuration", "ssl-key", "'k"),
    ("ganeti-rapi-configuration", "ssl-cert", "'c"),
    ("ganeti-rapi-configuration", "debug?", '"no"'),
    ("ganeti-kvmd-configuration", "debug?", "1"),
    ("ganeti-kvmd-configuration", "ganeti", "42"),
    ("ganeti-mond-configuration", "port", "-5"),
    ("ganeti-mond-configuration", "address", "'()"),
    ("ganeti-mond-configuration", "debug?", "1"),
    ("ganeti-metad-configuration", "port", '"80"'),
    ("ganeti-metad-configuration", "address", "80"),
    ("ganeti-metad-configuration", "debug?", "1"),
    ("ganeti-watcher-configuration", "schedule", "42"),
    ("ganeti-watcher-configuration", "rapi-ip", "'ip"),
    ("ganeti-watcher-configuration", "job-age", '"6h"'),
    ("ganeti-watcher-configuration", "verify-disks?", "'no"),
    ("ganeti-watcher-configuration", "debug?", "1"),
    ("ganeti-cleaner-configuration", "master-schedule", "#f"),
    ("ganeti-cleaner-configuration", "node-schedule", "12"),
    ("ganeti-configuration", "noded-configuration", "(ganeti-rapi-configuration)"),
    ("ganeti-configuration", "confd-configuration", "#f"),
    ("ganeti-configuration", "wconfd-configuration", "#f"),
    ("ganeti-configuration", "luxid-configuration", "(ganeti-wconfd-configuration)"),
    ("ganeti-configuration", "rapi-configuration", "'((interface \"eth1\"))"),
    ("ganeti-configuration", "kvmd-configuration", "#t"),
    ("ganeti-configuration", "mond-configuration", "#f"),
    ("ganeti-configuration", "metad-configuration", "#f"),
    ("ganeti-configuration", "watcher-configuration", "(ganeti-cleaner-configuration)"),
    ("ganeti-configuration", "cleaner-configuration", "#f"),
    ("ganeti-configuration", "file-storage-paths", '"/srv/ganeti"'),
    ("ganeti-configuration", "file-storage-paths", "'(/srv)"),
    ("ganeti-configuration", "hooks", '"/etc/hooks"'),
    ("ganeti-configuration", "os", "(ganeti-os (name \"x\"))"),
    ("ganeti-configuration", "os", "'(\"debootstrap\")"),
    ("ganeti-configuration", "ganeti", "#f"),
    ("debootstrap-configuration", "hooks", '"/hooks"'),
    ("debootstrap-configuration", "hooks", "'((10-x . \"/not/a/file-like\"))"),
    ("debootstrap-configuration", "hooks", "`((hello.sh . ,(plain-file \"h\" \"\")))"),
    ("debootstrap-configuration", "hooks", "`((\"a/b\" . ,(plain-file \"h\" \"\")))"),
    ("debootstrap-configuration", "proxy", "'proxy"),
    ("debootstrap-configuration", "mirror", "1"),
    ("debootstrap-configuration", "arch", "'armhf"),
    ("debootstrap-configuration", "suite", "'stable"),
    ("debootstrap-configuration", "extra-pkgs", '"udev"'),
    ("debootstrap-configuration", "components", "'(main)"),
    ("debootstrap-configuration", "generate-cache?", '"yes"'),
    ("debootstrap-configuration", "clean-cache", "-1"),
    ("debootstrap-configuration", "partition-style", "'gpt"),
    ("debootstrap-configuration", "partition-alignment", "0"),
]


@pytest.mark.parametrize(("record", "field", "value"), BAD_VALUES,
                         ids=[f"{r}-{f}-{v}" for r, f, v in BAD_VALUES])
def test_bad_value_is_rejected_naming_the_field(interp, record, field, value):
    with pytest.raises(SchemeError) as err:
        ev(interp, f"({record} ({field} {value}))")
    message = str(err.value)
    assert f"'{field}'" in message
    assert record in message


@pytest.mark.parametrize(("text", "field"), [
    ('(ganeti-os (name 42))', "name"),
    ('(ganeti-os (name "x") (extension (quote conf)))', "extension"),
    ('(ganeti-os (name "x") (variants (list 1 2)))', "variants"),
    ('(ganeti-os-variant (name (quote foo)) (configuration (plain-file "a" "b")))', "name"),
    ('(ganeti-os-variant (name "foo") (configuration "/etc/foo.conf"))', "configuration"),
])
def test_bad_os_values_are_rejected_naming_the_field(interp, text, field):
    with pytest.raises(SchemeError) as err:
        ev(interp, text)
    assert f"'{field}'" in str(err.value)


@pytest.mark.parametrize(("text", "field"), [
    ('(ganeti-os)', "name"),
    ('(ganeti-os-variant (name "foo"))', "configuration"),
    ('(ganeti-os-variant (configuration (plain-file "a" "b")))', "name"),
])
def test_missing_mandatory_field_is_reported(interp, text, field):
    with pytest.raises(SchemeError) as err:
        ev(interp, text)
    assert field in str(err.value)


def test_unknown_field_is_reported(interp):
    with pytest.raises(SchemeError) as err:
        ev(interp, "(ganeti-noded-configuration (prot 1811))")
    assert "prot" in str(err.value)


def test_partition_style_accepts_none_and_strings(interp):
    assert w(interp, "(debootstrap-configuration-partition-style "
                     "(debootstrap-configuration (partition-style 'none)))") == "none"
    assert w(interp, "(debootstrap-configuration-partition-style "
                     "(debootstrap-configuration (partition-style \"gpt\")))") == '"gpt"'


def test_clean_cache_accepts_false(interp):
    assert w(interp, "(debootstrap-configuration-clean-cache "
                     "(debootstrap-configuration (clean-cache #f)))") == "#f"


def test_watcher_schedule_accepts_a_cron_string(interp):
    assert w(interp, "(ganeti-watcher-configuration-schedule "
                     "(ganeti-watcher-configuration (schedule \"*/5 * * * *\")))") == '"*/5 * * * *"'


def test_inherit_copies_the_other_fields(interp):
    assert w(interp, """
      (let* ((a (ganeti-rapi-configuration (port 6000) (interface "eth1")))
             (b (ganeti-rapi-configuration (inherit a) (port 7000))))
        (list (ganeti-rapi-configuration-port b) (ganeti-rapi-configuration-interface b)))""") \
        == '(7000 "eth1")'


RECORDS_WITH_FIELDS = {
    "ganeti-noded-configuration": ["ganeti", "port", "address", "interface", "max-clients", "ssl?",
                                   "ssl-key", "ssl-cert", "debug?"],
    "ganeti-confd-configuration": ["ganeti", "port", "address", "debug?"],
    "ganeti-wconfd-configuration": ["ganeti", "no-voting?", "debug?"],
    "ganeti-luxid-configuration": ["ganeti", "no-voting?", "debug?"],
    "ganeti-rapi-configuration": ["ganeti", "require-authentication?", "port", "address", "interface",
                                  "max-clients", "ssl?", "ssl-key", "ssl-cert", "debug?"],
    "ganeti-kvmd-configuration": ["ganeti", "debug?"],
    "ganeti-mond-configuration": ["ganeti", "port", "address", "debug?"],
    "ganeti-metad-configuration": ["ganeti", "port", "address", "debug?"],
    "ganeti-watcher-configuration": ["ganeti", "schedule", "rapi-ip", "job-age", "verify-disks?",
                                     "debug?"],
    "ganeti-cleaner-configuration": ["ganeti", "master-schedule", "node-schedule"],
    "ganeti-configuration": ["ganeti", "noded-configuration", "confd-configuration",
                             "wconfd-configuration", "luxid-configuration", "rapi-configuration",
                             "kvmd-configuration", "mond-configuration", "metad-configuration",
                             "watcher-configuration", "cleaner-configuration", "file-storage-paths",
                             "hooks", "os"],
    "ganeti-os": ["name", "extension", "variants"],
    "ganeti-os-variant": ["name", "configuration"],
    "debootstrap-configuration": ["hooks", "proxy", "mirror", "arch", "suite", "extra-pkgs",
                                  "components", "generate-cache?", "clean-cache", "partition-style",
                                  "partition-alignment"],
}


@pytest.mark.parametrize("record", sorted(RECORDS_WITH_FIELDS))
def test_fields_are_those_of_the_chapter_in_order(interp, record):
    names = w(interp, f"(map configuration-field-name {record}-fields)")
    assert names == "(" + " ".join(RECORDS_WITH_FIELDS[record]) + ")"


@pytest.mark.parametrize("record", sorted(RECORDS_WITH_FIELDS))
def test_every_field_is_documented(interp, record):
    docs = ev(interp, f"(map configuration-field-documentation {record}-fields)")
    for doc in docs:
        assert len(display_string(doc)) > 10


@pytest.mark.parametrize("record", sorted(RECORDS_WITH_FIELDS))
def test_every_accessor_and_predicate_is_exported(interp, record):
    ctor = "(ganeti-os (name \"x\"))" if record == "ganeti-os" else \
        "(ganeti-os-variant (name \"x\") (configuration (plain-file \"a\" \"b\")))" \
        if record == "ganeti-os-variant" else f"({record})"
    accessors = " ".join(f"({record}-{f} r)" for f in RECORDS_WITH_FIELDS[record])
    assert ev(interp, f"(let ((r {ctor})) (list {accessors}) ({record}? r))") is True


def test_debootstrap_hooks_accept_the_chapters_pair_list(interp):
    assert ev(interp, """
      (debootstrap-configuration?
       (debootstrap-configuration
        (hooks `((99-hello-world . ,(plain-file "hello" "#!/bin/sh\\necho Hello, World"))))))""")


# --------------------------------------------------------------------------- shepherd services

# Guix 285f0862d86: no daemon gets -f (they fork and write their pid file themselves).
DAEMON_DEFAULTS = {
    "ganeti-noded": ("(user-processes networking)",
                     ["--port=1811", "--bind=0.0.0.0", "--max-clients=20",
                      "--ssl-key=/var/lib/ganeti/server.pem", "--ssl-cert=/var/lib/ganeti/server.pem"]),
    "ganeti-confd": ("(user-processes networking)", ["--port=1814", "--bind=0.0.0.0"]),
    "ganeti-wconfd": ("(user-processes)", []),
    "ganeti-luxid": ("(user-processes)", []),
    "ganeti-rapi": ("(user-processes networking)",
                    ["--port=5080", "--bind=0.0.0.0", "--max-clients=20",
                     "--ssl-key=/var/lib/ganeti/server.pem", "--ssl-cert=/var/lib/ganeti/server.pem"]),
    "ganeti-kvmd": ("(user-processes)", []),
    "ganeti-mond": ("(user-processes networking)", ["--port=1815", "--bind=0.0.0.0"]),
    "ganeti-metad": ("(user-processes networking)", ["--port=80"]),
}


def start_command(interp, daemon: str, config: str = "(ganeti-configuration)") -> list[str]:
    """The program and arguments of DAEMON's start gexp, store prefix stripped."""
    text = ev(interp, f"""
      (gexp->string (shepherd-service-start
                     (find-shepherd '{daemon} (ganeti-shepherd-services {config}))))""")
    text = strip_store(display_string(text))
    if daemon == "ganeti-metad":  # Guix gives metad no environment
        m = re.fullmatch(r'\(make-forkexec-constructor \(list (.*?)\) #:pid-file "([^"]+)"\)', text)
    else:
        m = re.fullmatch(r'\(make-forkexec-constructor \(list (.*?)\) '
                         r'#:environment-variables \(quote \("([^"]+)"\)\) #:pid-file "([^"]+)"\)', text)
    assert m, text
    assert m.group(m.lastindex) == f"/var/run/ganeti/{daemon}.pid"
    if daemon != "ganeti-metad":
        assert m.group(2) == "PATH=/run/current-system/profile/sbin:/run/current-system/profile/bin"
    return re.findall(r'"([^"]*)"', m.group(1))


def wconfd_wrapper(interp, config: str = "(ganeti-configuration)") -> Path:
    """The wrapper script ganeti-wconfd is started with, built in the current store."""
    args = start_command(interp, "ganeti-wconfd", config)
    assert args == ["<store>/wconfd-wrapper"], args
    text = display_string(ev(interp, f"""
      (gexp->string (shepherd-service-start
                     (find-shepherd 'ganeti-wconfd (ganeti-shepherd-services {config}))))"""))
    return Path(re.search(r'\(list "([^"]+)"\)', text).group(1))


def test_the_umbrella_service_runs_exactly_the_eight_daemons(interp):
    provisions = w(interp, "(map shepherd-service-provision "
                           "(ganeti-shepherd-services (ganeti-configuration)))")
    # Besides them, only mcron's own service (which runs the watcher and cleaner jobs).
    assert provisions.replace(" (mcron)", "") == "(" + " ".join(f"({d})" for d in DAEMON_DEFAULTS) + ")"


@pytest.mark.parametrize("daemon", sorted(DAEMON_DEFAULTS))
def test_daemon_requirements(interp, daemon):
    assert w(interp, f"(shepherd-service-requirement (find-shepherd '{daemon} "
                     "(ganeti-shepherd-services (ganeti-configuration))))") == DAEMON_DEFAULTS[daemon][0]


@pytest.mark.parametrize("daemon", sorted(DAEMON_DEFAULTS))
def test_daemon_is_not_respawned(interp, daemon):
    assert ev(interp, f"(shepherd-service-respawn? (find-shepherd '{daemon} "
                      "(ganeti-shepherd-services (ganeti-configuration))))") is False


@pytest.mark.parametrize("daemon", sorted(set(DAEMON_DEFAULTS) - {"ganeti-wconfd"}))
def test_daemon_default_command_line(interp, daemon):
    assert start_command(interp, daemon) == [f"<store>/ganeti/sbin/{daemon}"] + DAEMON_DEFAULTS[daemon][1]


def test_no_daemon_gets_dash_f(interp):
    for daemon in DAEMON_DEFAULTS:
        assert "-f" not in start_command(interp, daemon), daemon


def test_metad_is_started_on_demand_only(interp):
    auto = w(interp, "(map (lambda (s) (cons (car (shepherd-service-provision s)) "
                     "(shepherd-service-auto-start? s))) (ganeti-shepherd-services (ganeti-configuration)))")
    assert "(ganeti-metad . #f)" in auto
    assert auto.count(". #t)") == len(DAEMON_DEFAULTS) - 1 + auto.count("(mcron")


def run_wrapper(wrapper: Path, tmp_path: Path, hint: bool) -> list[str]:
    """The command line the wrapper execs, with a stand-in wconfd and hint file."""
    text = wrapper.read_text()
    wconfd = tmp_path / "wconfd"
    wconfd.write_text('#!/bin/sh\necho "$@"\n')
    wconfd.chmod(0o755)
    hint_file = tmp_path / "hint"
    if hint:
        hint_file.write_text("")
    real = re.search(r"exec (\S+/sbin/ganeti-wconfd)", text).group(1)
    text = text.replace(real, str(wconfd)).replace("/var/lib/ganeti/guix_wconfd_force_node_hint",
                                                   str(hint_file))
    script = tmp_path / "wrapper"
    script.write_text(text)
    script.chmod(0o755)
    return subprocess.run([str(script)], capture_output=True, text=True, check=True).stdout.split()


def test_wconfd_runs_through_the_force_node_wrapper(interp, store, tmp_path):
    wrapper = wconfd_wrapper(interp, """
      (ganeti-configuration (wconfd-configuration (ganeti-wconfd-configuration (debug? #t))))""")
    assert os.access(wrapper, os.X_OK)
    assert "/var/lib/ganeti/guix_wconfd_force_node_hint" in wrapper.read_text()
    assert run_wrapper(wrapper, tmp_path, hint=False) == ["--debug"]
    assert run_wrapper(wrapper, tmp_path, hint=True) == ["--force-node", "--no-voting", "--yes-do-it",
                                                         "--debug"]


def test_wconfd_has_the_force_start_action(interp):
    assert w(interp, "(map shepherd-action-name (shepherd-service-actions (find-shepherd 'ganeti-wconfd "
                     "(ganeti-shepherd-services (ganeti-configuration)))))") == "(force-start)"
    code = display_string(ev(interp, "(gexp->string (shepherd-action-procedure (car (shepherd-service-actions "
                                     "(find-shepherd 'ganeti-wconfd (ganeti-shepherd-services "
                                     "(ganeti-configuration)))))))"))
    assert "/var/lib/ganeti/guix_wconfd_force_node_hint" in code
    assert "(start-service (lookup-service (quote ganeti-wconfd)))" in code


@pytest.mark.parametrize("daemon", sorted(DAEMON_DEFAULTS))
def test_daemon_is_stopped_by_killing_it(interp, daemon):
    assert w(interp, f"(gexp->string (shepherd-service-stop (find-shepherd '{daemon} "
                     "(ganeti-shepherd-services (ganeti-configuration)))))") == '"(make-kill-destructor)"'


@pytest.mark.parametrize("daemon", sorted(DAEMON_DEFAULTS))
def test_daemon_is_documented(interp, daemon):
    doc = ev(interp, f"(shepherd-service-documentation (find-shepherd '{daemon} "
                     "(ganeti-shepherd-services (ganeti-configuration))))")
    assert daemon in display_string(doc)


def test_rapi_on_interface_eth1(interp):
    args = start_command(interp, "ganeti-rapi", """
      (ganeti-configuration (rapi-configuration (ganeti-rapi-configuration (interface "eth1"))))""")
    assert args[1:] == ["--port=5080", "--bind=0.0.0.0", "--interface=eth1", "--max-clients=20",
                        "--ssl-key=/var/lib/ganeti/server.pem", "--ssl-cert=/var/lib/ganeti/server.pem"]


def test_rapi_every_option(interp):
    args = start_command(interp, "ganeti-rapi", """
      (ganeti-configuration
       (rapi-configuration
        (ganeti-rapi-configuration (require-authentication? #t) (port 5081) (address "10.0.0.1")
                                   (max-clients 7) (ssl-key "/k.pem") (ssl-cert "/c.pem")
                                   (debug? #t))))""")
    assert args[1:] == ["--require-authentication", "--port=5081", "--bind=10.0.0.1",
                        "--max-clients=7", "--ssl-key=/k.pem", "--ssl-cert=/c.pem", "--debug"]


def test_rapi_without_ssl(interp):
    args = start_command(interp, "ganeti-rapi", """
      (ganeti-configuration (rapi-configuration (ganeti-rapi-configuration (ssl? #f))))""")
    assert "--no-ssl" in args
    assert not [a for a in args if a.startswith("--ssl")]


def test_noded_every_option(interp):
    args = start_command(interp, "ganeti-noded", """
      (ganeti-configuration
       (noded-configuration
        (ganeti-noded-configuration (port 18111) (address "127.0.0.1") (interface "eth0")
                                    (max-clients 5) (ssl? #f) (debug? #t))))""")
    assert args[1:] == ["--port=18111", "--bind=127.0.0.1", "--interface=eth0", "--max-clients=5",
                        "--no-ssl", "--debug"]


def test_no_voting_adds_yes_do_it(interp, store, tmp_path):
    args = start_command(interp, "ganeti-luxid", """
      (ganeti-configuration
       (luxid-configuration (ganeti-luxid-configuration (no-voting? #t) (debug? #t))))""")
    assert args[1:] == ["--no-voting", "--yes-do-it", "--debug"]
    wrapper = wconfd_wrapper(interp, """
      (ganeti-configuration
       (wconfd-configuration (ganeti-wconfd-configuration (no-voting? #t) (debug? #t))))""")
    assert run_wrapper(wrapper, tmp_path, hint=False) == ["--no-voting", "--yes-do-it", "--debug"]


@pytest.mark.parametrize(("daemon", "config", "expected"), [
    ("confd", "(port 1900) (address \"10.1.1.1\") (debug? #t)",
     ["--port=1900", "--bind=10.1.1.1", "--debug"]),
    ("mond", "(port 1901) (address \"::1\") (debug? #t)", ["--port=1901", "--bind=::1", "--debug"]),
    ("metad", "(port 8080) (address \"169.254.169.254\") (debug? #t)",
     ["--port=8080", "--bind=169.254.169.254", "--debug"]),
    ("kvmd", "(debug? #t)", ["--debug"]),
])
def test_daemon_non_default_options(interp, daemon, config, expected):
    args = start_command(interp, f"ganeti-{daemon}", f"""
      (ganeti-configuration ({daemon}-configuration (ganeti-{daemon}-configuration {config})))""")
    assert args[1:] == expected


def test_daemon_uses_its_own_ganeti_package(interp):
    args = start_command(interp, "ganeti-kvmd", """
      (ganeti-configuration
       (kvmd-configuration (ganeti-kvmd-configuration (ganeti (plain-file "my-ganeti" "")))))""")
    assert args[0] == "<store>/my-ganeti/sbin/ganeti-kvmd"


def test_daemon_service_type_alone(interp):
    text = ev(interp, """
      (map (lambda (s) (gexp->string (shepherd-service-start s)))
           (assq-ref (fold-ganeti (service ganeti-noded-service-type
                                           (ganeti-noded-configuration (port 1999))))
                     'shepherd-root))""")
    assert '"--port=1999"' in display_string(text.car) and text.cdr is NIL


def test_daemon_service_type_default_value(interp):
    assert w(interp, "(ganeti-confd-configuration-port "
                     "(service-value (service ganeti-confd-service-type)))") == "1814"


SERVICE_TYPE_NAMES = ["ganeti", "ganeti-noded", "ganeti-confd", "ganeti-wconfd", "ganeti-luxid",
                      "ganeti-rapi", "ganeti-kvmd", "ganeti-mond", "ganeti-metad", "ganeti-watcher",
                      "ganeti-cleaner"]


@pytest.mark.parametrize("name", SERVICE_TYPE_NAMES)
def test_service_type_name_and_description(interp, name):
    assert w(interp, f"(service-type-name {name}-service-type)") == name
    assert len(display_string(ev(interp, f"(service-type-description {name}-service-type)"))) > 40


# --------------------------------------------------------------------------- activation

GANETI_DIRECTORIES = [
    "/var/log/ganeti", "/var/log/ganeti/kvm", "/var/log/ganeti/os",
    "/var/lib/ganeti/rapi", "/var/lib/ganeti/queue", "/var/lib/ganeti/queue/archive",
    "/var/run/ganeti/bdev-cache", "/var/run/ganeti/crypto", "/var/run/ganeti/socket",
    "/var/run/ganeti/instance-disks", "/var/run/ganeti/instance-reason", "/var/run/ganeti/livelocks"]


def test_activation_creates_the_ganeti_directories(interp):
    text = display_string(ev(interp, """
      (string-join (map gexp->string
                        (assq-ref (fold-ganeti (service ganeti-service-type)) 'activate))
                   "\n")"""))
    assert text == "(for-each mkdir-p (quote (" + " ".join(f'"{d}"' for d in GANETI_DIRECTORIES) + ")))"


def test_activation_runs_and_creates_the_directories(interp, tmp_path):
    code = display_string(ev(interp, """
      (gexp->string (car (assq-ref (fold-ganeti (service ganeti-kvmd-service-type)) 'activate)))"""))
    code = code.replace('"/var/', f'"{tmp_path}/var/')
    ev(interp, "(use-modules (guix build utils))")  # as the activation script does
    ev(interp, code)
    for d in GANETI_DIRECTORIES:
        assert (tmp_path / d.lstrip("/")).is_dir(), d


# --------------------------------------------------------------------------- mcron jobs

def jobs(interp, services: str) -> list[str]:
    texts = ev(interp, f"(map gexp->string (mcron-jobs {services}))")
    return [strip_store(display_string(t)) for t in texts]


def test_default_watcher_and_cleaner_jobs(interp):
    # Named as Guix names them; the action runs the program with system*.
    assert jobs(interp, "(service ganeti-service-type)") == [
        '(job (quote (next-second-from (next-minute (range 0 60 5)))) '
        '(lambda () (system* "<store>/ganeti/sbin/ganeti-watcher" "--job-age=21600")) "ganeti-watcher")',
        '(job "45 1 * * *" (lambda () (system* "<store>/ganeti/sbin/ganeti-cleaner" "master")) '
        '"ganeti master cleaner")',
        '(job "45 2 * * *" (lambda () (system* "<store>/ganeti/sbin/ganeti-cleaner" "node")) '
        '"ganeti node cleaner")',
    ]


def test_watcher_with_rapi_ip(interp):
    assert jobs(interp, """(service ganeti-service-type
                             (ganeti-configuration
                              (watcher-configuration
                               (ganeti-watcher-configuration (rapi-ip "10.0.0.1")))))""")[0] == (
        '(job (quote (next-second-from (next-minute (range 0 60 5)))) '
        '(lambda () (system* "<store>/ganeti/sbin/ganeti-watcher" "--rapi-ip=10.0.0.1" "--job-age=21600")) '
        '"ganeti-watcher")')


def test_watcher_every_option(interp):
    assert jobs(interp, """(service ganeti-watcher-service-type
                             (ganeti-watcher-configuration
                              (schedule "*/10 * * * *") (rapi-ip "10.0.0.1") (job-age 3600)
                              (verify-disks? #f) (debug? #t)))""") == [
        '(job "*/10 * * * *" (lambda () (system* "<store>/ganeti/sbin/ganeti-watcher" "--rapi-ip=10.0.0.1" '
        '"--job-age=3600" "--no-verify-disks" "--debug")) "ganeti-watcher")']


def test_cleaner_schedules(interp):
    assert jobs(interp, """(service ganeti-cleaner-service-type
                             (ganeti-cleaner-configuration
                              (master-schedule "0 3 * * *") (node-schedule "30 3 * * *")))""") == [
        '(job "0 3 * * *" (lambda () (system* "<store>/ganeti/sbin/ganeti-cleaner" "master")) '
        '"ganeti master cleaner")',
        '(job "30 3 * * *" (lambda () (system* "<store>/ganeti/sbin/ganeti-cleaner" "node")) '
        '"ganeti node cleaner")']


def test_watcher_job_schedule_is_a_valid_mcron_job(interp):
    """The lowered job, evaluated the way the service manager does, defines a job every 5 minutes."""
    from schemy.shepherd.mcron import Job, at_action_time, next_run  # noqa: F401

    text = jobs(interp, "(service ganeti-watcher-service-type)")[0]
    schedule = ev(interp, re.match(r"\(job (.*) \(lambda", text).group(1))
    assert write_string(schedule) == "(next-second-from (next-minute (range 0 60 5)))"


# --------------------------------------------------------------------------- /etc files

def etc(interp, config: str) -> dict[str, object]:
    entries = ev(interp, f"(etc-entries {config})")
    out = {}
    for e in entries:
        out[display_string(e.car)] = e.cdr.car
    return out


def lowered_text(interp, obj) -> str:
    from schemy.guix.gexp import lower_object

    path = lower_object(obj)
    return Path(path).read_text()


def test_default_etc_files(interp):
    assert sorted(etc(interp, "(ganeti-configuration)")) == [
        "ganeti/instance-debootstrap/variants/default.conf",
        "ganeti/instance-debootstrap/variants/variants.list",
        "ganeti/instance-guix/variants/default.scm",
        "ganeti/instance-guix/variants/variants.list",
    ]


def test_custom_os_example_files(interp, store):
    files = etc(interp, """
      (ganeti-configuration
       (os (list (ganeti-os
                  (name "custom")
                  (extension ".conf")
                  (variants
                   (list (ganeti-os-variant
                          (name "foo")
                          (configuration (plain-file "bar" "this is fine")))))))))""")
    assert sorted(files) == ["ganeti/instance-custom/variants/foo.conf",
                             "ganeti/instance-custom/variants/variants.list"]
    assert lowered_text(interp, files["ganeti/instance-custom/variants/foo.conf"]) == "this is fine"
    assert lowered_text(interp, files["ganeti/instance-custom/variants/variants.list"]) == "foo\n"


TWO_VARIANTS = """
  (ganeti-configuration
   (os (list (ganeti-os
              (name "x")
              (variants (list (ganeti-os-variant (name "a") (configuration (plain-file "a" "1")))
                              (ganeti-os-variant (name "b") (configuration (plain-file "b" "2")))))))))"""


def test_variant_without_extension(interp):
    files = etc(interp, TWO_VARIANTS)
    assert sorted(files) == ["ganeti/instance-x/variants/a",
                             "ganeti/instance-x/variants/b", "ganeti/instance-x/variants/variants.list"]


def test_variants_list_has_one_name_per_line(interp, store):
    files = etc(interp, TWO_VARIANTS)
    assert lowered_text(interp, files["ganeti/instance-x/variants/variants.list"]) == "a\nb\n"


def test_variants_given_as_a_directory(interp, tmp_path):
    (tmp_path / "ganeti-guix-variants").mkdir()
    files = etc(interp, f"""
      (ganeti-configuration
       (os (list (ganeti-os (name "guix")
                            (variants (local-file "{tmp_path}/ganeti-guix-variants" #:recursive? #t))))))""")
    assert sorted(files) == ["ganeti/instance-guix/variants"]


def test_file_storage_paths_one_per_line(interp, store):
    files = etc(interp, """(ganeti-configuration
                             (file-storage-paths '("/srv/ganeti/file-storage" "/srv/other")))""")
    # Joined with newlines, no trailing newline (as Guix's string-join).
    assert lowered_text(interp, files["ganeti/file-storage-paths"]) == \
        "/srv/ganeti/file-storage\n/srv/other"


def test_empty_file_storage_paths_give_no_file(interp, store):
    assert "ganeti/file-storage-paths" not in etc(interp, "(ganeti-configuration)")


def test_hooks_directory(interp, tmp_path):
    (tmp_path / "hooks").mkdir()
    files = etc(interp, f"""(ganeti-configuration (hooks (local-file "{tmp_path}/hooks" #:recursive? #t)))""")
    assert "ganeti/hooks" in files


def test_default_guix_variant_is_the_dynamic_example(interp):
    assert ev(interp, """
      (let ((v (car %default-guix-variants)))
        (and (equal? (ganeti-os-variant-name v) "default")
             (equal? (gexp->string #~#$(ganeti-os-variant-configuration v))
                     (gexp->string
                      #~#$(file-append ganeti-instance-guix
                                       "/share/doc/ganeti-instance-guix/examples/dynamic.scm")))))""") \
        is True


def test_default_ganeti_os(interp):
    assert w(interp, """(map (lambda (os) (list (ganeti-os-name os) (ganeti-os-extension os)
                                               (map ganeti-os-variant-name (ganeti-os-variants os))))
                             %default-ganeti-os)""") == \
        '(("debootstrap" ".conf" ("default")) ("guix" ".scm" ("default")))'


@pytest.mark.parametrize("call", [
    '(debootstrap-os (debootstrap-variant "a" (debootstrap-configuration)) '
    '(debootstrap-variant "b" (debootstrap-configuration)))',
    '(debootstrap-os (list (debootstrap-variant "a" (debootstrap-configuration)) '
    '(debootstrap-variant "b" (debootstrap-configuration))))',
])
def test_debootstrap_os_takes_variants_as_arguments_or_a_list(interp, call):
    assert w(interp, f"(let ((os {call})) (list (ganeti-os-name os) (ganeti-os-extension os) "
                     "(map ganeti-os-variant-name (ganeti-os-variants os))))") == \
        '("debootstrap" ".conf" ("a" "b"))'


def test_guix_os(interp):
    assert w(interp, """(let ((os (guix-os (guix-variant "web" (plain-file "web.scm" "(operating-system)")))))
                          (list (ganeti-os-name os) (ganeti-os-extension os)
                                (map ganeti-os-variant-name (ganeti-os-variants os))))""") \
        == '("guix" ".scm" ("web"))'


def test_default_debootstrap_variants(interp):
    assert w(interp, "(map ganeti-os-variant-name %default-debootstrap-variants)") == '("default")'


def test_default_debootstrap_hooks_are_interfaces_and_grub(interp):
    # Guile writes these symbols as #{10-interfaces}# (they start like a number).
    assert w(interp, "(map symbol->string (map car %default-debootstrap-hooks))") == \
        '("10-interfaces" "90-grub")'
    assert ev(interp, "(every file-like? (map cdr %default-debootstrap-hooks))") is True
    assert ev(interp, "(eq? (cdr (assq '10-interfaces %default-debootstrap-hooks)) "
                      "%debootstrap-interfaces-hook)") is True
    assert ev(interp, "(eq? (cdr (assq '90-grub %default-debootstrap-hooks)) %debootstrap-grub-hook)") is True


def test_debootstrap_interfaces_hook_is_the_packages_example(interp):
    assert strip_store(display_string(ev(interp, "(gexp->string #~#$%debootstrap-interfaces-hook)"))) == \
        '"<store>/ganeti-instance-debootstrap/share/doc/ganeti-instance-debootstrap/examples/interfaces"'


def test_debootstrap_grub_hook_installs_grub2_with_a_serial_console(interp, store, tmp_path):
    """Run the hook with stand-ins for mount, umount and chroot: it mounts /proc, /sys and /dev
    in the target, appends the serial console settings to /etc/default/grub, runs grub-install
    on the block device and update-grub in the chroot, then unmounts in reverse order."""
    from schemy.guix.gexp import lower_object

    hook = Path(lower_object(ev(interp, "%debootstrap-grub-hook")))
    text = hook.read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    log = tmp_path / "log"
    target = tmp_path / "target"
    (target / "etc/default").mkdir(parents=True)
    (target / "etc/default/grub").write_text("GRUB_DEFAULT=0\n")
    env = {"PATH": "/usr/bin:/bin", "TARGET": str(target), "BLOCKDEV": "/dev/vdz"}
    # Exported bash functions stand for the tools (the hook sets its own PATH).
    for tool in ("mount", "umount", "chroot"):
        env[f"BASH_FUNC_{tool}%%"] = f'() {{ echo "{tool} $*" >> "{log}"; }}'
    subprocess.run(["bash", str(hook)], env=env, check=True)
    assert log.read_text().splitlines() == [
        f"mount -t proc proc {target}/proc", f"mount -t sysfs sysfs {target}/sys",
        f"mount -o bind /dev {target}/dev",
        f"chroot {target} grub-install /dev/vdz", f"chroot {target} update-grub",
        f"umount {target}/dev", f"umount {target}/sys", f"umount {target}/proc"]
    grub = (target / "etc/default/grub").read_text()
    assert 'GRUB_CMDLINE_LINUX_DEFAULT="console=ttyS0,115200 net.ifnames=0"' in grub
    assert 'GRUB_TERMINAL="serial"' in grub and 'GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"' in grub


def test_default_extra_packages_include_grub_pc(interp):
    assert w(interp, "%default-debootstrap-extra-pkgs") == \
        '("acpi-support-base" "udev" "linux-image-amd64" "openssh-server" "locales-all" "grub-pc")'


def test_default_extra_packages_are_strings(interp):
    assert ev(interp, "(and (pair? %default-debootstrap-extra-pkgs) "
                      "(every string? %default-debootstrap-extra-pkgs))") is True


# --------------------------------------------------------------------------- debootstrap variant files

def variant_text(interp, config: str) -> str:
    obj = ev(interp, f"(ganeti-os-variant-configuration (debootstrap-variant \"v\" {config}))")
    return lowered_text(interp, obj)


def test_default_debootstrap_variant_file(interp, store):
    text = variant_text(interp, "(debootstrap-configuration)")
    lines = text.splitlines()
    # Guix's order and form: unquoted values, CUSTOMIZE_DIR after COMPONENTS.
    assert re.fullmatch(r'CUSTOMIZE_DIR=/.*-debootstrap-hooks', lines[2])
    assert lines[:2] + lines[3:] == [
        'SUITE=stable',
        'EXTRA_PKGS=acpi-support-base,udev,linux-image-amd64,openssh-server,locales-all,grub-pc',
        'GENERATE_CACHE=yes',
        'CLEAN_CACHE=14',
        'PARTITION_STYLE=msdos',
        'PARTITION_ALIGNMENT=2048',
    ]


def test_debootstrap_variant_every_setting(interp, store):
    text = variant_text(interp, """
      (debootstrap-configuration
       (hooks #f) (proxy "http://proxy:3128/") (mirror "http://ftp.no.debian.org/debian")
       (arch "armhf") (suite "bookworm") (extra-pkgs '("udev" "openssh-server"))
       (components '("main" "contrib")) (generate-cache? #f) (clean-cache #f)
       (partition-style 'none) (partition-alignment 4096))""")
    assert text.splitlines() == [
        'PROXY=http://proxy:3128/',
        'MIRROR=http://ftp.no.debian.org/debian',
        'ARCH=armhf',
        'SUITE=bookworm',
        'EXTRA_PKGS=udev,openssh-server',
        'COMPONENTS=main,contrib',
        'GENERATE_CACHE=no',
        'PARTITION_STYLE=none',
        'PARTITION_ALIGNMENT=4096',
    ]


def test_debootstrap_partition_style_and_alignment_false_are_left_out(interp, store):
    text = variant_text(interp, "(debootstrap-configuration (hooks #f) (partition-style #f) "
                                "(partition-alignment #f))")
    assert text.splitlines() == [
        'SUITE=stable',
        'EXTRA_PKGS=acpi-support-base,udev,linux-image-amd64,openssh-server,locales-all,grub-pc',
        'GENERATE_CACHE=yes',
        'CLEAN_CACHE=14',
    ]


def test_debootstrap_variant_suite_false_is_left_out(interp, store):
    text = variant_text(interp, "(debootstrap-configuration (hooks #f) (suite #f) (extra-pkgs '()))")
    assert "SUITE" not in text
    assert "EXTRA_PKGS" not in text


def test_debootstrap_variant_file_is_valid_sh(interp, store, tmp_path):
    """ganeti-instance-debootstrap sources the variant file with sh: check what sh sees."""
    obj = ev(interp, """(ganeti-os-variant-configuration
                         (debootstrap-variant "v" (debootstrap-configuration
                                                   (proxy "http://proxy.example:3128/")
                                                   (partition-style "gpt"))))""")
    from schemy.guix.gexp import lower_object

    path = lower_object(obj)
    out = subprocess.run(["sh", "-c", '. "$1"; printf "%s|%s|%s|%s|%s" "$PROXY" "$SUITE" "$EXTRA_PKGS" '
                                      '"$PARTITION_STYLE" "$CUSTOMIZE_DIR"', "sh", path],
                         capture_output=True, text=True, check=True).stdout
    proxy, suite, pkgs, style, customize = out.split("|")
    assert proxy == "http://proxy.example:3128/"
    assert suite == "stable"
    assert pkgs.split(",")[0] == "acpi-support-base"
    assert style == "gpt"
    assert os.path.isdir(customize)


def test_debootstrap_hooks_directory_holds_executables(interp, store):
    obj = ev(interp, """(ganeti-os-variant-configuration
                         (debootstrap-variant "v" (debootstrap-configuration
                          (hooks `((99-hello-world
                                    . ,(plain-file "hello" "#!/bin/sh\\necho Hello, World\\n"))
                                   ("10-first" . ,(plain-file "first" "#!/bin/sh\\necho first\\n")))))))""")
    from schemy.guix.gexp import lower_object

    text = Path(lower_object(obj)).read_text()
    hooks = Path(re.search(r'CUSTOMIZE_DIR=(\S+)', text).group(1))
    assert sorted(p.name for p in hooks.iterdir()) == ["10-first", "99-hello-world"]
    hello = hooks / "99-hello-world"
    assert os.access(hello, os.X_OK)
    assert subprocess.run([str(hello)], capture_output=True, text=True).stdout == "Hello, World\n"


def test_debootstrap_hooks_as_a_directory(interp, store, tmp_path):
    (tmp_path / "myhooks").mkdir()
    (tmp_path / "myhooks" / "50-x").write_text("#!/bin/sh\n")
    text = variant_text(interp, f"""(debootstrap-configuration
                                      (hooks (local-file "{tmp_path}/myhooks" #:recursive? #t)))""")
    hooks = re.search(r'CUSTOMIZE_DIR=(\S+)', text).group(1)
    assert (Path(hooks) / "50-x").is_file()


def test_debootstrap_hooks_as_a_gexp(interp, store, tmp_path):
    text = variant_text(interp, '(debootstrap-configuration (hooks #~(string-append "/etc/" "my-hooks")))')
    assert text.splitlines()[2] == "CUSTOMIZE_DIR=/etc/my-hooks"


# --------------------------------------------------------------------------- the umbrella service

def test_umbrella_extends_the_system_directly_not_the_sub_services(interp):
    names = w(interp, "(map car (fold-ganeti (service ganeti-service-type)))")
    for name in ["ganeti", "shepherd-root", "mcron", "etc", "profile", "activate"]:
        assert re.search(rf"[( ]{re.escape(name)}[) ]", names), name
    for name in SERVICE_TYPE_NAMES[1:]:
        assert not re.search(rf"[( ]{re.escape(name)}[) ]", names), name
    assert w(interp, "(map (lambda (e) (service-type-name (service-extension-target e))) "
                     "(service-type-extensions ganeti-service-type))") == \
        "(shepherd-root mcron activate profile etc)"


def test_explicit_noded_next_to_the_umbrella_is_a_duplicate_provision(interp):
    with pytest.raises(SchemeError) as info:
        ev(interp, """(fold-ganeti (service ganeti-service-type)
                                   (service ganeti-noded-service-type
                                            (ganeti-noded-configuration (port 9999))))""")
    assert "service 'ganeti-noded' provided more than once" in str(info.value)


def test_umbrella_installs_the_ganeti_package(interp):
    assert ev(interp, "(eq? ganeti (car (assq-ref (fold-ganeti (service ganeti-service-type)) 'profile)))") \
        is True


def test_umbrella_passes_the_sub_configurations(interp):
    args = start_command(interp, "ganeti-rapi", """
      (ganeti-configuration (rapi-configuration (ganeti-rapi-configuration (interface "eth1"))))""")
    assert "--interface=eth1" in args


# --------------------------------------------------------------------------- the chapter's examples

def fold_example(interp, name: str):
    from schemy.system.build import fold_operating_system
    from schemy.system.config import load_operating_system

    def work():
        os_record = load_operating_system(interp, str(EXAMPLES / name))
        return fold_operating_system(interp, os_record)[1]

    # As the command line does: package lookups need the interpreter to be the current one.
    return interp.run_protected(work)


def _shepherd_provisions(values) -> dict[str, str]:
    out = {}
    for s in values.get("shepherd-root", []):
        out[display_string(ev_record(s, "provision").car)] = write_string(ev_record(s, "requirement"))
    return out


def ev_record(rec, field):
    from schemy.lang.datum import Symbol
    from schemy.runtime.records import record_ref

    return record_ref(rec, Symbol(field))


def test_node_example_folds(interp):
    values = fold_example(interp, "ganeti-node.scm")
    services = _shepherd_provisions(values)
    for daemon, (requirement, _) in DAEMON_DEFAULTS.items():
        assert services[daemon] == requirement
    assert "ssh-daemon" in services or "sshd" in services


def test_rapi_example_folds_with_eth1_and_rapi_ip(interp):
    values = fold_example(interp, "ganeti-rapi.scm")
    rapi = [s for s in values["shepherd-root"]
            if display_string(ev_record(s, "provision").car) == "ganeti-rapi"]
    start = display_string(interp.eval_string("gexp->string", "t.scm")(ev_record(rapi[0], "start")))
    assert '"--interface=eth1"' in start
    jobs = [display_string(interp.eval_string("gexp->string", "t.scm")(j))
            for j in interp.eval_string("mcron-configuration-jobs", "t.scm")(values["mcron"])]
    assert any('"--rapi-ip=10.0.0.1"' in j for j in jobs), jobs


def test_os_example_folds_with_the_custom_os(interp, store):
    values = fold_example(interp, "ganeti-os.scm")
    names = [display_string(e.car) for e in values["etc"]]
    assert "ganeti/instance-custom/variants/foo.conf" in names
    assert "ganeti/instance-custom/variants/variants.list" in names


def test_rapi_example_documents_its_parenthesis_fix():
    text = (EXAMPLES / "ganeti-rapi.scm").read_text()
    assert "mis-parenthesized" in text


# sha256 of the chapter's node example (the 49 lines from "(use-package-modules
# virtualization)", line 836 of the virtualization-services chapter, joined with "\n"),
# recorded once so that the test reads nothing outside the repository.
CHAPTER_NODE_EXAMPLE_SHA256 = "0cd1dc3a2fe7988550d7b6b3dec2997c46e86213a054a8128efb6380343cf986"


def test_node_example_is_the_chapters_text():
    """Everything but the lines standing for the manual's `;; …` is copied verbatim."""
    import hashlib

    ours = (EXAMPLES / "ganeti-node.scm").read_text().splitlines()
    elided = ours.index("  (host-name \"node1\")")
    kept = ours[:4] + ours[elided:]
    assert len(kept) == 49
    assert hashlib.sha256("\n".join(kept).encode()).hexdigest() == CHAPTER_NODE_EXAMPLE_SHA256


def test_missing_hook_file_becomes_a_failing_script(interp, store):
    """A hook whose file the host lacks (e.g. an example of an uninstalled package) does not
    break the build: its script explains what is missing and fails."""
    obj = ev(interp, """(ganeti-os-variant-configuration
                         (debootstrap-variant "v" (debootstrap-configuration
                          (hooks `((20-gone . ,(file-append (plain-file "p" "") "/not-there")))))))""")
    from schemy.guix.gexp import lower_object

    text = Path(lower_object(obj)).read_text()
    hook = Path(re.search(r'CUSTOMIZE_DIR=(\S+)', text).group(1)) / "20-gone"
    result = subprocess.run([str(hook)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "20-gone" in result.stderr and "not-there does not exist" in result.stderr


def test_missing_hook_file_runs_once_it_exists(interp, store, tmp_path):
    """The stand-in script runs the hook's file through its #! line when it appears later."""
    obj = ev(interp, """(ganeti-os-variant-configuration
                         (debootstrap-variant "v" (debootstrap-configuration
                          (hooks `((30-later . ,(file-append (computed-file "empty" #~(mkdir #$output))
                                                             "/later")))))))""")
    from schemy.guix.gexp import lower_object

    text = Path(lower_object(obj)).read_text()
    hook = Path(re.search(r'CUSTOMIZE_DIR=(\S+)', text).group(1)) / "30-later"
    target = Path(re.search(r"src='([^']+)'", hook.read_text()).group(1))
    target.parent.chmod(0o755)  # store items are read-only; pretend a package got installed
    target.write_text("#!/bin/sh\necho \"ran with $1\"\n")  # not executable, like Debian's examples
    result = subprocess.run([str(hook), "arg"], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "ran with arg\n")


def test_variant_configuration_given_as_a_gexp(interp, store, tmp_path):
    """guix-variant takes "a G-expression that returns a file-like": its file ends up in /etc."""
    (tmp_path / "web.scm").write_text("(operating-system)")
    files = etc(interp, f"""
      (ganeti-configuration
       (os (list (guix-os (guix-variant "web" #~(string-append "{tmp_path}" "/web.scm"))))))""")
    assert lowered_text(interp, files["ganeti/instance-guix/variants/web.scm"]) == "(operating-system)"
    assert lowered_text(interp, files["ganeti/instance-guix/variants/variants.list"]) == "web\n"


def test_chapters_one_argument_plain_file_snippet_names_plain_file(interp):
    # The chapter's hooks example calls plain-file with one argument: the error names the
    # procedure as Guile does, located at the call, not a Python function.
    with pytest.raises(SchemeError) as info:
        ev(interp, '(debootstrap-configuration\n (hooks `((99-hello-world . ,(plain-file "#!/bin/sh\\necho Hello, '
                   'World")))))')
    message = str(info.value)
    assert re.match(r"test\.scm:2:\d+: error: Wrong number of arguments to "
                    r"#<procedure plain-file \(name content\)>", message), message
    assert "plain_file" not in message
