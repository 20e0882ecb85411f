"""The package catalogue (every Guix and nonguix package module, from index.json) and the
service modules real configs use, checked on the project's own configs (tests/configs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import build_config

from schemy.app import Interpreter
from schemy.guix import catalogue
from schemy.lang.datum import list_to_python
from schemy.lang.errors import SchemeError
from schemy.lang.printer import write_string
from schemy.system.config import load_operating_system

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "tests" / "configs"


@pytest.fixture(scope="module")
def interp():
    i = Interpreter()
    i.eval_string("(use-modules (gnu packages) (guix packages))", "prelude.scm")
    return i


def ev(interp, text: str):
    return interp.eval_string(text, "test.scm")


# ---------------------------------------------------------------- the index


def test_index_holds_guix_and_nonguix_modules():
    modules = catalogue.catalogue()
    assert len(modules) > 500
    for name in [("gnu", "packages", "wm"), ("gnu", "packages", "xorg"), ("gnu", "packages", "emacs"),
                 ("nongnu", "packages", "linux"), ("nongnu", "packages", "nvidia"),
                 ("nongnu", "packages", "mozilla")]:
        assert name in modules, name


def test_index_is_small_and_records_its_sources():
    data = json.loads((ROOT / "stdlib/gnu/packages/index.json").read_text())
    assert (ROOT / "stdlib/gnu/packages/index.json").stat().st_size < 4_000_000
    assert len(data["sources"]["guix"]) == 40 and len(data["sources"]["nonguix"]) == 40


def test_package_modules_load_from_the_index(interp):
    v = ev(interp, "(use-modules (gnu packages wm) (gnu packages emacs) (nongnu packages linux))"
                   " (list (package-name sway) (package-name i3-wm) (package-outputs emacs)"
                   " (package-name linux) (package-name linux-firmware))")
    assert write_string(v) == '("sway" "i3-wm" ("out" "doc") "linux" "linux-firmware")'


def test_use_package_modules_shorthand(interp):
    v = ev(interp, "(use-modules (gnu)) (use-package-modules xorg shells xdisorg)"
                   " (map package-name (list xterm zsh rofi))")
    assert write_string(v) == '("xterm" "zsh" "rofi")'


def test_at_and_double_at_references(interp):
    assert ev(interp, "(package-name (@ (gnu packages gnome) network-manager))") == "network-manager"
    assert ev(interp, "(package-name (@@ (gnu packages xorg) xorg-server))") == "xorg-server"


def test_specification_finds_packages_of_any_module(interp):
    names = ["sway", "firefox", "linux-firmware", "pulseaudio", "docker", "tlp", "font-terminus", "htop"]
    specs = " ".join(f'"{n}"' for n in names)
    got = list_to_python(ev(interp, f"(map package-name (map specification->package '({specs})))"))
    assert got == names


def test_specification_with_output(interp):
    v = ev(interp, '(call-with-values (lambda () (specification->package+output "emacs:doc"))'
                   " (lambda (p o) (list (package-name p) o)))")
    assert write_string(v) == '("emacs" "doc")'


def test_inheriting_from_a_catalogue_package(interp):
    v = ev(interp, "(use-modules (gnu packages wm))"
                   ' (let ((p (package (inherit sway) (name "my-sway"))))'
                   "  (list (package-name p) (string=? (package-version p) (package-version sway))))")
    assert write_string(v) == '("my-sway" #t)'


def test_aliases_are_the_same_package(interp):
    assert ev(interp, "(eq? (@ (gnu packages bootloaders) grub) (@ (gnu packages bootloaders) grub-pc))") is True


def test_host_programs_merge_with_the_index(interp):
    v = ev(interp, "(list (package-programs (@ (gnu packages admin) htop))"
                   " (package-debian-package (@ (gnu packages admin) htop))"
                   " (package-programs (@ (gnu packages wm) sway)))")
    assert write_string(v) == '(("bin/htop") "htop" ())'


def test_a_variable_guix_dropped_is_kept_from_the_mapping(interp):
    assert ev(interp, "(package-name (@ (gnu packages admin) logrotate))") == "logrotate"


def test_unbound_package_variable_names_its_module():
    with pytest.raises(SchemeError) as e:
        Interpreter().eval_string("(list sway)", "/tmp/config.scm")
    assert "Did you forget (use-package-modules wm)?" in str(e.value)


def test_a_file_on_the_load_path_wins_over_the_index(tmp_path):
    mod = tmp_path / "gnu" / "packages" / "wm.scm"
    mod.parent.mkdir(parents=True)
    mod.write_text('(define-module (gnu packages wm) #:export (sway)) (define sway "mine")')
    i = Interpreter(load_path=[str(tmp_path)])
    assert i.eval_string("(use-modules (gnu packages wm)) sway") == "mine"


def test_derivation_script_reads_package_facts(tmp_path):
    (tmp_path / "gnu" / "packages").mkdir(parents=True)
    (tmp_path / "gnu" / "packages" / "demo.scm").write_text("""
