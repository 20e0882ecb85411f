;;; schemy --- Virtualization services: libvirt, virtlog, QEMU and virtual machines.
;;;
;;; The libvirt and virtlog daemons manage virtual machines and the logs of
;;; their consoles; qemu-binfmt registers QEMU's user-mode emulators with the
;;; kernel so that foreign binaries run transparently; the QEMU guest agent
;;; lets a host control the guest it runs in; build VMs and childhurds are
;;; virtual machines that the host's build daemon can offload builds to.
;;;
;;; schemy runs the host's own programs and cannot build system images, so
;;; the disk images of build VMs and childhurds are looked for where the
;;; image record says (see `vm-image' below); a missing image, like a
;;; missing QEMU, is reported when the virtual machine is started.

(define-module (gnu services virtualization)
  #:use-module (guix gexp)
  #:use-module (schemy packages)
  #:use-module (guix records)
  #:use-module (srfi srfi-19)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services base)
  #:use-module (gnu services ssh)
  #:use-module (gnu services dbus)
  #:use-module (gnu system)
  #:use-module (gnu system shadow)
  #:use-module (gnu system file-systems)
  #:use-module (gnu bootloader)
  #:use-module (gnu bootloader grub)
  #:use-module (gnu packages ssh)
  #:use-module (gnu packages tls)
  #:use-module (gnu packages virtualization)
  #:use-module ((gnu packages admin) #:select (dmidecode inetutils))
  #:use-module ((gnu packages firmware) #:select (ovmf-x86-64))
  #:export (libvirt-configuration
            libvirt-configuration?
            libvirt-configuration-fields
            libvirt-configuration-libvirt
            libvirt-configuration-qemu
            libvirt-configuration-dmidecode
            libvirt-configuration-requirement
            libvirt-configuration-firmwares
            libvirt-configuration-listen-tls?
            libvirt-configuration-listen-tcp?
            libvirt-configuration-tls-port
            libvirt-configuration-tcp-port
            libvirt-configuration-listen-addr
            libvirt-configuration-mdns-adv?
            libvirt-configuration-mdns-name
            libvirt-configuration-unix-sock-group
            libvirt-configuration-unix-sock-ro-perms
            libvirt-configuration-unix-sock-rw-perms
            libvirt-configuration-unix-sock-admin-perms
            libvirt-configuration-unix-sock-dir
            libvirt-configuration-auth-unix-ro
            libvirt-configuration-auth-unix-rw
            libvirt-configuration-auth-tcp
            libvirt-configuration-auth-tls
            libvirt-configuration-access-drivers
            libvirt-configuration-key-file
            libvirt-configuration-cert-file
            libvirt-configuration-ca-file
            libvirt-configuration-crl-file
            libvirt-configuration-tls-no-sanity-cert
            libvirt-configuration-tls-no-verify-cert
            libvirt-configuration-tls-allowed-dn-list
            libvirt-configuration-sasl-allowed-usernames
            libvirt-configuration-tls-priority
            libvirt-configuration-max-clients
            libvirt-configuration-max-queued-clients
            libvirt-configuration-max-anonymous-clients
            libvirt-configuration-min-workers
            libvirt-configuration-max-workers
            libvirt-configuration-prio-workers
            libvirt-configuration-max-requests
            libvirt-configuration-max-client-requests
            libvirt-configuration-admin-min-workers
            libvirt-configuration-admin-max-workers
            libvirt-configuration-admin-max-clients
            libvirt-configuration-admin-max-queued-clients
            libvirt-configuration-admin-max-client-requests
            libvirt-configuration-log-level
            libvirt-configuration-log-filters
            libvirt-configuration-log-outputs
            libvirt-configuration-audit-level
            libvirt-configuration-audit-logging
            libvirt-configuration-host-uuid
            libvirt-configuration-host-uuid-source
            libvirt-configuration-keepalive-interval
            libvirt-configuration-keepalive-count
            libvirt-configuration-admin-keepalive-interval
            libvirt-configuration-admin-keepalive-count
            libvirt-configuration-ovs-timeout
            libvirt-service-type

            virtlog-configuration
            virtlog-configuration?
            virtlog-configuration-fields
            virtlog-configuration-libvirt
            virtlog-configuration-log-level
            virtlog-configuration-log-filters
            virtlog-configuration-log-outputs
            virtlog-configuration-max-clients
            virtlog-configuration-max-size
            virtlog-configuration-max-backups
            virtlog-service-type

            %qemu-platforms
            lookup-qemu-platforms
            qemu-platform?
            qemu-platform-name
            qemu-platform-family
            qemu-platform-magic
            qemu-platform-mask
            qemu-platform-flags
            qemu-binfmt-configuration
            qemu-binfmt-configuration?
            qemu-binfmt-configuration-fields
            qemu-binfmt-configuration-platforms
            qemu-binfmt-configuration-qemu
            qemu-binfmt-service-type

            qemu-guest-agent-configuration
            qemu-guest-agent-configuration?
            qemu-guest-agent-configuration-fields
            qemu-guest-agent-configuration-qemu
            qemu-guest-agent-configuration-device
            qemu-guest-agent-service-type

            xe-guest-utilities-configuration
            xe-guest-utilities-configuration?
            xe-guest-utilities-configuration-fields
            xe-guest-utilities-configuration-package
            xe-guest-utilities-configuration-pid-file
            xe-guest-utilities-configuration-log-file
            xe-guest-utilities-service-type
            xen-guest-agent-configuration
            xen-guest-agent-configuration?
            xen-guest-agent-configuration-fields
            xen-guest-agent-configuration-package
            xen-guest-agent-service-type

            vm-image
            vm-image?
            vm-image-name
            vm-image-operating-system
            vm-image-size
            vm-image-file-name
            vm-image-kernel
            vm-image-initrd
            %vm-image-directory

            virtual-build-machine
            virtual-build-machine?
            virtual-build-machine-name
            virtual-build-machine-image
            virtual-build-machine-qemu
            virtual-build-machine-cpu
            virtual-build-machine-cpu-count
            virtual-build-machine-memory-size
            virtual-build-machine-date
            virtual-build-machine-port-forwardings
            virtual-build-machine-systems
            virtual-build-machine-auto-start?
            virtual-build-machine-default-image
            virtual-build-machine-fields
            qemu-cpu-model-for-date
            virtual-build-machine-service-type

            %hurd-vm-operating-system
            hurd-vm-configuration
            hurd-vm-configuration?
            hurd-vm-configuration-os
            hurd-vm-configuration-qemu
            hurd-vm-configuration-image
            hurd-vm-configuration-disk-size
            hurd-vm-configuration-memory-size
            hurd-vm-configuration-options
            hurd-vm-configuration-id
            hurd-vm-configuration-net-options
            hurd-vm-configuration-offloading?
            hurd-vm-configuration-secret-root
            hurd-vm-configuration-fields
            hurd-vm-disk-image
            hurd-vm-port
            hurd-vm-net-options
            hurd-vm-service-type))


;;; Field types shared by the configurations below.
;;;
;;; `define-configuration' checks each value with TYPE? and serializes it
;;; with serialize-TYPE, so each type of the chapter has both here.

(define (package? x)
  ;; A package, or any file-like object standing for one.
  (file-like? x))

(define (optional-list? x)
  (list-of-strings? x))

(define (optional-string? x)
  (string? x))

(define (config-file-key field-name)
  "The key of FIELD-NAME in libvirtd.conf and virtlogd.conf: without a
trailing question mark, with underscores instead of dashes."
  (let ((name (symbol->string field-name)))
    (string-map (lambda (c) (if (char=? c #\-) #\_ c))
                (if (string-suffix? "?" name)
                    (substring name 0 (- (string-length name) 1))
                    name))))

(define (quoted-list strings)
  (string-append "["
                 (string-join (map (lambda (s) (string-append "\"" s "\"")) strings) ",")
                 "]"))

(define (serialize-string field-name value)
  (format #f "~a = \"~a\"\n" (config-file-key field-name) value))

(define (serialize-boolean field-name value)
  (format #f "~a = ~a\n" (config-file-key field-name) (if value 1 0)))

(define (serialize-integer field-name value)
  (format #f "~a = ~a\n" (config-file-key field-name) (inexact->exact value)))

(define (serialize-optional-list field-name value)
  ;; An empty list is written commented out: the daemon keeps its default.
  (if (null? value)
      (format #f "# ~a = []\n" (config-file-key field-name))
      (format #f "~a = ~a\n" (config-file-key field-name) (quoted-list value))))

(define (serialize-optional-string field-name value)
  (if (string-null? value)
      (format #f "# ~a = \"\"\n" (config-file-key field-name))
      (serialize-string field-name value)))

(define (serialize-package field-name value)
  ;; Packages are what runs the daemon, not part of its configuration file.
  "")

(define (list-of-file-likes? x)
  (and (list? x) (every file-like? x)))


;;; Libvirt daemon.

(define-configuration libvirt-configuration
  (libvirt
   (package libvirt)
   "Libvirt package.")
  (qemu
   (package qemu)
   "QEMU package, installed in the system profile next to libvirt so that
libvirtd finds the emulators it runs.")
  (dmidecode
   (package dmidecode)
   "The Dmidecode package, installed in the system profile as in Guix.")
  (requirement
   (list-of-symbols '(dbus-system))
   "The shepherd services libvirtd requires."
   (serializer empty-serializer))
  (firmwares
   (list-of-file-likes (list ovmf-x86-64))
   "Firmware packages whose share/qemu/firmware/*.json metadata files go into
/etc/qemu/firmware, where libvirt looks for them."
   (serializer empty-serializer))
  (listen-tls?
   (boolean #t)
   "Flag listening for secure TLS connections on the public TCP/IP port.  You
must set listen for this to have any effect.

It is necessary to setup a CA and issue server certificates before using this
capability.")
  (listen-tcp?
   (boolean #f)
   "Listen for unencrypted TCP connections on the public TCP/IP port.  You must
set listen for this to have any effect.

Using the TCP socket requires SASL authentication by default.  Only SASL
mechanisms which support data encryption are allowed.  This is DIGEST_MD5 and
GSSAPI (Kerberos5).")
  (tls-port
   (string "16514")
   "Port for accepting secure TLS connections.  This can be a port number, or
service name.")
  (tcp-port
   (string "16509")
   "Port for accepting insecure TCP connections.  This can be a port number, or
service name.")
  (listen-addr
   (string "0.0.0.0")
   "IP address or hostname used for client connections.")
  (mdns-adv?
   (boolean #f)
   "Flag toggling mDNS advertisement of the libvirt service.

Alternatively can disable for all services on a host by stopping the Avahi
daemon.")
  (mdns-name
   ;; The chapter writes the default as "Virtualization Host <hostname>":
   ;; <hostname> stands for the name of the machine the configuration is
   ;; evaluated on.
   (string (string-append "Virtualization Host " (gethostname)))
   "Default mDNS advertisement name.  This must be unique on the immediate
broadcast network.")
  (unix-sock-group
   (string "libvirt")
   "UNIX domain socket group ownership.  This can be used to allow a 'trusted'
set of users access to management capabilities without becoming root.")
  (unix-sock-ro-perms
   (string "0777")
   "UNIX socket permissions for the R/O socket.  This is used for monitoring VM
status only.")
  (unix-sock-rw-perms
   (string "0770")
   "UNIX socket permissions for the R/W socket.  Default allows only root.  If
PolicyKit is enabled on the socket, the default will change to allow everyone
(eg, 0777)")
  (unix-sock-admin-perms
   (string "0777")
   "UNIX socket permissions for the admin socket.  Default allows only owner
(root), do not change it unless you are sure to whom you are exposing the
access to.")
  (unix-sock-dir
   (string "/var/run/libvirt")
   "The directory in which sockets will be found/created.")
  (auth-unix-ro
   (string "polkit")
   "Authentication scheme for UNIX read-only sockets.  By default socket
permissions allow anyone to connect")
  (auth-unix-rw
   (string "polkit")
   "Authentication scheme for UNIX read-write sockets.  By default socket
permissions only allow root.  If PolicyKit support was compiled into libvirt,
the default will be to use 'polkit' auth.")
  (auth-tcp
   (string "sasl")
   "Authentication scheme for TCP sockets.  If you don't enable SASL, then all
TCP traffic is cleartext.  Don't do this outside of a dev/test scenario.")
  (auth-tls
   (string "none")
   "Authentication scheme for TLS sockets.  TLS sockets already have encryption
provided by the TLS layer, and limited authentication is done by certificates.

It is possible to make use of any SASL authentication mechanism as well, by
using 'sasl' for this option")
  (access-drivers
   (optional-list '())
   "API access control scheme.

By default an authenticated user is allowed access to all APIs.  Access
drivers can place restrictions on this.")
  (key-file
   (string "")
   "Server key file path.  If set to an empty string, then no private key is
loaded.")
  (cert-file
   (string "")
   "Server key file path.  If set to an empty string, then no certificate is
loaded.")
  (ca-file
   (string "")
   "Server key file path.  If set to an empty string, then no CA certificate is
loaded.")
  (crl-file
   (string "")
   "Certificate revocation list path.  If set to an empty string, then no CRL is
loaded.")
  (tls-no-sanity-cert
   (boolean #f)
   "Disable verification of our own server certificates.

When libvirtd starts it performs some sanity checks against its own
certificates.")
  (tls-no-verify-cert
   (boolean #f)
   "Disable verification of client certificates.

Client certificate verification is the primary authentication mechanism.  Any
client which does not present a certificate signed by the CA will be
rejected.")
  (tls-allowed-dn-list
   (optional-list '())
   "Whitelist of allowed x509 Distinguished Name.")
  (sasl-allowed-usernames
   (optional-list '())
   "Whitelist of allowed SASL usernames.  The format for username depends on
the SASL authentication mechanism.")
  (tls-priority
   (string "NORMAL")
   "Override the compile time default TLS priority string.  The default is
usually \"NORMAL\" unless overridden at build time.  Only set this is it
is desired for libvirt to deviate from the global default settings.")
  (max-clients
   (integer 5000)
   "Maximum number of concurrent client connections to allow over all sockets
combined.")
  (max-queued-clients
   (integer 1000)
   "Maximum length of queue of connections waiting to be accepted by the
daemon.  Note, that some protocols supporting retransmission may obey this so
that a later reattempt at connection succeeds.")
  (max-anonymous-clients
   (integer 20)
   "Maximum length of queue of accepted but not yet authenticated clients.  Set
this to zero to turn this feature off")
  (min-workers
   (integer 5)
   "Number of workers to start up initially.")
  (max-workers
   (integer 20)
   "Maximum number of worker threads.

If the number of active clients exceeds min-workers, then more threads
are spawned, up to max_workers limit.  Typically you'd want max_workers to
equal maximum number of clients allowed.")
  (prio-workers
   (integer 5)
   "Number of priority workers.  If all workers from above pool are stuck, some
calls marked as high priority (notably domainDestroy) can be executed in this
pool.")
  (max-requests
   (integer 20)
   "Total global limit on concurrent RPC calls.")
  (max-client-requests
   (integer 5)
   "Limit on concurrent requests from a single client connection.  To avoid one
client monopolizing the server this should be a small fraction of the global
max_requests and max_workers parameter.")
  (admin-min-workers
   (integer 1)
   "Same as min-workers but for the admin interface.")
  (admin-max-workers
   (integer 5)
   "Same as max-workers but for the admin interface.")
  (admin-max-clients
   (integer 5)
   "Same as max-clients but for the admin interface.")
  (admin-max-queued-clients
   (integer 5)
   "Same as max-queued-clients but for the admin interface.")
  (admin-max-client-requests
   (integer 5)
   "Same as max-client-requests but for the admin interface.")
  (log-level
   (integer 3)
   "Logging level.  4 errors, 3 warnings, 2 information, 1 debug.")
  (log-filters
   (string "3:remote 4:event")
   "Logging filters.

A filter allows to select a different logging level for a given category of
logs.  The format for a filter is one of:

  • x:name
  • x:+name

where name is a string which is matched against the category given in
the VIR_LOG_INIT() at the top of each libvirt source file, e.g.,
\"remote\", \"qemu\", or \"util.json\" (the name in the
filter can be a substring of the full category name, in order to match
multiple similar categories), the optional \"+\" prefix tells libvirt
to log stack trace for each message matching name, and x is the minimal
level where matching messages should be logged:

  • 1: DEBUG
  • 2: INFO
  • 3: WARNING
  • 4: ERROR

Multiple filters can be defined in a single filters statement, they just need
to be separated by spaces.")
  (log-outputs
   (string "3:stderr")
   "Logging outputs.

An output is one of the places to save logging information.  The format for
an output can be:

x:stderr

output goes to stderr

x:syslog:name

use syslog for the output and use the given name as the ident

x:file:file_path

output to a file, with the given filepath

x:journald

output to journald logging system

In all case the x prefix is the minimal level, acting as a filter

  • 1: DEBUG
  • 2: INFO
  • 3: WARNING
  • 4: ERROR

Multiple outputs can be defined, they just need to be separated by spaces.")
  (audit-level
   (integer 1)
   "Allows usage of the auditing subsystem to be altered

  • 0: disable all auditing
  • 1: enable auditing, only if enabled on host
  • 2: enable auditing, and exit if disabled on host.")
  (audit-logging
   (boolean #f)
   "Send audit messages via libvirt logging infrastructure.")
  (host-uuid
   (optional-string "")
   "Host UUID.  UUID must not have all digits be the same.")
  (host-uuid-source
   (string "smbios")
   "Source to read host UUID.

  • smbios: fetch the UUID from dmidecode -s system-uuid
  • machine-id: fetch the UUID from /etc/machine-id

If dmidecode does not provide a valid UUID a temporary UUID will be
generated.")
  (keepalive-interval
   (integer 5)
   "A keepalive message is sent to a client after keepalive_interval
seconds of inactivity to check if the client is still responding.  If set to
-1, libvirtd will never send keepalive requests; however clients can still
send them and the daemon will send responses.")
  (keepalive-count
   (integer 5)
   "Maximum number of keepalive messages that are allowed to be sent to the
client without getting any response before the connection is considered
broken.

In other words, the connection is automatically closed approximately after
keepalive_interval * (keepalive_count + 1) seconds since the last
message received from the client.  When keepalive-count is set to 0,
connections will be automatically closed after keepalive-interval
seconds of inactivity without sending any keepalive messages.")
  (admin-keepalive-interval
   (integer 5)
   "Same as above but for admin interface.")
  (admin-keepalive-count
   (integer 5)
   "Same as above but for admin interface.")
  (ovs-timeout
   (integer 5)
   "Timeout for Open vSwitch calls.

The ovs-vsctl utility is used for the configuration and its timeout
option is set by default to 5 seconds to avoid potential infinite waits
blocking libvirt."))

(define %libvirt-accounts
  (list (user-group (name "libvirt") (system? #t))))

(define (libvirt-activation config)
  #~(mkdir-p #$(libvirt-configuration-unix-sock-dir config)))

(define (libvirt-config-file config)
  (plain-file "libvirtd.conf"
              (serialize-configuration config libvirt-configuration-fields)))

(define %system-profile-path
  ;; Where the daemon finds the helper programs it runs (qemu, dnsmasq...).
  "PATH=/run/current-system/profile/bin:/run/current-system/profile/sbin")

(define (libvirt-shepherd-service config)
  (list (shepherd-service
         (documentation "Run the libvirt daemon.")
         (provision '(libvirtd))
         (requirement (libvirt-configuration-requirement config))
         (start #~(make-forkexec-constructor
                   (list #$(file-append (libvirt-configuration-libvirt config)
                                        "/sbin/libvirtd")
                         "-f" #$(libvirt-config-file config)
                         ;; listen_tcp in the file only takes effect when
                         ;; the daemon is told to listen.
                         #$@(if (libvirt-configuration-listen-tcp? config)
                                '("--listen")
                                '()))
                   #:environment-variables (list #$%system-profile-path)))
         (stop #~(make-kill-destructor)))))

(define libvirt-service-type
  (service-type
   (name 'libvirt)
   (extensions
    (list (service-extension shepherd-root-service-type libvirt-shepherd-service)
          (service-extension account-service-type (const %libvirt-accounts))
          (service-extension activation-service-type libvirt-activation)
          ;; auth_unix_ro and auth_unix_rw default to "polkit": libvirt's
          ;; polkit actions have to be installed.
          (service-extension polkit-service-type
                             (lambda (config)
                               (list (libvirt-configuration-libvirt config))))
          (service-extension profile-service-type
                             (lambda (config)
                               (list (libvirt-configuration-dmidecode config)
                                     (libvirt-configuration-libvirt config)
                                     (libvirt-configuration-qemu config))))
          ;; As Guix: the firmwares' QEMU metadata files, merged in /etc/qemu/firmware.
          (service-extension etc-service-type
                             (lambda (config)
                               (let ((dirs (map (lambda (p) (file-append p "/share/qemu/firmware"))
                                                (libvirt-configuration-firmwares config))))
                                 (list (list "qemu/firmware"
                                             (computed-file
                                              "etc-qemu-firmware"
                                              #~(begin
                                                  (use-modules (ice-9 ftw))
                                                  (mkdir #$output)
                                                  (for-each
                                                   (lambda (dir)
                                                     (when (file-exists? dir)
                                                       (for-each
                                                        (lambda (f)
                                                          (let ((to (string-append #$output "/" f)))
                                                            (unless (file-exists? to)
                                                              (symlink (string-append dir "/" f) to))))
                                                        (scandir dir (lambda (f)
                                                                       (string-suffix? ".json" f))))))
                                                   (list #$@dirs)))))))))))
   (default-value (libvirt-configuration))
   (description "Run libvirtd, the server side daemon of the libvirt
virtualization management system.  It runs on host servers and performs the
management tasks of their virtualized guests; unprivileged users must be
members of the libvirt group to connect to it.")))


;;; Virtlog daemon.

(define-configuration virtlog-configuration
  (libvirt
   (package libvirt)
   "Libvirt package.")
  (log-level
   (integer 3)
   "Logging level.  4 errors, 3 warnings, 2 information, 1 debug.")
  (log-filters
   (string "3:remote 4:event")
   "Logging filters.

A filter allows to select a different logging level for a given category of
logs The format for a filter is one of:

  • x:name
  • x:+name

where name is a string which is matched against the category given in
the VIR_LOG_INIT() at the top of each libvirt source file, e.g.,
\"remote\", \"qemu\", or \"util.json\" (the name in the filter can be a
substring of the full category name, in order to match multiple similar
categories), the optional \"+\" prefix tells libvirt to log stack trace for
each message matching name, and x is the minimal level where matching
messages should be logged:

  • 1: DEBUG
  • 2: INFO
  • 3: WARNING
  • 4: ERROR

Multiple filters can be defined in a single filters statement, they just need
to be separated by spaces.")
  (log-outputs
   (string "3:stderr")
   "Logging outputs.

An output is one of the places to save logging information The format for an
output can be:

x:stderr

output goes to stderr

x:syslog:name

use syslog for the output and use the given name as the ident

x:file:file_path

output to a file, with the given filepath

x:journald

output to journald logging system

In all case the x prefix is the minimal level, acting as a filter

  • 1: DEBUG
  • 2: INFO
  • 3: WARNING
  • 4: ERROR

Multiple outputs can be defined, they just need to be separated by spaces.")
  (max-clients
   (integer 1024)
   "Maximum number of concurrent client connections to allow over all sockets
combined.")
  (max-size
   (integer 2097152)
   "Maximum file size before rolling over.")
  (max-backups
   (integer 3)
   "Maximum number of backup files to keep."))

(define (virtlog-config-file config)
  (plain-file "virtlogd.conf"
              (serialize-configuration config virtlog-configuration-fields)))

(define (virtlog-shepherd-service config)
  (list (shepherd-service
         (documentation "Run the virtlog daemon.")
         (provision '(virtlogd))
         (requirement '())
         (start #~(make-forkexec-constructor
                   (list #$(file-append (virtlog-configuration-libvirt config)
                                        "/sbin/virtlogd")
                         "-f" #$(virtlog-config-file config))))
         (stop #~(make-kill-destructor)))))

(define virtlog-service-type
  (service-type
   (name 'virtlogd)
   (extensions
    (list (service-extension shepherd-root-service-type virtlog-shepherd-service)))
   (default-value (virtlog-configuration))
   (description "Run virtlogd, the libvirt daemon that manages the logs
of virtual machine consoles on behalf of libvirtd, so that libvirtd can be
restarted without losing them.")))


;;; Transparent emulation with QEMU.

(define-record-type <qemu-platform>
  (qemu-platform name family magic mask flags)
  qemu-platform?
  (name   qemu-platform-name)                   ;string, e.g. "arm"
  (family qemu-platform-family)                 ;string, e.g. "arm"
  (magic  qemu-platform-magic)                  ;bytevector
  (mask   qemu-platform-mask)                   ;bytevector
  ;; F: open the interpreter when registering, so that it works in
  ;; containers and chroots; P: keep the program's own argv[0].
  (flags  qemu-platform-flags))                 ;string

(set-record-type-printer! <qemu-platform>
  (lambda (platform port)
    (display "#<qemu-platform " port)
    (display (qemu-platform-name platform) port)
    (display ">" port)))

(define %known-qemu-platforms
  ;; Every platform described in the original, generated from its source by
  ;; tools/derive_qemu_platforms.scm: pairs of the platform and whether
  ;; %qemu-platforms offers it.
  (map (lambda (entry)
         (apply (lambda (name family magic mask offered?)
                  (cons (qemu-platform name family magic mask "FP") offered?))
                entry))
       (include "qemu-platforms.scm")))

(define %qemu-platforms
  ;; The platforms the qemu-binfmt service offers (the original leaves out
  ;; i486, armeb, sparc and aarch64be, which binfmt_misc refuses there).
  (filter-map (lambda (entry) (and (cdr entry) (car entry)))
              %known-qemu-platforms))

(define (%lookup-qemu-platforms location . names)
  (define (fail message . arguments)
    (%raise-located location
                    (apply format #f (string-append "lookup-qemu-platforms: " message)
                           arguments)))
  (map (lambda (name)
         (unless (string? name)
           (fail "platform name must be a string, not ~s" name))
         (or (find (lambda (platform)
                     (string=? (qemu-platform-name platform) name))
                   (map car %known-qemu-platforms))
             (fail "unknown QEMU platform ~s (known platforms: ~a)"
                   name (string-join (sort (map (compose qemu-platform-name car)
                                                %known-qemu-platforms)
                                           string<?)
                                     " "))))
       (append-map (lambda (x) (if (list? x) x (list x))) names)))

(define-syntax lookup-qemu-platforms
  ;; Return the platform objects of NAMES, strings such as "arm" or
  ;; "mips64el", in that order.  An unknown name is an error located at the
  ;; call.
  (lambda (x)
    (syntax-case x ()
      ((_ name ...)
       #`(%lookup-qemu-platforms '#,(%syntax-location x) name ...))
      (id (identifier? #'id)
          #'%lookup-qemu-platforms/unlocated))))

(define (%lookup-qemu-platforms/unlocated . names)
  (apply %lookup-qemu-platforms #f names))

(define (list-of-qemu-platforms? x)
  (and (list? x) (every qemu-platform? x)))

(define-configuration/no-serialization qemu-binfmt-configuration
  (platforms
   (list-of-qemu-platforms '())
   "The list of emulated QEMU platforms.  Each item must be a platform
object as returned by lookup-qemu-platforms.")
  (qemu
   (package qemu)
   "The QEMU package to use."))

(define %binfmt-misc-directory
  ;; Where the kernel's binfmt_misc file system is mounted.  The environment
  ;; variable SCHEMY_BINFMT_MISC, read when the service starts or stops,
  ;; overrides it (tests use a private or stand-in instance).
  "/proc/sys/fs/binfmt_misc")

(define (bytevector->binfmt-string bv)
  "Every byte of BV as a \\xHH escape, as binfmt_misc expects."
  (string-concatenate
   (map (lambda (byte)
          (string-append "\\x" (string-pad (number->string byte 16) 2 #\0)))
        (bytevector->u8-list bv))))

(define (qemu-platform->binfmt-registration qemu platform)
  "A gexp evaluating to the line that registers PLATFORM with binfmt_misc:
:qemu-NAME:M::MAGIC:MASK:INTERPRETER:FLAGS."
  (let ((name (qemu-platform-name platform)))
    #~(list #$(string-append "qemu-" name)
            #$(file-append qemu "/bin/qemu-" name)
            (string-append
             #$(string-append ":qemu-" name ":M::"
                              (bytevector->binfmt-string (qemu-platform-magic platform))
                              ":"
                              (bytevector->binfmt-string (qemu-platform-mask platform))
                              ":")
             #$(file-append qemu "/bin/qemu-" name)
             #$(string-append ":" (qemu-platform-flags platform))))))

(define (qemu-binfmt-shepherd-service config)
  (let* ((qemu (qemu-binfmt-configuration-qemu config))
         (platforms (qemu-binfmt-configuration-platforms config))
         (registrations (map (lambda (platform)
                               (qemu-platform->binfmt-registration qemu platform))
                             platforms)))
    (list (shepherd-service
           (provision '(qemu-binfmt))
           (requirement '(file-system-/proc/sys/fs/binfmt_misc))
           (documentation "Register QEMU's user-mode emulators with the kernel's
binfmt_misc, for transparent emulation of foreign binaries.")
           (respawn? #f)
           (start
            #~(lambda _
                (let* ((directory (or (getenv "SCHEMY_BINFMT_MISC")
                                      #$%binfmt-misc-directory))
                       (register (string-append directory "/register"))
                       (registrations (list #$@registrations)))
                  (unless (file-exists? register)
                    (error (string-append
                            "qemu-binfmt: " register " does not exist: binfmt_misc "
                            "is not mounted on " directory)))
                  ;; Check every emulator first: nothing is registered
                  ;; unless everything can be.
                  (for-each
                   (lambda (registration)
                     (let ((entry (car registration))
                           (interpreter (cadr registration)))
                       (unless (file-exists? interpreter)
                         (error (string-append
                                 "qemu-binfmt: cannot register " entry ": "
                                 (or (%explain-missing-program interpreter)
                                     (string-append interpreter " does not exist")))))))
                   registrations)
                  (for-each
                   (lambda (registration)
                     (let ((entry (car registration))
                           (line (caddr registration)))
                       (unless (file-exists? (string-append directory "/" entry))
                         (let ((port (open-file register "a")))
                           (display line port)
                           (newline port)
                           (close-port port)))))
                   registrations)
                  #t)))
           (stop
            #~(lambda _
                (let ((directory (or (getenv "SCHEMY_BINFMT_MISC")
                                     #$%binfmt-misc-directory)))
                  (for-each (lambda (entry)
                              (let ((file (string-append directory "/" entry)))
                                (when (file-exists? file)
                                  (let ((port (open-file file "w")))
                                    (display "-1" port)
                                    (close-port port)))))
                            '#$(map (lambda (platform)
                                      (string-append "qemu-" (qemu-platform-name platform)))
                                    platforms))
                  #f)))))))

(define qemu-binfmt-service-type
  (service-type
   (name 'qemu-binfmt)
   (extensions
    ;; The file system its shepherd service requires is mounted by the
    ;; file-system service, whether or not the system lists it.
    (list (service-extension file-system-service-type
                             (const (list %binary-format-file-system)))
          (service-extension shepherd-root-service-type
                             qemu-binfmt-shepherd-service)))
   (default-value (qemu-binfmt-configuration))
   (description "Register QEMU's user-mode emulators with the kernel's
binfmt_misc feature, so that binaries built for another architecture,
such as ARMv7 programs on an x86_64 machine, run transparently under QEMU
emulation.  Only GNU/Linux binaries can be emulated this way.")))


;;; QEMU guest agent.

(define-configuration/no-serialization qemu-guest-agent-configuration
  (qemu
   (package qemu-minimal)
   "The QEMU package to use.")
  (device
   (string "")
   "File name of the device or socket the agent uses to communicate with the
host.  If empty, QEMU uses a default file name."))

(define %qemu-guest-agent-log-file "/var/log/qemu-ga.log")

(define (qemu-guest-agent-command config)
  ;; The agent stays in the foreground (shepherd supervises it) and keeps
  ;; its state under /var/run.
  (let ((device (qemu-guest-agent-configuration-device config)))
    (append (list (file-append (qemu-guest-agent-configuration-qemu config)
                               "/bin/qemu-ga")
                  "--statedir" "/var/run")
            (if (string-null? device)
                '()
                (list "--path" device)))))

(define (qemu-guest-agent-shepherd-service config)
  (list (shepherd-service
         (provision '(qemu-guest-agent))
         ;; udev makes the virtio ports (/dev/virtio-ports/...) the agent
         ;; talks through.
         (requirement '(user-processes udev))
         (documentation "Run the QEMU guest agent.")
         (start #~(make-forkexec-constructor
                   (list #$@(qemu-guest-agent-command config))
                   #:log-file #$%qemu-guest-agent-log-file))
         (stop #~(make-kill-destructor)))))

(define qemu-guest-agent-service-type
  (service-type
   (name 'qemu-guest-agent)
   (extensions
    (list (service-extension shepherd-root-service-type
                             qemu-guest-agent-shepherd-service)))
   (default-value (qemu-guest-agent-configuration))
   (description "Run the QEMU guest agent, qemu-ga, inside a guest, so
that the host running the virtual machine can control it: query its state,
freeze its file systems, shut it down...")))


;;; Guest agents for virtual machines running under Xen (Guix's module has
;;; them next to QEMU's): XenServer's xe-daemon, or the newer xen-guest-agent.
;;; Both provide `xen-guest-agent', so a system runs one of them.

(define-configuration/no-serialization xe-guest-utilities-configuration
  (package (file-like xe-guest-utilities) "The Xen guest utilities package.")
  (pid-file (string "/var/run/xe-daemon.pid") "The file xe-daemon writes its PID to.")
  (log-file (string "/var/log/xe-guest-utilties.log")
            "The agent's log file (named as Guix names it)."))

(define (xe-guest-utilities-shepherd-service config)
  (let ((utils (xe-guest-utilities-configuration-package config))
        (pid-file (xe-guest-utilities-configuration-pid-file config))
        (log-file (xe-guest-utilities-configuration-log-file config)))
    (list (shepherd-service
           (provision '(xen-guest-agent))
           (requirement '(networking user-processes udev))
           (documentation "Run the Xen guest management agent.")
           (start #~(lambda _
                      (let ((pid (make-forkexec-constructor
                                  (list #$(file-append utils "/sbin/xe-daemon") "-p" #$pid-file)
                                  #:log-file #$log-file
                                  #:pid-file #$pid-file
                                  #:environment-variables
                                  (list (string-append "PATH=" #$(file-append utils "/bin")
                                                       ":" #$(file-append inetutils "/bin"))))))
                        ;; The distribution facts the host reads are gathered
                        ;; before the daemon is started.
                        (system* #$(file-append utils "/sbin/xe-linux-distribution")
                                 "/var/cache/xe-linux-distribution")
                        pid)))
           (stop #~(make-kill-destructor))))))

(define (xe-guest-utilities-udev-rules config)
  (list (file->udev-rule
         "z10_xen-vcpu-hotplug.rules"
         (file-append (xe-guest-utilities-configuration-package config)
                      "/lib/udev/rules.d/z10_xen-vcpu-hotplug.rules"))))

(define xe-guest-utilities-service-type
  (service-type
   (name 'xe-guest-utilities)
   (extensions
    (list (service-extension shepherd-root-service-type xe-guest-utilities-shepherd-service)
          (service-extension udev-service-type xe-guest-utilities-udev-rules)))
   (default-value (xe-guest-utilities-configuration))
   (description "Run XenServer's guest utilities (xe-daemon) in a Xen guest.")))

(define-configuration/no-serialization xen-guest-agent-configuration
  (package (file-like xen-guest-agent) "The Xen guest agent package."))

(define (xen-guest-agent-shepherd-service config)
  (list (shepherd-service
         (provision '(xen-guest-agent))
         (requirement '(networking user-processes udev))
         (documentation "Run the Xen guest management agent.")
         (start #~(make-forkexec-constructor
                   (list #$(file-append (xen-guest-agent-configuration-package config)
                                        "/bin/xen-guest-agent"))))
         (stop #~(make-kill-destructor)))))

(define xen-guest-agent-service-type
  (service-type
   (name 'xen-guest-agent)
   (extensions
    (list (service-extension shepherd-root-service-type xen-guest-agent-shepherd-service)))
   (default-value (xen-guest-agent-configuration))
   (description "Run the Xen guest agent in a Xen guest.")))


;;; Dates of the build VMs' clocks (SRFI-19 dates).

(define (date->utc date)
  (time-utc->date (date->time-utc date) 0))

(define (date->iso-8601 date)
  "DATE as YYYY-MM-DDTHH:MM:SS in its own time zone, the form QEMU's -rtc
base= takes (SRFI-19's ~5)."
  (date->string date "~5"))


;;; Disk images of virtual machines.
;;;
;;; The original builds these images from an operating-system declaration.
;;; schemy cannot build system images, so an image record says which system
;;; the image holds and which file the virtual machine boots from; that file
;;; has to be made (e.g. with `guix system image') and put in place by other
;;; means.  Starting the machine without it is an error that says so.

(define %vm-image-directory
  "/var/lib/schemy/vm-images")

(define-record-type* <vm-image> vm-image make-vm-image
  vm-image?
  (name             vm-image-name)                     ;file name, e.g. "build-vm.qcow2"
  (operating-system vm-image-operating-system (default #f))
  (size             vm-image-size (default 'guess))    ;bytes or 'guess
  (file-name        vm-image-file-name                 ;where the image is looked for
                    (thunked)
                    (default (string-append %vm-image-directory "/"
                                            (vm-image-name this-record))))
  ;; The kernel and initial RAM disk QEMU boots the image's system with
  ;; (the original takes them from the system it builds).
  (kernel           vm-image-kernel
                    (thunked)
                    (default (string-append (vm-image-file-name this-record) ".kernel")))
  (initrd           vm-image-initrd
                    (thunked)
                    (default (string-append (vm-image-file-name this-record) ".initrd"))))

(set-record-type-printer! <vm-image>
  (lambda (image port)
    (display "#<vm-image " port)
    (display (vm-image-file-name image) port)
    (display ">" port)))

(define (image-file image)
  "What a virtual machine boots from: the file of IMAGE when it is an image
record, IMAGE itself when it is a file name or a file-like object."
  (if (vm-image? image)
      (vm-image-file-name image)
      image))

(define (vm-file-checks who qemu files)
  "A gexp raising an error unless QEMU and FILES exist (see checked-vm-start)."
  #~(let ((qemu #$qemu))
      (unless (file-exists? qemu)
        (error (string-append #$who ": cannot start the virtual machine: "
                              (or (%explain-missing-program qemu)
                                  (string-append qemu " does not exist")))))
      (for-each
       (lambda (entry)
         (let ((what (car entry)) (file (cadr entry)))
           (unless (file-exists? file)
             (error (string-append
                     #$who ": " what " " file " does not exist (schemy cannot "
                     "build system images: create it, e.g. with `guix system image', "
                     "or set the configuration's image field)")))))
       (list #$@(map (lambda (entry) #~(list #$(car entry) #$(cadr entry))) files)))))

(define* (vm-start-sending-secrets who qemu files command
                                   #:key secrets-port secret-root user group
                                   environment-variables)
  "A gexp starting a virtual machine as checked-vm-start does, then sending
the files under SECRET-ROOT to its secret service through the host port
SECRETS-PORT (forwarded to the guest's 1004), as the original does: the
machine is stopped if the guest does not take them.  Without SECRETS-PORT
nothing is sent."
  #~(lambda args
      #$(vm-file-checks who qemu files)
      (let ((pid (fork+exec-command (cons #$qemu (append #$command args))
                                    #:user #$user
                                    #:group #$group
                                    #:environment-variables #$environment-variables)))
        #$(if secrets-port
              #~(let ((address (make-socket-address AF_INET INADDR_LOOPBACK #$secrets-port)))
                  (catch #t
                    (lambda ()
                      (if ((@ (gnu build secret-service) secret-service-send-secrets)
                           address #$secret-root)
                          pid
                          (begin
                            (kill (- pid) SIGTERM)
                            #f)))
                    (lambda (key . rest)
                      (kill (- pid) SIGTERM)
                      (apply throw key rest))))
              #~pid))))

(define (checked-vm-start who qemu files command . options)
  "A gexp starting a virtual machine: COMMAND (a gexp evaluating to the list
of arguments that follow QEMU) run by QEMU, once QEMU and FILES are known to
exist, with OPTIONS passed on to `make-forkexec-constructor'.  FILES is a
list of (DESCRIPTION FILE) lists, such as (\"disk image\" IMAGE)."
  #~(lambda args
      #$(vm-file-checks who qemu files)
      (let ((qemu #$qemu))
        (apply (make-forkexec-constructor
                (cons qemu #$command)
                #$@options)
               args))))


;;; Virtual build machines.

(define (positive-integer? x)
  (and (exact-integer? x) (> x 0)))

(define (port-number? x)
  (and (exact-integer? x) (< 0 x 65536)))

(define (port-forwardings? x)
  (and (list? x)
       (every (lambda (pair)
                (and (pair? pair) (port-number? (car pair)) (port-number? (cdr pair))))
              x)))

(define (image-value? x)
  (or (vm-image? x) (string? x) (file-like? x) (procedure? x)))

(define %x86-64-intel-cpu-models
  ;; Release dates of Intel's x86_64 CPU models and their QEMU names, in the
  ;; order the original looks them up (generated from its source by
  ;; tools/derive_build_vm_cpu_models.scm).
  (map (lambda (entry)
         (cons (date->time-utc (string->date (car entry) "~Y-~m-~d")) (cdr entry)))
       (include "build-vm-cpu-models.scm")))

(define (qemu-cpu-model-for-date systems date)
  "The QEMU name of a CPU model for SYSTEMS that was current at DATE: for
x86_64, the first model of the list released before DATE; \"host\" for other
systems."
  (if (any (lambda (system) (string-prefix? "x86_64-" system)) systems)
      (let ((time (date->time-utc date)))
        (any (lambda (entry)
               (and (time<? (car entry) time) (cdr entry)))
             %x86-64-intel-cpu-models))
      "host"))

(define %default-build-vm-date
  ;; A few years ago: old enough to get past the time traps of the software
  ;; of that time, on a CPU model of that time.
  (make-date 0 0 0 0 1 1 2020 0))

(define %offloading-account
  ;; The account of a build VM or childhurd that the host's build daemon
  ;; logs into to offload builds.
  (user-account
   (name "offloading")
   (comment "Account the host offloads builds to")
   (group "users")
   (home-directory "/home/offloading")))

(define %build-vm-operating-system
  ;; A minimal system that builds what the host offloads to it over SSH.
  (operating-system
    (host-name "build-machine")
    (bootloader (bootloader-configuration
                 (bootloader grub-bootloader)
                 (targets '("/dev/vda"))
                 (timeout 0)))
    (file-systems (cons (file-system
                          (mount-point "/")
                          (device (file-system-label "build-vm"))
                          (type "ext4"))
                        %base-file-systems))
    (users (cons %offloading-account %base-user-accounts))
    (services (cons (service openssh-service-type
                             (openssh-configuration
                              (permit-root-login #f)
                              (password-authentication? #f)))
                    %base-services))))

(define (virtual-build-machine-default-image vm)
  "The image of VM: a minimal operating system that builds for the host."
  (vm-image
   (name (string-append (symbol->string (virtual-build-machine-name vm)) ".qcow2"))
   (operating-system %build-vm-operating-system)))

(define-record-type* <virtual-build-machine> virtual-build-machine
  make-virtual-build-machine
  virtual-build-machine?
  this-virtual-build-machine
  (name        virtual-build-machine-name
               (default 'build-vm)
               (sanitize (field-checker symbol?
                                        (invalid-field-value 'virtual-build-machine 'name
                                                             "a symbol"))))
  (image       virtual-build-machine-image
               (thunked)
               (default (virtual-build-machine-default-image this-virtual-build-machine))
               (sanitize (field-checker image-value?
                                        (invalid-field-value 'virtual-build-machine 'image
                                                             "an image, a file name or a file-like object"))))
  (qemu        virtual-build-machine-qemu
               (default qemu-minimal)
               (sanitize (field-checker package?
                                        (invalid-field-value 'virtual-build-machine 'qemu
                                                             "a package"))))
  (cpu         virtual-build-machine-cpu
               (thunked)
               (default (qemu-cpu-model-for-date
                         (virtual-build-machine-systems this-virtual-build-machine)
                         (virtual-build-machine-date this-virtual-build-machine)))
               (sanitize (field-checker string?
                                        (invalid-field-value 'virtual-build-machine 'cpu
                                                             "a string"))))
  (cpu-count   virtual-build-machine-cpu-count
               (default 4)
               (sanitize (field-checker positive-integer?
                                        (invalid-field-value 'virtual-build-machine 'cpu-count
                                                             "a positive integer"))))
  (memory-size virtual-build-machine-memory-size       ;MiB
               (default 2048)
               (sanitize (field-checker positive-integer?
                                        (invalid-field-value 'virtual-build-machine 'memory-size
                                                             "a positive integer"))))
  (date        virtual-build-machine-date
               (default %default-build-vm-date)
               (sanitize (field-checker date?
                                        (invalid-field-value 'virtual-build-machine 'date
                                                             "a SRFI-19 date"))))
  (port-forwardings virtual-build-machine-port-forwardings
               (default '((11022 . 22) (11004 . 1004)))
               (sanitize (field-checker port-forwardings?
                                        (invalid-field-value 'virtual-build-machine 'port-forwardings
                                                             "a list of (HOST-PORT . GUEST-PORT) pairs"))))
  (systems     virtual-build-machine-systems
               (default (list (%current-system)))
               (sanitize (field-checker list-of-strings?
                                        (invalid-field-value 'virtual-build-machine 'systems
                                                             "a list of system types"))))
  (auto-start? virtual-build-machine-auto-start?
               (default #f)
               (sanitize (field-checker boolean?
                                        (invalid-field-value 'virtual-build-machine 'auto-start?
                                                             "a boolean"))))
  ;; Computed last: reading the thunked fields here checks their values while
  ;; the location of the record's construction is known.
  (location    virtual-build-machine-location
               (innate)
               (default (begin
                          (virtual-build-machine-image this-virtual-build-machine)
                          (virtual-build-machine-cpu this-virtual-build-machine)
                          (%construction-location)))))

(define-syntax-rule (documented-fields accessor-of (field kind default doc) ...)
  ;; Field descriptors of a record defined with `define-record-type*', for the
  ;; documentation tools, like those `define-configuration' makes.
  (list (configuration-field
         (name 'field)
         (type 'kind)
         (getter (accessor-of field))
         (default-value-thunk (lambda () default))
         (documentation doc))
        ...))

(define-syntax-rule (build-vm-getter field)
  (lambda (vm) (record-field-value vm 'field)))

(define virtual-build-machine-fields
  (documented-fields
   build-vm-getter
   (name symbol 'build-vm
         "The name of this build VM.  It is used to construct the name of its
Shepherd service.")
   (image image (virtual-build-machine-default-image (virtual-build-machine))
          "The image of the virtual machine.  This notably specifies the virtual
disk size and the operating system running into it.  The default value is a
minimal operating system image.")
   (qemu package qemu-minimal
         "The QEMU package to run the image.")
   (cpu string (qemu-cpu-model-for-date (list (%current-system)) %default-build-vm-date)
        "The CPU model being emulated as a string denoting a model known to QEMU.

The default value is a model that matches date.  To see what CPU models are
available, run, for example: qemu-system-x86_64 -cpu help")
   (cpu-count integer 4
              "The number of CPUs emulated by the virtual machine.")
   (memory-size integer 2048
                "Size in mebibytes (MiB) of the virtual machine's main memory (RAM).")
   (date date %default-build-vm-date
         "Date inside the virtual machine when it starts; this must be a SRFI-19
date object.")
   (port-forwardings list '((11022 . 22) (11004 . 1004))
                     "TCP ports of the virtual machine forwarded to the host.  By
default, the SSH and secrets ports are forwarded into the host.")
   (systems list (list (%current-system))
            "List of system types supported by the build VM--e.g.,
\"x86_64-linux\".")
   (auto-start? boolean #f
                "Whether to start the virtual machine when the system boots.")))

(define (build-vm-image-file vm)
  (let ((image (virtual-build-machine-image vm)))
    (image-file (if (procedure? image) (image vm) image))))

(define (build-vm-ssh-port vm)
  "The host port forwarded to the VM's SSH port."
  (or (any (lambda (forwarding)
             (and (= (cdr forwarding) 22) (car forwarding)))
           (virtual-build-machine-port-forwardings vm))
      11022))

(define (build-vm-secrets-port vm)
  "The host port forwarded to the VM's secret service (1004), or #f."
  (any (lambda (forwarding)
         (and (= (cdr forwarding) 1004) (car forwarding)))
       (virtual-build-machine-port-forwardings vm)))

(define (build-vm-offload-key vm)
  ;; The host's private key to log into the VM's offloading account.
  (string-append "/etc/guix/offload/ssh/virtual-build-machine/"
                 (symbol->string (virtual-build-machine-name vm))))

(define (build-vm-secret-root vm)
  ;; The secrets sent to the VM when it starts: its SSH host keys, its Guix
  ;; signing key and ACL, the authorized key of its offloading account.
  (string-append "/etc/guix/virtual-build-machines/"
                 (symbol->string (virtual-build-machine-name vm))))

(define (build-vm-account-name vm)
  (string-append "build-vm-" (symbol->string (virtual-build-machine-name vm))))

(define (build-vm-accounts vm)
  ;; The VM runs as a user of its own, in the kvm group.
  (let ((name (build-vm-account-name vm)))
    (list (user-group (name name) (system? #t))
          (user-account
           (name name)
           (group name)
           (supplementary-groups '("kvm"))
           (comment "Privilege separation user for the virtual build machine")
           (home-directory "/var/empty")
           (create-home-directory? #f)
           (shell %nologin-shell)
           (system? #t)))))

(define (port-forwardings->qemu-option forwardings)
  "The hostfwd= parts of QEMU's -nic option for FORWARDINGS, (HOST . GUEST) pairs."
  (string-join (map (lambda (forwarding)
                      (format #f "hostfwd=tcp::~a-:~a" (car forwarding) (cdr forwarding)))
                    forwardings)
               ","))

(define (vm-image-part image extension accessor)
  "The kernel or initrd (ACCESSOR of a vm-image record) IMAGE boots with; next
to IMAGE, with EXTENSION appended, when IMAGE is a file."
  (cond ((vm-image? image) (accessor image))
        ((string? image) (string-append image extension))
        (else (file-append image extension))))

(define (build-vm-kernel-arguments vm)
  (let* ((image (virtual-build-machine-image vm))
         (os (if (vm-image? image) (vm-image-operating-system image) #f)))
    (string-join (cons "console=ttyS0"
                       (if os
                           (operating-system-kernel-arguments os "/dev/vda1")
                           '("root=/dev/vda1"))))))

(define (build-vm-qemu-arguments vm)
  "A gexp: the arguments of qemu-system-x86_64 for VM, as Guix's
linux-image-startup-command has them."
  (let* ((raw (virtual-build-machine-image vm))
         (image (if (procedure? raw) (raw vm) raw))
         (cpu-count (virtual-build-machine-cpu-count vm)))
    #~(append
       (if (access? "/dev/kvm" (logior R_OK W_OK)) '("-enable-kvm") '())
       (list "-cpu" #$(virtual-build-machine-cpu vm))
       '#$(if (> cpu-count 1)
              (list "-smp" (string-append "cpus=" (number->string cpu-count)))
              '())
       (list "-m" #$(number->string (virtual-build-machine-memory-size vm))
             "-nic" #$(string-append "user,model=virtio-net-pci,"
                                     (port-forwardings->qemu-option
                                      (virtual-build-machine-port-forwardings vm)))
             "-kernel" #$(vm-image-part image ".kernel" vm-image-kernel)
             "-initrd" #$(vm-image-part image ".initrd" vm-image-initrd)
             "-append" #$(build-vm-kernel-arguments vm)
             "-serial" "stdio"
             "-rtc" #$(string-append "base=" (date->iso-8601 (virtual-build-machine-date vm)))
             "-object" "rng-random,filename=/dev/urandom,id=guix-vm-rng"
             "-device" "virtio-rng-pci,rng=guix-vm-rng"
             "-drive" (string-append "file=" #$(image-file image)
                                     ",format=qcow2,if=virtio,"
                                     "cache=writeback,werror=report,readonly=off")
             "-snapshot"
             "-no-reboot"))))

(define (virtual-build-machine-shepherd-services vm)
  (let* ((name (virtual-build-machine-name vm))
         (who (symbol->string name))
         (raw (virtual-build-machine-image vm))
         (image (if (procedure? raw) (raw vm) raw)))
    (list (shepherd-service
           (provision (list name))
           (requirement '(user-processes networking))
           (documentation (string-append "Run the " who " virtual build machine."))
           (auto-start? (virtual-build-machine-auto-start? vm))
           (respawn? #f)
           (start (vm-start-sending-secrets
                   who
                   (file-append (virtual-build-machine-qemu vm) "/bin/qemu-system-x86_64")
                   (list (list "disk image" (image-file image))
                         (list "kernel" (vm-image-part image ".kernel" vm-image-kernel))
                         (list "initrd" (vm-image-part image ".initrd" vm-image-initrd)))
                   (build-vm-qemu-arguments vm)
                   #:secrets-port (build-vm-secrets-port vm)
                   #:secret-root (build-vm-secret-root vm)
                   #:user (build-vm-account-name vm)
                   #:group "kvm"
                   ;; QEMU writes to /var/tmp by default.
                   #:environment-variables #~(list "TMPDIR=/tmp")))
           (stop #~(make-kill-destructor))
           (actions
            (list (shepherd-action
                   (name 'configuration)
                   (documentation "Display the configuration of this virtual build machine.")
                   (procedure
                    #~(lambda _
                        (format #t "CPU: ~a~%" #$(virtual-build-machine-cpu vm))
                        (format #t "number of CPU cores: ~a~%"
                                #$(virtual-build-machine-cpu-count vm))
                        (format #t "memory size: ~a MiB~%"
                                #$(virtual-build-machine-memory-size vm))
                        (format #t "initial date: ~a~%"
                                #$(date->string (virtual-build-machine-date vm))))))))))))

(define (build-vm-availability-check vm)
  "A Scheme file evaluating to true while the shepherd service of VM runs, as
guix offload sees it (through the (gnu services herd) module of Guix)."
  (scheme-file "check-build-vm-availability.scm"
               #~(begin
                   (use-modules (gnu services herd))
                   (false-if-exception
                    (and (live-service-running
                          (current-service '#$(virtual-build-machine-name vm)))
                         #t)))))

(define (virtual-build-machine-offloading vm)
  ;; The VM is a build machine only while it runs: the entry of machines.scm
  ;; is a list, empty when the VM is stopped.
  (guix-extension
   (build-machines
    (list #~(if (primitive-load #$(build-vm-availability-check vm))
                (list (build-machine
                       (name "localhost")
                       (port #$(build-vm-ssh-port vm))
                       (systems '#$(virtual-build-machine-systems vm))
                       (user "offloading")
                       (host-key (call-with-input-file
                                     #$(string-append (build-vm-secret-root vm)
                                                      "/etc/ssh/ssh_host_ed25519_key.pub")
                                   (@ (ice-9 textual-ports) get-string-all)))
                       (private-key #$(build-vm-offload-key vm))))
                '())))))

(define* (vm-secrets-activation secret-root #:key offloading? offloading-ssh-key)
  "A gexp populating SECRET-ROOT, the secrets of a virtual machine, keeping
what exists: SSH host keys; when OFFLOADING?, the host's key for its
offloading account (OFFLOADING-SSH-KEY) authorized in the guest; the guest's
Guix signing key pair and ACL (the host's ACL plus the host's key).  When
OFFLOADING?, the guest's signing key is also authorized on the host."
  #~(begin
      ;; In prefix mode, root-file-name puts these host files inside the state root.
      (define secret-directory (root-file-name #$secret-root))
      (define ssh-directory (string-append secret-directory "/etc/ssh"))
      (define guix-directory (string-append secret-directory "/etc/guix"))
      (define offloading-ssh-key (and #$offloading-ssh-key (root-file-name #$offloading-ssh-key)))
      (define host-acl (root-file-name "/etc/guix/acl"))
      (define host-key (root-file-name "/etc/guix/signing-key.pub"))
      (define ssh-keygen #$(file-append openssh "/bin/ssh-keygen"))
      (define openssl #$(file-append openssl "/bin/openssl"))

      (define (read-file file)
        (call-with-input-file file get-string-all))

      (define (write-file file text mode)
        (call-with-output-file file (lambda (port) (display text port)))
        (chmod file mode))

      (define (hex bytes)
        (string-upcase
         (string-concatenate
          (map (lambda (byte) (string-pad (number->string byte 16) 2 #\0)) bytes))))

      (define (der-key-bytes file)
        ;; The raw 32-byte key at the end of a DER-encoded Ed25519 key.
        (let ((bytes (bytevector->u8-list
                      (call-with-input-file file get-bytevector-all #:binary #t))))
          (list-tail bytes (- (length bytes) 32))))

      (define (generate-signing-key-pair directory)
        ;; An Ed25519 key pair written as `guix archive --generate-key' does.
        (let ((secret (string-append directory "/signing-key.sec.der"))
              (public (string-append directory "/signing-key.pub.der")))
          (invoke openssl "genpkey" "-algorithm" "ed25519" "-outform" "DER" "-out" secret)
          (invoke openssl "pkey" "-inform" "DER" "-in" secret
                  "-pubout" "-outform" "DER" "-out" public)
          (let ((d (hex (der-key-bytes secret)))
                (q (hex (der-key-bytes public))))
            (delete-file secret)
            (delete-file public)
            (write-file (string-append directory "/signing-key.pub")
                        (string-append "(public-key \n (ecc \n  (curve Ed25519)\n  (q #"
                                       q "#)\n  )\n )\n")
                        #o644)
            (write-file (string-append directory "/signing-key.sec")
                        (string-append "(private-key \n (ecc \n  (curve Ed25519)\n  (q #"
                                       q "#)\n  (d #" d "#)\n  )\n )\n")
                        #o400))))

      (define (acl-entry key)
        (string-append " (entry\n  " (string-trim-right key)
                       "\n  (tag\n   (guix\n    import)))"))

      (define (acl-with-key acl key)
        ;; ACL, the text of an ACL file, with KEY authorized unless it is.
        (let ((acl (string-trim-right acl)))
          (cond ((string-contains acl (string-trim-right key)) (string-append acl "\n"))
                ((string=? acl "(acl)") (string-append "(acl\n" (acl-entry key) ")\n"))
                (else (string-append (substring acl 0 (- (string-length acl) 1))
                                     "\n" (acl-entry key) ")\n")))))

      (define (authorize-key acl-file key)
        ;; Replace ACL-FILE (possibly a link into the store) with a copy that
        ;; authorizes KEY.
        (let ((text (acl-with-key (if (file-exists? acl-file) (read-file acl-file) "(acl)")
                                  key))
              (new (string-append acl-file ".new")))
          (mkdir-p (dirname acl-file))
          (write-file new text #o644)
          (rename-file new acl-file)))

      ;; Only root reads the secrets (private keys among them).
      (mkdir-p secret-directory)
      (chmod secret-directory #o700)

      (unless (file-exists? ssh-directory)
        ;; Host keys of every type, under SECRET-DIRECTORY/etc/ssh.
        (mkdir-p ssh-directory)
        (invoke ssh-keygen "-A" "-f" secret-directory))

      (when (and #$offloading? (not (file-exists? offloading-ssh-key)))
        ;; The host's key for the guest's offloading account.
        (mkdir-p (dirname offloading-ssh-key))
        (invoke ssh-keygen "-q" "-t" "ed25519" "-N" "" "-f" offloading-ssh-key)
        (let ((authorizations (string-append ssh-directory "/authorized_keys.d/offloading")))
          (mkdir-p (dirname authorizations))
          (copy-file (string-append offloading-ssh-key ".pub") authorizations)
          (chmod (dirname authorizations) #o555)))

      (unless (file-exists? guix-directory)
        ;; The guest's signing key; it accepts what the host accepts, and
        ;; what the host signs.
        (mkdir-p guix-directory)
        (generate-signing-key-pair guix-directory)
        (when (file-exists? host-acl)
          (copy-file host-acl (string-append guix-directory "/acl")))
        (when (file-exists? host-key)
          (authorize-key (string-append guix-directory "/acl") (read-file host-key))))

      (when #$offloading?
        ;; The host accepts the build results the guest signs.
        (let ((guest-key (string-append guix-directory "/signing-key.pub")))
          (if (file-exists? guest-key)
              (authorize-key host-acl (read-file guest-key))
              (format (current-error-port) "warning: guest key missing from '~a'~%"
                      guest-key))))))

(define (virtual-build-machine-activation vm)
  (vm-secrets-activation (build-vm-secret-root vm)
                         #:offloading? #t
                         #:offloading-ssh-key (build-vm-offload-key vm)))

(define virtual-build-machine-service-type
  (service-type
   (name 'build-vm)
   (extensions
    (list (service-extension shepherd-root-service-type
                             virtual-build-machine-shepherd-services)
          (service-extension guix-service-type
                             virtual-build-machine-offloading)
          (service-extension account-service-type build-vm-accounts)
          (service-extension activation-service-type
                             virtual-build-machine-activation)))
   (default-value (virtual-build-machine))
   (description "Run a virtual build machine: a QEMU virtual machine whose CPU
model and clock are set to a date in the past, to which the build daemon
offloads builds while it runs.  Builds then happen in a fully controlled
environment, which lets software from the past that falls in a time trap or
depends on the CPU be rebuilt today.")))


;;; The Hurd in a virtual machine.

(define %hurd-vm-operating-system
  ;; A bare-bones system with a permissive SSH server on port 2222.
  (operating-system
    (host-name "childhurd")
    (bootloader (bootloader-configuration
                 (bootloader grub-minimal-bootloader)
                 (targets '("/dev/vda"))
                 (timeout 0)))
    (file-systems (cons (file-system
                          (mount-point "/")
                          (device (file-system-label "hurd"))
                          (type "ext2"))
                        %base-file-systems))
    (services (cons (service openssh-service-type
                             (openssh-configuration
                              (port-number 2222)
                              (permit-root-login #t)
                              (allow-empty-passwords? #t)
                              (password-authentication? #t)))
                    %base-services))))

(define (hurd-vm-disk-image config)
  "The disk image of the childhurd of CONFIG, holding its operating system,
plus the offloading account when CONFIG offloads builds to it."
  (let ((os (hurd-vm-configuration-os config)))
    (vm-image
     (name (string-append "hurd-vm"
                          (let ((id (hurd-vm-configuration-id config)))
                            (if id (number->string id) ""))
                          ".img"))
     (operating-system
      (if (hurd-vm-configuration-offloading? config)
          (operating-system
            (inherit os)
            (users (cons %offloading-account (operating-system-users os))))
          os))
     (size (hurd-vm-configuration-disk-size config)))))

(define (hurd-vm-port config base)
  "BASE shifted by 1000 times the id of CONFIG (#f counts as 0)."
  (+ base (* 1000 (or (hurd-vm-configuration-id config) 0))))

(define (hurd-vm-net-options config)
  "The QEMU networking options of the childhurd of CONFIG: the secrets, SSH
and VNC ports of the guest forwarded to the host."
  `("--device" "rtl8139,netdev=net0"
    "--netdev" ,(string-append
                 "user,id=net0,"
                 "hostfwd=tcp:127.0.0.1:" (number->string (hurd-vm-port config 11004))
                 "-:1004,"
                 "hostfwd=tcp:127.0.0.1:" (number->string (hurd-vm-port config 10022))
                 "-:2222,"
                 "hostfwd=tcp:127.0.0.1:" (number->string (hurd-vm-port config 15900))
                 "-:5900")))

(define (hurd-vm-id? x)
  (or (not x) (positive-integer? x)))

(define (disk-size? x)
  (or (eq? x 'guess) (positive-integer? x)))

(define (net-options-value? x)
  (or (procedure? x) (list-of-strings? x)))

(define-record-type* <hurd-vm-configuration> hurd-vm-configuration
  make-hurd-vm-configuration
  hurd-vm-configuration?
  (os          hurd-vm-configuration-os
               (default %hurd-vm-operating-system)
               (sanitize (field-checker operating-system?
                                        (invalid-field-value 'hurd-vm-configuration 'os
                                                             "an operating-system"))))
  (qemu        hurd-vm-configuration-qemu
               (default qemu-minimal)
               (sanitize (field-checker package?
                                        (invalid-field-value 'hurd-vm-configuration 'qemu
                                                             "a package"))))
  ;; Guix's image type: the 32-bit or the 64-bit Hurd, checked as Guix does.
  (type        hurd-vm-configuration-type
               (default 'hurd-qcow2)
               (sanitize (field-checker (lambda (v) (memq v '(hurd-qcow2 hurd64-qcow2)))
                                        (lambda (v)
                                          (format #f "hurd-vm: '~a' is not a valid type" v)))))
  (image       hurd-vm-configuration-image
               (default hurd-vm-disk-image)
               (sanitize (field-checker image-value?
                                        (invalid-field-value 'hurd-vm-configuration 'image
                                                             "an image, a file name, a file-like object or a procedure"))))
  (disk-size   hurd-vm-configuration-disk-size
               (default 'guess)
               (sanitize (field-checker disk-size?
                                        (invalid-field-value 'hurd-vm-configuration 'disk-size
                                                             "'guess or a size in bytes"))))
  (memory-size hurd-vm-configuration-memory-size      ;MiB
               (default 512)
               (sanitize (field-checker positive-integer?
                                        (invalid-field-value 'hurd-vm-configuration 'memory-size
                                                             "a positive integer"))))
  (options     hurd-vm-configuration-options
               (default '("--snapshot"))
               (sanitize (field-checker list-of-strings?
                                        (invalid-field-value 'hurd-vm-configuration 'options
                                                             "a list of strings"))))
  (id          hurd-vm-configuration-id
               (default #f)
               (sanitize (field-checker hurd-vm-id?
                                        (invalid-field-value 'hurd-vm-configuration 'id
                                                             "#f or a positive integer"))))
  (net-options hurd-vm-configuration-net-options
               (default hurd-vm-net-options)
               (sanitize (field-checker net-options-value?
                                        (invalid-field-value 'hurd-vm-configuration 'net-options
                                                             "a procedure or a list of strings"))))
  (offloading? hurd-vm-configuration-offloading?
               (default #t)
               (sanitize (field-checker boolean?
                                        (invalid-field-value 'hurd-vm-configuration 'offloading?
                                                             "a boolean"))))
  (secret-root hurd-vm-configuration-secret-root
               (default "/etc/childhurd")
               (sanitize (field-checker string?
                                        (invalid-field-value 'hurd-vm-configuration 'secret-root
                                                             "a directory name")))))

(define-syntax-rule (hurd-vm-getter field)
  (lambda (config) (record-field-value config 'field)))

(define hurd-vm-configuration-fields
  (documented-fields
   hurd-vm-getter
   (os operating-system %hurd-vm-operating-system
       "The operating system to instantiate.  This default is bare-bones with a
permissive OpenSSH secure shell daemon listening on port 2222.")
   (qemu package qemu-minimal
         "The QEMU package to use.")
   (image image hurd-vm-disk-image
          "The image object representing the disk image of this virtual machine.")
   (disk-size disk-size 'guess
              "The size of the disk image.")
   (memory-size integer 512
                "The memory size of the Virtual Machine in mebibytes.")
   (options list '("--snapshot")
            "The extra options for running QEMU.")
   (id integer #f
       "If set, a non-zero positive integer used to parameterize Childhurd
instances.  It is appended to the service's name, e.g. childhurd1.")
   (net-options procedure hurd-vm-net-options
                "The procedure used to produce the list of QEMU networking options.
By default it forwards the secrets, SSH and VNC ports of the guest (1004, 2222
and 5900) to the host ports 11004, 10022 and 15900 plus 1000 times the id.")
   (offloading? boolean #t
                "Whether to automatically set up offloading of builds to the
childhurd.")
   (secret-root string "/etc/childhurd"
                "The root directory with out-of-band secrets to be installed into
the childhurd once it runs.")))

(define (hurd-vm-suffix config)
  (let ((id (hurd-vm-configuration-id config)))
    (if id (number->string id) "")))

(define (hurd-vm-image-file config)
  (let ((image (hurd-vm-configuration-image config)))
    (image-file (if (procedure? image) (image config) image))))

(define (hurd-vm-net-option-list config)
  (let ((options (hurd-vm-configuration-net-options config)))
    (if (procedure? options) (options config) options)))

(define (hurd-vm-offload-key config)
  (string-append "/etc/guix/offload/ssh/childhurd" (hurd-vm-suffix config)))

(define (hurd-vm-shepherd-service config)
  (let ((suffix (hurd-vm-suffix config))
        (image (hurd-vm-image-file config)))
    (list (shepherd-service
           (provision (list (string->symbol (string-append "hurd-vm" suffix))
                            (string->symbol (string-append "childhurd" suffix))))
           (requirement '(loopback networking user-processes))
           (documentation "Run the Hurd in a virtual machine: a childhurd.")
           ;; The files under the secret root are sent to the childhurd's
           ;; secret service when it boots (through the forwarded port 1004).
           (start (vm-start-sending-secrets
                   (string-append "hurd-vm" suffix)
                   (file-append (hurd-vm-configuration-qemu config) "/bin/qemu-system-i386")
                   (list (list "disk image" image))
                   #~(append
                      (list "-m" #$(number->string (hurd-vm-configuration-memory-size config)))
                      '#$(hurd-vm-net-option-list config)
                      '#$(hurd-vm-configuration-options config)
                      (list "--hda" #$image "--no-reboot")
                      (if (file-exists? "/dev/kvm") '("--enable-kvm") '()))
                   #:secrets-port (hurd-vm-port config 11004)
                   #:secret-root (hurd-vm-configuration-secret-root config)
                   #:user "childhurd"
                   #:group "kvm"
                   #:environment-variables #~(list "TMPDIR=/tmp")))
           (stop #~(make-kill-destructor))))))

(define %hurd-vm-accounts
  (list (user-group (name "childhurd") (system? #t))
        (user-account
         (name "childhurd")
         (group "childhurd")
         (supplementary-groups '("kvm"))
         (comment "Privilege separation user for the childhurd")
         (home-directory "/var/empty")
         (create-home-directory? #f)
         (shell %nologin-shell)
         (system? #t))))

(define (hurd-vm-activation config)
  "Populate the secret root of CONFIG with the childhurd's non-volatile
secrets, keeping those that exist: its SSH host keys and, when it offloads,
the host's offloading key, its Guix signing key pair and ACL."
  (vm-secrets-activation (hurd-vm-configuration-secret-root config)
                         #:offloading? (hurd-vm-configuration-offloading? config)
                         #:offloading-ssh-key (hurd-vm-offload-key config)))

(define (hurd-vm-offloading config)
  ;; The childhurd in /etc/guix/machines.scm, with its host key.
  (guix-extension
   (build-machines
    (if (hurd-vm-configuration-offloading? config)
        (list #~(build-machine
                 (name "localhost")
                 (port #$(hurd-vm-port config 10022))
                 (systems '("i586-gnu"))
                 (host-key (call-with-input-file
                               #$(string-append (hurd-vm-configuration-secret-root config)
                                                "/etc/ssh/ssh_host_ed25519_key.pub")
                             (@ (ice-9 textual-ports) get-string-all)))
                 (user "offloading")
                 ;; The load the childhurd reports is off by one.
                 (overload-threshold 1.8)
                 (private-key #$(hurd-vm-offload-key config))))
        '()))))

(define hurd-vm-service-type
  (service-type
   (name 'hurd-vm)
   (extensions
    (list (service-extension shepherd-root-service-type hurd-vm-shepherd-service)
          (service-extension account-service-type (const %hurd-vm-accounts))
          (service-extension guix-service-type hurd-vm-offloading)
          (service-extension activation-service-type hurd-vm-activation)))
   (default-value (hurd-vm-configuration))
   (description "Run GNU/Hurd in a QEMU virtual machine, a childhurd,
controlled as the hurd-vm (or childhurd) Shepherd service.  The
childhurd is volatile; the secrets under its secret root are installed into
it when it boots, and by default the host's build daemon offloads GNU/Hurd
builds to it.")))

;; Names Guix's module exports too.
(export hurd-vm-configuration-type)
