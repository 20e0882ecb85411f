"""(gnu services virtualization): configurations, generated files, shepherd services, examples.

Each service is built from a small configuration and what it produces is checked: the
configuration files line by line, the shepherd services (provision, requirement, the lowered
start code), accounts and activation.  Virtual machines run tests/fixtures/fake-qemu instead of
QEMU, through schemy's service manager, and the command line it recorded is checked.
qemu-binfmt writes to a stand-in binfmt_misc directory here (SCHEMY_BINFMT_MISC); the test in a
private binfmt_misc instance is in test_virtualization_daemons.py.
"""

from __future__ import annotations

import functools
import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest

from schemy.app import Interpreter
from schemy.guix.gexp import CURRENT_STORE
from schemy.guix.store import Store
from schemy.lang.datum import Symbol, list_to_python, to_str
from schemy.lang.errors import SchemeError
from schemy.lang.printer import display_string, write_string
from schemy.runtime.parameters import parameterized

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FAKE_QEMU = Path(__file__).resolve().parent / "fixtures" / "fake-qemu"

PRELUDE = """
(use-modules (guix gexp) (schemy packages) (srfi srfi-19) (gnu services) (gnu services shepherd)
             (gnu services configuration)
             (gnu services base) (gnu services virtualization) (gnu system shadow)
             (gnu services dbus) (gnu system file-systems) (gnu system)
             ;; Start and activation code run here sees what it sees under the Shepherd.
             (guix build utils))

(define (extension-value type target value)
  ;; What a service of TYPE with VALUE contributes to TARGET, or #f.
  (let ((ext (find (lambda (e) (eq? (service-extension-target e) target))
                   (service-type-extensions type))))
    (and ext ((service-extension-compute ext) value))))

(define (the-shepherd-service type value)
  (car (extension-value type shepherd-root-service-type value)))

(define (start-text type value)
  (gexp->string (shepherd-service-start (the-shepherd-service type value))))
"""


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    i.eval_string(PRELUDE, "prelude.scm")
    return i


@pytest.fixture()
def ev(interp):
    def run(text: str):
        return interp.eval_string(text, "test.scm")

    return run


@pytest.fixture()
def show(ev):
    """The value of an expression as `display` prints it."""
    return lambda text: display_string(ev(text))


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "store")
    with parameterized([(CURRENT_STORE, s)]):
        yield s


def error_of(ev, text: str) -> str:
    with pytest.raises(SchemeError) as info:
        ev(text)
    return str(info.value)


def strings(x) -> list[str]:
    return [to_str(e) if not isinstance(e, Symbol) else e.name for e in list_to_python(x)]


def config_file_of(ev, type_name: str, config: str) -> str:
    """The content of the file given to the daemon with -f (lowered into the real store)."""
    data = ev(f"(lower-gexp (shepherd-service-start (the-shepherd-service {type_name} {config})))")
    items = list_to_python(data)
    command = list_to_python(items[1])  # (make-forkexec-constructor (list PROGRAM "-f" FILE) ...)
    assert command[0] == Symbol("list")
    i = command.index("-f")
    return Path(to_str(command[i + 1])).read_text()


# ---------------------------------------------------------------------------- libvirt

LIBVIRTD_CONF_DEFAULTS = """\
listen_tls = 1
listen_tcp = 0
tls_port = "16514"
tcp_port = "16509"
listen_addr = "0.0.0.0"
mdns_adv = 0
mdns_name = "Virtualization Host {hostname}"
unix_sock_group = "libvirt"
unix_sock_ro_perms = "0777"
unix_sock_rw_perms = "0770"
unix_sock_admin_perms = "0777"
unix_sock_dir = "/var/run/libvirt"
auth_unix_ro = "polkit"
auth_unix_rw = "polkit"
auth_tcp = "sasl"
auth_tls = "none"
# access_drivers = []
key_file = ""
cert_file = ""
ca_file = ""
crl_file = ""
tls_no_sanity_cert = 0
tls_no_verify_cert = 0
# tls_allowed_dn_list = []
# sasl_allowed_usernames = []
tls_priority = "NORMAL"
max_clients = 5000
max_queued_clients = 1000
max_anonymous_clients = 20
min_workers = 5
max_workers = 20
prio_workers = 5
max_requests = 20
max_client_requests = 5
admin_min_workers = 1
admin_max_workers = 5
admin_max_clients = 5
admin_max_queued_clients = 5
admin_max_client_requests = 5
log_level = 3
log_filters = "3:remote 4:event"
log_outputs = "3:stderr"
audit_level = 1
audit_logging = 0
# host_uuid = ""
host_uuid_source = "smbios"
keepalive_interval = 5
keepalive_count = 5
admin_keepalive_interval = 5
admin_keepalive_count = 5
ovs_timeout = 5
"""

# The chapter's fields, in its order, with their types and defaults as the manual shows them.
LIBVIRT_FIELDS = [
    ("libvirt", "package", None), ("qemu", "package", None),
    # Guix's current libvirt-configuration has these three after qemu (the chapter's older text not).
    ("dmidecode", "package", None), ("requirement", "list-of-symbols", "(dbus-system)"),
    ("firmwares", "list-of-file-likes", None), ("listen-tls?", "boolean", "#t"),
    ("listen-tcp?", "boolean", "#f"),
    ("tls-port", "string", '"16514"'), ("tcp-port", "string", '"16509"'),
    ("listen-addr", "string", '"0.0.0.0"'), ("mdns-adv?", "boolean", "#f"),
    ("mdns-name", "string", f'"Virtualization Host {socket.gethostname()}"'),
    ("unix-sock-group", "string", '"libvirt"'), ("unix-sock-ro-perms", "string", '"0777"'),
    ("unix-sock-rw-perms", "string", '"0770"'), ("unix-sock-admin-perms", "string", '"0777"'),
    ("unix-sock-dir", "string", '"/var/run/libvirt"'), ("auth-unix-ro", "string", '"polkit"'),
    ("auth-unix-rw", "string", '"polkit"'), ("auth-tcp", "string", '"sasl"'),
    ("auth-tls", "string", '"none"'), ("access-drivers", "optional-list", "()"),
    ("key-file", "string", '""'), ("cert-file", "string", '""'), ("ca-file", "string", '""'),
    ("crl-file", "string", '""'), ("tls-no-sanity-cert", "boolean", "#f"),
    ("tls-no-verify-cert", "boolean", "#f"), ("tls-allowed-dn-list", "optional-list", "()"),
    ("sasl-allowed-usernames", "optional-list", "()"), ("tls-priority", "string", '"NORMAL"'),
    ("max-clients", "integer", "5000"), ("max-queued-clients", "integer", "1000"),
    ("max-anonymous-clients", "integer", "20"), ("min-workers", "integer", "5"),
    ("max-workers", "integer", "20"), ("prio-workers", "integer", "5"),
    ("max-requests", "integer", "20"), ("max-client-requests", "integer", "5"),
    ("admin-min-workers", "integer", "1"), ("admin-max-workers", "integer", "5"),
    ("admin-max-clients", "integer", "5"), ("admin-max-queued-clients", "integer", "5"),
    ("admin-max-client-requests", "integer", "5"), ("log-level", "integer", "3"),
    ("log-filters", "string", '"3:remote 4:event"'), ("log-outputs", "string", '"3:stderr"'),
    ("audit-level", "integer", "1"), ("audit-logging", "boolean", "#f"),
    ("host-uuid", "optional-string", '""'), ("host-uuid-source", "string", '"smbios"'),
    ("keepalive-interval", "integer", "5"), ("keepalive-count", "integer", "5"),
    ("admin-keepalive-interval", "integer", "5"), ("admin-keepalive-count", "integer", "5"),
    ("ovs-timeout", "integer", "5"),
]


def test_libvirt_configuration_has_the_chapters_fields_types_and_defaults(ev, show):
    fields = list_to_python(ev("(map (lambda (f) (list (configuration-field-name f) "
                               "(configuration-field-type f))) libvirt-configuration-fields)"))
    assert [(f[0].name, f[1].name) for f in (list_to_python(x) for x in fields)] == \
        [(name, type_) for name, type_, _ in LIBVIRT_FIELDS]
    for name, _, default in LIBVIRT_FIELDS:
        if default is not None:
            shown = ev(f"(with-output-to-string (lambda () (write (libvirt-configuration-{name} "
                       "(libvirt-configuration)))))")
            assert to_str(shown) == default, name


def test_libvirt_configuration_package_defaults_to_libvirt(ev):
    assert ev("(eq? (libvirt-configuration-libvirt (libvirt-configuration)) "
              "(@ (gnu packages virtualization) libvirt))") is True


def test_libvirt_field_documentation_is_the_chapters(show):
    doc = show("(configuration-field-documentation (find (lambda (f) (eq? (configuration-field-name f) "
               "'listen-tls?)) libvirt-configuration-fields))")
    assert doc.startswith("Flag listening for secure TLS connections on the public TCP/IP port.")
    assert "It is necessary to setup a CA and issue server certificates" in doc
    assert show("(configuration-field-documentation (car libvirt-configuration-fields))") == \
        "Libvirt package."
    assert show("(any (lambda (f) (string-null? (configuration-field-documentation f))) "
                "libvirt-configuration-fields)") == "#f"


def test_libvirtd_conf_with_defaults_is_written_line_by_line(ev, store):
    text = config_file_of(ev, "libvirt-service-type", "(libvirt-configuration)")
    assert text.splitlines() == LIBVIRTD_CONF_DEFAULTS.format(hostname=socket.gethostname()).splitlines()


def test_libvirtd_conf_default_mdns_name_is_the_real_host_name(ev, store, monkeypatch):
    # Guix writes (string-append "Virtualization Host " (gethostname)), not "<hostname>".
    monkeypatch.setattr(socket, "gethostname", lambda: "node7.example.org")
    text = config_file_of(ev, "libvirt-service-type", "(libvirt-configuration)")
    assert 'mdns_name = "Virtualization Host node7.example.org"' in text.splitlines()
    assert "<hostname>" not in text


