"""Guix Home: home-environment configs fold into a home generation whose files (~/.bashrc,
~/.config/...) have the content Guix's serializers give them; ``schemy home build`` realizes
one in a state root and links its files from ROOT/home; an operating-system embeds home
environments with guix-home-service-type."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from schemy.app import Interpreter
from schemy.cli.main import main
from schemy.guix.store import Store
from schemy.lang.errors import SchemeError
from schemy.system.home import build_home

CONFIGS = Path(__file__).parent / "configs"


_SHARED: list[Interpreter] = []


def build(path: Path, store_dir: Path) -> Any:
    """Build in one interpreter for the whole file: its modules load once (each config is
    evaluated in a fresh module of its own)."""
    if not _SHARED:
        _SHARED.append(Interpreter())
    i = _SHARED[0]
    return i.run_protected(lambda: build_home(i, str(path), Store(store_dir)))


def read(built: Any, name: str) -> str:
    return Path(built.files[name]).read_text()


@pytest.fixture(scope="module")
def bash_home(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return build(CONFIGS / "home-bash.scm", tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module")
def zsh_home(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return build(CONFIGS / "home-zsh.scm", tmp_path_factory.mktemp("store"))


def write_config(tmp_path: Path, body: str, modules: str = "") -> Path:
    path = tmp_path / "home.scm"
    path.write_text("(use-modules (gnu home) (gnu home services) (gnu home services shells)\n"
                    f"             (gnu services) (guix gexp) {modules})\n{body}\n")
    return path


# ---------------------------------------------------------------- the generation


def test_generation_has_the_entries_of_a_guix_home_generation(bash_home: Any) -> None:
    entries = sorted(os.listdir(bash_home.path))
    assert entries == ["activate", "files", "on-first-login", "profile", "setup-environment"]


def test_profile_links_the_programs_of_the_home_packages(bash_home: Any) -> None:
    profile = Path(bash_home.path) / "profile" / "bin"
    assert {"git", "bash"} <= set(os.listdir(profile))  # the programs this host has


def test_dot_profile_sources_setup_environment_and_runs_on_first_login(bash_home: Any) -> None:
    assert read(bash_home, ".profile") == ("HOME_ENVIRONMENT=$HOME/.guix-home\n"
                                           ". $HOME_ENVIRONMENT/setup-environment\n"
                                           "$HOME_ENVIRONMENT/on-first-login\n"
                                           "unset HOME_ENVIRONMENT\n")


def test_setup_environment_exports_the_variables_services_ask_for(bash_home: Any) -> None:
    text = (Path(bash_home.path) / "setup-environment").read_text()
    assert 'GUIX_PROFILE="$HOME_ENVIRONMENT/profile"' in text
    for line in ('export MOZ_ENABLE_WAYLAND="1"',
                 'export DBUS_SESSION_BUS_ADDRESS="unix:path=${XDG_RUNTIME_DIR:-/run/user/$UID}/bus"',
                 'export SSH_AUTH_SOCK="$XDG_RUNTIME_DIR/gnupg/S.gpg-agent.ssh"',
                 'export XDG_CONFIG_HOME="$HOME/.config"',
                 'export XDG_STATE_HOME="$HOME/.local/state"'):
        assert line in text.splitlines()
    assert "XDG_LOG_HOME" not in text  # the deprecated field, unset


# ---------------------------------------------------------------- bash


def test_bashrc_is_guix_defaults_then_variables_aliases_and_blocks(bash_home: Any) -> None:
    text = read(bash_home, ".bashrc")
    assert text.startswith("# Bash-specific initialization")
    tail = text[text.index("HISTSIZE=10000\n") + len("HISTSIZE=10000\n"):]
    assert tail == ('\nHISTFILE="$XDG_CACHE_HOME/.bash_history"\nHISTSIZE="50000"\n\n'
                    'alias gs="git status"\nalias say="echo \\"hi\\""\nalias l="ls -l"\n'
                    "# extra bashrc block from a local file\nset -o vi\n\n# from an extension\n")


def test_bash_profile_exports_variables_quoted_as_guix_does(bash_home: Any) -> None:
    text = read(bash_home, ".bash_profile")
    assert text.startswith("# Set up the system, user profile, and related variables.\n")
    assert text.endswith('export EDITOR="emacsclient"\n'
                         "export PAGER='less -R $1'\n"  # literal-string: single quotes
                         "export LANG\n")  # #t: exported as it is; #f: left out
    assert "UNUSED" not in text


def test_bash_logout_only_when_it_has_blocks(bash_home: Any, zsh_home: Any) -> None:
    assert read(bash_home, ".bash_logout") == "clear\n"
    assert ".bash_logout" not in zsh_home.files and ".bashrc" not in zsh_home.files


def test_bash_without_guix_defaults_has_only_the_users_settings(tmp_path: Path) -> None:
    config = write_config(tmp_path, """(home-environment
      (services (list (service home-bash-service-type
                               (home-bash-configuration (guix-defaults? #f) (aliases '()))))))""")
    assert read(build(config, tmp_path / "store"), ".bashrc") == "\n"


# ---------------------------------------------------------------- files


def test_xdg_configuration_files_land_under_dot_config(bash_home: Any) -> None:
    assert read(bash_home, ".config/test.conf") == "the content of ~/.config/test.conf\n"
    assert read(bash_home, ".sqliterc") == ".headers on\n"


def test_fonts_conf_names_the_profile_fonts(bash_home: Any) -> None:
    assert read(bash_home, ".config/fontconfig/fonts.conf") == (
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        "<dir>~/.guix-home/profile/share/fonts</dir></fontconfig>")


def test_two_services_giving_the_same_file_is_an_error(tmp_path: Path) -> None:
    config = write_config(tmp_path, """(home-environment
      (services (list (simple-service 'a home-files-service-type
                                      (list `(".x" ,(plain-file "x" "1"))))
                      (simple-service 'b home-files-service-type
                                      (list `(".x" ,(plain-file "x" "2")))))))""")
    with pytest.raises(SchemeError, match="duplicate '.x' entry for files/"):
        build(config, tmp_path / "store")


def test_a_config_not_ending_with_a_home_environment_is_a_located_error(tmp_path: Path) -> None:
    config = write_config(tmp_path, "(define x 1)\n(+ x 41)")
    with pytest.raises(SchemeError) as e:
        build(config, tmp_path / "store")
    assert "last expression is 42, not a home-environment" in e.value.message()
    assert e.value.loc is not None and e.value.loc.line == 4


# ---------------------------------------------------------------- zsh, fish, readline


def test_zsh_without_xdg_flavor_writes_its_files_in_home(zsh_home: Any) -> None:
    assert read(zsh_home, ".zshrc") == "bindkey -e\nautoload -U compinit && compinit\n"
    assert read(zsh_home, ".zshenv") == 'export LESS="-R"\n[ -n "$SSH_CLIENT" ] && source /etc/profile'
    assert read(zsh_home, ".zprofile").startswith("# Set up the system, user profile")
    assert read(zsh_home, ".zlogout") == "echo bye\n"
    assert ".zlogin" not in zsh_home.files


def test_zsh_with_xdg_flavor_points_zdotdir_at_config_zsh(tmp_path: Path) -> None:
    config = write_config(tmp_path, """(home-environment
      (services (list (service home-zsh-service-type
                               (home-zsh-configuration (zshrc (list "setopt autocd")))))))""")
    built = build(config, tmp_path / "store")
    assert read(built, ".zshenv") == ("export ZDOTDIR=${XDG_CONFIG_HOME:-$HOME/.config}/zsh\n"
                                      "[[ -f $ZDOTDIR/.zshenv ]] && source $ZDOTDIR/.zshenv\n")
    assert read(built, ".config/zsh/.zshrc") == "setopt autocd\n"
    assert ".config/zsh/.zprofile" in built.files


def test_fish_config_sources_the_profile_then_the_users_settings(zsh_home: Any) -> None:
    text = read(zsh_home, ".config/fish/config.fish")
    assert "fenv source $HOME/.profile" in text
    assert "fish-foreign-env" in text
    assert text.endswith('set -g fish_greeting\nset -x EDITOR vi\nalias l "ls -l"\nabbr --add gco git checkout\n')


def test_inputrc(zsh_home: Any) -> None:
    assert read(zsh_home, ".inputrc") == ("Control-l: clear-screen\nset bell-style visible\n"
                                         "set colored-completion-prefix on\nset editing-mode off\n")


# ---------------------------------------------------------------- xdg, dotfiles


def test_user_directories(zsh_home: Any) -> None:
    dirs = read(zsh_home, ".config/user-dirs.dirs")
    assert 'XDG_DOWNLOAD_DIR="$HOME/dl"\n' in dirs and 'XDG_MUSIC_DIR="$HOME/Music"\n' in dirs
    assert read(zsh_home, ".config/user-dirs.conf") == "enabled=False\n"


def test_mimeapps_list_sections_as_guix_writes_them(zsh_home: Any) -> None:
    assert read(zsh_home, ".config/mimeapps.list") == (
        "\n[Added Associations]\nx-scheme-handler/magnet=torrent.desktop\n"
        "\n[Default Applications]\ninode/directory=file.desktop\ntext/html=firefox.desktop\n"
        "\n[Removed Associations]\n")


def test_desktop_entry(zsh_home: Any) -> None:
    assert read(zsh_home, ".local/share/applications/file.desktop") == (
        "[Desktop Entry]\nName=File manager\nType=Application\n"
        "Exec=emacsclient -c -a emacs %u\nTerminal=false\n")


def test_dotfiles_in_stow_layout_drop_the_package_directory(zsh_home: Any) -> None:
    assert read(zsh_home, ".config/emacs/init.el").startswith(";; emacs init, from the dotfiles")
    assert read(zsh_home, ".gitconfig") == "[user]\n\tname = Alice\n"


# ---------------------------------------------------------------- ssh, gnupg, channels


def test_ssh_config(bash_home: Any) -> None:
    assert read(bash_home, ".ssh/config") == (
        "AddKeysToAgent no\nHost ci\n  HostName ci.example.org\n  Port 2222\n  User bob\n"
        "  ForwardAgent yes\n\n\nHost *.internal\n  ProxyJump bastion\n\n")
    assert read(bash_home, ".ssh/authorized_keys") == "ssh-ed25519 AAAAC3 alice@laptop\n"


def test_bad_add_keys_to_agent_is_a_located_error(tmp_path: Path) -> None:
    config = write_config(tmp_path, """(home-environment
      (services (list (service home-openssh-service-type
                               (home-openssh-configuration (add-keys-to-agent "sometimes"))))))""",
                          "(gnu home services ssh)")
    with pytest.raises(SchemeError, match="invalid 'add-keys-to-agent' value") as e:
        build(config, tmp_path / "store")
    assert e.value.loc is not None and e.value.loc.line == 5  # the home-openssh-configuration form


def test_gpg_agent_conf(bash_home: Any) -> None:
    lines = read(bash_home, ".gnupg/gpg-agent.conf").splitlines()
    assert lines[0].startswith("pinentry-program /") and lines[0].endswith("/bin/pinentry-curses")
    assert lines[1:] == ["default-cache-ttl 28800", "max-cache-ttl 7200", "default-cache-ttl-ssh 1800",
                         "max-cache-ttl-ssh 7200"]


def test_channels_file(bash_home: Any) -> None:
    text = read(bash_home, ".config/guix/channels.scm")
    assert text.startswith("(list (channel\n        (name 'nonguix)")
    assert '"BBB0 2DDF 2CEA F6A8 0D1D  E643 A2A0 6DF2 A33A 54FA"' in text


# ---------------------------------------------------------------- the user's shepherd


def test_shepherd_init_registers_every_home_daemon(bash_home: Any) -> None:
    assert set(bash_home.shepherd_services) == {"dbus", "pipewire", "wireplumber", "pipewire-pulseaudio",
                                                "redshift", "x11-display", "gpg-agent", "mcron", "hello"}
    text = read(bash_home, ".config/shepherd/init.scm")
    assert text.startswith("(begin (register-services (list (service (quote (dbus))")
    assert "(start-in-the-background (quote (dbus pipewire" in text


def test_redshift_conf(bash_home: Any) -> None:
    init = read(bash_home, ".config/shepherd/init.scm")
    conf = init[init.index('"-c" "') + 6:]
    conf = conf[:conf.index('"')]
    assert Path(conf).read_text() == (
        "[redshift]\nlocation-provider=manual\nadjustment-method=randr\ntemp-day=6500\n"
        "temp-night=4500\n\n[manual]\nlat=35.81\nlon=-0.8\n")


def test_a_home_daemon_requiring_a_missing_one_is_an_error(tmp_path: Path) -> None:
    config = write_config(tmp_path, "(home-environment (services (list (service home-pipewire-service-type))))",
                          "(gnu home services sound)")
    with pytest.raises(SchemeError, match="'pipewire' requires 'dbus', which no home service provides"):
        build(config, tmp_path / "store")


def test_home_mcron_job_runs_under_the_users_shepherd(bash_home: Any) -> None:
    init = read(bash_home, ".config/shepherd/init.scm")
    mcron = init[init.index("(service (quote (mcron))"):]
    assert mcron.startswith("(service (quote (mcron)) #:requirement (quote ())")
    assert '(string-append %user-log-dir "/mcron.log")' in mcron[:mcron.index("(service", 5)]


# ---------------------------------------------------------------- realizing


def test_home_build_links_the_files_from_root_home(tmp_path: Path) -> None:
    root = tmp_path / "root"
    result = CliRunner().invoke(main, ["home", "build", str(CONFIGS / "home-zsh.scm"), "--root", str(root)])
    assert result.exit_code == 0, result.output
    generation = result.output.strip().splitlines()[-1]
    home = root / "home"
    assert os.readlink(home / ".guix-home") == generation
    assert os.readlink(home / ".zshrc") == f"{generation}/files/.zshrc"
    assert (home / ".config" / "emacs" / "init.el").read_text().startswith(";; emacs init")


def test_home_build_moves_a_file_in_the_way_to_a_backup(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    (home / ".zshrc").write_text("mine\n")
    result = CliRunner().invoke(main, ["home", "build", str(CONFIGS / "home-zsh.scm"),
                                       "--root", str(tmp_path / "root"), "--home", str(home)])
    assert result.exit_code == 0, result.output
    assert (home / ".guix-home-backup" / ".zshrc").read_text() == "mine\n"
    assert (home / ".zshrc").is_symlink()


def test_activate_links_the_files_and_makes_the_xdg_directories(tmp_path: Path, zsh_home: Any) -> None:
    home = tmp_path / "h"
    (home / ".config").mkdir(parents=True)
    (home / ".inputrc").write_text("old\n")
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "XDG_RUNTIME_DIR": str(tmp_path / "run"),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = subprocess.run([f"{zsh_home.path}/activate"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert os.readlink(home / ".zshrc") == f"{zsh_home.path}/files/.zshrc"
    assert os.readlink(home / ".config" / "mimeapps.list") == f"{zsh_home.path}/files/.config/mimeapps.list"
    backups = [p for p in home.iterdir() if p.name.endswith("-guix-home-legacy-configs-backup")]
    assert [(b / ".inputrc").read_text() for b in backups] == ["old\n"]
    assert (home / ".local" / "state").is_dir() and (home / "dl").is_dir()


def test_operating_system_activates_alices_home_at_boot(tmp_path: Path) -> None:
    from helpers import build_config

    built = build_config(CONFIGS / "system-with-home.scm", tmp_path / "store")
    service = next(s for s in built.shepherd if s.provision == ["guix-home-alice"])
    assert service.one_shot and service.requirement == ["user-processes"]
    activate = service.text[service.text.index('(quote ("') + 9:]
    activate = activate[:activate.index('"')]
    assert activate.endswith("-home/activate") and os.access(activate, os.X_OK)
    bashrc = Path(activate).parent / "files" / ".bashrc"
    assert bashrc.read_text().endswith('alias ll="ls -alF"\n')
    assert '#:user "alice"' in service.text


def test_system_check_accepts_a_system_with_homes() -> None:
    # In a process of its own: the check's sandbox stays on until the process ends.
    out = subprocess.run([sys.executable, "-m", "schemy.cli.main", "system", "check",
                          str(CONFIGS / "system-with-home.scm")], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "no problems found" in out.stdout


def test_system_check_checks_a_home_environment_and_locates_its_problems(tmp_path: Path) -> None:
    config = write_config(tmp_path, "(home-environment\n (services (list (service home-pipewire-service-type))))",
                          "(gnu home services sound)")
    out = subprocess.run([sys.executable, "-m", "schemy.cli.main", "system", "check", str(config)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert f"{config}:4:17: error: home shepherd service 'pipewire' requires 'dbus'" in out.stderr
    good = subprocess.run([sys.executable, "-m", "schemy.cli.main", "system", "check",
                           str(CONFIGS / "home-bash.scm")], capture_output=True, text=True, timeout=120)
    assert good.returncode == 0, good.stderr


def test_msmtp_config_has_defaults_then_accounts(tmp_path: Path) -> None:
    config = write_config(tmp_path, """(home-environment
      (services (list (service home-msmtp-service-type
                               (home-msmtp-configuration
                                (defaults (msmtp-configuration (auth? #t) (tls? #t)
                                                               (log-file "~/.cache/msmtp.log")))
                                (accounts (list (msmtp-account
                                                 (name "work")
                                                 (configuration (msmtp-configuration
                                                                 (host "smtp.example.org") (port 587)
                                                                 (password-eval "pass show mail"))))))
                                (default-account "work"))))))""", "(gnu home services mail)")
    assert read(build(config, tmp_path / "store"), ".config/msmtp/config") == (
        "defaults\nauth on\ntls on\nlogfile ~/.cache/msmtp.log\n\naccount work\nhost smtp.example.org\n"
        "port 587\npasswordeval pass show mail\n\naccount default : work\n")


def test_batsignal_runs_with_its_options(tmp_path: Path) -> None:
    config = write_config(tmp_path, """(home-environment
      (services (list (service home-batsignal-service-type
                               (home-batsignal-configuration (warning-level 20) (batteries '("BAT0" "BAT1"))
                                                             (notifications? #f))))))""",
                          "(gnu home services pm)")
    built = build(config, tmp_path / "store")
    init = read(built, ".config/shepherd/init.scm")
    assert ('"-w" "20" "-c" "5" "-d" "2" "-m" "60" "-n" "BAT0,BAT1" "-N")' in init)
    assert built.shepherd_services == ["batsignal"]


def test_sway_config_blocks_and_defaults(tmp_path: Path) -> None:
    config = write_config(tmp_path, """(home-environment
      (services (list (service home-sway-service-type
                               (sway-configuration
                                (outputs (list (sway-output (identifier "eDP-1") (resolution "1920x1080")
                                                            (position (point (x 0) (y 0))))))
                                (inputs (list (sway-input (identifier 'type:keyboard)
                                                          (layout (keyboard-layout "us,de"))
                                                          (tap #t))))
                                (bar (sway-bar (position 'top)
                                               (colors (sway-color (background "#000000")))))
                                (extra-content '("default_border pixel 2")))))))""",
                          "(gnu home services sway) (gnu system keyboard)")
    text = read(build(config, tmp_path / "store"), ".config/sway/config")
    assert text.startswith("####################################\n### Auto-generated configuration ###\n")
    assert ('# Outputs.\n##########\noutput "eDP-1" {\n    resolution 1920x1080\n    position 0 0\n}\n'
            in text)
    assert "input type:keyboard {\n    xkb_layout us,de\n    tap enable\n}\n" in text
    assert "bar bar0 {\n    colors {\n        background #000000\n    }\n    position top\n}\n" in text
    assert "bindsym $mod+Shift+0 move container to workspace number 10\n" in text
    assert 'mode "resize" {\n    bindsym $left resize shrink width 10px\n' in text
    assert text.endswith("# Extra-content\n###############\ndefault_border pixel 2\n")


def test_home_environment_with_provenance_keeps_the_configuration_file(tmp_path: Path) -> None:
    config = write_config(tmp_path, "(home-environment-with-provenance (home-environment))")
    built = build(config, tmp_path / "store")
    assert (Path(built.path) / "configuration.scm").read_text() == config.read_text()


def test_a_directory_of_files_is_linked_file_by_file(tmp_path: Path) -> None:
    config = write_config(tmp_path, f"""(home-environment
      (services (list (simple-service 'tree home-xdg-configuration-files-service-type
                                      (list `("tree" ,(local-file "{CONFIGS}/home-files/dotfiles" "tree"
                                                                  #:recursive? #t)))))))""")
    built = build(config, tmp_path / "store")
    assert {".config/tree/git/.gitconfig", ".config/tree/emacs/.config/emacs/init.el"} <= set(built.files)
    home = tmp_path / "h"
    from schemy.system.home import install_home

    install_home(built, Store(tmp_path / "store"), home)
    assert (home / ".config" / "tree" / "git").is_dir() and not (home / ".config" / "tree" / "git").is_symlink()
    assert (home / ".config" / "tree" / "git" / ".gitconfig").read_text() == "[user]\n\tname = Alice\n"


@pytest.mark.parametrize(("module", "service", "provision", "program"), [
    ("messaging", "home-znc-service-type", "znc", "/bin/znc\" \"--foreground\""),
    ("media", "home-kodi-service-type", "kodi", "/bin/kodi\" \"-fs\""),
    ("niri", "home-niri-service-type", "niri", "exec dbus-run-session niri --session"),
])
def test_user_daemon_services(tmp_path: Path, module: str, service: str, provision: str, program: str) -> None:
    config = write_config(tmp_path, f"(home-environment (services (list (service {service}))))",
                          f"(gnu home services {module})")
    built = build(config, tmp_path / "store")
    assert built.shepherd_services == [provision]
    assert program in read(built, ".config/shepherd/init.scm")


def test_a_gexp_block_stands_for_the_content_of_the_file_it_names(tmp_path: Path) -> None:
    config = write_config(tmp_path, """(home-environment
      (services (list (service home-bash-service-type
                               (home-bash-configuration
                                (guix-defaults? #f) (aliases '())
                                (bashrc (list #~(string-append #$(plain-file "part" "from a file") ""))))))))""")
    assert read(build(config, tmp_path / "store"), ".bashrc") == "\nfrom a file\n"


def test_home_check_reports_problems_at_their_place(tmp_path):
    """``schemy home check``: the home-environment counterpart of ``system check``."""
    good = tmp_path / "good.scm"
    good.write_text('(use-modules (gnu home) (gnu home services) (gnu services) (guix gexp))\n'
                    '(home-environment (services (list (service home-files-service-type\n'
                    '  `((".hello" ,(plain-file "hello" "hi\\n")))))))\n')
    bad = tmp_path / "bad.scm"
    bad.write_text('(use-modules (gnu home) (gnu home services) (gnu services))\n'
                   '(home-environment (services (list (service home-nosuch-service-type))))\n')
    def run(path: Path) -> subprocess.CompletedProcess:  # (the check's sandbox stays on in a process)
        return subprocess.run([sys.executable, "-m", "schemy.cli.main", "home", "check", str(path)],
                              capture_output=True, text=True, timeout=120, check=False)

    ok = run(good)
    assert ok.returncode == 0, ok.stderr
    assert "no problems found" in ok.stdout + ok.stderr
    failed = run(bad)
    assert failed.returncode == 1
    assert f"{bad}:2:43: error: home-nosuch-service-type: unbound variable" in failed.stderr
