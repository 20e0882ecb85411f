"""(gnu services cgit) (Guix manual, "Version Control Services"): the cgitrc Guix's serializer
writes (repositories included), the opaque variant, nginx's cgit location and fcgiwrap."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import build_config, system_check

OS = """(use-modules (gnu) (gnu services cgit) (gnu services web))
(operating-system
  (host-name "git") (timezone "UTC")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")) %base-file-systems))
  (services (cons* (service nginx-service-type) SERVICES %base-services)))
"""

SERVICES = """(service cgit-service-type
  (cgit-configuration
    (root-title "Example") (enable-commit-graph? #t) (snapshots '("tar.gz" "zip"))
    (project-list '("a.git" "b.git")) (extra-options '("max-stats=month"))
    (repositories (list (repository-cgit-configuration
                          (url "a") (path "/srv/git/a.git") (desc "A") (enable-log-filecount? #f)
                          (module-link-path '("lib" "http://x/%s")))))))"""

# Guix's order: every field but the four below, then project-list, extra options, scan-path
# and the repositories.  "# Mimetypes" lines end without a newline, so nocache follows on the
# last one, as in Guix's file.
EXPECTED = """branch-sort=name
cache-root=/var/cache/cgit
cache-static-ttl=-1
cache-dynamic-ttl=5
cache-repo-ttl=5
cache-root-ttl=5
cache-scanrc-ttl=15
cache-about-ttl=15
cache-snapshot-ttl=5
cache-size=0
case-sensitive-sort=1
commit-sort=git log
css=/share/cgit/cgit.css
embedded=0
enable-commit-graph=1
enable-filter-overrides=0
enable-follow-links=0
enable-http-clone=1
enable-index-links=0
enable-index-owner=1
enable-log-filecount=0
enable-log-linecount=0
enable-remote-branches=0
enable-subject-links=0
enable-html-serving=0
enable-tree-linenumbers=1
enable-git-config=0
favicon=/favicon.ico
local-time=0
logo=/share/cgit/cgit.png
max-atom-items=10
max-commit-count=50
max-message-length=80
max-repo-count=50
max-repodesc-length=80
max-blob-size=0
# Mimetypes
mimetype.gif=image/gif
mimetype.html=text/html
mimetype.jpg=image/jpeg
mimetype.jpeg=image/jpeg
mimetype.pdf=application/pdf
mimetype.png=image/png
mimetype.svg=image/svg+xmlnocache=0
noplainemail=0
noheader=0
remove-suffix=0
renamelimit=-1
robots=noindex, nofollow
root-desc=a fast webinterface for the git dscm
root-title=Example
scan-hidden-path=0
snapshots=tar.gz zip
section-from-path=0
side-by-side-diffs=0
summary-branches=10
summary-log=10
summary-tags=10
virtual-root=/
project-list=PROJECT-LIST
max-stats=month
scan-path=/srv/git
repo.url=a
repo.desc=A
repo.enable-log-filecount=0
repo.hide=0
repo.ignore=0
repo.module-link.lib=http://x/%s
repo.path=/srv/git/a.git
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("cgit")
    config = root / "config.scm"
    config.write_text(OS.replace("SERVICES", SERVICES))
    return config, build_config(config, root / "store"), root / "store"


def test_cgitrc_is_what_guix_serializer_writes(built):
    _, system, store = built
    text = next(store.glob("*-cgitrc")).read_text()
    project_list = re.search(r"project-list=(\S+)", text).group(1)
    assert text == EXPECTED.replace("PROJECT-LIST", project_list)
    assert Path(project_list).read_text() == "a.git\nb.git"
    assert '"/etc/cgitrc"' in Path(system.activation_file).read_text()


def test_cgit_nginx_location_and_fcgiwrap(built):
    _, system, store = built
    nginx = next(store.glob("*-nginx.conf")).read_text()
    # As Guix's config-index-strings: each file followed by a space.
    assert "try_files $uri @cgit ;" in nginx
    assert "fastcgi_param SCRIPT_FILENAME $document_root/lib/cgit/cgit.cgi;" in nginx
    fcgiwrap = next(s for s in system.shepherd if "fcgiwrap" in s.provision)
    assert '/sbin/fcgiwrap" "-s" "tcp:127.0.0.1:9000")' in fcgiwrap.text
    assert "fcgiwrap" in {u["name"] for u in system.accounts["users"]}


def test_opaque_cgit_configuration_is_the_given_text(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(OS.replace("SERVICES", '(service cgit-service-type (opaque-cgit-configuration '
                                 '(cgitrc "root-title=Mine\\nscan-path=/srv/git\\n")))'))
    build_config(config, tmp_path / "store")
    assert next((tmp_path / "store").glob("*-cgitrc")).read_text() == "root-title=Mine\nscan-path=/srv/git\n"


def test_cgit_config_passes_system_check(built):
    config, _, _ = built
    result = system_check(config)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cgit_rejects_a_string_for_a_boolean(tmp_path):
    config = tmp_path / "bad.scm"
    config.write_text(OS.replace("SERVICES", '(service cgit-service-type (cgit-configuration (nocache? "yes")))'))
    result = system_check(config)
    assert result.returncode != 0 and "nocache?" in result.stdout + result.stderr