def test_libvirtd_conf_with_non_default_values(ev, store):
    text = config_file_of(ev, "libvirt-service-type", """
      (libvirt-configuration
        (tls-port "16555")
        (listen-tcp? #t)
        (unix-sock-dir "/tmp/libvirt")
        (access-drivers '("polkit"))
        (tls-allowed-dn-list '("C=GB,O=Example,CN=*" "C=FR,O=Example,CN=*"))
        (max-clients 42)
        (keepalive-interval -1)
        (host-uuid "00000000-0000-0000-0000-000000000001"))""")
    lines = text.splitlines()
    assert 'tls_port = "16555"' in lines and 'tls_port = "16514"' not in lines
    assert "listen_tcp = 1" in lines
    assert 'unix_sock_dir = "/tmp/libvirt"' in lines
    assert 'access_drivers = ["polkit"]' in lines
    assert 'tls_allowed_dn_list = ["C=GB,O=Example,CN=*","C=FR,O=Example,CN=*"]' in lines
    assert "max_clients = 42" in lines
    assert "keepalive_interval = -1" in lines
    assert 'host_uuid = "00000000-0000-0000-0000-000000000001"' in lines
    assert "# sasl_allowed_usernames = []" in lines
    assert len(lines) == len(LIBVIRTD_CONF_DEFAULTS.splitlines())


def test_libvirtd_conf_leaves_out_the_package_field(ev):
    text = to_str(ev("(serialize-configuration (libvirt-configuration) libvirt-configuration-fields)"))
    assert "libvirt =" not in text and "store" not in text


@pytest.mark.parametrize("field, value, expected", [
    ("tls-port", "16555", "a string"),
    ("listen-tls?", '"yes"', "a boolean"),
    ("max-clients", '"5000"', "an integer"),
    ("access-drivers", '"polkit"', "optional-list"),
    ("host-uuid", "#f", "optional-string"),
    ("libvirt", '"libvirt"', "package"),
])
def test_libvirt_configuration_rejects_bad_values_naming_the_field(ev, field, value, expected):
    message = error_of(ev, f"(libvirt-configuration\n  (tls-priority \"NORMAL\")\n  ({field} {value}))")
    assert message.startswith("test.scm:1:0: error: ")
    assert f"field '{field}' of libvirt-configuration" in message
    assert value.strip('"') in message and expected in message


def test_libvirt_shepherd_service_runs_libvirtd_with_the_config_file(ev, show):
    assert show("(shepherd-service-provision (the-shepherd-service libvirt-service-type "
                "(libvirt-configuration)))") == "(libvirtd)"
    assert show("(shepherd-service-requirement (the-shepherd-service libvirt-service-type "
                "(libvirt-configuration)))") == "(dbus-system)"
    start = show("(start-text libvirt-service-type (libvirt-configuration))")
    assert re.fullmatch(
        r'\(make-forkexec-constructor \(list "/schemy/store/[a-z0-9]{32}-libvirt-[0-9.]+/sbin/libvirtd" '
        r'"-f" "/schemy/store/[a-z0-9]{32}-libvirtd\.conf"\) #:environment-variables '
        r'\(list "PATH=/run/current-system/profile/bin:/run/current-system/profile/sbin"\)\)', start), start
    assert show("(gexp->string (shepherd-service-stop (the-shepherd-service libvirt-service-type "
                "(libvirt-configuration))))") == "(make-kill-destructor)"


def test_libvirtd_gets_listen_when_listen_tcp_is_true(show):
    start = show("(start-text libvirt-service-type (libvirt-configuration (listen-tcp? #t)))")
    assert re.search(r'"-f" "/schemy/store/[a-z0-9]{32}-libvirtd\.conf" "--listen"\)', start), start
    assert "--listen" not in show("(start-text libvirt-service-type (libvirt-configuration))")


def test_libvirt_extends_polkit_with_the_libvirt_package(ev):
    assert ev("(equal? (extension-value libvirt-service-type polkit-service-type "
              "(libvirt-configuration)) (list (@ (gnu packages virtualization) libvirt)))") is True


def test_libvirt_system_has_polkit_and_dbus_for_libvirtd(ev):
    # polkit is instantiated with its default value; it brings in dbus-system.
    names = ev("""(map (lambda (s) (service-type-name (service-kind s)))
                    (instantiate-missing-services
                      (list (service libvirt-service-type) %shepherd-root-service)))""")
    names = {x.name for x in list_to_python(names)}
    assert {"libvirt", "polkit", "dbus"} <= names, names


def test_libvirt_adds_the_libvirt_system_group(show):
    accounts = "(extension-value libvirt-service-type account-service-type (libvirt-configuration))"
    assert show(f"(map (lambda (g) (list (user-group? g) (user-group-name g) (user-group-system? g))) "
                f"{accounts})") == "((#t libvirt #t))"


@pytest.mark.parametrize("config, directory", [
    ("(libvirt-configuration)", "/var/run/libvirt"),
    ('(libvirt-configuration (unix-sock-dir "/srv/libvirt/sockets"))', "/srv/libvirt/sockets"),
])
def test_libvirt_activation_creates_the_socket_directory(show, config, directory):
    assert show(f"(gexp->string (extension-value libvirt-service-type activation-service-type {config}))") \
        == f'(mkdir-p "{directory}")'


def test_libvirt_installs_libvirt_and_qemu_in_the_system_profile(ev):
    # As Guix: dmidecode too, first.
    assert ev("(equal? (extension-value libvirt-service-type profile-service-type "
              "(libvirt-configuration)) (list (@ (gnu packages admin) dmidecode) "
              "(@ (gnu packages virtualization) libvirt) "
              "(@ (gnu packages virtualization) qemu)))") is True
    assert ev("(eq? (libvirt-configuration-qemu (libvirt-configuration)) "
              "(@ (gnu packages virtualization) qemu))") is True


def test_libvirt_service_defaults_to_the_default_configuration(ev):
    assert ev("(libvirt-configuration? (service-value (service libvirt-service-type)))") is True


# ---------------------------------------------------------------------------- service types

@pytest.mark.parametrize("variable, name", [
    ("libvirt-service-type", "libvirt"), ("virtlog-service-type", "virtlogd"),
    ("qemu-binfmt-service-type", "qemu-binfmt"), ("qemu-guest-agent-service-type", "qemu-guest-agent"),
    ("virtual-build-machine-service-type", "build-vm"), ("hurd-vm-service-type", "hurd-vm"),
])
def test_service_types_have_the_original_names_and_a_description(show, variable, name):
    assert show(f"(service-type-name {variable})") == name
    description = show(f"(service-type-description {variable})")
    assert len(description) > 80 and description.endswith(".")


# ---------------------------------------------------------------------------- virtlog

def test_virtlogd_conf_with_defaults(ev, store):
    text = config_file_of(ev, "virtlog-service-type", "(virtlog-configuration)")
    assert text.splitlines() == [
        "log_level = 3",
        'log_filters = "3:remote 4:event"',
        'log_outputs = "3:stderr"',
        "max_clients = 1024",
        "max_size = 2097152",
        "max_backups = 3",
    ]


def test_virtlogd_conf_with_the_chapters_example(ev, store):
    text = config_file_of(ev, "virtlog-service-type",
                          '(virtlog-configuration (max-clients 1000) (log-outputs "3:syslog:virtlogd"))')
    lines = text.splitlines()
    assert "max_clients = 1000" in lines and 'log_outputs = "3:syslog:virtlogd"' in lines


def test_virtlog_configuration_fields_and_defaults(ev, show):
    assert show("(map configuration-field-name virtlog-configuration-fields)") == \
        "(libvirt log-level log-filters log-outputs max-clients max-size max-backups)"
    assert ev("(eq? (virtlog-configuration-libvirt (virtlog-configuration)) "
              "(@ (gnu packages virtualization) libvirt))") is True


def test_virtlog_shepherd_service_runs_virtlogd(show):
    svc = "(the-shepherd-service virtlog-service-type (virtlog-configuration))"
    assert show(f"(shepherd-service-provision {svc})") == "(virtlogd)"
    assert show(f"(shepherd-service-requirement {svc})") == "()"
    assert re.fullmatch(r'\(make-forkexec-constructor \(list "/schemy/store/[a-z0-9]{32}-libvirt-[0-9.]+'
                        r'/sbin/virtlogd" "-f" "/schemy/store/[a-z0-9]{32}-virtlogd\.conf"\)\)',
                        show("(start-text virtlog-service-type (virtlog-configuration))"))


def test_virtlog_configuration_rejects_a_size_given_as_text(ev):
    message = error_of(ev, '(virtlog-configuration (max-size "2MB"))')
    assert "field 'max-size' of virtlog-configuration" in message and "test.scm:1:0" in message


# ---------------------------------------------------------------------------- QEMU platforms

# Guix's %qemu-platforms at 285f0862d86, in its order.
GUIX_QEMU_PLATFORMS = (
    "i386 x86_64 alpha arm sparc32plus sparc64 ppc ppc64 ppc64le m68k mips mipsel mipsn32 mipsn32el "
    "mips64 mips64el sh4 sh4eb s390x aarch64 hppa riscv32 riscv64 xtensa xtensaeb microblaze "
    "microblazeel or1k hexagon loongarch64").split()

# Guix's magic and mask (QEMU's qemu-binfmt-conf.sh values) for platforms where the Debian data
# schemy used before differed, or which it lacked.
ELF = "7f454c46"
GUIX_BINFMT = {
    "i386": (ELF + "010101000000000000000000020003 00",
             "ffffffffff fefeff ffffffffffffffff feffffff"),
    "s390x": (ELF + "020201000000000000000000000200 16",
              "ffffffffffffffffffffffffffffffff fffeffff"),
    "ppc64le": (ELF + "020101000000000000000000020015 00",
                "ffffffffffffff00ffffffffffffffff feffff00"),
    "mips64el": (ELF + "020101000000000000000000020008 00",
                 "ffffffffffffff00ffffffffffffffff feffffff"),
    "microblazeel": (ELF + "010101000000000000000000020 0abba",
                     "ffffffffffffff00ffffffffffffffff feffffff"),
    "or1k": (ELF + "010201000000000000000000000200 5c",
             "ffffffffffffff00ffffffffffffffff fffeffff"),
}