(define-module (gnu packages demo) #:export (exported))
(define-public base
  (let ((version "1.2") (revision "3") (commit "abcdef0123456"))
    (package (name "base") (version (git-version version revision commit))
             (outputs '("out" "doc")))))
(define-public child (package (inherit base) (name "child")))
(define-public other-name base)
(define-public hidden (hidden-package (package (inherit base) (name "hidden"))))
(define-deprecated-package old-base base)
(define exported (package (name "exported") (version (string-append "2." "0"))))
(define-public backquoted (package (name "backquoted") (version "1") (outputs `("out" "utils"))))
(define private (package (name "private") (version "1")))
""")
    out = tmp_path / "index.json"
    subprocess.run([sys.executable, str(ROOT / "tools/derive_package_index.py"), "--guix", str(tmp_path),
                    "-o", str(out)], check=True, capture_output=True)
    _file, rows = json.loads(out.read_text())["modules"]["gnu packages demo"]
    by_var = {r[0]: r for r in rows}
    assert by_var["base"][1:3] == ["", "1.2-3.abcdef0"] and by_var["base"][4] == {"o": ["out", "doc"]}
    assert by_var["child"][1:3] == ["", "1.2-3.abcdef0"]
    assert by_var["other-name"][4]["a"] == "base"
    assert by_var["hidden"][4]["h"] == 1
    assert by_var["old-base"][4]["s"] == "base"
    assert by_var["exported"][2] == "2.0"
    assert by_var["backquoted"][4] == {"o": ["out", "utils"]}
    assert "private" not in by_var


def test_nonguix_kernel_newer_than_the_guix_tree_gets_its_series(tmp_path):
    guix, nonguix = tmp_path / "guix", tmp_path / "nonguix"
    (guix / "gnu" / "packages").mkdir(parents=True)
    (guix / "gnu" / "packages" / "linux.scm").write_text("""
(define-module (gnu packages linux))
(define-public linux-libre-6.18 (make-linux-libre* "6.18.18" "gnu" source))
""")
    (nonguix / "nongnu" / "packages").mkdir(parents=True)
    (nonguix / "nongnu" / "packages" / "linux.scm").write_text("""
(define-module (nongnu packages linux) #:use-module (gnu packages linux))
(define-public linux-7.1 (corrupt-linux linux-libre-7.1))
(define-public linux-6.18 (corrupt-linux linux-libre-6.18))
(define-public linux linux-7.1)
""")
    out = tmp_path / "index.json"
    subprocess.run([sys.executable, str(ROOT / "tools/derive_package_index.py"), "--guix", str(guix),
                    "--nonguix", str(nonguix), "-o", str(out)], check=True, capture_output=True)
    _file, rows = json.loads(out.read_text())["modules"]["nongnu packages linux"]
    versions = {r[0]: r[2] for r in rows}
    assert versions == {"linux-7.1": "7.1", "linux-6.18": "6.18.18", "linux": "7.1"}


def test_packages_made_by_openjdk_macro_and_binary_sources_get_their_versions(tmp_path):
    guix, nonguix = tmp_path / "guix", tmp_path / "nonguix"
    (guix / "gnu" / "packages").mkdir(parents=True)
    (guix / "gnu" / "packages" / "java.scm").write_text("""
(define-module (gnu packages java))
(define-public openjdk11 (package (name "openjdk") (version "11.0.22") (outputs '("out" "jdk" "doc"))))
(define-public openjdk17 (make-openjdk openjdk11 "17.0.10" "0hash" (source #f)))
""")
    (nonguix / "nongnu" / "packages").mkdir(parents=True)
    (nonguix / "nongnu" / "packages" / "nvidia.scm").write_text("""
(define-module (nongnu packages nvidia))
(define nvidia-source-580-x86_64-linux (make-nvidia-source "580.178.04" "x86_64" (base32 "1y")))
(define-public nvidia-driver-390 (package (name "nvidia-driver") (version "390.157")))
(define-public nvidia-driver-580
  (binary-package-from-sources
   `(("x86_64-linux" . ,nvidia-source-580-x86_64-linux))
   (package (inherit nvidia-driver-390) (synopsis "production branch"))))
(define-nvidia-container steam-nvidia-580 steam-container-for nvda-580)
(define-nvidia-container steam-nvidia-user-alias-580 "steam-nvidia" steam-nvidia-580
  (package-version nvidia-driver-580))
(define-public steam-nvidia steam-nvidia-580)
""")
    out = tmp_path / "index.json"
    subprocess.run([sys.executable, str(ROOT / "tools/derive_package_index.py"), "--guix", str(guix),
                    "--nonguix", str(nonguix), "-o", str(out)], check=True, capture_output=True)
    modules = json.loads(out.read_text())["modules"]
    java = {r[0]: r for r in modules["gnu packages java"][1]}
    assert java["openjdk17"][1:3] == ["openjdk", "17.0.10"] and java["openjdk17"][4] == {"o": ["out", "jdk", "doc"]}
    nvidia = {r[0]: r for r in modules["nongnu packages nvidia"][1]}
    assert nvidia["nvidia-driver-580"][1:3] == ["nvidia-driver", "580.178.04"]
    assert nvidia["steam-nvidia-580"][1] == "steam" and nvidia["steam-nvidia-580"][4]["h"] == 1
    assert nvidia["steam-nvidia-user-alias-580"][1:3] == ["steam-nvidia", "580.178.04"]
    assert nvidia["steam-nvidia"][4]["a"] == "steam-nvidia-580"


def test_packages_behind_macros_are_indexed(tmp_path):
    (tmp_path / "gnu" / "packages").mkdir(parents=True)
    (tmp_path / "gnu" / "packages" / "demo.scm").write_text("""
(define-module (gnu packages demo) #:export (pkg-config))
(define-public %pkg-config (package (name "pkg-config") (version "0.29.2")))
(define (pkg-config-for-target target) (if target (cross target) %pkg-config))
(define-syntax pkg-config (identifier-syntax (pkg-config-for-target (%current-target-system))))
(define-syntax define-dictionary
  (syntax-rules () ((_ name file) (define-public name (package (name (symbol->string 'name)))))))
(define-dictionary dict-en-us "en_US")
""")
    out = tmp_path / "index.json"
    subprocess.run([sys.executable, str(ROOT / "tools/derive_package_index.py"), "--guix", str(tmp_path),
                    "-o", str(out)], check=True, capture_output=True)
    rows = {r[0]: r for r in json.loads(out.read_text())["modules"]["gnu packages demo"][1]}
    assert rows["pkg-config"][2] == "0.29.2" and rows["pkg-config"][4] == {"a": "%pkg-config"}
    assert "dict-en-us" in rows


def test_pkg_config_is_a_package_variable(interp):
    assert ev(interp, "(use-modules (gnu packages pkg-config)) (package-name pkg-config)") == "pkg-config"


def test_specification_of_a_newer_openjdk(interp):
    assert ev(interp, "(package-version (specification->package \"openjdk@17\"))").startswith("17.")


def test_nonguix_linux_has_a_version(interp):
    version = ev(interp, "(use-modules (nongnu packages linux)) (package-version linux)")
    assert version != "0" and version.split(".")[0].isdigit()


# ---------------------------------------------------------------- the configs


_BUILT: dict[str, object] = {}


def _build(name: str, tmp_path: Path):
    """The built system of a project config (built once per test session: builds are slow)."""
    if name not in _BUILT:
        _BUILT[name] = build_config(CONFIGS / name, tmp_path / "store")
    return _BUILT[name]


def _check(name: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "schemy.cli.main", "system", "check", str(CONFIGS / name)],
                          capture_output=True, text=True, cwd=str(ROOT))


@pytest.mark.parametrize("name", sorted(p.name for p in CONFIGS.glob("*.scm")))
def test_project_config_passes_system_check(name):
    result = _check(name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems found" in result.stdout


def test_desktop_config_writes_the_files_guix_writes(tmp_path):
    built = _build("desktop.scm", tmp_path)
    cupsd = _conf_file(built, "-cupsd.conf")  # as Guix: cupsd -c STORE-FILE, nothing in /etc
    assert "WebInterface yes\n" in cupsd and "DefaultPaperSize A4\n" in cupsd
    assert "Listen localhost:631\n" in cupsd
    gdm = Path(built.etc["gdm/custom.conf"]).read_text()
    assert "AutomaticLoginEnable=true\nAutomaticLogin=anna\n" in gdm
    assert "HandleLidSwitch=suspend\n" in Path(built.etc["elogind/logind.conf.d/logind.conf"]).read_text()
    assert "dns=default\n" in Path(built.etc["NetworkManager/NetworkManager.conf"]).read_text()


def test_desktop_host_daemons_are_provided_by_the_host(tmp_path):
    built = _build("desktop.scm", tmp_path)
    by_provision = {s.provision[0]: s for s in built.shepherd}
    for name in ("gdm", "elogind", "NetworkManager", "upower-daemon", "udisks-daemon", "avahi-daemon"):
        assert by_provision[name].host_provided, name
    assert not by_provision["cups"].host_provided  # a daemon schemy runs itself


def test_fields_may_name_earlier_fields(tmp_path):
    i = Interpreter()
    os_record = i.run_protected(lambda: load_operating_system(i, str(CONFIGS / "desktop.scm")))
    v = i.eval_string(
        "(lambda (os) (list (keyboard-layout-name (bootloader-configuration-keyboard-layout"
        " (operating-system-bootloader os)))"
        " (length (file-system-dependencies (car (operating-system-file-systems os))))))",
        "probe.scm", module=i.resolve_module(list_to_python_spec("gnu")))(os_record)
    assert write_string(v) == '("de" 1)'


def list_to_python_spec(*names: str):
    from schemy.lang.datum import Symbol, make_list

    return make_list([Symbol(n) for n in names])


def test_set_xorg_configuration_reaches_the_login_manager(tmp_path):
    i = Interpreter()
    path = str(CONFIGS / "desktop.scm")
    os_record = i.run_protected(lambda: load_operating_system(i, path))
    from schemy.system.build import fold_operating_system

    _services, values, _ = i.run_protected(lambda: fold_operating_system(i, os_record))
    layout = i.eval_string("(use-modules (gnu services xorg) (gnu system keyboard))"
                           " (lambda (c) (keyboard-layout-name (xorg-configuration-keyboard-layout"
                           " ((record-accessor (record-type-descriptor c) 'xorg-configuration) c))))")
    assert layout(values["gdm"]) == "de"


def test_nonguix_laptop_writes_tlp_sddm_and_nix_files(tmp_path):
    built = _build("nonguix-laptop.scm", tmp_path)
    tlp = Path(built.etc["tlp.conf"]).read_text()
    assert "TLP_ENABLE=1\n" in tlp and 'CPU_SCALING_GOVERNOR_ON_AC="performance"\n' in tlp
    assert "START_CHARGE_THRESH_BAT0=75\n" in tlp and "STOP_CHARGE_THRESH_BAT0=90\n" in tlp
    sddm = Path(built.etc["sddm.conf"]).read_text()
    assert "User=kim\n" in sddm and "Current=maldives\n" in sddm
    nix = Path(built.etc["nix/nix.conf"]).read_text()
    assert "build-users-group = nixbld\n" in nix and "experimental-features = nix-command flakes\n" in nix
    assert "AutoEnable = true\n" in Path(built.etc["bluetooth/main.conf"]).read_text()
    groups = {g["name"] for g in built.accounts["groups"]}
    assert {"docker", "nixbld"} <= groups


def test_nix_daemon_is_the_hosts_like_guix_daemon(tmp_path):
    # Its store is /nix, which no root owns (a root's view covers /run, /var/lib, /var/log,
    # /tmp): started by a root, it would write the host's /nix.  Its nix.conf is still written.
    built = _build("nonguix-laptop.scm", tmp_path)
    by_provision = {s.provision[0]: s for s in built.shepherd}
    assert by_provision["nix-daemon"].host_provided
    assert not by_provision["dockerd"].host_provided and not by_provision["containerd"].host_provided
    assert "gdm/custom.conf" not in built.etc  # deleted from %desktop-services


def test_nonguix_kernel_and_microcode_initrd(interp):
    v = ev(interp, "(use-modules (nongnu packages linux) (nongnu system linux-initrd))"
                   " (let ((initrd (microcode-initrd '() #:linux-modules '(\"ahci\"))))"
                   "  (list (package-name linux) (car initrd)"
                   "        (map package-name (cdr (assq 'microcode (cdr initrd))))))")
    assert write_string(v) == '("linux" microcode-initrd ("amd-microcode" "intel-microcode"))'


def test_old_style_server_udev_groups_and_title(tmp_path):
    built = _build("old-style-server.scm", tmp_path)
    groups = {g["name"]: g for g in built.accounts["groups"]}
    assert groups["uinput"]["system"] is True
    fstab = Path(built.etc["fstab"]).read_text()
    assert "LABEL=root" in fstab


def test_title_field_with_uuid_and_warning():
    i = Interpreter()
    v = i.eval_string('(use-modules (gnu)) (file-system-device (file-system (device "root") (title (quote label))'
                      ' (mount-point "/") (type "ext4")))', "t.scm")
    assert write_string(i.eval_string("(use-modules (gnu)) file-system-label->string", "t.scm")(v)) == '"root"'


def test_keyboard_layout_options_right_after_the_name():
    i = Interpreter()
    v = i.eval_string('(use-modules (gnu system keyboard))'
                      ' (let ((k (keyboard-layout "us" #:options (list "ctrl:nocaps"))))'
                      " (list (keyboard-layout-variant k) (keyboard-layout-options k)))", "k.scm")
    assert write_string(v) == '(#f ("ctrl:nocaps"))'


def test_linux_services_of_the_old_style_server(tmp_path):
    built = _build("old-style-server.scm", tmp_path)
    by_provision = {s.provision[0]: s for s in built.shepherd}
    assert '"-m" "5"' in by_provision["earlyoom"].text
    assert by_provision["kernel-module-loader"].host_provided
    assert by_provision["zram-device"].host_provided
    assert "persistent\n" in Path(built.etc["dhcpcd.conf"]).read_text()


def _conf_file(built, suffix: str) -> str:
    """The text of the store file ending in SUFFIX that the shepherd services name."""
    import re

    text = Path(built.shepherd_file).read_text()
    match = re.search(r'"([^"]*' + re.escape(suffix) + r')"', text)
    assert match, suffix
    return Path(match.group(1)).read_text()


def test_web_server_writes_nginx_postgresql_and_torrc(tmp_path):
    built = _build("web-server.scm", tmp_path)
    nginx = _conf_file(built, "-nginx.conf")
    # As Guix writes them: each server name followed by a space.
    assert "      listen 80;\n      server_name netz.example.org ;\n      root /srv/www;\n" in nginx
    assert "      location /app/ {\n        proxy_pass http://127.0.0.1:8000;\n      }\n" in nginx
    pg = _conf_file(built, "-postgresql.conf")
    assert "log_destination = 'stderr'\n" in pg and "shared_buffers = '128MB'\n" in pg
    assert "hba_file = '" in pg
    torrc = _conf_file(built, "-torrc")  # as Guix: tor -f STORE-FILE, nothing in /etc
    assert "HiddenServiceDir /var/lib/tor/hidden-services/web\nHiddenServicePort 80 127.0.0.1:80\n" in torrc
    users = {u["name"] for u in built.accounts["users"]}
    assert {"nginx", "postgres", "redis", "tor"} <= users


def test_web_server_daemons_schemy_runs_and_the_host_firewall(tmp_path):
    built = _build("web-server.scm", tmp_path)
    by_provision = {s.provision[0]: s for s in built.shepherd}
    for name in ("nginx", "postgres", "redis", "tor", "dnsmasq", "syncthing-ops"):
        assert not by_provision[name].host_provided, name
    assert by_provision["nftables"].host_provided
    assert '"--listen-address=192.168.1.1"' in by_provision["dnsmasq"].text
    assert '"--server=9.9.9.9"' in by_provision["dnsmasq"].text


def test_moved_variables_stay_at_their_old_module(interp):
    assert ev(interp, "(eq? (@ (gnu packages certs) nss-certs) (@ (gnu packages nss) nss-certs))") is True
    names = list_to_python(ev(interp, "(map package-name (find-packages-by-name \"nss-certs\"))"))
    assert names == ["nss-certs"]  # one package, not one per module offering it


def test_crypt_matches_the_c_library(interp):
    assert ev(interp, '(crypt "pw" "$6$abc")') == \
        "$6$abc$MtSdWSZbhct2oe.SOqOUM2M/GA/uj5.vyVtJgRHgKi9uqXuWuJqOYE7H/YlsYGVg/YYzDV0xt3fEIwYt580.5."


def test_shepherd_service_type_makes_a_service_type(interp):
    v = ev(interp, "(use-modules (gnu services) (gnu services shepherd))"
                   " (let ((t (shepherd-service-type 'keys (lambda (x) x) 'none)))"
                   "  (list (service-type-name t) (service-value (service t))))")
    assert write_string(v) == "(keys none)"


def test_home_server_fail2ban_jail_extends_openssh(tmp_path):
    built = _build("home-server.scm", tmp_path)
    jail = Path(built.etc["fail2ban/jail.local"]).read_text()
    assert jail == "[sshd]\nenabled = true\nmaxretry = 5\nbantime = 1h\nbantime.increment = true\n"
    by_provision = {s.provision[0]: s for s in built.shepherd}
    assert "ssh-daemon" in by_provision or "sshd" in by_provision


def test_home_server_mpd_certbot_rsync_and_wireguard(tmp_path):
    built = _build("home-server.scm", tmp_path)
    mpd = _conf_file(built, "-mpd.conf")
    assert 'music_directory "/srv/music"\n' in mpd
    assert 'audio_output {\n  name "Wohnzimmer"\n  type "alsa"\n' in mpd
    rsyncd = _conf_file(built, "-rsyncd.conf")
    assert "[backup]\n  path = /srv/backup\n" in rsyncd and "  read only = false\n" in rsyncd
    nginx = _conf_file(built, "-nginx.conf")
    assert "server_name heim.example www.heim.example ;" in nginx
    assert "location /.well-known {" in nginx
    jobs = Path(built.mcron_file).read_text()
    assert "certbot certonly -n --agree-tos --cert-name heim.example -d heim.example,www.heim.example" in jobs
    assert "schemy reconfigure /run/current-system/configuration.scm" in jobs
    by_provision = {s.provision[0]: s for s in built.shepherd}
    assert by_provision["wireguard-wg0"].host_provided
    assert not by_provision["mpd"].host_provided
    users = {u["name"] for u in built.accounts["users"]}
    assert {"mpd", "rsyncd"} <= users


def test_catalogue_module_procedures_are_loaded(interp):
    v = ev(interp, "(use-modules (gnu packages package-management))"
                   " (eq? (current-guix) guix)")
    assert v is True
    assert ("gnu", "packages", "procedures", "package-management") not in [
        tuple(m) for m in catalogue.module_names()]


def test_system_image_types_describe_images(interp):
    v = ev(interp, "(use-modules (gnu system image))"
                   " (let ((img (os->image 'an-os #:type qcow2-image-type)))"
                   "  (list (image-format img) (image-operating-system img) (image-partition-table-type img)"
                   "        (map partition-label (image-partitions img))))")
    assert write_string(v) == '(compressed-qcow2 an-os mbr ("GNU-ESP" "Guix_image"))'


def test_package_module_bootloader_and_customize_linux(interp):
    v = ev(interp, "(use-modules (gnu bootloader) (gnu packages raspberry-pi) (gnu packages linux))"
                   " (list (bootloader? grub-efi-bootloader-chain-raspi-64)"
                   "       (package-full-name (customize-linux #:linux linux-libre #:extra-version \"rpi\")))")
    version = ev(interp, "(package-version (@ (gnu packages linux) linux-libre))")
    assert write_string(v) == f'(#t "linux-libre@{version}-rpi")'


def test_hurd_default_operating_system():
    i = Interpreter()
    v = i.eval_string("(use-modules (gnu) (gnu system hurd) (guix packages))"
                      " (list (package-name (operating-system-kernel %hurd-default-operating-system))"
                      "       (package-name (operating-system-hurd %hurd-default-operating-system))"
                      "       (any (lambda (s) (eq? (service-type-name (service-kind s)) 'udev))"
                      "            %base-services/hurd))", "hurd.scm")
    assert write_string(v) == '("gnumach" "hurd" #f)'


def test_removed_desktop_procedures_warn_and_work(capfd):
    i = Interpreter()
    v = i.eval_string("(use-modules (gnu) (gnu services desktop))"
                      " (service-type-name (service-kind (gnome-desktop-service)))", "old.scm")
    assert write_string(v) == "gnome-desktop"
    assert "'gnome-desktop-service' is deprecated; use (service gnome-desktop-service-type)" in capfd.readouterr().err


def test_nonguix_kernel_procedures(interp):
    got = write_string(ev(interp, """(use-modules (nongnu packages linux) (gnu packages linux))
      (let ((k (corrupt-linux linux-libre-6.6 #:name "my-linux")))
        (list (nonguix-extra-linux-options "5.10") (package-name k)
              (string-prefix? "6.6." (package-version k))
              (length (assoc-ref (package-properties k) 'configs))))"""))
    assert got == ('(("CONFIG_MT76x2U=m" "CONFIG_DRM_AMDGPU_CIK=y" "CONFIG_DRM_AMDGPU_SI=y") "my-linux" #t 4)')


def test_replace_mesa_grafts_the_driver(interp):
    got = write_string(ev(interp, """(use-modules (nongnu packages nvidia) (gnu packages video))
      (let ((m (replace-mesa mpv)))
        (list (package-name m) (eq? m mpv)))"""))
    assert got == '("mpv" #f)'


def test_guix_cpu_describes_the_host_cpu(interp):
    import platform

    got = ev(interp, """(use-modules (guix cpu))
      (let ((c (current-cpu))) (list (cpu? c) (cpu-architecture c) (list? (cpu-flags c))))""")
    assert write_string(got) == f'(#t "{platform.machine()}" #t)'
    cpuinfo = Path("/proc/cpuinfo").read_text()
    if "vendor_id" in cpuinfo:  # x86: the vendor and family the kernel shows
        vendor = next(ln.split(":")[1].strip() for ln in cpuinfo.splitlines() if ln.startswith("vendor_id"))
        family = next(ln.split(":")[1].strip() for ln in cpuinfo.splitlines() if ln.startswith("cpu family"))
        assert write_string(ev(interp, "(list (cpu-vendor (current-cpu)) (cpu-family (current-cpu)))")) \
            == f'("{vendor}" {family})'


def test_guix_utils_system_predicates_as_guix_tells_systems_apart(interp):
    got = ev(interp, """(use-modules (guix utils))
      (list (target-64bit? "x86_64-linux") (target-64bit? "riscv64-linux") (target-32bit? "i686-linux")
            (target-hurd? "i586-gnu") (target-hurd? "x86_64-linux-gnu") (target-hurd64? "x86_64-gnu")
            (target-arm32? "armhf-linux") (target-arm32? "aarch64-linux") (target-ppc64le? "powerpc64le-linux")
            (target-little-endian? "powerpc-linux") (target-x32? "x86_64-linux-gnux32")
            (target-mingw? "x86_64-w64-mingw32") (target-avr? "avr") (target-loongarch64? "loongarch64-linux"))""")
    assert write_string(got) == "(#t #t #t #t #f #t #t #f #t #f #t #t #t #t)"


def test_guix_utils_file_version_and_keyword_helpers(interp):
    got = ev(interp, """(use-modules (guix utils))
      (list (file-extension "a.tar.gz") (file-sans-extension "a.tar.gz") (file-extension "abc")
            (tarball-sans-extension "foo-1.2.tar.xz") (version-prefix "2.1.47.4.23" 3)
            (version-unique-prefix "2.0" '("3.0" "2.0")) (version-unique-prefix "2.2" '("3.0.5" "2.0.9" "2.2.7"))
            (version-unique-prefix "27.1" '("27.1"))
            (call-with-values (lambda () (package-name->name+version "foo@0.9.1b")) list)
            (strip-keyword-arguments '(#:b) '(#:a 1 #:b 2 #:c 3))
            (default-keyword-arguments '(#:a 1) '(#:a 9 #:b 2))
            (ensure-keyword-arguments '(#:foo 2) '(#:bar 3 #:foo 42))
            (with-environment-variables '(("SCHEMY_TEST_VAR" "1")) (getenv "SCHEMY_TEST_VAR"))
            (getenv "SCHEMY_TEST_VAR")
            (let ((dir #f)) (call-with-temporary-directory (lambda (d) (set! dir d))) (file-exists? dir)))""")
    assert write_string(got) == ('("gz" "a.tar" #f "foo-1.2" "2.1.47" "2" "2.2" "" ("foo" "0.9.1b") '
                                 '(#:a 1 #:c 3) (#:b 2 #:a 1) (#:foo 42 #:bar 3) "1" #f #f)')
