"""php-fpm-service-type and nginx-php-location ((gnu services web)): Guix's records and defaults,
the php-fpm.conf Guix's serializer writes (expected texts derived by reading
`default-php-fpm-config' in gnu/services/web.scm: note its `key =value' lines), accounts, the
daemon's command line, and, when Debian's php-fpm and nginx are installed, nginx serving a PHP
page through the php-fpm daemon of a root."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from helpers import ev

from schemy.app import Interpreter
from schemy.lang.datum import to_str
from schemy.lang.printer import write_string

SCHEMY = str(Path(sys.executable).with_name("schemy"))


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    ev(i, """(use-modules (gnu) (gnu services web) (gnu services shepherd) (guix gexp) (srfi srfi-1))
(define (extension-value type target value)
  (let ((ext (find (lambda (e) (eq? (service-extension-target e) target))
                   (service-type-extensions type))))
    (and ext ((service-extension-compute ext) value))))
(define (conf config) (string-concatenate (php-fpm-configuration-text config)))""")
    return i


def conf(interp, config: str) -> str:
    return to_str(ev(interp, f"(conf {config})"))


DEFAULT_CONF = """[global]
pid =/var/run/php8-fpm.pid
error_log =/var/log/php8-fpm.log
[www]
user =php-fpm
group =php-fpm
listen =/var/run/php8-fpm.sock
listen.owner =php-fpm
listen.group =nginx
pm = dynamic
pm.max_children =5
pm.start_servers =2
pm.min_spare_servers =1
pm.max_spare_servers =3
php_flag[display_errors] = off
catch_workers_output = yes
php_admin_value[error_log] =/var/log/php8-fpm.www.log
php_admin_flag[log_errors] = on
"""


def test_default_php_fpm_conf_is_guixs(interp):
    assert conf(interp, "(php-fpm-configuration)") == DEFAULT_CONF


def test_on_demand_manager_timezone_errors_and_no_workers_log(interp):
    text = conf(interp, """(php-fpm-configuration
                             (socket "/var/run/app.sock") (user "app") (group "app")
                             (socket-user "app") (socket-group "www")
                             (timezone "Europe/Paris") (display-errors #t) (workers-log-file #f)
                             (process-manager (php-fpm-on-demand-process-manager-configuration
                                               (max-children 9) (process-idle-timeout 20))))""")
    assert text == """[global]
pid =/var/run/php8-fpm.pid
error_log =/var/log/php8-fpm.log
[www]
user =app
group =app
listen =/var/run/app.sock
listen.owner =app
listen.group =www
php_admin_value[date.timezone] = "Europe/Paris"
pm = ondemand
pm.max_children =9
pm.process_idle_timeout =20s
php_flag[display_errors] = on
catch_workers_output = no
"""


def test_static_manager_lines(interp):
    text = conf(interp, "(php-fpm-configuration (process-manager "
                        "(php-fpm-static-process-manager-configuration (max-children 7))))")
    assert "pm = static\npm.max_children =7\nphp_flag" in text


def test_process_manager_defaults_are_guixs(interp):
    assert write_string(ev(interp, "(let ((d (php-fpm-dynamic-process-manager-configuration))"
                      "      (o (php-fpm-on-demand-process-manager-configuration)))"
                      " (list (php-fpm-dynamic-process-manager-configuration-max-children d)"
                      "       (php-fpm-dynamic-process-manager-configuration-start-servers d)"
                      "       (php-fpm-dynamic-process-manager-configuration-min-spare-servers d)"
                      "       (php-fpm-dynamic-process-manager-configuration-max-spare-servers d)"
                      "       (php-fpm-static-process-manager-configuration-max-children"
                      "        (php-fpm-static-process-manager-configuration))"
                      "       (php-fpm-on-demand-process-manager-configuration-max-children o)"
                      "       (php-fpm-on-demand-process-manager-configuration-process-idle-timeout o)))"
              )) == "(5 2 1 3 5 5 10)"


def test_accounts_add_the_php_fpm_group_beside_another_group(interp):
    names = write_string(ev(interp, """(map (lambda (a) (if (user-account? a)
                                                 (list 'user (user-account-name a) (user-account-group a)
                                                       (user-account-supplementary-groups a))
                                                 (list 'group (user-group-name a))))
                               (extension-value php-fpm-service-type account-service-type
                                                (php-fpm-configuration (user "app") (group "www"))))"""))
    assert names == '((group "php-fpm") (group "www") (user "app" "www" ("php-fpm")))'
    default = write_string(ev(interp, "(map (lambda (a) (if (user-account? a) (user-account-name a)"
                                      "                     (user-group-name a)))"
                         " (extension-value php-fpm-service-type account-service-type (php-fpm-configuration)))"))
    assert default == '("php-fpm" "php-fpm")'


def test_daemon_command_line_and_pid_file(interp):
    start = to_str(ev(interp, """(gexp->string (shepherd-service-start (car (extension-value
       php-fpm-service-type shepherd-root-service-type
       (php-fpm-configuration (php-ini-file (plain-file "php.ini" "memory_limit = 64M\n")))))))"""))
    assert "/sbin/php-fpm" in start and '"--fpm-config"' in start and "-php-fpm.conf" in start
    assert '"-c"' in start and "-php.ini" in start
    assert '#:pid-file "/var/run/php8-fpm.pid"' in start


def test_a_given_file_replaces_the_generated_conf(interp):
    start = to_str(ev(interp, """(gexp->string (shepherd-service-start (car (extension-value
       php-fpm-service-type shepherd-root-service-type
       (php-fpm-configuration (file (plain-file "mine.conf" "[global]\n")))))))"""))
    assert "-mine.conf" in start and "-php-fpm.conf" not in start and '"-c"' not in start


def test_nginx_php_location_body_is_guixs(interp):
    body = ev(interp, "(nginx-location-configuration-body (nginx-php-location #:socket \"/run/x.sock\"))")
    assert ev(interp, "(nginx-location-configuration-uri (nginx-php-location))") == "~ \\.php$"
    strings = [to_str(x) for x in list(body)[:5]]
    assert strings == ["fastcgi_split_path_info ^(.+\\.php)(/.+)$;", 'fastcgi_param HTTP_PROXY "";',
                       "if (!-f $document_root$fastcgi_script_name) { return 404; }",
                       "fastcgi_pass unix:/run/x.sock;", "fastcgi_index index.php;"]


def test_nginx_conf_includes_the_packages_fastcgi_conf_on_one_line(interp):
    text = to_str(ev(interp, """(let ((pieces (nginx-configuration-text (nginx-configuration
                    (server-blocks (list (nginx-server-configuration
                                          (locations (list (nginx-php-location))))))))))
        (define (flat x) (cond ((null? x) '()) ((pair? x) (append (flat (car x)) (flat (cdr x))))
                               (else (list x))))
        (string-join (map (lambda (p) (if (string? p) p "<FILE>")) (flat pieces)) ""))"""))
    assert "      location ~ \\.php$ {\n" in text
    assert "        fastcgi_pass unix:/var/run/php8-fpm.sock;\n" in text
    assert "        include <FILE>/share/nginx/conf/fastcgi.conf;\n" in text


# ---------------------------------------------------------------- the daemon, end to end

SYSTEM = """(use-modules (gnu))
(use-service-modules networking web)

(define site
  (computed-file "php-site"
                 #~(begin
                     (mkdir #$output)
                     (call-with-output-file (string-append #$output "/index.php")
                       (lambda (port)
                         (display "<?php echo 'php-fpm says ' . (6 * 7) . ' in ' . date_default_timezone_get(); ?>"
                                  port))))))

(operating-system
  (host-name "php")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/sda1") (type "ext4"))
                      %base-file-systems))
  (services
   (cons* (service dhcp-client-service-type)
          (service php-fpm-service-type
                   (php-fpm-configuration
                    (timezone "Europe/Paris")
                    (process-manager (php-fpm-static-process-manager-configuration (max-children 2)))))
          (service nginx-service-type
                   (nginx-configuration
                    (server-blocks
                     (list (nginx-server-configuration
                            (listen '("127.0.0.1:PORT"))
                            (root site)
                            (index '("index.php"))
                            (locations (list (nginx-php-location))))))))
          %base-services)))
"""


def schemy(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("SCHEMY_ROOT", None)
    return subprocess.run([SCHEMY, *args], capture_output=True, text=True, timeout=120, env=env,
                          stdin=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_nginx_serves_php_through_the_php_fpm_daemon(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root: php-fpm and nginx switch to their own accounts")
    if not shutil.which("nginx") and not os.access("/usr/sbin/nginx", os.X_OK):
        pytest.skip("nginx is not installed: apt-get install nginx")
    if not list(Path("/usr/sbin").glob("php-fpm*")):
        pytest.skip("php-fpm is not installed: apt-get install php-fpm")
    port = free_port()
    config = tmp_path / "php.scm"
    config.write_text(SYSTEM.replace("PORT", str(port)))
    root = tmp_path / "root"
    try:
        r = schemy("reconfigure", "--root", str(root), str(config))
        assert r.returncode == 0, r.stdout + r.stderr
        body = None
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.php", timeout=2) as resp:
                    body = resp.read().decode()
                    break
            except OSError:
                time.sleep(0.1)
        assert body == "php-fpm says 42 in Europe/Paris"
        status = schemy("herd", "--root", str(root), "status", "php-fpm").stdout
        assert "It is running" in status and "--fpm-config" in status
        # Activation made the log files, the daemon's user owning them.
        log = root / "var" / "log" / "php8-fpm.www.log"
        assert log.exists() and oct(log.stat().st_mode & 0o777) == "0o660"
    finally:
        schemy("herd", "--root", str(root), "stop", "root")