def binfmt_escapes(hex_text: str) -> str:
    data = bytes.fromhex(hex_text.replace(" ", ""))
    assert len(data) == 20
    return "".join(f"\\x{b:02x}" for b in data)


def test_qemu_platforms_are_guixs_list_in_its_order(show):
    assert show("(length %qemu-platforms)") == "30"
    assert show("(map qemu-platform-name %qemu-platforms)") == "(" + " ".join(GUIX_QEMU_PLATFORMS) + ")"
    assert show("(qemu-platform-family (car (lookup-qemu-platforms \"aarch64\")))") == "arm"
    assert show("(qemu-platform-family (car (lookup-qemu-platforms \"ppc64le\")))") == "ppcle"
    assert show("(delete-duplicates (map qemu-platform-flags %qemu-platforms))") == "(FP)"


@pytest.mark.parametrize("name", sorted(GUIX_BINFMT))
def test_qemu_platform_magic_and_mask_are_guixs(show, name):
    magic, mask = GUIX_BINFMT[name]
    escaped = "((@@ (gnu services virtualization) bytevector->binfmt-string) ({} (car (lookup-qemu-platforms {!r}))))"
    assert show(escaped.format("qemu-platform-magic", name).replace("'", '"')) == binfmt_escapes(magic)
    assert show(escaped.format("qemu-platform-mask", name).replace("'", '"')) == binfmt_escapes(mask)


def test_qemu_platforms_data_is_generated_by_the_committed_script():
    data = (ROOT / "stdlib/gnu/services/qemu-platforms.scm").read_text()
    assert data.startswith(";; Generated by tools/derive_qemu_platforms.scm")
    assert (ROOT / "tools/derive_qemu_platforms.scm").exists()


def test_qemu_binfmt_mounts_binfmt_misc_through_the_file_system_service(show):
    fss = "(extension-value qemu-binfmt-service-type file-system-service-type (qemu-binfmt-configuration))"
    assert show(f"(map file-system-mount-point {fss})") == "(/proc/sys/fs/binfmt_misc)"
    assert show(f"(map file-system-type {fss})") == "(binfmt_misc)"


def test_lookup_qemu_platforms_returns_the_named_platforms_in_order(show):
    assert show('(map qemu-platform-name (lookup-qemu-platforms "sparc" "arm" "mips64el"))') == \
        "(sparc arm mips64el)"
    assert show('(every qemu-platform? (lookup-qemu-platforms "arm" "aarch64"))') == "#t"
    assert show("(lookup-qemu-platforms)") == "()"
    assert show('(qemu-platform? "arm")') == "#f"


def test_lookup_qemu_platforms_as_a_procedure(show):
    assert show('(map qemu-platform-name (apply lookup-qemu-platforms (list "arm" "ppc")))') == "(arm ppc)"


def test_lookup_qemu_platforms_reports_an_unknown_name_at_the_call(ev):
    message = error_of(ev, '(define platforms\n  (lookup-qemu-platforms "arm" "armv9"))')
    assert message.startswith("test.scm:2:2: error: lookup-qemu-platforms: unknown QEMU platform \"armv9\"")
    assert "aarch64" in message  # the known names are listed


def test_lookup_qemu_platforms_rejects_a_symbol(ev):
    assert "must be a string" in error_of(ev, "(lookup-qemu-platforms 'arm)")


def test_qemu_binfmt_configuration_defaults(ev, show):
    assert show("(qemu-binfmt-configuration-platforms (qemu-binfmt-configuration))") == "()"
    assert ev("(eq? (qemu-binfmt-configuration-qemu (qemu-binfmt-configuration)) "
              "(@ (gnu packages virtualization) qemu))") is True


def test_qemu_binfmt_configuration_rejects_platform_names(ev):
    message = error_of(ev, "(qemu-binfmt-configuration (platforms '(\"arm\")))")
    assert "field 'platforms' of qemu-binfmt-configuration" in message and "test.scm:1:0" in message


def test_qemu_binfmt_shepherd_service_requires_binfmt_misc(show):
    svc = "(the-shepherd-service qemu-binfmt-service-type (qemu-binfmt-configuration))"
    assert show(f"(shepherd-service-provision {svc})") == "(qemu-binfmt)"
    assert show(f"(shepherd-service-requirement {svc})") == "(file-system-/proc/sys/fs/binfmt_misc)"


ARM_LINE = (":qemu-arm:M::"
            + "".join(f"\\x{b:02x}" for b in [0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                               2, 0, 0x28, 0])
            + ":"
            + "".join(f"\\x{b:02x}" for b in [0xff] * 7 + [0] + [0xff] * 8 + [0xfe, 0xff, 0xff, 0xff])
            + ":")


@pytest.fixture()
def fake_qemu_user(tmp_path, ev):
    """A 'qemu' package whose bin/ holds stand-in user-mode emulators."""
    d = tmp_path / "fake-qemu-user"
    (d / "bin").mkdir(parents=True)
    for arch in ("arm", "aarch64"):
        (d / "bin" / f"qemu-{arch}").write_text("#!/bin/sh\necho emulated \"$@\"\n")
        (d / "bin" / f"qemu-{arch}").chmod(0o755)
    ev(f'(define fake-qemu-user (local-file "{d}" "qemu-user" #:recursive? #t))')
    return d


def binfmt_procedures(ev, config: str):
    svc = f"(the-shepherd-service qemu-binfmt-service-type {config})"
    start = ev(to_str(ev(f"(gexp->string (shepherd-service-start {svc}))")))
    stop = ev(to_str(ev(f"(gexp->string (shepherd-service-stop {svc}))")))
    return start, stop


def test_qemu_binfmt_registers_each_platform_in_a_stand_in_directory(ev, store, tmp_path, fake_qemu_user,
                                                                       monkeypatch):
    binfmt = tmp_path / "binfmt_misc"
    binfmt.mkdir()
    (binfmt / "register").write_text("")
    monkeypatch.setenv("SCHEMY_BINFMT_MISC", str(binfmt))
    start, stop = binfmt_procedures(ev, '(qemu-binfmt-configuration (qemu fake-qemu-user) '
                                        '(platforms (lookup-qemu-platforms "arm" "aarch64")))')
    assert start() is True
    item = to_str(ev("(lower-object fake-qemu-user)"))
    lines = (binfmt / "register").read_text().splitlines()
    assert lines[0] == ARM_LINE + f"{item}/bin/qemu-arm:FP"
    assert lines[1].startswith(":qemu-aarch64:M::\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00")
    assert lines[1].endswith(f":{item}/bin/qemu-aarch64:FP")
    assert len(lines) == 2
    # Stopping unregisters: "-1" goes to each platform's entry.
    (binfmt / "qemu-arm").write_text("enabled\n")
    assert stop() is False
    assert (binfmt / "qemu-arm").read_text() == "-1"
    assert not (binfmt / "qemu-aarch64").exists()


def test_qemu_binfmt_start_fails_clearly_without_binfmt_misc(ev, store, tmp_path, fake_qemu_user,
                                                            monkeypatch):
    monkeypatch.setenv("SCHEMY_BINFMT_MISC", str(tmp_path / "nowhere"))
    start, _ = binfmt_procedures(ev, '(qemu-binfmt-configuration (qemu fake-qemu-user) '
                                     '(platforms (lookup-qemu-platforms "arm")))')
    with pytest.raises(SchemeError, match=r"qemu-binfmt: .*/nowhere/register does not exist: "
                                          r"binfmt_misc is not mounted"):
        start()


def test_qemu_binfmt_start_names_a_missing_emulator(ev, store, tmp_path, monkeypatch):
    binfmt = tmp_path / "binfmt_misc"
    binfmt.mkdir()
    (binfmt / "register").write_text("")
    monkeypatch.setenv("SCHEMY_BINFMT_MISC", str(binfmt))
    empty = tmp_path / "no-emulators"
    (empty / "bin").mkdir(parents=True)
    ev(f'(define no-emulators (local-file "{empty}" "qemu-user" #:recursive? #t))')
    start, _ = binfmt_procedures(ev, '(qemu-binfmt-configuration (qemu no-emulators) '
                                     '(platforms (lookup-qemu-platforms "m68k")))')
    with pytest.raises(SchemeError, match=r"qemu-binfmt: cannot register qemu-m68k: .*/bin/qemu-m68k "
                                          r"does not exist"):
        start()
    assert (binfmt / "register").read_text() == ""


def test_qemu_binfmt_says_which_debian_package_has_a_missing_emulator(ev, store, tmp_path, monkeypatch):
    binfmt = tmp_path / "binfmt_misc"
    binfmt.mkdir()
    (binfmt / "register").write_text("")
    monkeypatch.setenv("SCHEMY_BINFMT_MISC", str(binfmt))
    ev("""(use-modules (guix packages))
          (define qemu-without-emulators
            (package
              (name "qemu") (version "0") (source #f) (build-system #f)
              (synopsis "QEMU") (description "QEMU on a host lacking its emulators.")
              (license #f) (home-page "https://www.qemu.org")
              (programs '(("bin/qemu-aarch64" "schemy-test-no-qemu-aarch64" "qemu-user-static")))))""")
    start, _ = binfmt_procedures(ev, '(qemu-binfmt-configuration (qemu qemu-without-emulators) '
                                     '(platforms (lookup-qemu-platforms "aarch64")))')
    with pytest.raises(SchemeError, match=r"qemu-binfmt: cannot register qemu-aarch64: "
                                          r"schemy-test-no-qemu-aarch64 is not installed on this host "
                                          r"\(Debian package: qemu-user-static\)"):
        start()
    assert (binfmt / "register").read_text() == ""


