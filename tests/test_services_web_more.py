"""The web services of Guix's manual that (gnu services web) gained after nginx, httpd, php-fpm
and fcgiwrap: varnish, whoogle, go-webdav, gmnisrv, agate, miniflux, anonip, hpcguix-web.
Expected defaults, command lines and files are Guix's (read in gnu/services/web.scm and the
manual's "Web Services" section).  None of these daemons is on the test host, so the services
are checked through their records, files and shepherd services, and varnish's service through a
real reconfigure that reports the program it lacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ev, minimal_os, processes_mentioning, wait_for

from schemy.app import Interpreter
from schemy.lang.datum import to_str
from schemy.lang.printer import write_string

SCHEMY = str(Path(sys.executable).with_name("schemy"))


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    ev(i, """(use-modules (gnu) (gnu services web) (gnu services shepherd) (gnu services configuration)
             (guix gexp) (guix packages) (srfi srfi-1))
(define (extension-value type target value)
  (let ((ext (find (lambda (e) (eq? (service-extension-target e) target))
                   (service-type-extensions type))))
    (and ext ((service-extension-compute ext) value))))
(define (start-of type value)
  (gexp->string (shepherd-service-start (car (extension-value type shepherd-root-service-type value)))))
(define (accounts-of type value)
  (map (lambda (a) (if (user-account? a)
                       (list 'user (user-account-name a) (user-account-group a)
                             (user-account-home-directory a))
                       (list 'group (user-group-name a))))
       (extension-value type account-service-type value)))""")
    return i


def w(interp, expr: str) -> str:
    return write_string(ev(interp, expr))


def s(interp, expr: str) -> str:
    return to_str(ev(interp, expr))


def schemy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([SCHEMY, *args], capture_output=True, text=True, timeout=120)


# ---------------------------------------------------------------- varnish

def test_varnish_defaults_are_guixs(interp):
    assert w(interp, """(let ((c (varnish-configuration)))
      (list (package-name (varnish-configuration-package c)) (varnish-configuration-name c)
            (varnish-configuration-backend c) (varnish-configuration-vcl c)
            (varnish-configuration-listen c) (varnish-configuration-storage c)
            (varnish-configuration-parameters c) (varnish-configuration-extra-options c)))""") == \
        '("varnish" "default" "localhost:8080" #f ("localhost:80") ("malloc,128m") () ())'


def test_varnish_default_command_line_proxies_the_backend(interp):
    start = s(interp, "(start-of varnish-service-type (varnish-configuration))")
    assert start.endswith('/sbin/varnishd" "-n" "default" "-b" "localhost:8080" "-a" "localhost:80" '
                          '"-s" "malloc,128m") #:pid-file "/var/varnish/default/_.pid")')
    assert "-varnish-7" in start and "#:user" not in start


def test_varnish_manual_example_runs_the_vcl_and_drops_the_backend(interp):
    start = s(interp, """(start-of varnish-service-type
      (varnish-configuration (listen '(":80"))
        (vcl (plain-file "gnu.vcl" "vcl 4.1;\nbackend gnu { .host = \\"www.gnu.org\\"; }"))))""")
    assert '"-n" "default" "-f" "' in start and '-gnu.vcl" "-a" ":80" "-s" "malloc,128m")' in start
    assert '"-b"' not in start


def test_varnish_parameters_extra_options_and_absolute_name(interp):
    start = s(interp, """(start-of varnish-service-type
      (varnish-configuration (name "/srv/cache") (listen '("0.0.0.0:80" "[::]:80"))
        (storage '("malloc,1g" "file,/tmp/v,2g")) (parameters '(("default_ttl" . "60")))
        (extra-options '("-t" "30"))))""")
    assert ('"-n" "/srv/cache" "-b" "localhost:8080" "-a" "0.0.0.0:80" "-a" "[::]:80" '
            '"-s" "malloc,1g" "-s" "file,/tmp/v,2g" "-p" "default_ttl=60" "-t" "30") '
            '#:pid-file "/srv/cache/_.pid")') in start


def test_varnish_service_is_named_after_the_instance(interp):
    assert w(interp, """(let ((s (car (extension-value varnish-service-type shepherd-root-service-type
                                     (varnish-configuration (name "front"))))))
      (list (shepherd-service-provision s) (shepherd-service-requirement s)))""") == \
        "((varnish-front) (user-processes networking))"


def test_varnish_account(interp):
    assert w(interp, "(accounts-of varnish-service-type (varnish-configuration))") == \
        '((group "varnish") (user "varnish" "varnish" "/var/varnish"))'


def test_varnish_without_varnishd_says_it_is_not_installed(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root: reconfigure creates the varnish account")
    if shutil.which("varnishd") or os.access("/usr/sbin/varnishd", os.X_OK):
        pytest.skip("this host has varnishd (Debian package varnish): the missing case cannot be seen")
    config = tmp_path / "varnish.scm"
    config.write_text(minimal_os(
        modules="(gnu) (gnu services web) (gnu services shepherd)",
        services="(cons* (service varnish-service-type (varnish-configuration (listen '(\"127.0.0.1:6081\"))))"
                 "       (simple-service 'net shepherd-root-service-type"
                 "         (list (shepherd-service (provision '(networking)) (start #~(const #t)))))"
                 "       %base-services)"))
    root = tmp_path / "root"
    try:
        r = schemy("reconfigure", "--root", str(root), str(config))
        assert r.returncode == 3, r.stdout + r.stderr
        status = schemy("herd", "--root", str(root), "status", "varnish-default").stdout
        assert "It failed to start" in status
        assert "varnishd is not installed on this host (Debian package: varnish)" in status
    finally:
        schemy("herd", "--root", str(root), "stop", "root")
    assert wait_for(lambda: processes_mentioning(str(root)) == [], timeout=10)


# ---------------------------------------------------------------- whoogle

def test_whoogle_defaults_are_guixs(interp):
    assert w(interp, """(let ((c (whoogle-configuration)))
      (list (package-name (whoogle-configuration-package c)) (whoogle-configuration-host c)
            (whoogle-configuration-port c) (whoogle-configuration-environment-variables c)))""") == \
        '("whoogle-search" "127.0.0.1" 5000 ())'


def test_whoogle_command_line_and_environment(interp):
    start = s(interp, """(start-of whoogle-service-type
      (whoogle-configuration (host "0.0.0.0") (port 5001)
                             (environment-variables '("WHOOGLE_CONFIG_LANGUAGE=lang_fr"))))""")
    assert '/bin/whoogle-search" "--host" "0.0.0.0" "--port" "5001")' in start
    assert ('#:environment-variables (cons "CONFIG_VOLUME=/var/cache/whoogle-search" '
            '(quote ("WHOOGLE_CONFIG_LANGUAGE=lang_fr")))') in start
    assert w(interp, """(let ((s (car (extension-value whoogle-service-type shepherd-root-service-type
                                     (whoogle-configuration)))))
      (list (shepherd-service-provision s) (shepherd-service-requirement s)))""") == \
        "((whoogle-search) (user-processes))"


def test_whoogle_port_must_be_an_integer(interp):
    with pytest.raises(Exception, match="port"):
        ev(interp, '(whoogle-configuration (port "5000"))')


# ---------------------------------------------------------------- go-webdav

def test_go_webdav_value_is_the_command_line(interp):
    assert s(interp, "(start-of go-webdav-service-type '(\"-addr\" \"127.0.0.1:8080\" \"/srv/http/\"))"
             ).endswith('/bin/webdav-server" "-addr" "127.0.0.1:8080" "/srv/http/"))')
    assert w(interp, "(service-type-default-value go-webdav-service-type)") == '("-addr" "127.0.0.1:8080")'
    assert w(interp, "(accounts-of go-webdav-service-type '())") == \
        '((group "go-webdav") (user "go-webdav" "go-webdav" "/var/empty"))'


# ---------------------------------------------------------------- gmnisrv

GMNISRV_INI = """
listen=0.0.0.0:1965 [::]:1965

[:tls]
store=/var/lib/gemini/certs

organization=gmnisrv on Guix user

[localhost]
root=/srv/gemini
"""


def test_gmnisrv_default_ini_is_guixs(interp):
    assert s(interp, "(plain-file-content (@@ (gnu services web) %default-gmnisrv-config-file))") == GMNISRV_INI
    assert s(interp, "(package-name (gmnisrv-configuration-package (gmnisrv-configuration)))") == "gmnisrv"


def test_gmnisrv_runs_the_given_ini_as_its_own_user(interp):
    start = s(interp, """(start-of gmnisrv-service-type
      (gmnisrv-configuration (config-file (plain-file "my-gmnisrv.ini" "listen=[::]:1965\n"))))""")
    assert '/bin/gmnisrv" "-C" "' in start and '-my-gmnisrv.ini")' in start
    assert '#:user "gmnisrv" #:group "gmnisrv" #:log-file "/var/log/gmnisrv.log"' in start
    assert w(interp, "(accounts-of gmnisrv-service-type (gmnisrv-configuration))") == \
        '((group "gmnisrv") (user "gmnisrv" "gmnisrv" "/var/empty"))'


def test_gmnisrv_activation_gives_it_the_certificate_store(interp):
    act = s(interp, "(gexp->string (extension-value gmnisrv-service-type activation-service-type"
                    " (gmnisrv-configuration)))")
    assert '(mkdir-p "/var/lib/gemini/certs")' in act and '(getpwnam "gmnisrv")' in act


# ---------------------------------------------------------------- agate

def test_agate_defaults_are_guixs(interp):
    assert w(interp, """(let ((c (agate-configuration)) (m (resolve-module '(gnu services web))))
      (cons (package-name (agate-configuration-package c))
            (map (lambda (name) ((module-ref m name) c))
                 '(agate-configuration-content agate-configuration-certificates
                   agate-configuration-addresses agate-configuration-hostnames
                   agate-configuration-languages agate-configuration-only-tls13
                   agate-configuration-serve-secret agate-configuration-central-configuration
                   agate-configuration-ed25519 agate-configuration-skip-port-check
                   agate-configuration-log-ip agate-configuration-user agate-configuration-group
                   agate-configuration-log))))""") == \
        ('("agate" "/srv/gemini" "/srv/gemini-certs" ("[::]:1965" "0.0.0.0:1965") () #f #f #f #f '
         '#f #f #t "agate" "agate" "/var/log/agate.log")')


def test_agate_manual_example_command_line(interp):
    start = s(interp, """(start-of agate-service-type
      (agate-configuration (content "/srv/gemini") (certificates "/srv/gemini-certs")))""")
    assert start.endswith('/bin/agate" "--content" "/srv/gemini" "--certs" "/srv/gemini-certs" '
                          '"--addr" "[::]:1965" "--addr" "0.0.0.0:1965" "--log-ip") '
                          '#:user "agate" #:group "agate" #:log-file "/var/log/agate.log")')


def test_agate_every_flag_in_guixs_order(interp):
    start = s(interp, """(start-of agate-service-type
      (agate-configuration (addresses '("127.0.0.1:1965")) (hostnames '("a.example" "b.example"))
        (languages "en-US") (only-tls13? #t) (serve-secret? #t) (central-configuration? #t)
        (ed25519? #t) (skip-port-check? #t) (log-ip? #f) (user "gem") (group "gem")
        (log-file "/var/log/gem.log")))""")
    assert ('"--addr" "127.0.0.1:1965" "--hostname" "a.example" "--hostname" "b.example" '
            '"--lang" "en-US" "--serve-secret" "--only-tls13" "--central-conf" "--ed25519" '
            '"--skip-port-check") #:user "gem" #:group "gem" #:log-file "/var/log/gem.log")') in start


def test_agate_accounts_keep_the_agate_group_beside_another(interp):
    assert w(interp, "(accounts-of agate-service-type (agate-configuration))") == \
        '((group "agate") (user "agate" "agate" "/var/empty"))'
    assert w(interp, "(accounts-of agate-service-type (agate-configuration (user \"gem\") (group \"www\")))"
             ) == '((group "agate") (group "www") (user "gem" "www" "/var/empty"))'


# ---------------------------------------------------------------- miniflux

def test_guiles_absolute_file_name_p(interp):
    # Guix's miniflux serializer asks it; Guile answers #t only for a leading slash.
    assert w(interp, '(map absolute-file-name? (list "/a" "a" "" "./a"))') == "(#t #f #f #f)"


def test_miniflux_default_conf_is_guixs(interp):
    assert s(interp, "(miniflux-configuration-text (miniflux-configuration))") == (
        "LISTEN_ADDR=127.0.0.1:8080\nBASE_URL=http://127.0.0.1/\nCREATE_ADMIN=0\n"
        "RUN_MIGRATIONS=1\nDATABASE_URL=host=/var/run/postgresql\n")


def test_miniflux_manual_example_reads_the_administrator_from_files(interp):
    assert s(interp, """(miniflux-configuration-text (miniflux-configuration
          (listen-address "0.0.0.0:8080")
          (base-url "http://my-news-source.test")
          (create-administrator-account? #t)
          (administrator-account-name "/var/miniflux/initial-admin-username")
          (administrator-account-password "/var/miniflux/initial-admin-password")))""") == (
        "LISTEN_ADDR=0.0.0.0:8080\nBASE_URL=http://my-news-source.test\nCREATE_ADMIN=1\n"
        "ADMIN_USERNAME_FILE=/var/miniflux/initial-admin-username\n"
        "ADMIN_PASSWORD_FILE=/var/miniflux/initial-admin-password\n"
        "RUN_MIGRATIONS=1\nDATABASE_URL=host=/var/run/postgresql\n")


def test_miniflux_plain_credentials_and_extra_settings(interp):
    assert s(interp, """(miniflux-configuration-text (miniflux-configuration
          (administrator-account-name "admin") (administrator-account-password "secret")
          (run-migrations? #f) (database-url "postgres://m@db/miniflux")
          (extra-settings '("POLLING_FREQUENCY=30" "LOG_DATE_TIME=1"))))""") == (
        "LISTEN_ADDR=127.0.0.1:8080\nBASE_URL=http://127.0.0.1/\nCREATE_ADMIN=0\n"
        "ADMIN_USERNAME=admin\nADMIN_PASSWORD=secret\nRUN_MIGRATIONS=0\n"
        "DATABASE_URL=postgres://m@db/miniflux\nPOLLING_FREQUENCY=30\nLOG_DATE_TIME=1\n")


def test_miniflux_defaults_are_guixs(interp):
    assert w(interp, """(let ((c (miniflux-configuration)))
      (list (miniflux-configuration-create-administrator-account? c)
            (maybe-value-set? (miniflux-configuration-administrator-account-name c))
            (maybe-value-set? (miniflux-configuration-administrator-account-password c))
            (miniflux-configuration-run-migrations? c) (miniflux-configuration-user c)
            (miniflux-configuration-group c) (miniflux-configuration-log-file c)
            (maybe-value-set? (miniflux-configuration-extra-settings c))))""") == \
        '(#f #f #f #t "miniflux" "miniflux" "/var/log/miniflux.log" #f)'


def test_miniflux_service_role_log_and_account(interp):
    ev(interp, "(use-modules (gnu services databases) (gnu services configuration))")
    start = s(interp, "(start-of miniflux-service-type (miniflux-configuration (user \"rss\")))")
    assert '-miniflux-2' in start and '/bin/miniflux" "-config-file" "' in start
    assert '-miniflux.conf") #:user "rss" #:group "miniflux" #:log-file "/var/log/miniflux.log")' in start
    assert w(interp, """(let ((s (car (extension-value miniflux-service-type shepherd-root-service-type
                                     (miniflux-configuration)))))
      (list (shepherd-service-provision s) (shepherd-service-requirement s)))""") == \
        "((miniflux) (postgres networking))"
    assert w(interp, """(map (lambda (r) (list (postgresql-role-name r) (postgresql-role-create-database? r)))
      (extension-value miniflux-service-type postgresql-role-service-type (miniflux-configuration)))""") == \
        '(("miniflux" #t))'
    ev(interp, "(use-modules (gnu services admin))")
    assert w(interp, "(extension-value miniflux-service-type log-rotation-service-type"
                     " (miniflux-configuration))") == '("/var/log/miniflux.log")'
    assert w(interp, "(accounts-of miniflux-service-type (miniflux-configuration))") == \
        '((group "miniflux") (user "miniflux" "miniflux" "/var/empty"))'


def test_miniflux_socket_directory_is_made_only_for_a_socket(interp):
    act = s(interp, "(gexp->string (extension-value miniflux-service-type activation-service-type"
                    " (miniflux-configuration (listen-address \"/var/run/miniflux/miniflux.sock\"))))")
    assert '(absolute-file-name? "/var/run/miniflux/miniflux.sock")' in act and '(getpwnam "miniflux")' in act


def test_miniflux_listen_address_must_be_a_string(interp):
    with pytest.raises(Exception, match="listen-address"):
        ev(interp, "(miniflux-configuration (listen-address 8080))")


# ---------------------------------------------------------------- anonip

def test_guiles_mknod_makes_a_fifo(interp, tmp_path):
    fifo = tmp_path / "log"
    ev(interp, f'(mknod "{fifo}" \'fifo #o600 0)')
    assert fifo.is_fifo() and oct(fifo.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(Exception, match="mknod"):
        ev(interp, f'(mknod "{tmp_path / "x"}" \'bogus #o600 0)')


def test_anonip_defaults_are_guixs(interp):
    assert w(interp, """(let ((c (anonip-configuration (input "/i") (output "/o"))))
      (list (package-name (anonip-configuration-anonip c)) (anonip-configuration-input c)
            (anonip-configuration-output c) (anonip-configuration-debug? c)
            (anonip-configuration-skip-private? c) (anonip-configuration-column c)
            (anonip-configuration-replacement c) (anonip-configuration-ipv4mask c)
            (anonip-configuration-ipv6mask c) (anonip-configuration-increment c)
            (anonip-configuration-delimiter c) (anonip-configuration-regex c)))""") == \
        '("anonip" "/i" "/o" #f #f #f #f #f #f #f #f #f)'


def test_anonip_manual_example_makes_the_fifo_and_runs_anonip(interp):
    cfg = """(anonip-configuration (input  "/var/run/anonip/https.access.log")
                                 (output "/var/log/anonip/https.access.log"))"""
    start = s(interp, f"(start-of anonip-service-type {cfg})")
    assert ('(false-if-exception (delete-file "/var/run/anonip/https.access.log")) '
            '(mknod "/var/run/anonip/https.access.log" (quote fifo) 384 0)') in start
    assert ('/bin/anonip" "--input=/var/run/anonip/https.access.log" '
            '"--output=/var/log/anonip/https.access.log")') in start
    assert w(interp, f"""(let ((s (car (extension-value anonip-service-type shepherd-root-service-type {cfg}))))
      (list (shepherd-service-provision s) (shepherd-service-requirement s)))""") == \
        "((anonip-/var/log/anonip/https.access.log) (user-processes))"
    ev(interp, "(use-modules (gnu services admin))")
    assert w(interp, f"(extension-value anonip-service-type log-rotation-service-type {cfg})") == \
        '("/var/log/anonip/https.access.log")'
    act = s(interp, f"(gexp->string (extension-value anonip-service-type activation-service-type {cfg}))")
    assert ('(list (dirname "/var/run/anonip/https.access.log") '
            '(dirname "/var/log/anonip/https.access.log"))') in act and "(chmod directory 493)" in act


def test_anonip_options_in_guixs_order(interp):
    start = s(interp, """(start-of anonip-service-type
      (anonip-configuration (input "/run/in") (output "/log/out") (debug? #t) (skip-private? #t)
        (column 2) (replacement "0.0.0.0") (ipv4mask 16) (ipv6mask 64) (increment 3)
        (delimiter ";") (regex "(\\\\d+)")))""")
    assert ('"--input=/run/in" "--output=/log/out" "--debug" "--skip-private" "--column=2" '
            '"--ipv4mask=16" "--ipv6mask=64" "--increment=3" "--replacement=0.0.0.0" '
            '"--delimiter=;" "--regex=(\\\\d+)")') in start


def test_anonip_input_and_output_are_required(interp):
    with pytest.raises(Exception, match="input|output"):
        ev(interp, '(anonip-configuration (output "/o"))')


def test_anonip_without_anonip_makes_the_fifo_and_names_the_program(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root: reconfigure switches a system root")
    if shutil.which("anonip"):
        pytest.skip("this host has anonip: the missing case cannot be seen")
    config = tmp_path / "anonip.scm"
    config.write_text(minimal_os(
        modules="(gnu) (gnu services web)",
        services="(cons (service anonip-service-type (anonip-configuration"
                 " (input \"/var/run/anonip/https.access.log\")"
                 " (output \"/var/log/anonip/https.access.log\"))) %base-services)"))
    root = tmp_path / "root"
    try:
        r = schemy("reconfigure", "--root", str(root), str(config))
        assert r.returncode == 3, r.stdout + r.stderr
        status = schemy("herd", "--root", str(root), "status", "anonip-/var/log/anonip/https.access.log").stdout
        assert "It failed to start" in status
        assert "anonip is not installed on this host" in status
        # The root's /var/run is its /run, as on Guix System.
        assert (root / "run" / "anonip" / "https.access.log").is_fifo()
        assert (root / "var" / "log" / "anonip").is_dir()
    finally:
        schemy("herd", "--root", str(root), "stop", "root")
    assert wait_for(lambda: processes_mentioning(str(root)) == [], timeout=10)


# ---------------------------------------------------------------- hpcguix-web

def test_hpcguix_web_defaults_are_guixs(interp):
    assert w(interp, """(let ((c (hpcguix-web-configuration)) (m (resolve-module '(gnu services web))))
      (map (lambda (name) (let ((v ((module-ref m name) c))) (if (package? v) (package-name v) v)))
           '(hpcguix-web-package hpcguix-web-configuration-specs
             hpcguix-web-configuration-address hpcguix-web-configuration-port)))""") == \
        '("hpcguix-web" #f "127.0.0.1" 5000)'


def test_hpcguix_web_default_command_line(interp):
    start = s(interp, "(start-of hpcguix-web-service-type (hpcguix-web-configuration))")
    assert start.endswith(
        '/bin/hpcguix-web" "--listen=127.0.0.1" "-p" "5000") #:user "hpcguix-web" '
        '#:group "hpcguix-web" #:environment-variables (list "XDG_CACHE_HOME=/var/cache/guix/web" '
        '"SSL_CERT_DIR=/etc/ssl/certs") #:log-file "/var/log/hpcguix-web.log")')


def test_hpcguix_web_manual_example_writes_its_specs_to_a_scheme_file(interp):
    ev(interp, """(define hpc (hpcguix-web-configuration (address "0.0.0.0") (port 8080)
          (specs #~(hpcweb-configuration (title-prefix "Guix-HPC - ")
                                         (menu '(("/about" "ABOUT")))))))""")
    start = s(interp, "(start-of hpcguix-web-service-type hpc)")
    assert '"--listen=0.0.0.0" "-p" "8080" (string-append "--config=" "' in start
    assert '-hpcguix-web.scm"))' in start
    actions = w(interp, """(map shepherd-action-name (shepherd-service-actions
      (car (extension-value hpcguix-web-service-type shepherd-root-service-type hpc))))""")
    assert actions == "(configuration)"


def test_hpcguix_web_account_and_cache_directory(interp):
    assert w(interp, "(accounts-of hpcguix-web-service-type (hpcguix-web-configuration))") == \
        '((group "hpcguix-web") (user "hpcguix-web" "hpcguix-web" "/var/empty"))'
    act = s(interp, "(gexp->string (extension-value hpcguix-web-service-type activation-service-type"
                    " (hpcguix-web-configuration)))")
    assert '"/var/cache/guix/web"' in act and '(string-suffix? ".lock" file)' in act


# ---------------------------------------------------------------- httpd, as Guix writes httpd.conf

def lowered(interp, tmp_path: Path, expr: str) -> str:
    """The text of the file-like object EXPR once lowered into a store of its own."""
    from services_more import lowered_text

    return lowered_text(ev(interp, expr), tmp_path / "store")


def httpd_conf_text(interp, tmp_path: Path, config: str) -> str:
    return lowered(interp, tmp_path, f"((@@ (gnu services web) httpd-config-file->file) {config})")


def test_httpd_conf_layout_is_guixs(interp, tmp_path):
    text = httpd_conf_text(interp, tmp_path, "(httpd-config-file (modules (list (httpd-module (name \"mime_module\")"
                                   " (file \"modules/mod_mime.so\")))) (server-name \"www.example.com\")"
                                   " (listen '(\"80\" \"443\")))")
    head, root = text.split("ServerRoot ", 1)
    assert head == "LoadModule mime_module modules/mod_mime.so\n"
    assert root.split("\n", 1)[1] == (
        "ServerName www.example.com\nDocumentRoot /srv/http\nListen 80\nListen 443\n"
        "Pidfile /var/run/httpd\nErrorLog /var/log/httpd/error_log\nUser httpd\nGroup httpd\n\n\n"
        "TypesConfig etc/httpd/mime.types")


def test_httpd_extensions_are_added_as_guix_adds_them(interp):
    pieces = w(interp, """(append-map (@@ (gnu services web) httpd-extension-pieces)
      (list (httpd-virtualhost "*:8080" (list "ServerName a\n")) "Include x.conf" (list "A " "B")))""")
    assert pieces == ('("\\n<VirtualHost *:8080>\\n" "ServerName a\\n" "\\n</VirtualHost>\\n" '
                      '"\\n" "Include x.conf" "\\n" "\\n" "A " "B" "\\n")')


def test_httpd_runs_with_its_conf_and_no_k_start(interp):
    start = s(interp, "(start-of httpd-service-type (httpd-configuration))")
    assert '/bin/httpd" "-f" "' in start and '-httpd.conf") #:pid-file "/var/run/httpd")' in start
    assert w(interp, """(shepherd-service-requirement (car (extension-value httpd-service-type
                          shepherd-root-service-type (httpd-configuration))))""") == "(user-processes networking)"


# ---------------------------------------------------------------- patchwork

PATCHWORK = """(patchwork-configuration
  (domain "patchwork.example.com")
  (settings-module
   (patchwork-settings-module
    (allowed-hosts (list domain))
    (default-from-email "patchwork@patchwork.example.com")))
  (getmail-retriever-config
   (getmail-retriever-configuration
    (type "SimpleIMAPSSLRetriever")
    (server "imap.example.com")
    (port 993)
    (username "patchwork")
    (password-command
     (list (file-append coreutils "/bin/cat")
           "/etc/getmail-patchwork-imap-password"))
    (extra-parameters
    '((mailboxes . ("Patches")))))))"""

SETTINGS_PY = """from patchwork.settings.base import *

# Configuration from Guix
with open('/etc/patchwork/django-secret-key') as f:
    SECRET_KEY = f.read().strip()

ALLOWED_HOSTS = [
  'patchwork.example.com',
]

DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'

DEFAULT_FROM_EMAIL = 'patchwork@patchwork.example.com'
SERVER_EMAIL = DEFAULT_FROM_EMAIL
NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

ADMINS = [
]

DEBUG = False

ENABLE_REST_API = True
ENABLE_XMLRPC = True

FORCE_HTTPS_LINKS = True

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql_psycopg2',
        'NAME': 'patchwork',
        'USER': 'httpd',
        'PASSWORD': '',
        'HOST': '',
        'PORT': '',
    },
}

STATIC_URL = '/static/'

STATICFILES_STORAGE = (
  'django.contrib.staticfiles.storage.StaticFilesStorage'
)

# Guix Extra Configuration

"""


@pytest.fixture(scope="module")
def patchwork(interp):
    ev(interp, f"(use-modules (gnu services getmail) (gnu packages base)) (define pw {PATCHWORK})")
    return "pw"


def test_patchwork_record_defaults_are_guixs(interp):
    assert w(interp, """(let ((d (patchwork-database-configuration))
                              (m (patchwork-settings-module (allowed-hosts '()) (default-from-email "x"))))
      (list (patchwork-database-configuration-engine d) (patchwork-database-configuration-name d)
            (patchwork-database-configuration-user d) (patchwork-database-configuration-password d)
            (patchwork-database-configuration-host d) (patchwork-database-configuration-port d)
            ((@@ (gnu services web) patchwork-settings-module-secret-key-file) m)
            (patchwork-settings-module-static-url m) (patchwork-settings-module-admins m)
            (patchwork-settings-module-debug? m) (patchwork-settings-module-enable-rest-api? m)
            (patchwork-settings-module-enable-xmlrpc? m) (patchwork-settings-module-force-https-links? m)
            (patchwork-settings-module-extra-settings m)
            (patchwork-database-configuration? (patchwork-settings-module-database-configuration m))))""") \
        == ('("django.db.backends.postgresql_psycopg2" "patchwork" "httpd" "" "" "" '
            '"/etc/patchwork/django-secret-key" "/static/" () #f #t #t #t "" #t)')


def test_patchwork_manual_example_settings_module(interp, patchwork, tmp_path):
    # The manual's (allowed-hosts (list domain)) reads the enclosing record's domain field.
    root = Path(lowered_dir(interp, tmp_path, "(patchwork-configuration-settings-module pw)"))
    assert (root / "guix" / "__init__.py").read_text() == ""
    assert (root / "guix" / "patchwork" / "__init__.py").read_text() == ""
    assert (root / "guix" / "patchwork" / "settings.py").read_text() == SETTINGS_PY


def lowered_dir(interp, tmp_path: Path, expr: str) -> str:
    from schemy.guix.gexp import lower_object
    from schemy.guix.store import Store

    return lower_object(ev(interp, expr), Store(tmp_path / "store"))


def test_patchwork_settings_every_field(interp):
    text = s(interp, """((@@ (gnu services web) patchwork-settings-text)
      (patchwork-settings-module (allowed-hosts '("a.example" "b.example")) (default-from-email "pw@a")
        (secret-key-file "/run/key") (static-url #f) (admins '(("Ann" "ann@a") ("Bob" "bob@a")))
        (debug? #t) (enable-rest-api? #f) (enable-xmlrpc? #f) (force-https-links? #f)
        (extra-settings "TIME_ZONE = 'UTC'")
        (database-configuration (patchwork-database-configuration (engine "e") (name "n") (user "u")
                                  (password "p") (host "h") (port "5432")))))""")
    assert "with open('/run/key') as f:" in text
    assert "ALLOWED_HOSTS = [\n  'a.example',\n  'b.example',\n]\n" in text
    assert "ADMINS = [\n('Ann','ann@a'),('Bob','bob@a'),]\n\nDEBUG = True\n\n" in text
    assert "ENABLE_REST_API = False\nENABLE_XMLRPC = False\n\nFORCE_HTTPS_LINKS = False\n" in text
    assert ("        'ENGINE': 'e',\n        'NAME': 'n',\n        'USER': 'u',\n"
            "        'PASSWORD': 'p',\n        'HOST': 'h',\n        'PORT': '5432',\n") in text
    assert "},\n}\n\n\n\nSTATICFILES_STORAGE" in text
    assert text.endswith("# Guix Extra Configuration\nTIME_ZONE = 'UTC'\n")


def test_patchwork_extends_httpd_with_wsgi_and_its_virtual_host(interp, patchwork, tmp_path):
    text = lowered(interp, tmp_path, """((@@ (gnu services web) httpd-config-file->file)
      (httpd-config-file (modules '()) (extra-config (append-map (@@ (gnu services web) httpd-extension-pieces)
        (extension-value patchwork-service-type httpd-service-type pw)))))""")
    extra = text.split("Group httpd\n\n\n", 1)[1]
    assert extra.startswith("\nWSGISocketPrefix /var/run/mod_wsgi\n\nLoadModule wsgi_module /")
    assert "-mod-wsgi-" in extra and "/modules/mod_wsgi.so\n\n<VirtualHost *:8080>\n" in extra
    assert "ServerAdmin admin@example.com`\nServerName patchwork.example.com\n\n" in extra
    assert 'CustomLog "/var/log/httpd/patchwork.example.com-access_log" customformat\n' in extra
    assert "/lib/python3.11/site-packages/patchwork/wsgi.py\n" in extra
    assert "WSGIDaemonProcess patchwork user=httpd group=httpd processes=1 threads=2" in extra
    assert "-patchwork-settings\nWSGIProcessGroup patchwork\n" in extra
    assert "Alias /static/ /" in extra and "/share/patchwork/htdocs/\n<Directory" in extra
    assert extra.endswith('<Directory "/srv/http/patchwork.example.com/">\n    AllowOverride None\n'
                          "    Options MultiViews Indexes SymlinksIfOwnerMatch IncludesNoExec\n"
                          "    Require method GET POST OPTIONS\n</Directory>\n</VirtualHost>\n")


def test_patchwork_setup_service_migrates_as_httpd(interp, patchwork):
    start = s(interp, "(start-of patchwork-service-type pw)")
    assert '(spawn-command (cons "/' in start and '/bin/patchwork-admin" command) #:user "httpd"' in start
    assert '"DJANGO_SETTINGS_MODULE=guix.patchwork.settings"' in start
    assert '(run-django-admin-command "migrate")' in start
    assert '(secret-key-file "/etc/patchwork/django-secret-key")' in start
    assert w(interp, """(let ((s (car (extension-value patchwork-service-type shepherd-root-service-type pw))))
      (list (shepherd-service-provision s) (shepherd-service-requirement s)
            (shepherd-service-respawn? s) (map shepherd-action-name (shepherd-service-actions s))))""") == \
        "((patchwork-setup) (postgres) #f (django-admin))"


def test_patchwork_feeds_mail_through_getmail(interp, patchwork):
    assert w(interp, """(let ((g (car (extension-value patchwork-service-type getmail-service-type pw))))
      (list ((@@ (gnu services getmail) getmail-configuration-name) g)
            ((@@ (gnu services getmail) getmail-configuration-user) g)
            ((@@ (gnu services getmail) getmail-configuration-directory) g)
            ((@@ (gnu services getmail) getmail-configuration-idle) g)))""") == \
        '(patchwork "httpd" "/var/lib/getmail/patchwork" ("Patches"))'


def test_spawn_command_waits_and_returns_the_wait_status(tmp_path):
    out = tmp_path / "out"
    i = Interpreter()
    v = ev(i, f"""(use-modules (shepherd service))
      (list (spawn-command '("/bin/sh" "-c" "echo $FOO > {out}") #:environment-variables '("FOO=bar"))
            (spawn-command '("/bin/sh" "-c" "exit 3")))""")
    assert write_string(v) == "(0 768)" and out.read_text() == "bar\n"


# ---------------------------------------------------------------- mumi

MUMI = """(mumi-configuration (rsync-remote "rsync://debbugs.example/spool/") (rsync-flags '("--timeout=60"))
  (sender "bugs@example.org") (smtp "sendmail:///usr/bin/msmtp")
  (packages (list (mumi-package-configuration (name "guix") (display-name "GNU Guix")
                    (debbugs-packages '("guix" "guix-patches"))
                    (bug-email-address "bug-guix@gnu.org")
                    (file-tags '(("doc" "^doc/")))))))"""


def test_mumi_defaults_are_guixs(interp):
    assert w(interp, """(let ((c (mumi-configuration (rsync-remote "r")))
                              (p (mumi-package-configuration (name "n") (debbugs-packages '("d")))))
      (list (package-name (mumi-configuration-mumi c)) (mumi-configuration-data-directory c)
            (mumi-configuration-rsync-flags c) (mumi-configuration-mailer? c)
            (mumi-configuration-sender c) (mumi-configuration-smtp c) (mumi-configuration-packages c)
            (mumi-package-configuration-display-name p) (mumi-package-configuration-bug-email-address p)
            (mumi-package-configuration-patch-email-address p) (mumi-package-configuration-file-tags p)))""") \
        == '("mumi" "/var/mumi/data" () #t #f #f () #f #f #f ())'


def test_mumi_conf_is_the_alist_guix_writes(interp, tmp_path):
    text = lowered(interp, tmp_path, f"((@@ (gnu services web) mumi-config-file) {MUMI})")
    assert text == ('((mailer-enabled? . #t) (packages ("guix" (display-name . "GNU Guix") '
                    '(debbugs-packages "guix" "guix-patches") (bug-email-address . "bug-guix@gnu.org") '
                    '(file-tags ("doc" "^doc/")))))')


def test_mumi_web_mailer_and_rsync_timer(interp):
    ev(interp, f"(define mumi-services (extension-value mumi-service-type shepherd-root-service-type {MUMI}))")
    assert w(interp, "(map (lambda (s) (list (shepherd-service-provision s) (shepherd-service-requirement s)))"
                     " mumi-services)") == \
        "(((mumi) (user-processes networking)) ((mumi-rsync-and-index) ()) ((mumi-mailer) (user-processes networking)))"
    web, timer, mailer = (s(interp, f"(gexp->string (shepherd-service-start (list-ref mumi-services {k})))")
                          for k in range(3))
    assert '/bin/mumi" "web" (string-append "--config=" "' in web
    assert '#:user "mumi" #:group "mumi" #:log-file "/var/log/mumi.log"' in web
    assert ('/bin/mumi" "mailer" (string-append "--config=" "' in mailer
            and '"--sender=bugs@example.org" "--smtp=sendmail:///usr/bin/msmtp")' in mailer)
    assert "(calendar-event #:minutes (quote (0 5 10 15 20 25 30 35 40 45 50 55)))" in timer
    assert '-mumi-rsync-and-index")) #:log-file "/var/log/mumi.rsync-and-index.log"' in timer
    assert "#:max-duration (* 2 60 60) #:wait-for-termination? #t" in timer


def test_mumi_rsync_then_fetch(interp):
    prog = s(interp, f"(gexp->string (program-file-gexp ((@@ (gnu services web) mumi-rsync-and-index) {MUMI})))")
    assert ('/bin/rsync" "--delete" "--archive" "--verbose" "--timeout=60" '
            '"rsync://debbugs.example/spool/" "/var/mumi/data")') in prog
    assert '/bin/mumi" "fetch" (string-append "--config=" "' in prog


def test_mumi_account_and_directories(interp):
    assert w(interp, f"(accounts-of mumi-service-type {MUMI})") == \
        '((group "mumi") (user "mumi" "mumi" "/var/empty"))'
    act = s(interp, f"(gexp->string (extension-value mumi-service-type activation-service-type {MUMI}))")
    assert '(mkdir-p "/var/mumi/db")' in act and '(mkdir-p "/var/mumi/mails")' in act


# ---------------------------------------------------------------- gunicorn

WERKZEUG = """(gunicorn-app (name "werkzeug") (package python-werkzeug)
  (wsgi-app-module "werkzeug.testapp:test_app")
  (sockets '("unix:/var/run/gunicorn/werkzeug/socket")) (user "user") (group "users"))"""


def test_gunicorn_defaults_are_guixs(interp):
    ev(interp, "(use-modules (gnu packages python-web))")
    assert w(interp, """(let ((c (gunicorn-configuration))
                              (a (gunicorn-app (name "x") (package python-werkzeug) (wsgi-app-module "m:app")
                                               (user "u") (group "g"))))
      (list (package-name (gunicorn-configuration-package c)) (gunicorn-configuration-apps c)
            (gunicorn-app-sockets a) (gunicorn-app-workers a) (gunicorn-app-extra-cli-arguments a)
            (gunicorn-app-environment-variables a) (gunicorn-app-timeout a) (gunicorn-app-mappings a)))""") \
        == '("gunicorn" () ("unix:/var/run/gunicorn/x/socket") 1 () () 30 ())'


def test_gunicorn_manual_example_command_line(interp):
    ev(interp, "(use-modules (gnu packages python-web))")
    start = s(interp, f"(start-of gunicorn-service-type (gunicorn-configuration (apps (list {WERKZEUG}))))")
    assert ('/bin/gunicorn" "--workers" "1" "--timeout" "30" "--bind" '
            '"unix:/var/run/gunicorn/werkzeug/socket" "werkzeug.testapp:test_app") '
            '#:user "user" #:group "users" #:log-file "/var/log/gunicorn-werkzeug.log")') in start
    assert w(interp, f"""(let ((s (car (extension-value gunicorn-service-type shepherd-root-service-type
                                       (gunicorn-configuration (apps (list {WERKZEUG})))))))
      (list (shepherd-service-provision s) (shepherd-service-requirement s)))""") == \
        "((gunicorn-werkzeug) (networking))"


def test_gunicorn_binds_environment_and_extra_arguments_in_order(interp):
    start = s(interp, """(start-of gunicorn-service-type (gunicorn-configuration (apps (list
      (gunicorn-app (name "a") (package python-werkzeug) (wsgi-app-module "a:app") (user "u") (group "g")
        (sockets '("127.0.0.1:8000" "unix:/run/a.sock")) (workers 4) (timeout 60)
        (environment-variables '(("FOO" . "bar"))) (extra-cli-arguments '("--reload")))))))""")
    assert ('"--workers" "4" "--timeout" "60" "--bind" "127.0.0.1:8000" "--bind" "unix:/run/a.sock" '
            '"--env" "FOO=bar" "--reload" "a:app")') in start


def test_gunicorn_makes_socket_directories_for_unix_sockets_only(interp):
    act = s(interp, """(gexp->string (extension-value gunicorn-service-type activation-service-type
      (gunicorn-configuration (apps (list (gunicorn-app (name "a") (package python-werkzeug)
        (wsgi-app-module "a:app") (user "u") (group "g")
        (sockets '("127.0.0.1:8000" "unix:/run/gunicorn/a/socket"))))))))""")
    assert '(quote (("u" "g" "/run/gunicorn/a")))' in act


def test_gunicorn_sockets_must_be_a_non_empty_list(interp):
    with pytest.raises(Exception, match="must be a non-empty list"):
        ev(interp, """(gunicorn-app-sockets (gunicorn-app (name "a") (package python-werkzeug)
                        (wsgi-app-module "a:app") (user "u") (group "g") (sockets '())))""")


def test_gunicorn_is_extended_with_apps(interp):
    assert w(interp, f"""(map gunicorn-app-name (gunicorn-configuration-apps
      ((service-type-extend gunicorn-service-type) (gunicorn-configuration) (list {WERKZEUG}))))""") == \
        '("werkzeug")'


# ---------------------------------------------------------------- nginx, as Guix lays out nginx.conf

def nginx_text(interp, config: str) -> str:
    """CONFIG's nginx.conf with each file-like piece (the package's mime.types) as <FILE>."""
    return s(interp, f"""(let loop ((x (nginx-configuration-text {config})))
      (cond ((string? x) x) ((list? x) (string-concatenate (map loop x))) (else "<FILE>")))""")


NGINX_HEAD = """user nginx nginx;
pid /var/run/nginx/pid;
error_log /var/log/nginx/error.log error;
events { }
http {
    client_body_temp_path /var/run/nginx/client_body_temp;
    proxy_temp_path /var/run/nginx/proxy_temp;
    fastcgi_temp_path /var/run/nginx/fastcgi_temp;
    uwsgi_temp_path /var/run/nginx/uwsgi_temp;
    scgi_temp_path /var/run/nginx/scgi_temp;
"""


def test_nginx_default_conf_is_guixs(interp):
    assert nginx_text(interp, "(nginx-configuration)") == NGINX_HEAD + (
        "    access_log /var/log/nginx/access.log combined;\n    include <FILE>;\n\n}\n")


def test_nginx_server_block_is_guixs(interp):
    text = nginx_text(interp, """(nginx-configuration (server-blocks (list (nginx-server-configuration
      (listen '("80")) (server-name '("a.example" default)) (root "/srv") (try-files '("$uri" "=404"))
      (locations (list (nginx-location-configuration (uri "/") (body '("return 200;")))))
      (raw-content '("gzip on;"))))))""")
    assert text.endswith("    include <FILE>;\n\n    server {\n      listen 80;\n"
                         "      server_name a.example _ ;\n      root /srv;\n      index index.html ;\n"
                         "      try_files $uri =404 ;\n      server_tokens off;\n\n"
                         "      location / {\n        return 200;\n      }\n\n      gzip on;\n    }\n}\n")


def test_nginx_log_formats_upstreams_and_global_directives(interp):
    text = nginx_text(interp, """(nginx-configuration
      (log-format 'anonymized)
      (log-formats (list (nginx-log-format-configuration (name 'anonymized) (escape 'json)
                           (format "$remote_addr $request"))))
      (global-directives '((worker_processes . 2) (events . ((worker_connections . 1024)))))
      (upstream-blocks (list (nginx-upstream-configuration (name "app") (servers '("127.0.0.1:3000"))
                               (extra-content '("keepalive 8;")))))
      (server-names-hash-bucket-size 64) (server-names-hash-bucket-max-size 128)
      (extra-content '("gzip on;")))""")
    assert "worker_processes 2;\nevents { worker_connections 1024;\n}\nhttp {\n" in text
    assert ("    log_format anonymized escape=json $remote_addr $request;\n"
            "    access_log /var/log/nginx/access.log anonymized;\n") in text
    assert text.endswith("    include <FILE>;\n    server_names_hash_bucket_size 64;\n"
                         "    server_names_hash_bucket_max_size 128;\n    gzip on;\n\n"
                         "    upstream app {\n      server 127.0.0.1:3000;\n\n      keepalive 8;\n    }\n}\n")


def test_nginx_log_format_escape_is_checked(interp):
    with pytest.raises(Exception, match="unknown log format escape 'xml'"):
        ev(interp, "(nginx-log-format-configuration (name 'x) (escape 'xml) (format \"$a\"))")


def test_nginx_stream_block_servers_have_no_http_settings(interp):
    text = nginx_text(interp, """(nginx-configuration (stream (nginx-stream-configuration
      (upstream-blocks (list (nginx-upstream-configuration (name "dns") (servers '("10.0.0.1:53")))))
      (server-blocks (list (nginx-server-configuration (listen '("53 udp"))
                             (raw-content '("proxy_pass dns;")))))
      (extra-content '("proxy_timeout 5s;")))))""")
    assert ("events { }\nstream {\n    upstream dns {\n      server 10.0.0.1:53;\n    }\n"
            "    server {\n      listen 53 udp;\n      server_name _ ;\n\n\n      proxy_pass dns;\n    }\n"
            "    proxy_timeout 5s;\n}\nhttp {\n") in text
    assert w(interp, """(let ((st (nginx-stream-configuration)))
      (list (nginx-stream-configuration-server-blocks st) (nginx-stream-configuration-extra-content st)
            (nginx-configuration-stream (nginx-configuration))))""") == "(() () #f)"


def test_nginx_lua_package_paths_name_the_store_items(interp, tmp_path):
    ev(interp, "(use-modules (gnu packages lua))")
    text = lowered(interp, tmp_path, """((@@ (gnu services web) nginx-config-file)
      (nginx-configuration (lua-package-path (list lua)) (lua-package-cpath (list lua))))""")
    path = next(line for line in text.splitlines() if line.startswith("    lua_package_path "))
    assert "-lua-" in path and path.endswith('/lib/?.lua";')
    cpath = next(line for line in text.splitlines() if line.startswith("    lua_package_cpath "))
    assert "-lua-" in cpath and cpath.endswith('/lib/lua/?.lua";')


def test_nginx_logs_are_rotated(interp):
    ev(interp, "(use-modules (gnu services admin))")
    assert w(interp, "(extension-value nginx-service-type log-rotation-service-type"
                     " (nginx-configuration (log-directory \"/var/log/www\")))") == \
        '("/var/log/www/access.log" "/var/log/www/error.log")'


def test_cat_avatar_generator_adds_a_php_server_to_nginx(interp, tmp_path):
    ev(interp, """(define cat (cat-avatar-generator-service
                     #:configuration (nginx-server-configuration (server-name '("avatar.example")))))""")
    assert w(interp, "(service-type-name (service-kind cat))") == "cat-http-server"
    text = lowered(interp, tmp_path, """((@@ (gnu services web) nginx-config-file)
      (nginx-configuration (server-blocks (service-value cat))))""")
    assert "      server_name avatar.example ;\n" in text
    assert "-cat-avatar-generator-1-1.9360ea3/share/web/cat-avatar-generator;\n" in text
    assert ('      location ~ \\.php$ {\n        fastcgi_param CACHE_DIR "/var/cache/cat-avatar-generator";\n'
            '        fastcgi_split_path_info ^(.+\\.php)(/.+)$;fastcgi_param HTTP_PROXY "";') in text
