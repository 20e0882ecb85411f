;;; schemy --- Ganeti: a cluster manager for virtual machines.
;;;
;;; Ganeti keeps virtual machines running on a cluster of servers.  A node
;;; runs several daemons (noded, confd, wconfd, luxid, rapi, kvmd, mond,
;;; metad) and two periodic jobs (the watcher and the cleaner).  Each of them
;;; is a service type of its own with a configuration record; the umbrella
;;; `ganeti-service-type' instantiates all of them, installs the ganeti
;;; package and writes the files Ganeti reads from /etc/ganeti: the allowed
;;; file storage paths, the cluster hooks and the OS provider variants.

(define-module (gnu services ganeti)
  #:use-module (guix gexp)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services mcron)
  #:use-module (gnu packages virtualization)
  #:export (ganeti-noded-service-type
            ganeti-noded-configuration
            ganeti-noded-configuration?
            ganeti-noded-configuration-fields
            ganeti-noded-configuration-ganeti
            ganeti-noded-configuration-port
            ganeti-noded-configuration-address
            ganeti-noded-configuration-interface
            ganeti-noded-configuration-max-clients
            ganeti-noded-configuration-ssl?
            ganeti-noded-configuration-ssl-key
            ganeti-noded-configuration-ssl-cert
            ganeti-noded-configuration-debug?

            ganeti-confd-service-type
            ganeti-confd-configuration
            ganeti-confd-configuration?
            ganeti-confd-configuration-fields
            ganeti-confd-configuration-ganeti
            ganeti-confd-configuration-port
            ganeti-confd-configuration-address
            ganeti-confd-configuration-debug?

            ganeti-wconfd-service-type
            ganeti-wconfd-configuration
            ganeti-wconfd-configuration?
            ganeti-wconfd-configuration-fields
            ganeti-wconfd-configuration-ganeti
            ganeti-wconfd-configuration-no-voting?
            ganeti-wconfd-configuration-debug?

            ganeti-luxid-service-type
            ganeti-luxid-configuration
            ganeti-luxid-configuration?
            ganeti-luxid-configuration-fields
            ganeti-luxid-configuration-ganeti
            ganeti-luxid-configuration-no-voting?
            ganeti-luxid-configuration-debug?

            ganeti-rapi-service-type
            ganeti-rapi-configuration
            ganeti-rapi-configuration?
            ganeti-rapi-configuration-fields
            ganeti-rapi-configuration-ganeti
            ganeti-rapi-configuration-require-authentication?
            ganeti-rapi-configuration-port
            ganeti-rapi-configuration-address
            ganeti-rapi-configuration-interface
            ganeti-rapi-configuration-max-clients
            ganeti-rapi-configuration-ssl?
            ganeti-rapi-configuration-ssl-key
            ganeti-rapi-configuration-ssl-cert
            ganeti-rapi-configuration-debug?

            ganeti-kvmd-service-type
            ganeti-kvmd-configuration
            ganeti-kvmd-configuration?
            ganeti-kvmd-configuration-fields
            ganeti-kvmd-configuration-ganeti
            ganeti-kvmd-configuration-debug?

            ganeti-mond-service-type
            ganeti-mond-configuration
            ganeti-mond-configuration?
            ganeti-mond-configuration-fields
            ganeti-mond-configuration-ganeti
            ganeti-mond-configuration-port
            ganeti-mond-configuration-address
            ganeti-mond-configuration-debug?

            ganeti-metad-service-type
            ganeti-metad-configuration
            ganeti-metad-configuration?
            ganeti-metad-configuration-fields
            ganeti-metad-configuration-ganeti
            ganeti-metad-configuration-port
            ganeti-metad-configuration-address
            ganeti-metad-configuration-debug?

            ganeti-watcher-service-type
            ganeti-watcher-configuration
            ganeti-watcher-configuration?
            ganeti-watcher-configuration-fields
            ganeti-watcher-configuration-ganeti
            ganeti-watcher-configuration-schedule
            ganeti-watcher-configuration-rapi-ip
            ganeti-watcher-configuration-job-age
            ganeti-watcher-configuration-verify-disks?
            ganeti-watcher-configuration-debug?

            ganeti-cleaner-service-type
            ganeti-cleaner-configuration
            ganeti-cleaner-configuration?
            ganeti-cleaner-configuration-fields
            ganeti-cleaner-configuration-ganeti
            ganeti-cleaner-configuration-master-schedule
            ganeti-cleaner-configuration-node-schedule

            ganeti-os
            ganeti-os?
            ganeti-os-fields
            ganeti-os-name
            ganeti-os-extension
            ganeti-os-variants

            ganeti-os-variant
            ganeti-os-variant?
            ganeti-os-variant-fields
            ganeti-os-variant-name
            ganeti-os-variant-configuration

            debootstrap-configuration
            debootstrap-configuration?
            debootstrap-configuration-fields
            debootstrap-configuration-hooks
            debootstrap-configuration-proxy
            debootstrap-configuration-mirror
            debootstrap-configuration-arch
            debootstrap-configuration-suite
            debootstrap-configuration-extra-pkgs
            debootstrap-configuration-components
            debootstrap-configuration-generate-cache?
            debootstrap-configuration-clean-cache
            debootstrap-configuration-partition-style
            debootstrap-configuration-partition-alignment
            debootstrap-configuration->variant-file

            %debootstrap-interfaces-hook
            %debootstrap-grub-hook
            %default-debootstrap-hooks
            %default-debootstrap-extra-pkgs
            debootstrap-variant
            debootstrap-os
            %default-debootstrap-variants
            guix-variant
            guix-os
            %default-guix-variants
            %default-ganeti-os

            ganeti-configuration
            ganeti-configuration?
            ganeti-configuration-fields
            ganeti-configuration-ganeti
            ganeti-configuration-noded-configuration
            ganeti-configuration-confd-configuration
            ganeti-configuration-wconfd-configuration
            ganeti-configuration-luxid-configuration
            ganeti-configuration-rapi-configuration
            ganeti-configuration-kvmd-configuration
            ganeti-configuration-mond-configuration
            ganeti-configuration-metad-configuration
            ganeti-configuration-watcher-configuration
            ganeti-configuration-cleaner-configuration
            ganeti-configuration-file-storage-paths
            ganeti-configuration-hooks
            ganeti-configuration-os

            ganeti-service-type))

;;; Field types.
;;;
;;; Each type is a predicate named TYPE? so that `define-configuration' can
;;; check values and name the expected type in its error message.