def test_qemu_binfmt_uses_proc_by_default(show):
    text = show('(start-text qemu-binfmt-service-type (qemu-binfmt-configuration '
                '(platforms (lookup-qemu-platforms "arm"))))')
    assert '(or (getenv "SCHEMY_BINFMT_MISC") "/proc/sys/fs/binfmt_misc")' in text
    assert '/bin/qemu-arm" ":FP")' in text


# ---------------------------------------------------------------------------- guest agent

def test_qemu_guest_agent_configuration_defaults(ev, show):
    assert ev("(eq? (qemu-guest-agent-configuration-qemu (qemu-guest-agent-configuration)) "
              "(@ (gnu packages virtualization) qemu-minimal))") is True
    assert show("(qemu-guest-agent-configuration-device (qemu-guest-agent-configuration))") == ""


def test_qemu_guest_agent_command_without_a_device(show):
    # Guix 2024: qemu-ga --statedir /var/run, a log file, no pid file, no --daemonize.
    text = show("(start-text qemu-guest-agent-service-type (qemu-guest-agent-configuration))")
    assert re.fullmatch(r'\(make-forkexec-constructor \(list "/schemy/store/[a-z0-9]{32}-qemu-minimal-[0-9.]+'
                        r'/bin/qemu-ga" "--statedir" "/var/run"\) '
                        r'#:log-file "/var/log/qemu-ga.log"\)', text), text


def test_qemu_guest_agent_command_with_a_device(show):
    text = show('(start-text qemu-guest-agent-service-type (qemu-guest-agent-configuration '
                '(device "/dev/virtio-ports/org.qemu.guest_agent.0")))')
    assert '"--statedir" "/var/run" "--path" "/dev/virtio-ports/org.qemu.guest_agent.0")' in text


def test_qemu_guest_agent_shepherd_service_requires_user_processes_and_udev(show):
    svc = "(the-shepherd-service qemu-guest-agent-service-type (qemu-guest-agent-configuration))"
    assert show(f"(shepherd-service-provision {svc})") == "(qemu-guest-agent)"
    assert show(f"(shepherd-service-requirement {svc})") == "(user-processes udev)"


def test_qemu_guest_agent_rejects_a_non_string_device(ev):
    assert "field 'device' of qemu-guest-agent-configuration" in error_of(
        ev, "(qemu-guest-agent-configuration (device #f))")


# ---------------------------------------------------------------------------- virtual machines, run

@pytest.fixture()
def fake_qemu_system(tmp_path, ev):
    """A 'qemu' package whose qemu-system-* programs are tests/fixtures/fake-qemu."""
    d = tmp_path / "fake-qemu-system"
    (d / "bin").mkdir(parents=True)
    record = tmp_path / "qemu-command"
    for program in ("qemu-system-x86_64", "qemu-system-i386"):
        wrapper = d / "bin" / program
        wrapper.write_text(f'#!/bin/sh\nexec "{FAKE_QEMU}" "{record}" "$0" "$@"\n')
        wrapper.chmod(0o755)
    ev(f'(define fake-qemu (local-file "{d}" "qemu" #:recursive? #t))')
    return record


@pytest.fixture()
def manager(tmp_path):
    from schemy.shepherd.manager import ServiceManager

    m = ServiceManager(tmp_path / "root")
    m.run()
    yield m
    m.shutdown()


# What the virtual machines require, provided by the host as on a foreign distribution.
HOST_SERVICES = """
(register-services
 (list (service '(loopback) #:provided-by-host? #t)
       (service '(networking) #:provided-by-host? #t)
       (service '(user-processes) #:provided-by-host? #t)))
"""


def load_services(ev, manager, store, tmp_path, services: str) -> None:
    """Lower the shepherd services (a Scheme list) as the backend does and register them."""
    from schemy.system.build import render_shepherd_config, render_shepherd_service

    infos = [render_shepherd_service(s, store, set()) for s in list_to_python(ev(services))]
    config = tmp_path / "shepherd.scm"
    config.write_text(render_shepherd_config(infos) + HOST_SERVICES)
    manager.register(manager.load_config(config).services)


def recorded_command(record: Path) -> tuple[list[str], dict[str, str]]:
    deadline = time.monotonic() + 5
    while not record.exists():
        assert time.monotonic() < deadline, "the fake qemu did not run"
        time.sleep(0.02)
    lines = record.read_text().splitlines()
    args = [line[4:] for line in lines if line.startswith("arg=")]
    info = dict(item.split("=", 1) for line in lines[:2] for item in line.split())
    return args, info


@pytest.fixture
def vm_accounts(monkeypatch):
    """The accounts the VMs run as (childhurd, build-vm-NAME) exist only in the system's own
    accounts, and the manager refuses an account the host lacks (tested in
    test_manager_trust.py).  Here the host's account database answers for them with root's
    uid, so the VM services start and their command lines, environment and secrets can be
    checked (the fake qemu needs to reach the test's private temporary directory)."""
    import pwd

    real = pwd.getpwnam
    root = real("root")

    def getpwnam(name: str) -> pwd.struct_passwd:
        try:
            return real(name)
        except KeyError:
            if name == "childhurd" or name.startswith("build-vm-"):
                return pwd.struct_passwd((name, *root[1:]))
            raise

    monkeypatch.setattr(pwd, "getpwnam", getpwnam)


QEMU_MINIMAL = "(@ (gnu packages virtualization) qemu-minimal)"
KVM = ["--enable-kvm"] if os.path.exists("/dev/kvm") else []
BUILD_VM_KVM = ["-enable-kvm"] if os.access("/dev/kvm", os.R_OK | os.W_OK) else []


def _kvm_gid() -> int | None:
    import grp

    try:
        return grp.getgrnam("kvm").gr_gid
    except KeyError:
        return None


def test_hurd_vm_runs_qemu_with_the_chapters_command_line(ev, store, tmp_path, manager, fake_qemu_system,
                                                          vm_accounts):
    image = tmp_path / "hurd.img"
    image.write_text("disk")
    secrets = tmp_path / "childhurd-secrets"
    (secrets / "etc/guix").mkdir(parents=True)
    (secrets / "etc/guix/acl").write_text("(acl)")
    id_, guest = childhurd_guest()
    try:
        load_services(ev, manager, store, tmp_path, f"""
          (extension-value hurd-vm-service-type shepherd-root-service-type
            (hurd-vm-configuration (qemu fake-qemu) (image "{image}") (id {id_})
                                   (secret-root "{secrets}")))""")
        manager.start(f"childhurd{id_}")
        assert guest.done.wait(5)
    finally:
        guest.close()
    args, info = recorded_command(fake_qemu_system)
    qemu = to_str(ev("(lower-object fake-qemu)"))
    shift = 1000 * id_
    assert args == [f"{qemu}/bin/qemu-system-i386", "-m", "512",
                    "--device", "rtl8139,netdev=net0",
                    "--netdev", f"user,id=net0,hostfwd=tcp:127.0.0.1:{11004 + shift}-:1004,"
                                f"hostfwd=tcp:127.0.0.1:{10022 + shift}-:2222,"
                                f"hostfwd=tcp:127.0.0.1:{15900 + shift}-:5900",
                    "--snapshot", "--hda", str(image), "--no-reboot", *KVM]
    assert info["TMPDIR"] == "/tmp"
    # The secret root went to the childhurd's secret service once it started.
    assert guest.received == b'(secrets (version 0) (files (("/etc/guix/acl" 5 33188))))(acl)'
    if os.geteuid() == 0 and _kvm_gid() is not None:  # the host's kvm group, when it has one
        assert int(info["gid"]) == _kvm_gid()
    assert manager.lookup(f"hurd-vm{id_}").running
    manager.stop(f"hurd-vm{id_}")
    assert not manager.lookup(f"hurd-vm{id_}").running


def test_hurd_vm_stateful_image_and_memory(ev, store, tmp_path, manager, fake_qemu_system, vm_accounts):
    image = tmp_path / "writable-hurd.img"
    image.write_text("disk")
    id_, guest = childhurd_guest()
    try:
        load_services(ev, manager, store, tmp_path, f"""
          (extension-value hurd-vm-service-type shepherd-root-service-type
            (hurd-vm-configuration (qemu fake-qemu) (id {id_}) (memory-size 1024)
                                   (secret-root "{tmp_path}/none")
                                   (image (const "{image}")) (options '())))""")
        manager.start(f"childhurd{id_}")
    finally:
        guest.close()
    args, _ = recorded_command(fake_qemu_system)
    shift = 1000 * id_
    assert args[1:] == ["-m", "1024", "--device", "rtl8139,netdev=net0",
                        "--netdev", f"user,id=net0,hostfwd=tcp:127.0.0.1:{11004 + shift}-:1004,"
                                    f"hostfwd=tcp:127.0.0.1:{10022 + shift}-:2222,"
                                    f"hostfwd=tcp:127.0.0.1:{15900 + shift}-:5900",
                        "--hda", str(image), "--no-reboot", *KVM]


def test_hurd_vm_without_its_image_fails_to_start_with_a_clear_message(ev, store, tmp_path, manager,
                                                                        fake_qemu_system):
    from schemy.shepherd.manager import ServiceError

    load_services(ev, manager, store, tmp_path, """
      (extension-value hurd-vm-service-type shepherd-root-service-type
        (hurd-vm-configuration (qemu fake-qemu)))""")
    with pytest.raises(ServiceError, match=r"hurd-vm: disk image /var/lib/schemy/vm-images/hurd-vm\.img "
                                           r"does not exist \(schemy cannot build system images"):
        manager.start("hurd-vm")
    assert not fake_qemu_system.exists()


def test_hurd_vm_without_qemu_fails_to_start_with_a_clear_message(ev, store, tmp_path, manager):
    from schemy.shepherd.manager import ServiceError

    image = tmp_path / "hurd.img"
    image.write_text("disk")
    empty = tmp_path / "no-qemu"
    (empty / "bin").mkdir(parents=True)
    ev(f'(define no-qemu (local-file "{empty}" "qemu" #:recursive? #t))')
    load_services(ev, manager, store, tmp_path, f"""
      (extension-value hurd-vm-service-type shepherd-root-service-type
        (hurd-vm-configuration (qemu no-qemu) (image "{image}")))""")
    with pytest.raises(ServiceError, match=r"hurd-vm: cannot start the virtual machine: "
                                           r".*/bin/qemu-system-i386 does not exist"):
        manager.start("hurd-vm")


