;;; schemy --- Virtualization packages: emulators, hypervisor management, clusters.
;;;
;;; Each package names the host programs that stand for it (see `programs' in
;;; (guix packages)).  Store names follow the original's layout (qemu-ga in
;;; bin/, the Ganeti daemons in sbin/); the host programs are found wherever
;;; Debian installs them.

(define-module (gnu packages virtualization)
  #:use-module (guix packages)
  #:export (qemu
            qemu-minimal
            %qemu-user-targets
            libvirt
            virt-manager
            virt-viewer
            ganeti
            ganeti-instance-guix
            ganeti-instance-debootstrap))

;;; QEMU

(define %qemu-user-targets
  ;; The guest architectures QEMU's user-mode emulators handle (one program
  ;; qemu-ARCH each); the qemu-binfmt service registers some of them.
  '("aarch64" "aarch64_be" "alpha" "arm" "armeb" "cris" "hexagon" "hppa"
    "i386" "loongarch64" "m68k" "microblaze" "microblazeel" "mips" "mips64"
    "mips64el" "mipsel" "mipsn32" "mipsn32el" "nios2" "or1k" "ppc" "ppc64"
    "ppc64le" "riscv32" "riscv64" "s390x" "sh4" "sh4eb" "sparc"
    "sparc32plus" "sparc64" "x86_64" "xtensa" "xtensaeb"))

(define (qemu-user-programs targets)
  ;; bin/qemu-ARCH: the statically linked emulator when the host has it (binfmt
  ;; with the F flag opens the interpreter once, so it must not need a loader),
  ;; otherwise the dynamically linked one.
  (map (lambda (arch)
         (list (string-append "bin/qemu-" arch)
               (list (string-append "qemu-" arch "-static")
                     (string-append "qemu-" arch))
               "qemu-user-static"))
       targets))

(define %qemu-tools
  `(,@(host-programs "bin" '("qemu-img" "qemu-nbd" "qemu-io") "qemu-utils")
    ,@(host-programs "bin" '("qemu-pr-helper" "qemu-storage-daemon")
                     "qemu-system-common")
    ("bin/qemu-ga" "qemu-ga" "qemu-guest-agent")))

(define qemu
  (package
    (name "qemu")
    (version "8.2.2")
    (home-page "https://www.qemu.org")
    (outputs '("out" "static" "doc"))
    (synopsis "Machine emulator and virtualizer")
    (description
     "QEMU emulates complete machines -- processor, memory, disks, network
cards and other devices -- so that an operating system built for one machine
runs unchanged on another.  With the kernel's KVM support it runs guests of
the host's own architecture at close to native speed.  Its user-mode
emulators run single programs built for another processor, which together
with the kernel's binfmt_misc mechanism lets foreign binaries run
transparently.  The package also includes the guest agent, qemu-ga, and
tools to create and convert disk images.")
    (license '(gpl2 lgpl2.1+))
    (debian-package "qemu-system-x86")
    (programs
     `(,@(host-programs "bin" '("qemu-system-x86_64" "qemu-system-i386")
                        "qemu-system-x86")
       ,@(host-programs "bin" '("qemu-system-aarch64" "qemu-system-arm")
                        "qemu-system-arm")
       ,@(host-programs "bin" '("qemu-system-ppc" "qemu-system-ppc64")
                        "qemu-system-ppc")
       ,@(host-programs "bin" '("qemu-system-mips" "qemu-system-mips64el")
                        "qemu-system-mips")
       ,@(host-programs "bin" '("qemu-system-riscv64" "qemu-system-s390x")
                        "qemu-system-misc")
       ,@%qemu-tools
       ,@(qemu-user-programs %qemu-user-targets)))))

(define qemu-minimal
  ;; Only the emulators for the host's own architecture family, as the Hurd VM
  ;; and build VM services need.
  (package
    (inherit qemu)
    (name "qemu-minimal")
    (outputs '("out" "doc"))
    (synopsis "Machine emulator and virtualizer (without user-mode emulators)")
    (description
     "This variant of QEMU only emulates machines of the host's architecture
family (x86_64 and i386 on an x86_64 host) and leaves out the user-mode
emulators.  It is smaller than the full package and enough to run virtual
machines with KVM.")
    (programs
     `(,@(host-programs "bin" '("qemu-system-x86_64" "qemu-system-i386")
                        "qemu-system-x86")
       ,@%qemu-tools))))

;;; libvirt

(define libvirt
  (package
    (name "libvirt")
    (version "10.3.0")
    (home-page "https://libvirt.org")
    (synopsis "Simple API for virtualization")
    (description
     "Libvirt is a library and a set of daemons offering one interface to
manage virtual machines, storage and networks across many hypervisors,
including QEMU/KVM, Xen and LXC.  The libvirtd daemon carries out the
requests of clients such as virsh and virt-manager, locally or over the
network; virtlogd keeps the consoles' logs of the guests.")
    (license 'lgpl2.1+)
    (debian-package "libvirt-daemon")
    (programs
     `(,@(host-programs "sbin" '("libvirtd" "virtlogd" "virtlockd")
                        "libvirt-daemon")
       ,@(host-programs "bin" '("virsh" "virt-admin" "virt-host-validate"
                                "virt-pki-validate" "virt-xml-validate")
                        "libvirt-clients")
       ("bin/virt-qemu-run" "virt-qemu-run" "libvirt-daemon-driver-qemu")))))

(define virt-manager
  (package
    (name "virt-manager")
    (version "4.1.0")
    (home-page "https://virt-manager.org/")
    (synopsis "Manage virtual machines through libvirt")
    (description
     "Virt-manager is a desktop application to create, run and watch virtual
machines through libvirt, with a console viewer and live performance
graphs.  The package also provides command-line tools: virt-install to
create guests, virt-clone to copy them and virt-xml to edit their
definitions.")
    (license 'gpl2+)
    (debian-package "virt-manager")
    (programs
     `(("bin/virt-manager" "virt-manager" "virt-manager")
       ,@(host-programs "bin" '("virt-install" "virt-clone" "virt-xml")
                        "virtinst")))))

(define virt-viewer
  (package
    (name "virt-viewer")
    (version "11.0")
    (home-page "https://gitlab.com/virt-viewer/virt-viewer")
    (synopsis "Graphical console client for virtual machines")
    (description
     "Virt-viewer shows the graphical display of a virtual machine over the
VNC or SPICE protocol, finding the connection details through libvirt.")
    (license 'gpl2+)
    (debian-package "virt-viewer")
    (programs '("bin/virt-viewer" "bin/remote-viewer"))))

;;; Ganeti

(define %ganeti-daemons
  '("ganeti-noded" "ganeti-confd" "ganeti-wconfd" "ganeti-luxid"
    "ganeti-rapi" "ganeti-kvmd" "ganeti-mond" "ganeti-metad"
    "ganeti-watcher" "ganeti-cleaner" "ganeti-listrunner"))

(define %ganeti-commands
  '("gnt-backup" "gnt-cluster" "gnt-debug" "gnt-filter" "gnt-group"
    "gnt-instance" "gnt-job" "gnt-network" "gnt-node" "gnt-os"
    "gnt-storage"))

(define %ganeti-helpers
  ;; Programs the daemons and tools run from ganeti's lib/ directory.
  '("daemon-util" "ensure-dirs" "kvm-ifup" "kvm-ifup-os" "net-common"
    "node-daemon-setup" "prepare-node-join" "ssh-update" "ssl-update"
    "tools/burnin" "tools/cfgupgrade" "tools/kvm-console-wrapper"
    "tools/master-ip-setup" "tools/users-setup"))

(define ganeti
  (package
    (name "ganeti")
    (version "3.0.2")
    (home-page "https://www.ganeti.org/")
    (synopsis "Virtual machine cluster management")
    (description
     "Ganeti manages clusters of servers running virtual machines with Xen
or KVM.  It creates instances with their disks on local storage, replicated
with DRBD, on shared file systems or on Ceph, moves them between nodes and
fails them over when a node breaks, so that maintenance and recovery are
routine operations.  The cluster is driven with the gnt-* commands and
through a remote HTTP API, and runs a set of daemons on every node.")
    (license 'bsd-2)
    (debian-package "ganeti")
    (programs
     `(,@(host-programs "sbin" %ganeti-daemons "ganeti")
       ,@(host-programs "sbin" %ganeti-commands "ganeti")
       ,@(map (lambda (helper)
                (list (string-append "lib/ganeti/" helper)
                      (string-append "/usr/lib/ganeti/" helper)
                      "ganeti-3.0"))
              %ganeti-helpers)))))

(define ganeti-instance-guix
  (package
    (name "ganeti-instance-guix")
    (version "0.6.1")
    (home-page "https://github.com/mbakke/ganeti-instance-guix")
    (synopsis "Guix OS integration for Ganeti")
    (description
     "This is a Ganeti OS provider that installs Guix System on new
instances: each variant is an operating-system configuration from which the
instance's disk is built and then copied into place.")
    (license 'gpl3+)
    ;; Debian has no package for it: nothing to link on a Debian host.
    (programs '())))

(define ganeti-instance-debootstrap
  (package
    (name "ganeti-instance-debootstrap")
    (version "0.16")
    (home-page "https://github.com/ganeti/instance-debootstrap")
    (synopsis "Debootstrap-based Ganeti instance OS provider")
    (description
     "This Ganeti OS provider installs Debian or a derivative on new
instances with debootstrap, optionally keeping a cache of the installed
base system, and runs hook scripts to customise it (network, boot loader,
passwords...).")
    (license 'gpl2+)
    (debian-package "ganeti-instance-debootstrap")
    (programs
     `(,@(map (lambda (script)
                (list (string-append "share/ganeti/os/debootstrap/" script)
                      (string-append "/usr/share/ganeti/os/debootstrap/" script)))
              '("create" "export" "import" "rename" "verify"
                "common.sh" "ganeti_api_version" "parameters.list"))
       ,@(map (lambda (example)
                (list (string-append
                       "share/doc/ganeti-instance-debootstrap/examples/" example)
                      (string-append
                       "/usr/share/doc/ganeti-instance-debootstrap/examples/"
                       example)))
              '("defaultpasswords" "grub" "hosts" "interfaces" "ssh-keys"
                "timezone"))))))
