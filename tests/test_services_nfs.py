"""(gnu services nfs) (Guix manual, "Network File System"): /etc/exports, idmapd.conf and
autofs's files as Guix writes them; the NFS daemons with Guix's command lines (the host's
rpcbind and nfs-kernel-server programs); the kernel's pseudo file systems shown as the host's."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_config, system_check

OS = """(use-modules (gnu) (gnu services nfs))
(operating-system
  (host-name "nfs") (timezone "UTC")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "/dev/sda1") (mount-point "/") (type "ext4")) %base-file-systems))
  (services (cons* SERVICES %base-services)))
"""

SERVICES = """(service nfs-service-type
   (nfs-configuration
     (exports '(("/srv/nfs" "*(rw,insecure,no_subtree_check,crossmnt,fsid=0)")
                ("/srv/pub" "10.0.0.0/8(ro)" "192.168.1.2(rw)")))
     (rpcmountd-port 20048) (rpcstatd-port 20049) (nfsd-threads 4) (nfsd-udp? #t)
     (idmap-domain "example.org")
     (debug '(mountd statd))))
   (service autofs-service-type
     (autofs-configuration
       (timeout 120) (logging #:verbose)
       (mounts (list (autofs-map-entry (type "nfs") (device "server:/export")
                                       (mount-point "/mnt/nfs") (options '(ro (timeo . 600))))
                     (autofs-indirect-map
                       (mount-point "/misc/devices")
                       (entries (list (autofs-map-entry (type "iso9660") (device ":/dev/cdrom")
                                                        (mount-point "cd")
                                                        (options '(ro nosuid))))))))))"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("nfs")
    config = root / "config.scm"
    config.write_text(OS.replace("SERVICES", SERVICES))
    return config, build_config(config, root / "store"), root / "store"


def service(system, name):
    return next(s for s in system.shepherd if name in s.provision)


def test_exports_is_each_export_joined_by_spaces_one_per_line(built):
    _, system, _ = built
    assert Path(system.etc["exports"]).read_text() == (
        "/srv/nfs *(rw,insecure,no_subtree_check,crossmnt,fsid=0)\n"
        "/srv/pub 10.0.0.0/8(ro) 192.168.1.2(rw)")


def test_idmapd_conf_has_the_nfs_domain(built):
    _, system, _ = built
    start = service(system, "idmap-daemon").text
    conf = start.split('"-c" "')[1].split('"')[0]
    assert Path(conf).read_text() == ("\n[General]\nVerbosity = 0\nDomain = example.org\n"
                                      "\n[Mapping]\nNobody-User = nobody\nNobody-Group = nogroup\n")
    assert '/sbin/rpc.idmapd" "-f" "-p" "/var/lib/nfs/rpc_pipefs"' in start


def test_nfs_daemons_have_guix_command_lines(built):
    _, system, _ = built
    assert '/sbin/rpcbind" "-f" "-w")' in service(system, "rpcbind-daemon").text
    statd = service(system, "rpc.statd").text
    assert ('/sbin/rpc.statd" "--no-notify" "--no-syslog" "--foreground" "--port" "20049")' in statd
            and '#:pid-file "/var/run/rpc.statd.pid"' in statd)
    assert '/sbin/rpc.mountd" "--foreground" "--debug" "all" "--port" "20048")' in service(system, "rpc.mountd").text
    assert ('"--port" "2049" "--nfs-version=4.2" "--nfs-version=4.1" "--nfs-version=4.0" "4" "--tcp" "--udp"'
            in service(system, "rpc.nfsd").text)
    assert '/sbin/exportfs" "-r" "-a" "-v" "-d" "all"' in service(system, "nfs").text
    assert service(system, "nfs").requirement == ["/proc/fs/nfsd", "rpc.nfsd", "rpc.mountd", "rpc.statd",
                                                  "rpcbind-daemon"]


def test_kernel_pseudo_file_systems_are_the_hosts(built):
    _, system, _ = built
    assert service(system, "rpc-pipefs").host_provided
    assert service(system, "/proc/fs/nfsd").host_provided
    assert not service(system, "rpcbind-daemon").host_provided


def test_autofs_conf_and_maps_are_guixs(built):
    _, system, store = built
    conf = next(store.glob("*-autofs.conf")).read_text()
    master = conf.split("master_map_name = ")[1].split("\n")[0]
    assert conf == ("[ autofs ]\nmaster_map_name = " + master + "\ntimeout = 120\nmaster_wait = 10\n"
                    "negative_timeout = 60\nmount_verbose = no\nmount_wait = -1\numount_wait = 12\n"
                    "browse_mode = yes\nmount_nfs_default_protocol = 3\nappend_options = yes\n"
                    "logging = verbose\nforce_standard_program_map_env = no\nmap_hash_table_size = 1024\n"
                    "use_hostname_for_mounts = no\ndisable_not_found_message = no\n"
                    "use_ignore_mount_option = no\nsss_master_map_wait = 0\nuse_mount_request_log_id = no\n")
    lines = Path(master).read_text().splitlines()
    assert lines[0] == "/mnt/nfs -fstype=nfs,ro,timeo=600 server:/export"
    mount_point, indirect = lines[1].split(" ")
    assert mount_point == "/misc/devices" and indirect.endswith("-misc-devices.map")
    assert Path(indirect).read_text() == "cd -fstype=iso9660,ro,nosuid :/dev/cdrom\n"
    autofs = service(system, "autofs")
    assert '/sbin/automount" "-f" "-t" "120" "-p" "/var/run/autofs.pid")' in autofs.text
    assert autofs.requirement == ["rpc.statd"]  # an nfs entry needs statd


def test_nfs_config_passes_system_check(built):
    config, _, _ = built
    result = system_check(config)
    assert result.returncode == 0, result.stdout + result.stderr


def test_autofs_rejects_a_bad_log_level(tmp_path):
    config = tmp_path / "bad.scm"
    config.write_text(OS.replace("SERVICES", "(service autofs-service-type (autofs-configuration (logging 'loud)))"))
    result = system_check(config)
    assert result.returncode != 0 and "logging" in result.stdout + result.stderr


def test_rpcbind_runs_the_hosts_program_or_says_which_debian_package_has_it(built):
    import shutil

    from schemy.guix.packages import explain_missing

    _, system, _ = built
    program = service(system, "rpcbind-daemon").text.split('(list "')[1].split('"')[0]
    if shutil.which("rpcbind") or Path("/usr/sbin/rpcbind").exists() or Path("/sbin/rpcbind").exists():
        assert Path(program).exists()
    else:
        assert not Path(program).exists()
        assert "rpcbind" in (explain_missing(program) or "")