class FakeGuest:
    """The secret service of a guest, listening where QEMU would forward port 1004: it greets
    with HELLO and records what the host sends."""

    def __init__(self, hello: bytes = b"(secret-service-server (version 0))\n", port: int = 0) -> None:
        import threading

        self.server = socket.socket()
        self.server.bind(("127.0.0.1", port))
        self.server.listen(1)
        self.port = self.server.getsockname()[1]
        self.hello = hello
        self.received = b""
        self.done = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        try:
            conn, _ = self.server.accept()
        except OSError:
            return
        with conn:
            conn.sendall(self.hello)
            while chunk := conn.recv(65536):
                self.received += chunk
        self.done.set()

    def close(self) -> None:
        self.server.close()


def childhurd_guest() -> tuple[int, FakeGuest]:
    """An id whose secrets port (11004 + 1000 * id) is free here, with a fake guest on it."""
    for id_ in range(31, 54):
        try:
            return id_, FakeGuest(port=11004 + 1000 * id_)
        except OSError:
            continue
    raise RuntimeError("no free childhurd secrets port")


@pytest.fixture()
def fake_guest():
    guest = FakeGuest()
    yield guest
    guest.close()


def vm_files(tmp_path, name: str) -> Path:
    """A stand-in disk image with its kernel and initrd next to it."""
    image = tmp_path / name
    for suffix in ("", ".kernel", ".initrd"):
        Path(f"{image}{suffix}").write_text("stand-in")
    return image


def test_build_vm_runs_qemu_with_guixs_command_line(ev, store, tmp_path, manager, fake_qemu_system,
                                                   fake_guest, vm_accounts):
    # Guix's linux-image-startup-command: Skylake-Client for 2020 on x86_64, -smp cpus=N,
    # hostfwd=tcp::H-:G, kernel/initrd/append, serial, rtc, rng device, qcow2 drive, -no-reboot.
    image = vm_files(tmp_path, "build-vm.qcow2")
    load_services(ev, manager, store, tmp_path, f"""
      (extension-value virtual-build-machine-service-type shepherd-root-service-type
        (virtual-build-machine (qemu fake-qemu) (image "{image}") (systems '("x86_64-linux"))
                               (port-forwardings '((11022 . 22) ({fake_guest.port} . 1004)))))""")
    manager.start("build-vm")
    args, info = recorded_command(fake_qemu_system)
    qemu = to_str(ev("(lower-object fake-qemu)"))
    assert args == [f"{qemu}/bin/qemu-system-x86_64", *BUILD_VM_KVM,
                    "-cpu", "Skylake-Client", "-smp", "cpus=4", "-m", "2048",
                    "-nic", "user,model=virtio-net-pci,hostfwd=tcp::11022-:22,"
                            f"hostfwd=tcp::{fake_guest.port}-:1004",
                    "-kernel", f"{image}.kernel", "-initrd", f"{image}.initrd",
                    "-append", "console=ttyS0 root=/dev/vda1",
                    "-serial", "stdio", "-rtc", "base=2020-01-01T00:00:00",
                    "-object", "rng-random,filename=/dev/urandom,id=guix-vm-rng",
                    "-device", "virtio-rng-pci,rng=guix-vm-rng",
                    "-drive", f"file={image},format=qcow2,if=virtio,cache=writeback,werror=report,readonly=off",
                    "-snapshot", "-no-reboot"]
    assert info["TMPDIR"] == "/tmp"
    # The secrets went to the guest's secret service (none here: no secret root on this host).
    assert fake_guest.done.wait(5)
    assert fake_guest.received == b"(secrets (version 0) (files ()))"
    assert manager.lookup("build-vm").running
    manager.stop("build-vm")


def test_build_vm_stops_when_the_guest_does_not_greet(ev, store, tmp_path, manager, fake_qemu_system):
    from schemy.shepherd.manager import ServiceError

    guest = FakeGuest(hello=b"(who-are-you)\n")
    image = vm_files(tmp_path, "vm.qcow2")
    load_services(ev, manager, store, tmp_path, f"""
      (extension-value virtual-build-machine-service-type shepherd-root-service-type
        (virtual-build-machine (qemu fake-qemu) (image "{image}")
                               (port-forwardings '((11022 . 22) ({guest.port} . 1004)))))""")
    try:
        with pytest.raises(ServiceError, match="could not be started"):
            manager.start("build-vm")
    finally:
        guest.close()
    assert not manager.lookup("build-vm").running


def test_secret_service_sends_the_files_of_the_secret_root(ev, tmp_path):
    root = tmp_path / "secrets"
    (root / "etc/ssh").mkdir(parents=True)
    (root / "etc/ssh/ssh_host_ed25519_key").write_text("KEY\n")
    (root / "etc/ssh/ssh_host_ed25519_key").chmod(0o600)
    guest = FakeGuest()
    try:
        sent = ev(f"""((@ (gnu build secret-service) secret-service-send-secrets)
                       (make-socket-address AF_INET INADDR_LOOPBACK {guest.port}) "{root}")""")
        assert guest.done.wait(5)
    finally:
        guest.close()
    assert to_str(sent) == str(root)
    assert guest.received == (b'(secrets (version 0) (files (("/etc/ssh/ssh_host_ed25519_key" 4 33152))))'
                              b"KEY\n")


def test_build_vm_custom_configuration_command_line(ev, store, tmp_path, manager, fake_qemu_system, vm_accounts):
    image = vm_files(tmp_path, "old.img")
    load_services(ev, manager, store, tmp_path, f"""
      (extension-value virtual-build-machine-service-type shepherd-root-service-type
        (virtual-build-machine (name 'old-vm) (qemu fake-qemu) (image "{image}")
                               (cpu "Westmere") (cpu-count 1) (memory-size (* 1 1024))
                               (date (make-date 0 30 15 10 24 12 2012 3600))
                               (port-forwardings '((12022 . 22)))))""")
    manager.start("old-vm")
    args, _ = recorded_command(fake_qemu_system)
    # One CPU: no -smp; the date in its own time zone (~5).
    assert args[1 + len(BUILD_VM_KVM):9 + len(BUILD_VM_KVM)] == [
        "-cpu", "Westmere", "-m", "1024", "-nic", "user,model=virtio-net-pci,hostfwd=tcp::12022-:22",
        "-kernel", f"{image}.kernel"]
    assert args[args.index("-rtc") + 1] == "base=2012-12-24T10:15:30"


def test_build_vm_default_image_boots_its_systems_kernel_arguments(ev, show):
    text = show("(gexp->string ((@@ (gnu services virtualization) build-vm-qemu-arguments) "
                "(virtual-build-machine)))")
    assert '"-kernel" "/var/lib/schemy/vm-images/build-vm.qcow2.kernel"' in text
    assert '"-initrd" "/var/lib/schemy/vm-images/build-vm.qcow2.initrd"' in text
    assert '"-append" "console=ttyS0 root=/dev/vda1' in text


def test_build_vm_without_its_kernel_fails_to_start(ev, store, tmp_path, manager, fake_qemu_system):
    from schemy.shepherd.manager import ServiceError

    image = vm_files(tmp_path, "vm.qcow2")
    Path(f"{image}.kernel").unlink()
    load_services(ev, manager, store, tmp_path, f"""
      (extension-value virtual-build-machine-service-type shepherd-root-service-type
        (virtual-build-machine (qemu fake-qemu) (image "{image}")))""")
    with pytest.raises(ServiceError, match=rf"build-vm: kernel {image}\.kernel does not exist"):
        manager.start("build-vm")


def test_build_vm_runs_as_its_own_user_in_the_kvm_group(show):
    start = show("(start-text virtual-build-machine-service-type (virtual-build-machine))")
    assert '#:user "build-vm-build-vm" #:group "kvm"' in start
    assert '#:environment-variables (list "TMPDIR=/tmp")' in start


def test_build_vm_adds_its_user_and_group(show):
    accounts = ("(extension-value virtual-build-machine-service-type account-service-type "
                "(virtual-build-machine (name 'old-vm)))")
    assert show(f"(map (lambda (a) (if (user-group? a) (list 'group (user-group-name a) (user-group-system? a)) "
                f"(list 'user (user-account-name a) (user-account-group a) "
                f"(user-account-supplementary-groups a) (user-account-home-directory a) "
                f"(user-account-system? a)))) {accounts})") == \
        "((group build-vm-old-vm #t) (user build-vm-old-vm build-vm-old-vm (kvm) /var/empty #t))"


def test_build_vm_configuration_action_prints_guixs_four_lines(ev, store, tmp_path, manager):
    load_services(ev, manager, store, tmp_path, """
      (extension-value virtual-build-machine-service-type shepherd-root-service-type
        (virtual-build-machine (systems '("x86_64-linux"))))""")
    result = manager.action("build-vm", "configuration")
    assert result["output"].splitlines() == [
        "CPU: Skylake-Client",
        "number of CPU cores: 4",
        "memory size: 2048 MiB",
        "initial date: Wed Jan 01 00:00:00Z 2020",
    ]


def test_build_vm_without_its_image_fails_to_start(ev, store, tmp_path, manager, fake_qemu_system):
    from schemy.shepherd.manager import ServiceError

    load_services(ev, manager, store, tmp_path, """
      (extension-value virtual-build-machine-service-type shepherd-root-service-type
        (virtual-build-machine (qemu fake-qemu)))""")
    with pytest.raises(ServiceError, match=r"build-vm: disk image /var/lib/schemy/vm-images/build-vm\.qcow2 "
                                           r"does not exist"):  # checked first
        manager.start("build-vm")


# ---------------------------------------------------------------------------- build VM, declared

