"""(gnu services rsync): Guix's deprecated single-share fields of rsync-configuration
(share-path, share-comment, use-chroot?, read-only?, timeout) still make the "files" module,
with Guix's deprecation warning at the record."""

from __future__ import annotations

from schemy.app import Interpreter


def conf(text: str) -> str:
    i = Interpreter()
    return i.eval_string(f"(use-modules (gnu services rsync)) ((@@ (gnu services rsync) rsyncd-conf) {text})",
                         "test.scm")


def test_share_path_makes_the_files_module_and_warns(capfd):
    text = conf('(rsync-configuration (share-path "/srv/x") (timeout 10) (use-chroot? #f))')
    assert "[files]\n  path = /srv/x\n  comment = Rsync share\n  read only = false\n" in text
    assert "  use chroot = false\n  timeout = 10\n" in text
    err = capfd.readouterr().err
    assert "test.scm:1:" in err and "'share-path' and 'share-comment' fields is deprecated" in err


def test_default_module_is_guixs_writable_files_share(capfd):
    text = conf("(rsync-configuration)")
    assert "[files]\n  path = /srv/rsyncd\n  comment = Rsync share\n  read only = false\n" in text
    assert "deprecated" not in capfd.readouterr().err
