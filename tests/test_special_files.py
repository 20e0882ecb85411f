"""Special files (extra-special-file): those in /etc become entries of the generation's /etc,
the links Guix's activation makes; the host's own places (/bin/sh, /usr/bin/env) stay the host's."""

from __future__ import annotations

import os
from pathlib import Path

from helpers import build_config, minimal_os

CONFIG = minimal_os("""(cons* (extra-special-file "/etc/app/token" (plain-file "token" "t0k"))
                 (extra-special-file "/etc/motd-extra" "/some/where")
                 (extra-special-file "/usr/bin/python" "/usr/bin/python3")
                 %base-services)""")


def test_special_files_in_etc_are_etc_entries(tmp_path):
    config = tmp_path / "config.scm"
    config.write_text(CONFIG)
    built = build_config(config, tmp_path / "store")
    assert Path(built.etc["app/token"]).read_text() == "t0k"
    assert built.etc["motd-extra"] == "/some/where"
    assert not any(name.startswith("usr") or "python" in name for name in built.etc)
    # /bin/sh and /usr/bin/env, %base-services' own special files, are not /etc entries either.
    assert "sh" not in built.etc and "env" not in built.etc
    assert os.path.isfile(built.etc["app/token"])