def test_virtual_build_machine_defaults(show):
    vm = "(virtual-build-machine)"
    assert show(f"(virtual-build-machine-name {vm})") == "build-vm"
    assert show("(virtual-build-machine-cpu (virtual-build-machine (systems '(\"x86_64-linux\"))))") == \
        "Skylake-Client"
    assert show(f"(virtual-build-machine-cpu-count {vm})") == "4"
    assert show(f"(virtual-build-machine-memory-size {vm})") == "2048"
    assert show(f"(virtual-build-machine-port-forwardings {vm})") == "((11022 . 22) (11004 . 1004))"
    assert show(f"(equal? (virtual-build-machine-systems {vm}) (list (%current-system)))") == "#t"
    assert show(f"(virtual-build-machine-auto-start? {vm})") == "#f"
    assert show(f"(eq? (virtual-build-machine-qemu {vm}) {QEMU_MINIMAL})") == "#t"
    assert show(f"(vm-image? (virtual-build-machine-image {vm}))") == "#t"


def test_virtual_build_machine_image_is_a_minimal_system_with_an_offloading_account(show):
    os_ = "(vm-image-operating-system (virtual-build-machine-image (virtual-build-machine)))"
    assert show(f"(operating-system-host-name {os_})") == "build-machine"
    assert "offloading" in show(f"(map user-account-name (operating-system-users {os_}))")
    assert show(f"(any (lambda (s) (eq? (service-kind s) (@ (gnu services ssh) openssh-service-type))) "
                f"(operating-system-user-services {os_}))") == "#t"


def test_virtual_build_machine_date_is_a_few_years_ago(show):
    assert show("(let ((d (virtual-build-machine-date (virtual-build-machine)))) "
                "(list (date? d) (date-year d) (date-month d) (date-day d)))") == "(#t 2020 1 1)"


# Guix's table and lookup: the first model released strictly before the date, in Guix's
# order (in which Nehalem, 2008, comes before Westmere, 2010).
@pytest.mark.parametrize("date, model", [("1 6 2008", "Nehalem"), ("1 6 2010", "Nehalem"),
                                         ("2 1 2011", "SandyBridge"), ("1 1 2011", "Nehalem"),
                                         ("1 6 2016", "Skylake-Client"), ("1 6 2024", "Skylake-Client"),
                                         ("1 6 2006", "core2duo")])
def test_build_vm_cpu_follows_the_date(show, date, model):
    assert show(f"(virtual-build-machine-cpu (virtual-build-machine (systems '(\"x86_64-linux\")) "
                f"(date (make-date 0 0 0 0 {date} 0))))") == model


@pytest.mark.parametrize("systems", ['("aarch64-linux")', '("i686-linux" "armhf-linux")'])
def test_build_vm_cpu_is_host_for_other_systems(show, systems):
    assert show(f"(virtual-build-machine-cpu (virtual-build-machine (systems '{systems})))") == "host"


def test_build_vm_cpu_follows_a_date_given_with_inherit(show):
    assert show("(virtual-build-machine-cpu (virtual-build-machine (inherit (virtual-build-machine "
                "(systems '(\"x86_64-linux\")))) (date (make-date 0 0 0 0 2 1 2011 0))))") == "SandyBridge"


def test_build_vm_cpu_models_are_generated_by_the_committed_script():
    data = (ROOT / "stdlib/gnu/services/build-vm-cpu-models.scm").read_text()
    assert data.startswith(";; Generated by tools/derive_build_vm_cpu_models.scm")
    assert (ROOT / "tools/derive_build_vm_cpu_models.scm").exists()


def test_build_vm_shepherd_service_is_named_after_the_vm_and_not_auto_started(show):
    svc = "(the-shepherd-service virtual-build-machine-service-type (virtual-build-machine))"
    assert show(f"(shepherd-service-provision {svc})") == "(build-vm)"
    assert show(f"(shepherd-service-requirement {svc})") == "(user-processes networking)"
    assert show(f"(shepherd-service-auto-start? {svc})") == "#f"
    assert show(f"(map shepherd-action-name (shepherd-service-actions {svc}))") == "(configuration)"
    custom = ("(the-shepherd-service virtual-build-machine-service-type "
              "(virtual-build-machine (name 'old-vm) (auto-start? #t)))")
    assert show(f"(shepherd-service-provision {custom})") == "(old-vm)"
    assert show(f"(shepherd-service-auto-start? {custom})") == "#t"


def test_build_vm_is_an_offload_machine_only_while_it_runs(ev, show):
    ext = "(extension-value virtual-build-machine-service-type guix-service-type (virtual-build-machine))"
    assert show(f"(guix-extension? {ext})") == "#t"
    machine = show(f"(gexp->string (car (guix-extension-build-machines {ext})))")
    assert re.fullmatch(
        r'\(if \(primitive-load "/schemy/store/[a-z0-9]{32}-check-build-vm-availability\.scm"\) '
        r'\(list \(build-machine \(name "localhost"\) \(port 11022\) '
        rf'\(systems \(quote \("{show("(%current-system)")}"\)\)\) \(user "offloading"\) '
        r'\(host-key \(call-with-input-file '
        r'"/etc/guix/virtual-build-machines/build-vm/etc/ssh/ssh_host_ed25519_key\.pub" '
        r'\(@ \(ice-9 textual-ports\) get-string-all\)\)\) '
        r'\(private-key "/etc/guix/offload/ssh/virtual-build-machine/build-vm"\)\)\) '
        r'\(quote \(\)\)\)', machine), machine


def test_build_vm_availability_check_asks_the_service_manager(ev, store):
    check = Path(to_str(ev("(lower-object ((@@ (gnu services virtualization) build-vm-availability-check) "
                           "(virtual-build-machine (name 'old-vm))))"))).read_text()
    assert "(current-service (quote old-vm))" in check and "live-service-running" in check


def test_machines_scm_flattens_entries_that_are_lists(ev, store):
    # As Guix: each entry is a build-machine or a list of them (empty while a VM is stopped).
    etc = ev("""((service-extension-compute
                 (find (lambda (e) (eq? (service-extension-target e) etc-service-type))
                       (service-type-extensions guix-service-type)))
                (guix-configuration (build-machines (list #~(list) #~(build-machine (name "m"))))))""")
    entry = [e for e in list_to_python(etc) if to_str(e.car) == "guix/machines.scm"][0]
    code = Path(to_str(ev("lower-object")(entry.cdr.car))).read_text()
    assert code.startswith("((@ (srfi srfi-1) append-map) (lambda (entry) (if (build-machine? entry) "
                           "(list entry) entry)) (list (list) (build-machine (name \"m\"))))"), code
    # Evaluated with a stand-in build-machine record, the stopped VM's empty list disappears.
    ev("(define-record-type <bm> (build-machine* name) build-machine? (name bm-name))")
    ev("(define-syntax build-machine (syntax-rules (name) ((_ (name n)) (build-machine* n))))")
    assert [to_str(ev("bm-name")(m)) for m in list_to_python(ev(code))] == ["m"]


def test_build_vm_activation_uses_the_offloading_key_of_the_vm(show):
    text = show("(gexp->string (extension-value virtual-build-machine-service-type activation-service-type "
                "(virtual-build-machine)))")
    assert '"/etc/guix/offload/ssh/virtual-build-machine/build-vm"' in text
    assert '"/etc/guix/virtual-build-machines/build-vm"' in text and '/bin/ssh-keygen"' in text


@pytest.mark.parametrize("field, value", [("cpu-count", "0"), ("memory-size", '"2G"'), ("cpu", "'Westmere"),
                                          ("date", '"2020-01-01"'), ("port-forwardings", "'(11022 22)"),
                                          ("name", '"build-vm"'), ("auto-start?", "'yes")])
def test_virtual_build_machine_rejects_bad_values_naming_the_field(ev, field, value):
    message = error_of(ev, f"(virtual-build-machine\n  ({field} {value}))")
    assert message.startswith("test.scm:1:0: error: invalid value")
    assert f"field '{field}' of virtual-build-machine" in message


# ---------------------------------------------------------------------------- Hurd VM, declared

@pytest.mark.parametrize("id_, secrets, ssh, vnc", [("#f", 11004, 10022, 15900), ("1", 12004, 11022, 16900),
                                                    ("2", 13004, 12022, 17900)])
def test_hurd_vm_net_options_shift_ports_by_the_id(ev, id_, secrets, ssh, vnc):
    options = strings(ev(f"(hurd-vm-net-options (hurd-vm-configuration (id {id_})))"))
    assert options == ["--device", "rtl8139,netdev=net0",
                       "--netdev", f"user,id=net0,hostfwd=tcp:127.0.0.1:{secrets}-:1004,"
                                   f"hostfwd=tcp:127.0.0.1:{ssh}-:2222,hostfwd=tcp:127.0.0.1:{vnc}-:5900"]


@pytest.mark.parametrize("id_, names", [("#f", "(hurd-vm childhurd)"), ("1", "(hurd-vm1 childhurd1)"),
                                        ("2", "(hurd-vm2 childhurd2)")])
def test_hurd_vm_shepherd_service_names(show, id_, names):
    svc = f"(the-shepherd-service hurd-vm-service-type (hurd-vm-configuration (id {id_})))"
    assert show(f"(shepherd-service-provision {svc})") == names
    assert show(f"(shepherd-service-requirement {svc})") == "(loopback networking user-processes)"


def test_hurd_vm_configuration_defaults(ev, show):
    c = "(hurd-vm-configuration)"
    assert show(f"(eq? (hurd-vm-configuration-os {c}) %hurd-vm-operating-system)") == "#t"
    assert show(f"(eq? (hurd-vm-configuration-qemu {c}) {QEMU_MINIMAL})") == "#t"
    assert show(f"(eq? (hurd-vm-configuration-image {c}) hurd-vm-disk-image)") == "#t"
    assert show(f"(hurd-vm-configuration-disk-size {c})") == "guess"
    assert show(f"(hurd-vm-configuration-memory-size {c})") == "512"
    assert show(f"(hurd-vm-configuration-options {c})") == "(--snapshot)"
    assert show(f"(hurd-vm-configuration-id {c})") == "#f"
    assert show(f"(eq? (hurd-vm-configuration-net-options {c}) hurd-vm-net-options)") == "#t"
    assert show(f"(hurd-vm-configuration-offloading? {c})") == "#t"
    assert show(f"(hurd-vm-configuration-secret-root {c})") == "/etc/childhurd"


