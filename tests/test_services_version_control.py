"""(gnu services version-control) (Guix manual, "Version Control Services"): git daemon's
command line, the Smart HTTP nginx location, Gitolite's .gitolite.rc and .gitconfig as Guix
writes them, Gitile's configuration and nginx block, and Fossil's command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_config, system_check

OS = """(use-modules (gnu) (gnu services version-control) (gnu services web))
(operating-system
  (host-name "git") (timezone "UTC")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")) %base-file-systems))
  (services (cons* SERVICES %base-services)))
"""

SERVICES = """(service git-daemon-service-type
     (git-daemon-configuration (export-all? #t) (port 9419) (listen '("127.0.0.1"))
                               (whitelist '("/srv/git/pub"))))
   (service nginx-service-type
     (nginx-configuration
       (server-blocks
         (list (nginx-server-configuration
                 (server-name '("git.example.org")) (listen '("8080"))
                 (locations (list (git-http-nginx-location-configuration
                                    (git-http-configuration (export-all? #t) (uri-path "/code/"))))))))))
   (service fcgiwrap-service-type)
   (service gitolite-service-type
     (gitolite-configuration
       (admin-pubkey (plain-file "admin.pub" "ssh-ed25519 AAAA admin"))
       (rc-file (gitolite-rc-file (host-name "git") (log-extra #t) (umask #o0027)
                                  (unsafe-pattern "[`~#\\\\$\\\\&()|;<>]")))
       (git-config (gitolite-git-configuration (default-branch "main") (receive-fsck-objects #t)))))
   (service gitile-service-type
     (gitile-configuration (base-git-url "https://git.example.org/git") (intro '((p "hi")))
                           (nginx (nginx-server-configuration (listen '("8081"))
                                                              (server-name '("gitile.example.org"))))))
   (service fossil-service-type
     (fossil-configuration (repository "/srv/fossil") (port 8082) (js-mode 'bundled)
                           (files '("*.css" "*.png")) (compress? #f) (ip "127.0.0.1")))"""

EXPECTED_RC = """%RC = (
    UMASK => 0027,
    GIT_CONFIG_KEYS => '',
    LOCAL_CODE => "$rc{GL_ADMIN_BASE}/local",
    LOG_EXTRA => 1,
    HOSTNAME => "git",
    ROLES => {
        READERS => 1,
        WRITERS => 1,
    },

    ENABLE => [
        'help',
        'desc',
        'info',
        'perms',
        'writable',
        'ssh-authkeys',
        'git-config',
        'daemon',
        'gitweb',
    ],

);

$UNSAFE_PATT = qr([`~#\\$\\&()|;<>]);1;
# Local variables:
# mode: perl
# End:
# vim: set syn=perl:
"""

EXPECTED_GITCONFIG = """[user]
name  = GNU Guix
email = guix@localhost
[init]
defaultBranch = main
[receive]
fsckObjects = true

"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("vc")
    config = root / "config.scm"
    config.write_text(OS.replace("SERVICES", SERVICES))
    return config, build_config(config, root / "store"), root / "store"


def service(system, name):
    return next(s for s in system.shepherd if name in s.provision)


def test_git_daemon_command_line(built):
    _, system, _ = built
    text = service(system, "git-daemon").text
    assert ('/bin/git" "daemon" "--syslog" "--reuseaddr" "--export-all" "--base-path=/srv/git" '
            '"--listen=127.0.0.1" "--port=9419" "/srv/git/pub")') in text
    assert '#:user "git-daemon"' in text


def test_git_http_location_hands_requests_to_git_http_backend(built):
    _, _, store = built
    nginx = next(store.glob("*-nginx.conf")).read_text()
    block = nginx.split("location ~ /code(/.*) {\n")[1].split("      }\n")[0]
    lines = [line.strip() for line in block.splitlines()]
    assert lines[0] == "fastcgi_pass 127.0.0.1:9000;"
    assert lines[1].startswith("fastcgi_param SCRIPT_FILENAME /") and lines[1].endswith(
        "/libexec/git-core/git-http-backend;")
    assert 'fastcgi_param GIT_HTTP_EXPORT_ALL "";' in lines
    assert "fastcgi_param GIT_PROJECT_ROOT /srv/git;" in lines
    gitconfig = next(line for line in lines if line.startswith("fastcgi_param GIT_CONFIG_GLOBAL "))
    assert Path(gitconfig.split()[2].rstrip(";")).read_text() == "[safe]\n\tdirectory = /srv/git/*\n"
    assert lines[-1] == "fastcgi_param PATH_INFO $1;"


def test_gitolite_rc_and_gitconfig_are_guixs(built):
    _, system, store = built
    assert next(store.glob("*-gitolite.rc")).read_text() == EXPECTED_RC
    configs = [p.read_text() for p in store.glob("*-gitconfig")]
    assert EXPECTED_GITCONFIG in configs
    activation = Path(system.activation_file).read_text()
    assert '"setup" "-m" "gitolite setup by GNU Guix" "-pk"' in activation
    assert "git" in {u["name"] for u in system.accounts["users"]}


def test_gitile_configuration_and_nginx_block(built):
    _, system, store = built
    conf = next(store.glob("*-gitile.conf")).read_text()
    assert conf == ('(config (port 8080) (host "127.0.0.1") (database "/var/lib/gitile/gitile-db.sql") '
                    '(repositories "/var/lib/gitolite/repositories") (git-owner-validation? #t) '
                    '(base-git-url "https://git.example.org/git") (index-title "Index") '
                    '(intro ((p "hi"))) (footer ()))')
    assert '/bin/gitile" "-c" "' in service(system, "gitile").text
    nginx = next(store.glob("*-nginx.conf")).read_text()
    assert "proxy_pass http://127.0.0.1:8080/;" in nginx
    assert "/share/gitile/assets;" in nginx.split("location /css {")[1]


def test_fossil_command_line(built):
    _, system, _ = built
    assert ('/bin/fossil" "server" "--nocompress" "--files" "*.css,*.png" "--jsmode" "bundled" '
            '"--port" "127.0.0.1:8082" "--user" "fossil" "/srv/fossil")') in service(system, "fossil").text


def test_version_control_config_passes_system_check(built):
    config, _, _ = built
    result = system_check(config)
    assert result.returncode == 0, result.stdout + result.stderr


def test_fossil_rejects_a_bad_port(tmp_path):
    config = tmp_path / "bad.scm"
    config.write_text(OS.replace("SERVICES", "(service fossil-service-type (fossil-configuration (port 70000)))"))
    result = system_check(config)
    assert result.returncode != 0 and "port" in result.stdout + result.stderr