(define (file-like-or-false? x)
  (or (not x) (file-like? x)))

(define (port-number? x)
  (and (exact-integer? x) (<= 0 x 65535)))

(define (positive-integer? x)
  (and (exact-integer? x) (> x 0)))

(define (non-negative-integer? x)
  (and (exact-integer? x) (>= x 0)))

(define (non-negative-integer-or-false? x)
  (or (not x) (non-negative-integer? x)))

(define (string-or-false? x)
  (or (not x) (string? x)))

(define (list-of-strings-or-false? x)
  (or (not x) (list-of-strings? x)))

(define (mcron-schedule? x)
  ;; A Vixie cron string ("45 1 * * *"), an mcron time expression given as
  ;; data such as '(next-minute (range 0 60 5)), or a gexp computing one.
  (or (string? x) (pair? x) (gexp? x) (procedure? x)))

(define (partition-style? x)
  ;; #f leaves PARTITION_STYLE out of the variant file.
  (or (not x) (memq x '(msdos none)) (string? x)))

(define (positive-integer-or-false? x)
  (or (not x) (positive-integer? x)))

(define (hook-name? x)
  ;; run-parts only runs files whose names are made of letters, digits, `_'
  ;; and `-': any other hook would silently never run.
  (let ((name (cond ((symbol? x) (symbol->string x))
                    ((string? x) x)
                    (else #f))))
    (and name
         (not (string-null? name))
         (string-every (lambda (c)
                         (or (char<=? #\a c #\z) (char<=? #\A c #\Z) (char<=? #\0 c #\9)
                             (memv c '(#\_ #\-))))
                       name))))

(define (debootstrap-hooks? x)
  ;; #f, a gexp or file-like object naming a directory, or a list of
  ;; (NAME . FILE-LIKE) pairs.
  (or (not x) (gexp? x) (file-like? x)
      (and (list? x)
           (every (lambda (hook)
                    (and (pair? hook) (hook-name? (car hook)) (file-like? (cdr hook))))
                  x))))

(define (file-like-or-gexp? x)
  (or (file-like? x) (gexp? x)))


;;; The daemons' configurations.

(define-configuration/no-serialization ganeti-noded-configuration
  (ganeti (file-like ganeti) "The ganeti package to use for this service.")
  (port (port-number 1811)
        "The TCP port on which the node daemon listens for network requests.")
  (address (string "0.0.0.0")
           "The network address that the daemon will bind to.  The default address means
bind to all available addresses.")
  (interface (string-or-false #f)
             "When this is set, it must be a specific network interface (e.g. eth0) that the
daemon will bind to.")
  (max-clients (positive-integer 20)
               "This sets a limit on the maximum number of simultaneous client connections
that the daemon will handle.  Connections above this count are accepted, but no responses will
be sent until enough connections have closed.")
  (ssl? (boolean #t)
        "Whether to use SSL/TLS to encrypt network communications.  The certificate is
automatically provisioned by the cluster and can be rotated with gnt-cluster renew-crypto.")
  (ssl-key (string "/var/lib/ganeti/server.pem")
           "This can be used to provide a specific encryption key for TLS communications.")
  (ssl-cert (string "/var/lib/ganeti/server.pem")
            "This can be used to provide a specific certificate for TLS communications.")
  (debug? (boolean #f)
          "When true, the daemon performs additional logging for debugging purposes.  Note
that this will leak encryption details to the log files, use with caution."))

(define-configuration/no-serialization ganeti-confd-configuration
  (ganeti (file-like ganeti) "The ganeti package to use for this service.")
  (port (port-number 1814) "The UDP port on which to listen for network requests.")
  (address (string "0.0.0.0") "Network address that the daemon will bind to.")
  (debug? (boolean #f)
          "When true, the daemon performs additional logging for debugging purposes."))

(define-configuration/no-serialization ganeti-wconfd-configuration
  (ganeti (file-like ganeti) "The ganeti package to use for this service.")
  (no-voting? (boolean #f)
              "The daemon will refuse to start if the majority of cluster nodes does not
agree that it is running on the master node.  Set to #t to start even if a quorum can not be
reached (dangerous, use with caution).")
  (debug? (boolean #f)
          "When true, the daemon performs additional logging for debugging purposes."))

(define-configuration/no-serialization ganeti-luxid-configuration
  (ganeti (file-like ganeti) "The ganeti package to use for this service.")
  (no-voting? (boolean #f)
              "The daemon will refuse to start if it cannot verify that the majority of
cluster nodes believes that it is running on the master node.  Set to #t to ignore such checks
and start anyway (this can be dangerous).")
  (debug? (boolean #f)
          "When true, the daemon performs additional logging for debugging purposes."))

(define-configuration/no-serialization ganeti-rapi-configuration
  (ganeti (file-like ganeti) "The ganeti package to use for this service.")
  (require-authentication? (boolean #f)
                           "Whether to require authentication even for read-only
operations.")
  (port (port-number 5080) "The TCP port on which to listen to API requests.")
  (address (string "0.0.0.0")
           "The network address that the service will bind to.  By default it listens on
all configured addresses.")
  (interface (string-or-false #f)
             "When set, it must specify a specific network interface such as eth0 that the
daemon will bind to.")
  (max-clients (positive-integer 20)
               "The maximum number of simultaneous client requests to handle.  Further
connections are allowed, but no responses are sent until enough connections have closed.")
  (ssl? (boolean #t) "Whether to use SSL/TLS encryption on the RAPI port.")
  (ssl-key (string "/var/lib/ganeti/server.pem")
           "This can be used to provide a specific encryption key for TLS communications.")
  (ssl-cert (string "/var/lib/ganeti/server.pem")
            "This can be used to provide a specific certificate for TLS communications.")
  (debug? (boolean #f)
          "When true, the daemon performs additional logging for debugging purposes.  Note
that this will leak encryption details to the log files, use with caution."))

(define-configuration/no-serialization ganeti-kvmd-configuration
  (ganeti (file-like ganeti) "The ganeti package to use for this service.")
  (debug? (boolean #f)
          "When true, the daemon performs additional logging for debugging purposes."))

(define-configuration/no-serialization ganeti-mond-configuration
  (ganeti (file-like ganeti) "The ganeti package to use for this service.")
  (port (port-number 1815) "The port on which the daemon will listen.")
  (address (string "0.0.0.0")
           "The network address that the daemon will bind to.  By default it binds to all
available interfaces.")
  (debug? (boolean #f)
          "When true, the daemon performs additional logging for debugging purposes."))

(define-configuration/no-serialization ganeti-metad-configuration
  (ganeti (file-like ganeti) "The ganeti package to use for this service.")
  (port (port-number 80) "The port on which the daemon will listen.")
  (address (string-or-false #f)
           "If set, the daemon will bind to this address only.  If left unset, the behavior
depends on the cluster configuration.")
  (debug? (boolean #f)
          "When true, the daemon performs additional logging for debugging purposes."))

(define-configuration/no-serialization ganeti-watcher-configuration
  (ganeti (file-like ganeti) "The ganeti package to use for this service.")
  (schedule (mcron-schedule '(next-second-from (next-minute (range 0 60 5))))
            "How often to run the script.  The default is every five minutes.")
  (rapi-ip (string-or-false #f)
           "This option needs to be specified only if the RAPI daemon is configured to use
a particular interface or address.  By default the cluster address is used.")
  (job-age (non-negative-integer (* 6 3600))
           "Archive cluster jobs older than this age, specified in seconds.  The default is
6 hours.  This keeps gnt-job list manageable.")
  (verify-disks? (boolean #t)
                 "If this is #f, the watcher will not try to repair broken DRBD links
automatically.  Administrators will need to use gnt-cluster verify-disks manually instead.")
  (debug? (boolean #f)
          "When #t, the script performs additional logging for debugging purposes."))

(define-configuration/no-serialization ganeti-cleaner-configuration
  (ganeti (file-like ganeti) "The ganeti package to use for the gnt-cleaner command.")
  (master-schedule (mcron-schedule "45 1 * * *")
                   "How often to run the master cleaning job.  The default is once per day,
at 01:45:00.")
  (node-schedule (mcron-schedule "45 2 * * *")
                 "How often to run the node cleaning job.  The default is once per day, at
02:45:00."))


;;; OS providers and their variants.

(define-configuration/no-serialization ganeti-os-variant
  (name (string) "The name of this variant.")
  (configuration (file-like-or-gexp) "A configuration file for this variant."))

(define (ganeti-os-variants? x)
  (or (file-like? x)
      (and (list? x) (every ganeti-os-variant? x))))

(define-configuration/no-serialization ganeti-os
  (name (string)
        "The name for this OS provider.  It is only used to specify where the configuration
ends up.  Setting it to \"debootstrap\" will create /etc/ganeti/instance-debootstrap.")
  (extension (string-or-false #f)
             "The file extension for variants of this OS type.  For example .conf or .scm.  It
will be appended to the variant file name if set.")
  (variants (ganeti-os-variants '())
            "This must be either a list of ganeti-os-variant objects for this OS, or a
file-like object representing the variants directory (whose variants.list file must then be
maintained by hand)."))

(define %debootstrap-interfaces-hook
  ;; The networking example of ganeti-instance-debootstrap: DHCP on eth0.
  (file-append ganeti-instance-debootstrap
               "/share/doc/ganeti-instance-debootstrap/examples/interfaces"))

(define %debootstrap-grub-hook
  ;; A hook installing GRUB 2 in the new instance, with a serial console.
  ;; The grub example shipped with ganeti-instance-debootstrap is written for
  ;; GRUB legacy and does not work with the GRUB 2 of current Debian.
  ;; run-parts calls it with TARGET (the instance's root, mounted) and
  ;; BLOCKDEV (its disk) in the environment.
  (plain-file "grub" "#!/usr/bin/env bash
# Install GRUB 2 on $BLOCKDEV from inside the instance mounted on $TARGET.
set -e
mounted=()
release() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount \"${mounted[$i]}\" || true
  done
  mounted=()
}
trap release EXIT

mount -t proc proc \"$TARGET/proc\"
mounted+=(\"$TARGET/proc\")
mount -t sysfs sysfs \"$TARGET/sys\"
mounted+=(\"$TARGET/sys\")
mount -o bind /dev \"$TARGET/dev\"
mounted+=(\"$TARGET/dev\")

# A menu on the serial console, where Ganeti's KVM instances show it.
cat >> \"$TARGET/etc/default/grub\" <<'END'
GRUB_TIMEOUT_STYLE=menu
GRUB_CMDLINE_LINUX_DEFAULT=\"console=ttyS0,115200 net.ifnames=0\"
GRUB_TERMINAL=\"serial\"
GRUB_SERIAL_COMMAND=\"serial --unit=0 --speed=115200\"
END

# The chroot inherits PATH: make sure it has the system directories.
export PATH=\"/usr/sbin:/usr/bin:/sbin:/bin:$PATH\"
chroot \"$TARGET\" grub-install \"$BLOCKDEV\"
chroot \"$TARGET\" update-grub

release
trap - EXIT
"))

(define %default-debootstrap-hooks
  ;; Networking first, then the boot loader.
  `((10-interfaces . ,%debootstrap-interfaces-hook)
    (90-grub . ,%debootstrap-grub-hook)))

(define %default-debootstrap-extra-pkgs
  ;; Packages a fully-virtualized (KVM) Debian guest needs to boot (with
  ;; GRUB 2, which the default grub hook installs), be managed over ACPI and
  ;; be reachable over SSH.
  '("acpi-support-base" "udev" "linux-image-amd64" "openssh-server" "locales-all"
    "grub-pc"))

(define-configuration/no-serialization debootstrap-configuration
  (hooks (debootstrap-hooks %default-debootstrap-hooks)
         "When not #f, this must be a G-expression that specifies a directory with scripts
that will run when the OS is installed.  It can also be a list of (name . file-like) pairs, for
example `((99-hello-world . ,(plain-file \"hello\" \"#!/bin/sh\\necho Hello, World\"))): that
creates a directory with one executable named 99-hello-world, run every time this variant is
installed.  If set to #f, hooks in /etc/ganeti/instance-debootstrap/hooks will be used, if any.")
  (proxy (string-or-false #f) "Optional HTTP proxy to use.")
  (mirror (string-or-false #f)
          "The Debian mirror.  Typically something like http://ftp.no.debian.org/debian.  The
default varies depending on the distribution.")
  (arch (string-or-false #f)
        "The dpkg architecture.  Set to armhf to debootstrap an ARMv7 instance on an AArch64
host.  Default is to use the current system architecture.")
  (suite (string-or-false "stable")
         "When set, this must be a Debian distribution suite such as buster or focal.  If set
to #f, the default for the OS provider is used.")
  (extra-pkgs (list-of-strings %default-debootstrap-extra-pkgs)
              "List of extra packages that will get installed by dpkg in addition to the
minimal system.")
  (components (list-of-strings-or-false #f)
              "When set, must be a list of Debian repository components.  For example
'(\"main\" \"contrib\").")
  (generate-cache? (boolean #t)
                   "Whether to automatically cache the generated debootstrap archive.")
  (clean-cache (non-negative-integer-or-false 14)
               "Discard the cache after this amount of days.  Use #f to never clear the
cache.")
  (partition-style (partition-style 'msdos)
                   "The type of partition to create.  When set, it must be one of 'msdos,
'none or a string.")
  (partition-alignment (positive-integer-or-false 2048)
                       "Alignment of the partition in sectors."))

(define (hook-name->string name)
  (if (symbol? name) (symbol->string name) name))

(define (debootstrap-hooks-directory hooks)
  "A directory holding one executable per (NAME . FILE-LIKE) pair of HOOKS,
as run-parts expects.  A hook whose file does not exist when the directory is
built (e.g. an example of a package not installed on the host) becomes a script
that runs the file if it exists by then, and otherwise says that it is missing
and fails, rather than failing the whole build."
  (computed-file
   "debootstrap-hooks"
   (with-imported-modules '((guix build utils))
     #~(begin
         (use-modules (guix build utils))
         (mkdir-p #$output)
         (for-each (lambda (hook)
                     (let ((target (string-append #$output "/" (car hook)))
                           (source (cdr hook)))
                       (if (file-exists? source)
                           (copy-file source target)
                           ;; Run the file through its #! line once it exists
                           ;; (e.g. after the package is installed on the host).
                           (call-with-output-file target
                             (lambda (port)
                               (format port "#!/bin/sh
src='~a'
if [ -e \"$src\" ]; then
  interpreter=$(sed -n '1s/^#![[:space:]]*//p' \"$src\")
  exec ${interpreter:-/bin/sh} \"$src\" \"$@\"
fi
echo \"debootstrap hook ~a: $src does not exist\" >&2
exit 1
"
                                       source (car hook)))))
                       (chmod target #o555)))
                   (list #$@(map (lambda (hook)
                                   #~(cons #$(hook-name->string (car hook)) #$(cdr hook)))
                                 hooks)))))))

(define (debootstrap-configuration->variant-file name config)
  "The variant file for CONFIG, sourced by ganeti-instance-debootstrap's shell
scripts: one KEY=value line per setting, in the order the original writes
them.  Unset (#f or empty) settings are left out so that the OS provider's
defaults apply."
  (define (line key value)
    (if value (string-append key "=" value "\n") ""))
  (let* ((hooks (debootstrap-configuration-hooks config))
         (hooks-directory (cond ((not hooks) #f)
                                ((or (gexp? hooks) (file-like? hooks)) hooks)
                                (else (debootstrap-hooks-directory hooks))))
         (extra-pkgs (debootstrap-configuration-extra-pkgs config))
         (components (debootstrap-configuration-components config))
         (clean-cache (debootstrap-configuration-clean-cache config))
         (style (debootstrap-configuration-partition-style config))
         (alignment (debootstrap-configuration-partition-alignment config))
         (head
          (string-append
           (line "PROXY" (debootstrap-configuration-proxy config))
           (line "MIRROR" (debootstrap-configuration-mirror config))
           (line "ARCH" (debootstrap-configuration-arch config))
           (line "SUITE" (debootstrap-configuration-suite config))
           (line "EXTRA_PKGS" (and (pair? extra-pkgs) (string-join extra-pkgs ",")))
           (line "COMPONENTS" (and (pair? components) (string-join components ",")))))
         (tail
          (string-append
           (line "GENERATE_CACHE" (if (debootstrap-configuration-generate-cache? config)
                                      "yes" "no"))
           (line "CLEAN_CACHE" (and clean-cache (number->string clean-cache)))
           (line "PARTITION_STYLE" (if (symbol? style) (symbol->string style) style))
           (line "PARTITION_ALIGNMENT" (and alignment (number->string alignment))))))
    (computed-file
     (string-append "debootstrap-" name ".conf")
     #~(call-with-output-file #$output
         (lambda (port)
           (display #$head port)
           #$@(if hooks-directory
                  (list #~(display (string-append "CUSTOMIZE_DIR=" #$hooks-directory "\n")
                                   port))
                  '())
           (display #$tail port))))))

(define (debootstrap-variant name configuration)
  "A ganeti-os-variant NAME for the debootstrap OS provider, from the
debootstrap-configuration CONFIGURATION."
  (unless (string? name)
    (error "debootstrap-variant: the name must be a string" name))
  (unless (debootstrap-configuration? configuration)
    (error "debootstrap-variant: expected a debootstrap-configuration" configuration))
  (ganeti-os-variant
   (name name)
   (configuration (debootstrap-configuration->variant-file name configuration))))

(define (flatten-variants variants)
  ;; The helpers accept the variants as separate arguments or as one list.
  (append-map (lambda (v) (if (list? v) v (list v))) variants))

(define (debootstrap-os . variants)
  "A ganeti-os record for the debootstrap OS provider with VARIANTS (made with
debootstrap-variant), given as arguments or as a list."
  (ganeti-os
   (name "debootstrap")
   (extension ".conf")
   (variants (flatten-variants variants))))

(define (guix-variant name configuration)
  "A ganeti-os-variant NAME for the Guix OS provider; CONFIGURATION is a
file-like object (or a gexp returning one) holding a system configuration."
  (ganeti-os-variant
   (name name)
   (configuration configuration)))

(define (guix-os . variants)
  "A ganeti-os record for the Guix OS provider with VARIANTS (made with
guix-variant), given as arguments or as a list."
  (ganeti-os
   (name "guix")
   (extension ".scm")
   (variants (flatten-variants variants))))

(define %default-debootstrap-variants
  (list (debootstrap-variant "default" (debootstrap-configuration))))

(define %default-guix-variants
  (list (guix-variant
         "default"
         (file-append ganeti-instance-guix
                      "/share/doc/ganeti-instance-guix/examples/dynamic.scm"))))

(define %default-ganeti-os
  (list (debootstrap-os %default-debootstrap-variants)
        (guix-os %default-guix-variants)))

(define (ganeti-os-list? x)
  (and (list? x) (every ganeti-os? x)))

(define (variant-file variant)
  "VARIANT's configuration as a file-like object."
  (let ((config (ganeti-os-variant-configuration variant)))
    (if (gexp? config)
        ;; A gexp returning a file name: copy that file.
        (computed-file (string-append "ganeti-variant-" (ganeti-os-variant-name variant))
                       #~(copy-file #$config #$output))
        config)))

(define (ganeti-os->etc-entries os)
  "The /etc entries of OS: its variants directory, given as a whole or as one
file per variant plus variants.list."
  (let* ((name (ganeti-os-name os))
         (directory (string-append "ganeti/instance-" name "/variants"))
         (extension (or (ganeti-os-extension os) ""))
         (variants (ganeti-os-variants os)))
    (if (file-like? variants)
        (list (list directory variants))
        (append
         (map (lambda (variant)
                (list (string-append directory "/" (ganeti-os-variant-name variant) extension)
                      (variant-file variant)))
              variants)
         (list (list (string-append directory "/variants.list")
                     (plain-file (string-append "ganeti-" name "-variants.list")
                                 (string-concatenate
                                  (map (lambda (v) (string-append (ganeti-os-variant-name v) "\n"))
                                       variants)))))))))


;;; Activation: the directories the daemons write to.

(define %ganeti-directories
  ;; What the daemons expect to exist: logs (also of the KVM instances and
  ;; OS installations), the RAPI users file and job queue, and the runtime
  ;; state (pid files, sockets, block device cache, certificates...).
  '("/var/log/ganeti"
    "/var/log/ganeti/kvm"
    "/var/log/ganeti/os"
    "/var/lib/ganeti/rapi"
    "/var/lib/ganeti/queue"
    "/var/lib/ganeti/queue/archive"
    "/var/run/ganeti/bdev-cache"
    "/var/run/ganeti/crypto"
    "/var/run/ganeti/socket"
    "/var/run/ganeti/instance-disks"
    "/var/run/ganeti/instance-reason"
    "/var/run/ganeti/livelocks"))

(define %ganeti-activation
  #~(for-each mkdir-p '#$%ganeti-directories))


;;; Shepherd services.

(define %ganeti-environment
  '("PATH=/run/current-system/profile/sbin:/run/current-system/profile/bin"))

(define* (ganeti-daemon-service name ganeti arguments
                                #:key documentation (requirement '(user-processes))
                                (program (file-append ganeti "/sbin/" name))
                                (environment %ganeti-environment)
                                (auto-start? #t) (actions '()))
  "A shepherd service running NAME (PROGRAM, by default a program of GANETI's
sbin) with ARGUMENTS.  The daemon forks into the background and names itself
in its pid file; it is not respawned: if it stops, it is probably for a good
reason, and ganeti-watcher restarts it otherwise."
  (shepherd-service
   (documentation documentation)
   (provision (list (string->symbol name)))
   (requirement requirement)
   (respawn? #f)
   (auto-start? auto-start?)
   (actions actions)
   (start #~(make-forkexec-constructor
             (list #$program #$@arguments)
             #$@(if environment
                    (list #~#:environment-variables #~'#$environment)
                    '())
             #:pid-file #$(string-append "/var/run/ganeti/" name ".pid")))
   (stop #~(make-kill-destructor))))

(define (flag condition . arguments)
  (if condition arguments '()))

(define (ssl-arguments ssl? key cert)
  (if ssl?
      (list (string-append "--ssl-key=" key) (string-append "--ssl-cert=" cert))
      (list "--no-ssl")))

(define (http-daemon-arguments port address interface max-clients)
  "The listening options noded and rapi share: port, address, optional interface, clients."
  (append (list (string-append "--port=" (number->string port))
                (string-append "--bind=" address))
          (flag interface (string-append "--interface=" (or interface "")))
          (list (string-append "--max-clients=" (number->string max-clients)))))

(define (ganeti-noded-shepherd-service config)
  (ganeti-daemon-service
   "ganeti-noded" (ganeti-noded-configuration-ganeti config)
   (append (http-daemon-arguments (ganeti-noded-configuration-port config)
                                  (ganeti-noded-configuration-address config)
                                  (ganeti-noded-configuration-interface config)
                                  (ganeti-noded-configuration-max-clients config))
           (ssl-arguments (ganeti-noded-configuration-ssl? config)
                          (ganeti-noded-configuration-ssl-key config)
                          (ganeti-noded-configuration-ssl-cert config))
           (flag (ganeti-noded-configuration-debug? config) "--debug"))
   #:documentation "Run the Ganeti node daemon (ganeti-noded)."
   #:requirement '(user-processes networking)))

(define (ganeti-confd-shepherd-service config)
  (ganeti-daemon-service
   "ganeti-confd" (ganeti-confd-configuration-ganeti config)
   (append (list (string-append "--port=" (number->string (ganeti-confd-configuration-port config)))
                 (string-append "--bind=" (ganeti-confd-configuration-address config)))
           (flag (ganeti-confd-configuration-debug? config) "--debug"))
   #:documentation "Run the Ganeti configuration daemon (ganeti-confd)."
   #:requirement '(user-processes networking)))

(define %wconfd-force-node-hint
  ;; While this file exists, wconfd is started even on a node that is not the
  ;; master (used when the master role moves to this node).
  "/var/lib/ganeti/guix_wconfd_force_node_hint")

(define (wconfd-wrapper ganeti arguments)
  "An executable starting GANETI's ganeti-wconfd with ARGUMENTS, forcing it to
run on this node (--force-node --no-voting --yes-do-it) when the force-node
hint exists."
  (let ((wconfd (file-append ganeti "/sbin/ganeti-wconfd"))
        (words (string-join (map (lambda (a) (string-append "'" a "'")) arguments) " ")))
    (computed-file
     "wconfd-wrapper"
     #~(begin
         (call-with-output-file #$output
           (lambda (port)
             (display (string-append
                       "#!/bin/sh\n"
                       "if [ -e " #$%wconfd-force-node-hint " ]; then\n"
                       "  exec " #$wconfd " --force-node --no-voting --yes-do-it " #$words "\n"
                       "else\n"
                       "  exec " #$wconfd " " #$words "\n"
                       "fi\n")
                      port)))
         (chmod #$output #o555)))))

(define %wconfd-force-start-action
  ;; Invoked by `gnt-cluster master-failover' on the new master, not meant
  ;; for interactive use.
  (shepherd-action
   (name 'force-start)
   (documentation "Forcefully start wconfd even on non-master nodes (dangerous!).")
   (procedure
    #~(lambda _
        (format #t "Forcefully starting the wconfd daemon...~%")
        (dynamic-wind
          (lambda ()
            (false-if-exception
             (call-with-output-file #$%wconfd-force-node-hint (const #t))))
          (lambda ()
            (stop-service (lookup-service 'ganeti-wconfd))
            (start-service (lookup-service 'ganeti-wconfd)))
          (lambda ()
            (false-if-exception (delete-file #$%wconfd-force-node-hint))))
        #t))))

(define (ganeti-wconfd-shepherd-service config)
  (let ((ganeti (ganeti-wconfd-configuration-ganeti config)))
    (ganeti-daemon-service
     "ganeti-wconfd" ganeti '()
     #:program (wconfd-wrapper
                ganeti
                (append (flag (ganeti-wconfd-configuration-no-voting? config)
                              "--no-voting" "--yes-do-it")
                        (flag (ganeti-wconfd-configuration-debug? config) "--debug")))
     #:actions (list %wconfd-force-start-action)
     #:documentation "Run the Ganeti configuration writer daemon (ganeti-wconfd).")))

(define (ganeti-luxid-shepherd-service config)
  (ganeti-daemon-service
   "ganeti-luxid" (ganeti-luxid-configuration-ganeti config)
   (append (flag (ganeti-luxid-configuration-no-voting? config) "--no-voting" "--yes-do-it")
           (flag (ganeti-luxid-configuration-debug? config) "--debug"))
   #:documentation "Run the Ganeti query and job queue daemon (ganeti-luxid)."))

(define (ganeti-rapi-shepherd-service config)
  (ganeti-daemon-service
   "ganeti-rapi" (ganeti-rapi-configuration-ganeti config)
   (append (flag (ganeti-rapi-configuration-require-authentication? config)
                 "--require-authentication")
           (http-daemon-arguments (ganeti-rapi-configuration-port config)
                                  (ganeti-rapi-configuration-address config)
                                  (ganeti-rapi-configuration-interface config)
                                  (ganeti-rapi-configuration-max-clients config))
           (ssl-arguments (ganeti-rapi-configuration-ssl? config)
                          (ganeti-rapi-configuration-ssl-key config)
                          (ganeti-rapi-configuration-ssl-cert config))
           (flag (ganeti-rapi-configuration-debug? config) "--debug"))
   #:documentation "Run the Ganeti remote API daemon (ganeti-rapi)."
   #:requirement '(user-processes networking)))

(define (ganeti-kvmd-shepherd-service config)
  (ganeti-daemon-service
   "ganeti-kvmd" (ganeti-kvmd-configuration-ganeti config)
   (flag (ganeti-kvmd-configuration-debug? config) "--debug")
   #:documentation "Run the Ganeti KVM shutdown monitor (ganeti-kvmd)."))

(define (ganeti-mond-shepherd-service config)
  (ganeti-daemon-service
   "ganeti-mond" (ganeti-mond-configuration-ganeti config)
   (append (list (string-append "--port=" (number->string (ganeti-mond-configuration-port config)))
                 (string-append "--bind=" (ganeti-mond-configuration-address config)))
           (flag (ganeti-mond-configuration-debug? config) "--debug"))
   #:documentation "Run the Ganeti monitoring daemon (ganeti-mond)."
   #:requirement '(user-processes networking)))

(define (ganeti-metad-shepherd-service config)
  (ganeti-daemon-service
   "ganeti-metad" (ganeti-metad-configuration-ganeti config)
   (append (list (string-append "--port=" (number->string (ganeti-metad-configuration-port config))))
           (let ((address (ganeti-metad-configuration-address config)))
             (flag address (string-append "--bind=" (or address ""))))
           (flag (ganeti-metad-configuration-debug? config) "--debug"))
   #:documentation "Run the Ganeti metadata daemon (ganeti-metad)."
   #:requirement '(user-processes networking)
   ;; Started on demand (by ganeti-noded, for instances that use it).
   #:auto-start? #f
   #:environment #f))


;;; mcron jobs: the watcher and the cleaner.

(define (schedule->gexp schedule)
  ;; A time expression given as data must reach mcron unevaluated.
  (if (pair? schedule) #~'#$schedule schedule))

(define (ganeti-command ganeti program . arguments)
  "A gexp: a procedure running PROGRAM of GANETI's sbin with ARGUMENTS."
  #~(lambda ()
      (system* #$(file-append ganeti "/sbin/" program) #$@arguments)))

(define (ganeti-watcher-jobs config)
  (let ((rapi-ip (ganeti-watcher-configuration-rapi-ip config)))
    (list #~(job #$(schedule->gexp (ganeti-watcher-configuration-schedule config))
                 #$(apply ganeti-command (ganeti-watcher-configuration-ganeti config)
                          "ganeti-watcher"
                          (append
                           (flag rapi-ip (string-append "--rapi-ip=" (or rapi-ip "")))
                           (list (string-append
                                  "--job-age="
                                  (number->string (ganeti-watcher-configuration-job-age config))))
                           (flag (not (ganeti-watcher-configuration-verify-disks? config))
                                 "--no-verify-disks")
                           (flag (ganeti-watcher-configuration-debug? config) "--debug")))
                 "ganeti-watcher"))))

(define (ganeti-cleaner-jobs config)
  (let ((ganeti (ganeti-cleaner-configuration-ganeti config)))
    (list #~(job #$(schedule->gexp (ganeti-cleaner-configuration-master-schedule config))
                 #$(ganeti-command ganeti "ganeti-cleaner" "master")
                 "ganeti master cleaner")
          #~(job #$(schedule->gexp (ganeti-cleaner-configuration-node-schedule config))
                 #$(ganeti-command ganeti "ganeti-cleaner" "node")
                 "ganeti node cleaner"))))


;;; Service types.

(define-syntax-rule (define-ganeti-daemon-type type type-name make-shepherd-service
                     default doc)
  (define type
    (service-type
     (name 'type-name)
     (extensions
      (list (service-extension shepherd-root-service-type
                               (lambda (config) (list (make-shepherd-service config))))
            (service-extension activation-service-type (const %ganeti-activation))))
     (default-value default)
     (description doc))))

(define-ganeti-daemon-type ganeti-noded-service-type ganeti-noded
  ganeti-noded-shepherd-service (ganeti-noded-configuration)
  "Run ganeti-noded, the daemon responsible for node-specific functions within
the Ganeti system.")

(define-ganeti-daemon-type ganeti-confd-service-type ganeti-confd
  ganeti-confd-shepherd-service (ganeti-confd-configuration)
  "Run ganeti-confd, which answers queries related to the configuration of a
Ganeti cluster: a highly available and fast way to query cluster configuration
values.  It is automatically active on all master candidates.")

(define-ganeti-daemon-type ganeti-wconfd-service-type ganeti-wconfd
  ganeti-wconfd-shepherd-service (ganeti-wconfd-configuration)
  "Run ganeti-wconfd, the daemon that has authoritative knowledge about the
cluster configuration and is the only entity that can accept changes to it.  It
only runs on the master node and disables itself on other nodes.")

(define-ganeti-daemon-type ganeti-luxid-service-type ganeti-luxid
  ganeti-luxid-shepherd-service (ganeti-luxid-configuration)
  "Run ganeti-luxid, which answers queries about the configuration and live
state of a Ganeti cluster and is the authoritative daemon for the job queue:
jobs are submitted through it and it schedules and starts them.")

(define-ganeti-daemon-type ganeti-rapi-service-type ganeti-rapi
  ganeti-rapi-shepherd-service (ganeti-rapi-configuration)
  "Run ganeti-rapi, the remote API of Ganeti clusters.  It runs on the master
node and performs cluster actions programmatically via a JSON-based RPC
protocol; write operations need authorization in /var/lib/ganeti/rapi/users.")

(define-ganeti-daemon-type ganeti-kvmd-service-type ganeti-kvmd
  ganeti-kvmd-shepherd-service (ganeti-kvmd-configuration)
  "Run ganeti-kvmd, which tells whether a KVM instance was shut down by an
administrator or by a user, by listening for shutdown events on QEMU's QMP
socket, so that user shutdowns are marked USER_down instead of ERROR_down.")

(define-ganeti-daemon-type ganeti-mond-service-type ganeti-mond
  ganeti-mond-shepherd-service (ganeti-mond-configuration)
  "Run ganeti-mond, the optional Ganeti monitoring daemon: it runs data
collectors and publishes the collected information through an HTTP interface.")

(define-ganeti-daemon-type ganeti-metad-service-type ganeti-metad
  ganeti-metad-shepherd-service (ganeti-metad-configuration)
  "Run ganeti-metad, the optional daemon that provides information about the
cluster to instances or OS install scripts.")

(define ganeti-watcher-service-type
  (service-type
   (name 'ganeti-watcher)
   (extensions
    (list (service-extension mcron-service-type ganeti-watcher-jobs)
          (service-extension activation-service-type (const %ganeti-activation))))
   (default-value (ganeti-watcher-configuration))
   (description "Periodically run ganeti-watcher, which ensures the health of a
cluster: it restarts instances that stopped without Ganeti's consent, repairs
DRBD links after a node reboot, archives old jobs and restarts Ganeti daemons
that are not running.  It can be paused with gnt-cluster watcher pause.")))

(define ganeti-cleaner-service-type
  (service-type
   (name 'ganeti-cleaner)
   (extensions
    (list (service-extension mcron-service-type ganeti-cleaner-jobs)
          (service-extension activation-service-type (const %ganeti-activation))))
   (default-value (ganeti-cleaner-configuration))
   (description "Periodically run ganeti-cleaner: one job for the master node
that purges old cluster jobs, and one for every node that removes expired X509
certificates, keys and outdated watcher information.  Safe on any node: it
disables itself as necessary.")))


;;; The umbrella service.

(define-configuration/no-serialization ganeti-configuration
  (ganeti (file-like ganeti)
          "The ganeti package to use.  It will be installed to the system profile and make
gnt-cluster, gnt-instance, etc available.  Note that the value specified here does not affect
the other services as each refer to a specific ganeti package.")
  (noded-configuration (ganeti-noded-configuration (ganeti-noded-configuration))
                       "Configuration of the ganeti-noded daemon.")
  (confd-configuration (ganeti-confd-configuration (ganeti-confd-configuration))
                       "Configuration of the ganeti-confd daemon.")
  (wconfd-configuration (ganeti-wconfd-configuration (ganeti-wconfd-configuration))
                        "Configuration of the ganeti-wconfd daemon.")
  (luxid-configuration (ganeti-luxid-configuration (ganeti-luxid-configuration))
                       "Configuration of the ganeti-luxid daemon.")
  (rapi-configuration (ganeti-rapi-configuration (ganeti-rapi-configuration))
                      "Configuration of the ganeti-rapi daemon.")
  (kvmd-configuration (ganeti-kvmd-configuration (ganeti-kvmd-configuration))
                      "Configuration of the ganeti-kvmd daemon.")
  (mond-configuration (ganeti-mond-configuration (ganeti-mond-configuration))
                      "Configuration of the ganeti-mond daemon.")
  (metad-configuration (ganeti-metad-configuration (ganeti-metad-configuration))
                       "Configuration of the ganeti-metad daemon.")
  (watcher-configuration (ganeti-watcher-configuration (ganeti-watcher-configuration))
                         "Configuration of the ganeti-watcher cron job.")
  (cleaner-configuration (ganeti-cleaner-configuration (ganeti-cleaner-configuration))
                         "Configuration of the ganeti-cleaner cron jobs.")
  (file-storage-paths (list-of-strings '())
                      "List of allowed directories for file storage backend.")
  (hooks (file-like-or-false #f)
         "When set, this should be a file-like object containing a directory with cluster
execution hooks.")
  (os (ganeti-os-list %default-ganeti-os) "List of <ganeti-os> records."))

(define (ganeti-etc-entries config)
  (let ((hooks (ganeti-configuration-hooks config))
        (paths (ganeti-configuration-file-storage-paths config)))
    (append
     ;; One path per line, without a final newline; no file without paths.
     (if (null? paths)
         '()
         (list (list "ganeti/file-storage-paths"
                     (plain-file "file-storage-paths" (string-join paths "\n")))))
     (if hooks (list (list "ganeti/hooks" hooks)) '())
     (append-map ganeti-os->etc-entries (ganeti-configuration-os config)))))

(define (ganeti-shepherd-services config)
  (list (ganeti-noded-shepherd-service (ganeti-configuration-noded-configuration config))
        (ganeti-confd-shepherd-service (ganeti-configuration-confd-configuration config))
        (ganeti-wconfd-shepherd-service (ganeti-configuration-wconfd-configuration config))
        (ganeti-luxid-shepherd-service (ganeti-configuration-luxid-configuration config))
        (ganeti-rapi-shepherd-service (ganeti-configuration-rapi-configuration config))
        (ganeti-kvmd-shepherd-service (ganeti-configuration-kvmd-configuration config))
        (ganeti-mond-shepherd-service (ganeti-configuration-mond-configuration config))
        (ganeti-metad-shepherd-service (ganeti-configuration-metad-configuration config))))

(define (ganeti-mcron-jobs config)
  (append (ganeti-watcher-jobs (ganeti-configuration-watcher-configuration config))
          (ganeti-cleaner-jobs (ganeti-configuration-cleaner-configuration config))))

(define ganeti-service-type
  (service-type
   (name 'ganeti)
   (extensions
    ;; The daemons and jobs are those of the sub-service types, built from
    ;; the sub-configurations; a sub-service type declared next to this one
    ;; therefore provides the same shepherd service twice, an error.
    (list (service-extension shepherd-root-service-type ganeti-shepherd-services)
          (service-extension mcron-service-type ganeti-mcron-jobs)
          (service-extension activation-service-type (const %ganeti-activation))
          (service-extension profile-service-type
                             (lambda (config) (list (ganeti-configuration-ganeti config))))
          (service-extension etc-service-type ganeti-etc-entries)))
   (default-value (ganeti-configuration))
   (description "Run a Ganeti node: all the daemons and cron jobs of the Ganeti
virtual machine cluster manager, the ganeti command-line tools in the system
profile, and the /etc/ganeti files for file storage paths, cluster hooks and OS
provider variants.")))