def test_hurd_vm_disk_image_holds_the_os_and_disk_size(show):
    image = "(hurd-vm-disk-image (hurd-vm-configuration (disk-size (* 5000 (expt 2 20)))))"
    assert show(f"(vm-image-size {image})") == str(5000 * 2**20)
    assert show(f"(operating-system-host-name (vm-image-operating-system {image}))") == "childhurd"
    assert show(f"(vm-image-file-name {image})") == "/var/lib/schemy/vm-images/hurd-vm.img"


def test_hurd_vm_operating_system_runs_a_permissive_ssh_server_on_port_2222(show):
    ssh = ("(service-value (find (lambda (s) (eq? (service-kind s) openssh-service-type)) "
           "(operating-system-user-services %hurd-vm-operating-system)))")
    show("(use-modules (gnu services ssh))")
    assert show(f"(openssh-configuration-port-number {ssh})") == "2222"
    assert show(f"(openssh-configuration-permit-root-login {ssh})") == "#t"
    assert show("(operating-system-host-name %hurd-vm-operating-system)") == "childhurd"


def test_hurd_vm_adds_the_childhurd_system_user(show):
    accounts = "(extension-value hurd-vm-service-type account-service-type (hurd-vm-configuration))"
    user = f"(find user-account? {accounts})"
    assert show(f"(list (user-account-name {user}) (user-account-group {user}) "
                f"(user-account-supplementary-groups {user}) (user-account-system? {user}))") == \
        "(childhurd childhurd (kvm) #t)"
    assert show(f"(map user-group-name (filter user-group? {accounts}))") == "(childhurd)"


def test_hurd_vm_offloads_i586_gnu_builds_to_the_childhurd(show):
    ext = "(extension-value hurd-vm-service-type guix-service-type (hurd-vm-configuration (id 1)))"
    assert show(f"(gexp->string (car (guix-extension-build-machines {ext})))") == (
        '(build-machine (name "localhost") (port 11022) (systems (quote ("i586-gnu"))) '
        '(host-key (call-with-input-file "/etc/childhurd/etc/ssh/ssh_host_ed25519_key.pub" '
        '(@ (ice-9 textual-ports) get-string-all))) (user "offloading") (overload-threshold 1.8) '
        '(private-key "/etc/guix/offload/ssh/childhurd1"))')
    assert show("(guix-extension-build-machines (extension-value hurd-vm-service-type guix-service-type "
                "(hurd-vm-configuration (offloading? #f))))") == "()"


def activation_text(ev, type_name: str, config: str, host: Path) -> str:
    """The activation gexp of CONFIG as code, run against the stand-in host /etc under HOST."""
    text = to_str(ev(f"(gexp->string (extension-value {type_name} activation-service-type {config}))"))
    # As reconfigure binds it in prefix mode: the host files activation writes land under HOST.
    ev(f'(define (root-file-name f) (if (string-prefix? "/etc/" f) (string-append "{host}" f) f))')
    return text


HOST_KEY = "(public-key \n (ecc \n  (curve Ed25519)\n  (q #AB#)\n  )\n )\n"


def test_hurd_vm_activation_populates_the_secret_root(ev, store, tmp_path):
    secrets = tmp_path / "childhurd"
    host = tmp_path / "host"
    (host / "etc" / "guix").mkdir(parents=True)
    (host / "etc" / "guix" / "signing-key.pub").write_text(HOST_KEY)
    text = activation_text(ev, "hurd-vm-service-type", f'(hurd-vm-configuration (secret-root "{secrets}"))',
                           host)
    ev(text)
    # ssh-keygen -A (every key type), the offloading authorization, a signing key pair and an ACL.
    expected = ["etc/guix/acl", "etc/guix/signing-key.pub", "etc/guix/signing-key.sec",
                "etc/ssh/authorized_keys.d/offloading", "etc/ssh/ssh_host_ecdsa_key",
                "etc/ssh/ssh_host_ecdsa_key.pub", "etc/ssh/ssh_host_ed25519_key",
                "etc/ssh/ssh_host_ed25519_key.pub", "etc/ssh/ssh_host_rsa_key", "etc/ssh/ssh_host_rsa_key.pub"]
    found = sorted(str(p.relative_to(secrets)) for p in secrets.rglob("*") if p.is_file())
    assert found == expected
    offload_pub = (host / "etc/guix/offload/ssh/childhurd.pub").read_text()
    assert (secrets / "etc/ssh/authorized_keys.d/offloading").read_text() == offload_pub
    assert "(q #AB#)" in (secrets / "etc/guix/acl").read_text()  # the guest trusts the host
    assert (secrets / "etc/ssh/ssh_host_ed25519_key.pub").read_text().startswith("ssh-ed25519 ")
    # The host trusts the guest's key.
    guest_key = (secrets / "etc/guix/signing-key.pub").read_text()
    host_acl = (host / "etc/guix/acl").read_text()
    assert host_acl.startswith("(acl\n (entry\n  (public-key") and guest_key.strip() in host_acl
    # Existing secrets are kept; the host's ACL does not grow.
    key = (secrets / "etc/ssh/ssh_host_ed25519_key").read_text()
    ev(text)
    assert (secrets / "etc/ssh/ssh_host_ed25519_key").read_text() == key
    assert (secrets / "etc/guix/signing-key.pub").read_text() == guest_key
    assert (host / "etc/guix/acl").read_text() == host_acl


def test_childhurd_signing_key_is_a_real_ed25519_pair(ev, store, tmp_path):
    secrets = tmp_path / "childhurd"
    host = tmp_path / "host"
    ev(activation_text(ev, "hurd-vm-service-type", f'(hurd-vm-configuration (secret-root "{secrets}"))', host))
    pub = (secrets / "etc/guix/signing-key.pub").read_text()
    sec = (secrets / "etc/guix/signing-key.sec").read_text()
    q = re.fullmatch(r"\(public-key \n \(ecc \n  \(curve Ed25519\)\n  \(q #([0-9A-F]{64})#\)\n  \)\n \)\n",
                     pub).group(1)
    m = re.fullmatch(r"\(private-key \n \(ecc \n  \(curve Ed25519\)\n  \(q #([0-9A-F]{64})#\)\n"
                     r"  \(d #([0-9A-F]{64})#\)\n  \)\n \)\n", sec)
    assert m and m.group(1) == q
    assert oct((secrets / "etc/guix/signing-key.sec").stat().st_mode & 0o777) == "0o400"
    # d is the secret seed of q: openssl derives the same public key from it.
    der = bytes.fromhex("302e020100300506032b657004220420" + m.group(2))
    derived = subprocess.run(["openssl", "pkey", "-inform", "DER", "-pubout", "-outform", "DER"],
                             input=der, capture_output=True, check=True).stdout
    assert derived[-32:].hex().upper() == q
    # A host without an ACL: the guest's ACL is empty (no host key), the host's gets the guest's key.
    assert "(q #" + q + "#)" in (host / "etc/guix/acl").read_text()


def test_hurd_vm_without_offloading_makes_only_the_ssh_host_keys(ev, store, tmp_path):
    secrets = tmp_path / "childhurd"
    host = tmp_path / "host"
    ev(activation_text(ev, "hurd-vm-service-type",
                       f'(hurd-vm-configuration (secret-root "{secrets}") (offloading? #f))', host))
    found = sorted(str(p.relative_to(secrets)) for p in secrets.rglob("*") if p.is_file()
                   if "/ssh/" in str(p))
    assert found == ["etc/ssh/ssh_host_ecdsa_key", "etc/ssh/ssh_host_ecdsa_key.pub",
                     "etc/ssh/ssh_host_ed25519_key", "etc/ssh/ssh_host_ed25519_key.pub",
                     "etc/ssh/ssh_host_rsa_key", "etc/ssh/ssh_host_rsa_key.pub"]
    assert not (host / "etc/guix/acl").exists()  # nothing authorized on the host
    assert not (host / "etc/guix/offload").exists()


def test_build_vm_activation_populates_its_secret_root(ev, store, tmp_path):
    host = tmp_path / "host"
    text = activation_text(ev, "virtual-build-machine-service-type", "(virtual-build-machine)", host)
    text = text.replace('"/etc/guix/virtual-build-machines/build-vm"', f'"{tmp_path}/secrets"')
    ev(text)
    assert (tmp_path / "secrets/etc/ssh/ssh_host_ed25519_key.pub").exists()
    assert (tmp_path / "secrets/etc/guix/signing-key.sec").exists()
    assert (host / "etc/guix/offload/ssh/virtual-build-machine/build-vm").exists()
    assert (tmp_path / "secrets/etc/ssh/authorized_keys.d/offloading").read_text() == \
        (host / "etc/guix/offload/ssh/virtual-build-machine/build-vm.pub").read_text()


def test_hurd_vm_image_has_the_offloading_account_when_offloading(show):
    users = ("(map user-account-name (operating-system-users (vm-image-operating-system "
             "(hurd-vm-disk-image (hurd-vm-configuration (offloading? {}))))))")
    assert "offloading" in show(users.format("#t"))
    assert "offloading" not in show(users.format("#f"))


@pytest.mark.parametrize("field, value", [("id", "0"), ("memory-size", '"512"'), ("options", '"--snapshot"'),
                                          ("disk-size", "'big"), ("os", "#f"), ("offloading?", '"yes"')])
def test_hurd_vm_configuration_rejects_bad_values_naming_the_field(ev, field, value):
    message = error_of(ev, f"(hurd-vm-configuration\n  ({field} {value}))")
    assert message.startswith("test.scm:1:0: error: invalid value")
    assert f"field '{field}' of hurd-vm-configuration" in message


