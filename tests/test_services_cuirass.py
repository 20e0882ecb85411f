"""(gnu services cuirass): Cuirass's services with the command lines Guix gives them (read from
`cuirass-shepherd-service' and `cuirass-remote-worker-shepherd-service' in Guix's
gnu/services/cuirass.scm), its specification file, accounts, PostgreSQL role and activation.
Cuirass is not packaged by Debian: the built system records the program as missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_config, ev, minimal_os
from service_modules import missing_exports

from schemy.app import Interpreter
from schemy.guix.packages import missing_programs
from schemy.lang.datum import to_str
from schemy.lang.printer import write_string

SPECS = """(define %cuirass-specs
  #~(list (specification
           (name 'my-linux)
           (build '(packages "linux-libre")))))"""


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    ev(i, """(use-modules (gnu) (gnu services cuirass) (gnu services shepherd) (guix gexp)
                          (srfi srfi-1))
(define (extension-value type target value)
  (let ((ext (find (lambda (e) (eq? (service-extension-target e) target))
                   (service-type-extensions type))))
    (and ext ((service-extension-compute ext) value))))
(define (starts type config)
  (map (lambda (s) (gexp->string (shepherd-service-start s)))
       (extension-value type shepherd-root-service-type config)))""" + SPECS)
    return i


def starts(interp, type_: str, config: str) -> list[str]:
    return [to_str(s) for s in ev(interp, f"(starts {type_} {config})")]


def test_cuirass_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu services cuirass") == []


def test_defaults_are_guixs(interp):
    assert write_string(ev(interp, """(let ((c (cuirass-configuration (specifications %cuirass-specs)))
                                          (r (cuirass-remote-server-configuration))
                                          (w (cuirass-remote-worker-configuration)))
        (list (cuirass-configuration-interval c) (cuirass-configuration-ttl c)
              (cuirass-configuration-database c) (cuirass-configuration-port c)
              (cuirass-configuration-host c) (cuirass-configuration-cache-directory c)
              (cuirass-remote-server-configuration-backend-port r)
              (cuirass-remote-server-configuration-log-expiry r)
              (cuirass-remote-worker-workers w)
              (cuirass-remote-worker-configuration-publish-port w)))""")) == \
        '(300 2592000 "dbname=cuirass" 8081 "localhost" "/var/cache/cuirass" 5555 15552000 1 5558)'


def test_register_is_socket_activated_with_guixs_command_line(interp):
    register, web = starts(interp, "cuirass-service-type",
                           "(cuirass-configuration (specifications %cuirass-specs) (threads 4) (fallback? #t))")
    assert register.startswith('(make-systemd-constructor (list (string-append "/schemy/store/')
    assert ('-cuirass-1.3.4" "/bin/cuirass") "register" "--cache-directory" "/var/cache/cuirass" '
            '"--specifications" "/schemy/store/') in register
    assert ('-cuirass-specs.scm" "--database" "dbname=cuirass" "--interval" "300" "--ttl=2592000s" '
            '"--evaluation-ttl=62208000s" "--build-expiry=10368000s" "--threads=4" "--fallback")') in register
    assert ('(endpoint (make-socket-address AF_UNIX "/var/run/cuirass/bridge") #:name "bridge" '
            '#:socket-owner "cuirass" #:socket-group "cuirass" #:socket-directory-permissions 448)') in register
    assert '"/var/run/cuirass/remote-builds"' in register and "#:lazy-start? #f" in register
    assert '"LC_ALL=C.UTF-8"' in register and '/libexec/git-core")' in register
    assert register.endswith('#:user "cuirass" #:group "cuirass" #:log-file "/var/log/cuirass.log")')
    assert ('"/bin/cuirass") "web" "--database" "dbname=cuirass" "--listen" "localhost" "--port" "8081")'
            ' #:user "cuirass" #:group "cuirass" #:log-file "/var/log/cuirass-web.log")') in web


def test_remote_server_service_and_build_remote_flag(interp):
    register, _, server = starts(interp, "cuirass-service-type", """(cuirass-configuration
        (specifications %cuirass-specs)
        (remote-server (cuirass-remote-server-configuration (publish? #f) (trigger-url "https://ci.example.org")
                                                            (private-key "/etc/guix/signing-key.sec"))))""")
    assert '"--build-remote") (list (endpoint' in register
    assert ('"remote-server" "--database=dbname=cuirass" "--cache=/var/cache/cuirass/remote/" '
            '"--user=cuirass" "--log-expiry=15552000s" "--backend-port=5555" "--publish-port=5557" '
            '"--trigger-substitute-url=https://ci.example.org" "--no-publish" '
            '"--private-key=/etc/guix/signing-key.sec") #:log-file "/var/log/cuirass-remote-server.log")') in server
    requirements = write_string(ev(interp, """(map shepherd-service-requirement (extension-value
        cuirass-service-type shepherd-root-service-type
        (cuirass-configuration (specifications %cuirass-specs)
                               (remote-server (cuirass-remote-server-configuration)))))"""))
    assert requirements == ("((user-processes guix-daemon postgres postgres-roles networking) "
                            "(user-processes cuirass) (user-processes avahi-daemon cuirass))")


def test_remote_worker_command_line(interp):
    (worker,) = starts(interp, "cuirass-remote-worker-service-type", """(cuirass-remote-worker-configuration
        (workers 4) (server "10.0.0.1:5555") (systems '("x86_64-linux" "i686-linux")))""")
    assert ('/bin/cuirass" "remote-worker" "--user=cuirass-worker" "--workers=4" "--server=10.0.0.1:5555" '
            '"--systems=x86_64-linux,i686-linux" "--publish-port=5558" '
            '"--substitute-urls=https://bordeaux.guix.gnu.org https://ci.guix.gnu.org")') in worker
    assert worker.endswith('#:log-file "/var/log/cuirass-remote-worker.log")')


def test_accounts_and_postgresql_role(interp):
    assert write_string(ev(interp, """(map (lambda (a) (if (user-account? a)
              (list (user-account-name a) (user-account-home-directory a)) (user-group-name a)))
        (append (extension-value cuirass-service-type account-service-type
                                 (cuirass-configuration (specifications %cuirass-specs) (user "ci")))
                (extension-value cuirass-remote-worker-service-type account-service-type
                                 (cuirass-remote-worker-configuration))))""")) == \
        '("cuirass" ("ci" "/var/lib/ci") "cuirass-worker" ("cuirass-worker" "/var/empty"))'


def test_built_system_has_the_spec_file_postgres_and_records_cuirass_missing(tmp_path):
    config = tmp_path / "ci.scm"
    config.write_text(minimal_os(
        modules="(gnu) (gnu services cuirass) (gnu services networking)", prelude=SPECS,
        services="""(cons* (service dhcp-client-service-type)
                           (service cuirass-service-type
                                    (cuirass-configuration (specifications %cuirass-specs)))
                           %base-services)"""))
    built = build_config(config, tmp_path / "store")
    provided = {p for s in built.shepherd for p in s.provision}
    assert {"cuirass", "cuirass-web", "postgres", "postgres-roles"} <= provided
    assert "cuirass" in {u["name"] for u in built.accounts["users"]}
    (spec,) = (tmp_path / "store").glob("*-cuirass-specs.scm")
    assert spec.read_text() == ("(list (specification\n        (name 'my-linux)\n"
                                "        (build '(packages \"linux-libre\"))))\n")
    (item,) = [p for p in (tmp_path / "store").glob("*-cuirass-1.3.4") if p.is_dir()]
    if not Path(item, "bin", "cuirass").exists():
        assert [m.name for m in missing_programs(str(item))] == ["bin/cuirass"]
