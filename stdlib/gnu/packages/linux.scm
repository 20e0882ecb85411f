;;; schemy --- The kernel Linux and the tools that go with it.

(define-module (gnu packages linux)
  #:use-module (guix packages)
  #:export (linux-libre
            linux-libre-lts
            util-linux
            e2fsprogs
            kmod
            procps
            psmisc
            iproute
            iptables
            nftables
            net-tools
            bridge-utils
            ethtool
            iw
            wireless-tools
            pciutils
            usbutils
            kbd
            eudev
            lvm2
            drbd-utils
            btrfs-progs
            xfsprogs
            strace
            lsof
            alsa-utils))

;;; The kernel

(define linux-libre
  ;; schemy runs on the host's kernel: this package only names it.
  (package
    (name "linux-libre")
    (version "6.9.6")
    (home-page "https://www.gnu.org/software/linux-libre/")
    (synopsis "100% free redistribution of a cleaned Linux kernel")
    (description
     "GNU Linux-Libre is the kernel Linux with the non-free firmware blobs
and the code that loads them removed.  schemy does not install kernels;
systems it manages run on the host's kernel.")
    (license 'gpl2)
    (supported-systems '("x86_64-linux" "i686-linux" "armhf-linux"
                         "aarch64-linux" "powerpc64le-linux" "riscv64-linux"))))

(define linux-libre-lts
  (package
    (inherit linux-libre)
    (name "linux-libre")
    (version "6.6.35")))

;;; Basic system tools

(define util-linux
  (package
    (name "util-linux")
    (version "2.39.3")
    (home-page "https://www.kernel.org/pub/linux/utils/util-linux/")
    (synopsis "Collection of utilities for the Linux kernel")
    (description
     "util-linux gathers the system programs that a Linux system needs:
mounting file systems, partitioning and formatting disks, swap, namespaces
(unshare, nsenter), terminal logins (agetty), block device listing,
kernel message buffer and many more.")
    (license '(gpl3+ gpl2+ gpl2 lgpl2.0+ bsd-4 public-domain))
    (debian-package "util-linux")
    (programs
     `(,@(host-programs "bin" '("mount" "umount") "mount")
       ("sbin/losetup" "losetup" "mount")
       ,@(host-programs "sbin" '("fdisk" "sfdisk" "cfdisk") "fdisk")
       ,@(host-programs "bin" '("dmesg" "lsblk" "findmnt" "more" "unshare"
                                "nsenter" "setsid" "flock" "script"
                                "lscpu" "logger" "su" "wall" "mesg"
                                "renice" "ionice" "taskset" "chrt"))
       ,@(host-programs "sbin" '("agetty" "blkid" "blockdev" "fsck" "fstrim"
                                 "hwclock" "mkswap" "swapon" "swapoff"
                                 "pivot_root" "switch_root" "sulogin"
                                 "wipefs" "zramctl" "rfkill"))))))

(define e2fsprogs
  (package
    (name "e2fsprogs")
    (version "1.47.0")
    (home-page "https://e2fsprogs.sourceforge.net/")
    (synopsis "Creating and checking ext2/ext3/ext4 file systems")
    (description
     "The tools of the ext2, ext3 and ext4 file systems: mke2fs to create
them, e2fsck to check and repair them, tune2fs and resize2fs to adjust them,
and chattr/lsattr for file attributes.")
    (license '(gpl2 lgpl2.0 bsd-3))
    (debian-package "e2fsprogs")
    (programs
     `(,@(host-programs "sbin" '("mke2fs" "mkfs.ext2" "mkfs.ext3" "mkfs.ext4"
                                 "e2fsck" "fsck.ext2" "fsck.ext3" "fsck.ext4"
                                 "tune2fs" "resize2fs" "dumpe2fs" "debugfs"
                                 "e2label"))
       ,@(host-programs "bin" '("chattr" "lsattr"))))))

(define kmod
  (package
    (name "kmod")
    (version "31")
    (home-page "https://www.kernel.org/")
    (synopsis "Kernel module tools")
    (description
     "kmod loads, unloads, lists and inspects the modules of the kernel
Linux: modprobe, insmod, rmmod, lsmod, modinfo and depmod.")
    (license 'gpl2+)
    (debian-package "kmod")
    (programs (host-programs "bin" '("kmod" "modprobe" "insmod" "rmmod"
                                     "lsmod" "modinfo" "depmod")))))

(define procps
  (package
    (name "procps")
    (version "3.3.16")
    (home-page "https://gitlab.com/procps-ng/procps/")
    (synopsis "Utilities that give information about processes")
    (description
     "procps reads the /proc file system to report on processes and the
system: ps, top, free, kill, pgrep, pkill, sysctl, uptime, vmstat, watch.")
    (license 'gpl2)
    (debian-package "procps")
    (programs
     `(,@(host-programs "bin" '("ps" "top" "free" "kill" "pgrep" "pkill"
                                "pidof" "pmap" "uptime" "vmstat" "w" "watch"
                                "slabtop"))
       ("sbin/sysctl" "sysctl")))))

(define psmisc
  (package
    (name "psmisc")
    (version "23.6")
    (home-page "https://gitlab.com/psmisc/psmisc")
    (synopsis "Small utilities that use the proc file system")
    (description
     "psmisc provides killall (signal processes by name), fuser (which
processes use a file) and pstree (the process tree).")
    (license 'gpl2+)
    (debian-package "psmisc")
    (programs (host-programs "bin" '("killall" "fuser" "pstree" "prtstat")))))

;;; Networking

(define iproute
  (package
    (name "iproute2")
    (version "6.4.0")
    (home-page "https://wiki.linuxfoundation.org/networking/iproute2")
    (synopsis "Utilities for controlling TCP/IP networking and traffic in Linux")
    (description
     "iproute2 configures the kernel's networking: addresses, routes,
links, bridges and tunnels (ip), traffic control (tc), bridge ports
(bridge) and socket statistics (ss).")
    (license 'gpl2+)
    (debian-package "iproute2")
    (programs (host-programs "sbin" '("ip" "tc" "ss" "bridge" "rtmon")))))

(define iptables
  (package
    (name "iptables")
    (version "1.8.10")
    (home-page "https://www.netfilter.org/projects/iptables/index.html")
    (synopsis "Programs to configure Linux IP packet filtering rules")
    (description
     "iptables and ip6tables set up the kernel's IPv4 and IPv6 packet
filter and NAT rules; iptables-save and iptables-restore dump and load
rule sets.")
    (license '(gpl2 gpl2+))
    (debian-package "iptables")
    (programs (host-programs "sbin" '("iptables" "ip6tables" "iptables-save"
                                      "iptables-restore" "ip6tables-save"
                                      "ip6tables-restore")))))

(define nftables
  (package
    (name "nftables")
    (version "1.0.9")
    (home-page "https://www.nftables.org")
    (synopsis "Userspace utility for Linux packet filtering")
    (description
     "nft configures the kernel's nftables packet classification
framework, the successor of iptables.")
    (license 'gpl2)
    (debian-package "nftables")
    (programs '("sbin/nft"))))

(define net-tools
  (package
    (name "net-tools")
    (version "1.60-0.479bb4a")
    (home-page "https://net-tools.sourceforge.net/")
    (synopsis "Tools for controlling the network subsystem in Linux")
    (description
     "The historic networking tools of Linux: ifconfig, route, netstat,
arp.")
    (license 'gpl2+)
    (debian-package "net-tools")
    (programs '("sbin/ifconfig" "sbin/route" "sbin/arp" "bin/netstat"))))

(define bridge-utils
  (package
    (name "bridge-utils")
    (version "1.7.1")
    (home-page "https://wiki.linuxfoundation.org/networking/bridge")
    (synopsis "Manipulate Ethernet bridges")
    (description
     "brctl creates and configures Ethernet bridges in the kernel Linux,
for instance to attach virtual machines to a physical network.")
    (license 'gpl2+)
    (debian-package "bridge-utils")
    (programs '("sbin/brctl"))))

(define ethtool
  (package
    (name "ethtool")
    (version "6.7")
    (home-page "https://www.kernel.org/pub/software/network/ethtool/")
    (synopsis "Display or change Ethernet device settings")
    (description
     "ethtool queries and changes the settings of network interfaces:
speed, duplex, offloads, wake-on-LAN, driver statistics.")
    (license 'gpl2)
    (debian-package "ethtool")
    (programs '("sbin/ethtool"))))

(define iw
  (package
    (name "iw")
    (version "6.7")
    (home-page "https://wireless.wiki.kernel.org/")
    (synopsis "Tool for configuring wireless devices")
    (description "iw shows and changes the configuration of wireless devices
through the kernel's nl80211 interface.")
    (license 'copyleft-next)
    (debian-package "iw")
    (programs '("sbin/iw"))))

(define wireless-tools
  (package
    (name "wireless-tools")
    (version "30.pre9")
    (home-page "https://hewlettpackard.github.io/wireless-tools/")
    (synopsis "Tools to manipulate wireless networking devices")
    (description
     "The Wireless Tools (iwconfig, iwlist...) configure wireless devices
through the older Wireless Extensions interface.")
    (license 'gpl2+)
    (debian-package "wireless-tools")
    (programs '("sbin/iwconfig" "sbin/iwlist"))))

;;; Hardware

(define pciutils
  (package
    (name "pciutils")
    (version "3.11.1")
    (home-page "https://mj.ucw.cz/sw/pciutils/")
    (synopsis "Programs to inspect and manipulate PCI devices")
    (description "lspci lists the PCI devices of the machine; setpci changes
their configuration registers.")
    (license 'gpl2+)
    (debian-package "pciutils")
    (programs '("sbin/lspci" "sbin/setpci"))))

(define usbutils
  (package
    (name "usbutils")
    (version "017")
    (home-page "http://www.linux-usb.org/")
    (synopsis "Tools for working with USB devices, such as lsusb")
    (description "lsusb lists the USB buses and the devices connected to
them.")
    (license 'gpl2+)
    (debian-package "usbutils")
    (programs '("bin/lsusb"))))

(define kbd
  (package
    (name "kbd")
    (version "2.6.4")
    (home-page "https://kbd-project.org/")
    (synopsis "Linux keyboard utilities and keyboard maps")
    (description
     "kbd loads console keyboard maps (loadkeys) and fonts (setfont) and
provides other tools for the Linux console.")
    (license 'gpl2+)
    (debian-package "kbd")
    (programs (host-programs "bin" '("loadkeys" "setfont" "dumpkeys"
                                     "showkey" "chvt" "kbd_mode")))))

(define eudev
  (package
    (name "eudev")
    (version "3.2.14")
    (home-page "https://github.com/eudev-project/eudev")
    (synopsis "Userspace device management")
    (description
     "udev manages the device nodes in /dev and runs rules when hardware
appears or disappears; udevadm queries and controls it.")
    (license 'gpl2+)
    (debian-package "udev")
    (programs
     '("bin/udevadm"
       ("sbin/udevd" ("udevd" "/lib/systemd/systemd-udevd"
                      "/usr/lib/systemd/systemd-udevd"))))))

;;; Storage

(define lvm2
  (package
    (name "lvm2")
    (version "2.03.22")
    (home-page "https://sourceware.org/lvm2/")
    (synopsis "Logical volume management for Linux")
    (description
     "LVM2 groups disks into volume groups and carves logical volumes out of
them, which can be resized, snapshotted, mirrored or thinly provisioned
while in use.  The lvm command and its many aliases (pvcreate, vgcreate,
lvcreate, lvs...) drive the device mapper; dmsetup talks to it directly.")
    (license '(gpl2 lgpl2.1))
    (debian-package "lvm2")
    (programs
     `(,@(host-programs "sbin" '("lvm" "lvmconfig" "lvmdump"
                                 "pvcreate" "pvremove" "pvresize" "pvs"
                                 "pvdisplay" "pvscan" "pvmove"
                                 "vgcreate" "vgremove" "vgextend" "vgreduce"
                                 "vgchange" "vgs" "vgdisplay" "vgscan"
                                 "lvcreate" "lvremove" "lvextend" "lvreduce"
                                 "lvresize" "lvrename" "lvchange" "lvs"
                                 "lvdisplay" "lvscan"))
       ("sbin/dmsetup" "dmsetup" "dmsetup")))))

(define drbd-utils
  (package
    (name "drbd-utils")
    (version "9.22.0")
    (home-page "https://www.linbit.com/drbd/")
    (synopsis "DRBD user space utilities")
    (description
     "DRBD mirrors a block device over the network between machines, like
RAID 1 across hosts.  These are its administration tools: drbdadm, which
follows the resource configuration files, and the lower-level drbdsetup
and drbdmeta.")
    (license 'gpl2+)
    (debian-package "drbd-utils")
    (programs (host-programs "sbin" '("drbdadm" "drbdsetup" "drbdmeta"
                                      "drbdmon")))))

(define btrfs-progs
  (package
    (name "btrfs-progs")
    (version "6.8")
    (home-page "https://btrfs.wiki.kernel.org/")
    (synopsis "Create and manage btrfs copy-on-write file systems")
    (description
     "The tools of the Btrfs file system: creating, checking and resizing
it, and managing its subvolumes, snapshots and devices.")
    (license 'gpl2+)
    (debian-package "btrfs-progs")
    (programs '("bin/btrfs" ("bin/mkfs.btrfs" "mkfs.btrfs")
                ("bin/fsck.btrfs" "fsck.btrfs")))))

(define xfsprogs
  (package
    (name "xfsprogs")
    (version "6.4.0")
    (home-page "https://xfs.wiki.kernel.org/")
    (synopsis "XFS file system tools")
    (description "Tools to create, check, repair and grow XFS file systems.")
    (license '(gpl2 lgpl2.1))
    (debian-package "xfsprogs")
    (programs '("sbin/mkfs.xfs" "sbin/xfs_repair" "sbin/xfs_growfs"))))

;;; Debugging

(define strace
  (package
    (name "strace")
    (version "6.7")
    (home-page "https://strace.io/")
    (synopsis "System call tracer for Linux")
    (description "strace shows the system calls a process makes and the
signals it receives.")
    (license 'lgpl2.1+)
    (debian-package "strace")
    (programs '("bin/strace"))))

(define lsof
  (package
    (name "lsof")
    (version "4.94.0")
    (home-page "https://github.com/lsof-org/lsof")
    (synopsis "Display information about open files")
    (description "lsof lists the files, sockets and pipes that processes
have open.")
    (license 'bsd-style)
    (debian-package "lsof")
    (programs '("bin/lsof"))))

(define alsa-utils
  (package
    (name "alsa-utils")
    (version "1.2.11")
    (home-page "https://www.alsa-project.org/")
    (synopsis "Utilities for using ALSA applications")
    (description "Command-line tools for the ALSA sound system: amixer,
alsamixer, aplay, arecord.")
    (license 'gpl2+)
    (debian-package "alsa-utils")
    (programs '("bin/amixer" "bin/alsamixer" "bin/aplay" "bin/arecord"))))