# ---------------------------------------------------------------------------- examples

EXAMPLE_FILES = ["libvirt.scm", "virtlog.scm", "qemu-binfmt.scm", "qemu-guest-agent.scm", "build-vm.scm",
                 "build-vm-custom.scm", "childhurd.scm", "hurd-vm-disk.scm", "hurd-vm-stateful.scm"]


@functools.cache
def examples_interpreter() -> Interpreter:
    """One interpreter for all the examples: each is loaded in a module of its own."""
    return Interpreter()


@functools.cache
def folded_example(name: str):
    from schemy.system.build import fold_operating_system
    from schemy.system.config import load_operating_system

    interp = examples_interpreter()
    os_record = interp.run_protected(lambda: load_operating_system(interp, str(EXAMPLES / name)))
    return interp, interp.run_protected(lambda: fold_operating_system(interp, os_record))


def fold_example(name: str):
    return folded_example(name)


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_example_evaluates_to_an_operating_system_whose_services_fold(name):
    _, (services, values, _) = fold_example(name)
    assert "shepherd-root" in values


def shepherd_of(values) -> dict[str, object]:
    out = {}
    for svc in list_to_python(values["shepherd-root"]):
        from schemy.runtime.records import record_ref

        for p in list_to_python(record_ref(svc, Symbol("provision"))):
            out[p.name] = svc
    return out


def test_libvirt_example_puts_the_user_in_the_libvirt_group_and_listens_on_16555():
    interp, (_, values, _) = fold_example("libvirt.scm")
    assert "libvirtd" in shepherd_of(values)
    describe = interp.eval_string("""
      (use-modules (gnu system shadow) (gnu services virtualization))
      (lambda (accounts config)
        (list (map user-group-name (filter user-group? accounts))
              (map (lambda (a) (cons (user-account-name a) (user-account-supplementary-groups a)))
                   (filter user-account? accounts))
              (libvirt-configuration-tls-port config)))""", "test.scm")
    groups, users, port = list_to_python(describe(values["account"], values["libvirt"]))
    assert "libvirt" in strings(groups)
    assert ["user", "libvirt", "audio", "video", "wheel"] in [strings(u) for u in list_to_python(users)]
    assert to_str(port) == "16555"


def test_childhurd_example_runs_charlies_system_with_his_key():
    interp, (_, values, _) = fold_example("childhurd.scm")
    assert {"hurd-vm", "childhurd"} <= set(shepherd_of(values))
    describe = interp.eval_string("""
      (use-modules (gnu system) (gnu system shadow) (gnu services) (gnu services ssh)
                   (gnu services virtualization))
      (lambda (config)
        (let* ((os (hurd-vm-configuration-os config))
               (ssh (find (lambda (s) (eq? (service-kind s) openssh-service-type))
                          (operating-system-user-services os))))
          (list (map user-account-name (operating-system-users os))
                (map car (openssh-configuration-authorized-keys (service-value ssh)))
                (openssh-configuration-port-number (service-value ssh)))))""", "test.scm")
    users, keys, port = list_to_python(describe(values["hurd-vm"]))
    assert "charlie" in strings(users)
    assert strings(keys) == ["root", "charlie"]
    assert port == 2222


def test_examples_each_have_the_chapters_service():
    wanted = {"build-vm.scm": "build-vm", "build-vm-custom.scm": "build-vm", "qemu-binfmt.scm": "qemu-binfmt",
              "qemu-guest-agent.scm": "qemu-guest-agent", "virtlog.scm": "virtlogd",
              "hurd-vm-disk.scm": "hurd-vm", "hurd-vm-stateful.scm": "hurd-vm"}
    for name, provision in wanted.items():
        _, (_, values, _) = fold_example(name)
        assert provision in shepherd_of(values), name


# ---------------------------------------------------------------------------- Guix's serializer

GUIX_CONF = Path(__file__).resolve().parent / "data" / "guix-libvirt"


def guix_conf_cases(interp) -> list[tuple[str, str, str]]:
    """(name, kind, configuration expression) of every case recorded from Guix's serializer."""
    cases = interp.eval_string(f'(call-with-input-file "{GUIX_CONF / "cases.scm"}" read)', "cases.scm")
    out = []
    for case in list_to_python(cases):
        name, kind, overrides = list_to_python(case)
        fields = " ".join(f"({p.car.name} '{write_string(p.cdr)})" for p in list_to_python(overrides))
        out.append((to_str(name), kind.name, f"({kind.name}-configuration {fields})"))
    return out


def test_every_recorded_guix_case_has_its_file(interp):
    names = [name for name, _, _ in guix_conf_cases(interp)]
    assert len(names) >= 8 and sorted(names) == sorted(p.stem for p in GUIX_CONF.glob("*.conf"))


@pytest.mark.parametrize("index", range(8))
def test_conf_files_are_byte_for_byte_those_of_guixs_serializer(interp, ev, store, monkeypatch, index):
    # The files were recorded with the host name "guix-oracle-host" (mdns-name's default).
    monkeypatch.setattr(socket, "gethostname", lambda: "guix-oracle-host")
    name, kind, config = guix_conf_cases(interp)[index]
    type_name = "libvirt-service-type" if kind == "libvirt" else "virtlog-service-type"
    assert config_file_of(ev, type_name, config) == (GUIX_CONF / f"{name}.conf").read_text(), name


# ---------------------------------------------------------------------------- system check

OS_TEMPLATE = """
(use-modules (gnu) (gnu services virtualization))
(operating-system
  (host-name "vm-host")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (list (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))))
  (services (append (list {services}) %base-services)))
"""


def system_check(tmp_path, services: str):
    from click.testing import CliRunner

    from schemy.cli.main import main
    from schemy.runtime import sandbox

    config = tmp_path / "config.scm"
    config.write_text(OS_TEMPLATE.format(services=services))
    try:
        return config, CliRunner().invoke(main, ["system", "check", str(config)])
    finally:
        sandbox.ACTIVE = False


def test_qemu_binfmt_brings_its_file_system_without_base_file_systems(tmp_path):
    # The OS lists only its root file system: binfmt_misc comes from qemu-binfmt's extension.
    _, result = system_check(tmp_path, '(service qemu-binfmt-service-type (qemu-binfmt-configuration '
                                       '(platforms (lookup-qemu-platforms "arm"))))')
    assert result.exit_code == 0, result.stderr
    assert "no problems found" in result.output
    # ... and the folded system mounts it: a shepherd service provides what qemu-binfmt requires.
    from schemy.system.build import fold_operating_system
    from schemy.system.config import load_operating_system

    interp = Interpreter()
    values = interp.run_protected(
        lambda: fold_operating_system(interp, load_operating_system(interp, str(tmp_path / "config.scm")))[1])
    provisions = {p.name for svc in list_to_python(values["shepherd-root"])
                  for p in list_to_python(record_field(svc, "provision"))}
    assert "file-system-/proc/sys/fs/binfmt_misc" in provisions


def record_field(record, field: str):
    from schemy.runtime.records import record_ref

    return record_ref(record, Symbol(field))


def test_build_vm_and_childhurd_forwarding_the_same_port_is_a_warning(tmp_path):
    config, result = system_check(tmp_path, "(service virtual-build-machine-service-type) "
                                            "(service hurd-vm-service-type)")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{config}: warning: host port 127.0.0.1:11004 is forwarded both by shepherd service 'build-vm' "
        "and by 'hurd-vm': they cannot run at the same time"]
    assert "no errors found" in result.output


def test_build_vm_and_childhurd_on_other_ports_check_cleanly(tmp_path):
    _, result = system_check(tmp_path, "(service virtual-build-machine-service-type) "
                                       "(service hurd-vm-service-type (hurd-vm-configuration (id 2)))")
    assert result.exit_code == 0 and result.stderr == "", result.stderr


def test_hurd_vm_port_is_exported(ev):
    # (use-modules (gnu services virtualization)) alone gives hurd-vm-port, as in Guix.
    assert ev("(hurd-vm-port (hurd-vm-configuration (id 2)) 10022)") == 12022
    assert ev("(hurd-vm-port (hurd-vm-configuration) 11004)") == 11004
    fresh = Interpreter()
    assert fresh.eval_string("(use-modules (gnu services virtualization)) "
                             "(procedure? hurd-vm-port)", "fresh.scm") is True


def test_xe_guest_utilities_runs_xe_daemon_with_its_pid_file(show):
    text = show("(start-text xe-guest-utilities-service-type (xe-guest-utilities-configuration))")
    assert re.search(r'\(list "/schemy/store/[a-z0-9]{32}-xe-guest-utilities-[0-9.]+/sbin/xe-daemon" '
                     r'"-p" "/var/run/xe-daemon.pid"\)', text), text
    assert '#:log-file "/var/log/xe-guest-utilties.log"' in text
    assert "/sbin/xe-linux-distribution" in text and '"/var/cache/xe-linux-distribution"' in text
    svc = "(the-shepherd-service xe-guest-utilities-service-type (xe-guest-utilities-configuration))"
    assert show(f"(shepherd-service-provision {svc})") == "(xen-guest-agent)"
    assert show(f"(shepherd-service-requirement {svc})") == "(networking user-processes udev)"


def test_xe_guest_utilities_adds_its_vcpu_hotplug_udev_rule(show):
    rules = show("(extension-value xe-guest-utilities-service-type udev-service-type "
                 "(xe-guest-utilities-configuration))")
    assert "z10_xen-vcpu-hotplug.rules" in rules


def test_xen_guest_agent_runs_its_program(show):
    text = show("(start-text xen-guest-agent-service-type (xen-guest-agent-configuration))")
    assert re.fullmatch(r'\(make-forkexec-constructor \(list "/schemy/store/[a-z0-9]{32}-xen-guest-agent-'
                        r'[0-9.]+/bin/xen-guest-agent"\)\)', text), text
    svc = "(the-shepherd-service xen-guest-agent-service-type (xen-guest-agent-configuration))"
    assert show(f"(shepherd-service-provision {svc})") == "(xen-guest-agent)"
