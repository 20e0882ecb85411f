;;; schemy --- The base services: what every system runs.
;;;
;;; `%base-services' lists the services a typical operating system needs:
;;; terminals, logging, the Guix daemon, name service cache, device
;;; management, loopback networking...  This module also defines the
;;; services the `operating-system' record adds by itself: host name,
;;; /etc/hosts, file systems.
;;;
;;; On a foreign host these services manage the host itself, so the backend
;;; never runs them: `%host-provided-services' lists what they provide, and
;;; the service manager shows them as "provided by the host".

(define-module (gnu services base)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu services configuration) #:select (field-checker))
  #:use-module (gnu services sysctl)
  #:use-module (gnu system shadow)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system mapped-devices)
  #:use-module (gnu system pam)
  #:use-module (gnu packages base)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages admin)
  #:use-module (gnu packages linux)
  #:use-module (gnu packages package-management)
  #:use-module (guix deprecation)
  #:use-module ((gnu system keyboard)
                #:select (keyboard-layout-name keyboard-layout-variant keyboard-layout-model
                          keyboard-layout-options))
  #:re-export (user-processes-service-type      ;for convenience
               device-mapping-service-type
               sysctl-service-type
               sysctl-configuration
               ;; /etc/environment, defined in (gnu system pam) as in Guix
               session-environment-service-type
               environment-variables->environment-file)
  #:export (;; /etc/hosts
            host
            host?
            host-address
            host-canonical-name
            host-aliases
            host->string
            local-host-entries
            hosts-service-type

            ;; host name
            host-name-service-type
            host-name-service

            ;; file systems
            file-system-service-type
            fstab-service-type
            file-system-fstab-entries
            root-file-system-service-type
            file-system-shepherd-service
            swap-service-type

            ;; static networking (loopback and the `networking' service)
            static-networking
            static-networking?
            static-networking-addresses
            static-networking-links
            static-networking-routes
            static-networking-requirement
            static-networking-provision
            static-networking-name-servers
            network-address
            network-address?
            network-address-device
            network-address-value
            network-address-ipv6?
            network-route
            network-route?
            network-route-destination
            network-route-source
            network-route-device
            network-route-ipv6?
            network-route-gateway
            network-link
            network-link?
            network-link-name
            network-link-type
            network-link-arguments
            network-link-mac-address
            static-networking-service-type
            static-networking-service
            %loopback-static-networking
            %qemu-static-networking

            ;; resource limits of login sessions
            pam-limits-service-type
            pam-limits-service

            ;; terminals and login
            login-configuration
            login-configuration?
            login-configuration-motd
            login-configuration-allow-empty-passwords?
            login-service-type
            %default-motd
            mingetty-configuration
            mingetty-configuration?
            mingetty-configuration-tty
            mingetty-configuration-auto-login
            mingetty-configuration-delay
            mingetty-configuration-nice
            mingetty-configuration-print-hostname
            mingetty-configuration-print-issue
            mingetty-configuration-root-directory
            mingetty-configuration-shepherd-requirement
            mingetty-configuration-working-directory
            udev-configuration-debug?
            agetty-service
            mingetty-service
            udev-hardware
            file->udev-hardware
            udev-hardware-service
            file-system-utilities
            root-file-system-service
            console-font-service
            login-service
            nscd-service
            syslog-service
            udev-service
            swap-service
            rngd-configuration
            rngd-configuration?
            rngd-configuration-rng-tools
            rngd-configuration-device
            rngd-service-type
            rngd-service
            kmscon-configuration
            kmscon-configuration?
            kmscon-service-type
            guix-publish-configuration
            guix-publish-configuration?
            guix-publish-configuration-guix
            guix-publish-configuration-port
            guix-publish-configuration-host
            guix-publish-configuration-compression
            guix-publish-configuration-nar-path
            guix-publish-configuration-cache
            guix-publish-configuration-ttl
            guix-publish-configuration-negative-ttl
            guix-publish-service-type
            mingetty-service-type
            agetty-configuration
            agetty-configuration?
            agetty-service-type
            virtual-terminal-service-type
            console-font-service-type
            %default-console-font

            ;; logging
            syslog-configuration
            syslog-configuration?
            syslog-configuration-syslogd
            syslog-configuration-config-file
            syslog-configuration-extra-options
            syslog-service-type
            %default-syslog.conf

            ;; the Guix daemon
            guix-configuration
            guix-configuration?
            guix-configuration-guix
            guix-configuration-build-group
            guix-configuration-build-accounts
            guix-configuration-authorize-key?
            guix-configuration-authorized-keys
            guix-configuration-use-substitutes?
            guix-configuration-substitute-urls
            guix-configuration-generate-substitute-key?
            guix-configuration-channels
            guix-configuration-chroot?
            guix-configuration-chroot-directories
            guix-configuration-max-silent-time
            guix-configuration-timeout
            guix-configuration-log-compression
            guix-configuration-discover?
            guix-configuration-extra-options
            guix-configuration-log-file
            guix-configuration-http-proxy
            guix-configuration-tmpdir
            guix-configuration-environment
            guix-configuration-build-machines
            guix-extension
            guix-extension?
            guix-extension-authorized-keys
            guix-extension-substitute-urls
            guix-extension-build-machines
            guix-extension-chroot-directories
            guix-service-type
            guix-build-accounts
            %default-substitute-urls
            %default-authorized-guix-keys

            ;; name service cache
            nscd-configuration
            nscd-configuration?
            nscd-configuration-caches
            nscd-cache
            nscd-cache?
            %nscd-default-caches
            %nscd-default-configuration
            nscd-service-type

            ;; devices and entropy
            udev-configuration
            udev-configuration?
            udev-configuration-udev
            udev-configuration-rules
            udev-service-type
            udev-rule
            file->udev-rule
            udev-rules-service
            urandom-seed-service-type

            ;; special files
            %default-special-files

            ;; the whole list
            %base-services
            %host-provided-services
            host-provided-service?

            ;; greetd
            greetd-service-type
            greetd-configuration
            greetd-configuration?
            greetd-terminal-configuration
            greetd-terminal-configuration?
            greetd-user-session
            greetd-user-session?
            greetd-agreety-session
            greetd-agreety-session?
            greetd-wlgreet-session
            greetd-wlgreet-configuration
            greetd-wlgreet-configuration?
            greetd-wlgreet-sway-session
            greetd-wlgreet-sway-session?
            greetd-gtkgreet-sway-session
            greetd-gtkgreet-sway-session?
            gpm-configuration
            gpm-configuration?
            gpm-service-type
            %default-gpm-options
            extra-special-file))

;;; /etc/hosts.

(define-record-type <host>
  (%host address canonical-name aliases)
  host?
  (address        host-address)            ;string: "127.0.0.1", "::1"...
  (canonical-name host-canonical-name)     ;string
  (aliases        host-aliases))           ;list of strings

(set-record-type-printer! <host>
  (lambda (h port)
    (display "#<host " port)
    (display (host-address h) port)
    (display " " port)
    (display (host-canonical-name h) port)
    (display ">" port)))

(define* (host address canonical-name #:optional (aliases '()))
  "An /etc/hosts entry: ADDRESS is known as CANONICAL-NAME and ALIASES."
  (unless (string? address)
    (error "host: the address must be a string" address))
  (unless (string? canonical-name)
    (error "host: the canonical name must be a string" canonical-name))
  (unless (and (list? aliases) (every string? aliases))
    (error "host: aliases must be a list of strings" aliases))
  ;; As in Guix, a name with whitespace would break /etc/hosts.
  (for-each (lambda (name)
              (when (string-any char-set:whitespace name)
                (error (string-append "host name '" name "' contains invalid characters"))))
            (cons canonical-name aliases))
  (%host address canonical-name aliases))

(define (host->string h)
  "The /etc/hosts line for H: address, canonical name and aliases, tab-separated."
  (string-append (string-join (cons* (host-address h) (host-canonical-name h)
                                     (host-aliases h))
                              "\t")
                 "\n"))

(define (local-host-entries host-name)
  "The entries naming HOST-NAME on the loopback addresses."
  (let ((aliases (if (string-null? host-name) '() (list host-name))))
    (list (host "127.0.0.1" "localhost" aliases)
          (host "::1" "localhost" aliases))))

(define (hosts->file hosts)
  (plain-file "hosts"
              (string-append "# This file was generated from your system configuration.\n"
                             (string-concatenate (map host->string hosts)))))

(define hosts-service-type
  (service-type
   (name 'hosts)
   (extensions
    (list (service-extension etc-service-type
                             (lambda (hosts)
                               (list (list "hosts" (hosts->file hosts)))))))
   (compose (lambda (lists) (apply append lists)))
   (extend append)
   (default-value '())
   (description "Write /etc/hosts, which maps host names to addresses.  The
operating system adds the localhost entries; other services and configurations
extend it with `host' records.")))

;;; Host name.

(define (host-name-shepherd-service name)
  (shepherd-service
   (provision '(host-name))
   (requirement '())
   (documentation "Set the host name of the machine.")
   (start #~(lambda _ (sethostname #$name) #t))
   (one-shot? #t)
   (respawn? #f)))

(define host-name-service-type
  (service-type
   (name 'host-name)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (name) (list (host-name-shepherd-service name))))
          (service-extension etc-service-type
                             (lambda (name)
                               (list (list "hostname"
                                           (plain-file "hostname"
                                                       (string-append name "\n"))))))))
   (description "Set the machine's host name and write /etc/hostname.")))

(define (host-name-service name)
  (service host-name-service-type name))

;;; File systems.

(define* (dependency->shepherd-service-name dependency #:optional owner location)
  "The shepherd service DEPENDENCY (a file-system or mapped-device record) names;
OWNER (a string) and LOCATION say whose dependency it is, for the error about a
value that is neither (Guix stops there too, with a bare match error)."
  (cond ((file-system? dependency) (file-system-shepherd-service-name dependency))
        ((mapped-device? dependency) (mapped-device-shepherd-service-name dependency))
        ((symbol? dependency) dependency)
        (else
         (%raise-located/hint
          location
          (format #f "~a: invalid dependency ~s: not a file-system or mapped-device record"
                  (or owner "file-system") dependency)
          (if (pair? dependency)
              "a quoted list is data, not code: list the records themselves, e.g. (dependencies (list fs)) or (dependencies mapped-devices), or use quasiquote with unquote (,) around the expressions"
              "list file-system or mapped-device records in the dependencies field")))))

(define (mount-options fs)
  (let ((flags (flags->options (file-system-flags fs))))
    (string-join (append flags
                         (if (file-system-options fs) (list (file-system-options fs)) '()))
                 ",")))

(define (file-system-shepherd-service fs)
  "The shepherd service mounting FS, or #f for file systems that are not
mounted at boot (or are mounted by the initial RAM disk)."
  (and (file-system-mount? fs)
       (not (root-file-system? fs))
       (let ((mount-point (file-system-mount-point fs))
             (device (file-system-device->string (file-system-device fs)))
             (type (file-system-type fs))
             (options (mount-options fs))
             (create? (file-system-create-mount-point? fs))
             (may-fail? (file-system-mount-may-fail? fs)))
         (shepherd-service
          (provision (list (file-system-shepherd-service-name fs)))
          (requirement (append '(root-file-system udev)
                               (map (lambda (d)
                                      (dependency->shepherd-service-name
                                       d (format #f "file-system ~s" mount-point)
                                       (file-system-location fs)))
                                    (file-system-dependencies fs))
                               (file-system-shepherd-requirements fs)))
          (documentation (string-append "Mount " mount-point " (" type ")."))
          (start #~(lambda ()
                     (define (mount-points)
                       ;; The second field of each line of /proc/self/mounts.
                       (if (file-exists? "/proc/self/mounts")
                           (call-with-input-file "/proc/self/mounts"
                             (lambda (port)
                               (let loop ((acc '()))
                                 (let ((line (read-line port)))
                                   (if (eof-object? line)
                                       acc
                                       (loop (cons (cadr (string-split line #\space))
                                                   acc)))))))
                           '()))
                     (define (mounted?)
                       (member #$mount-point (mount-points)))
                     (when #$create? (mkdir-p #$mount-point))
                     (or (mounted?)
                         (zero? (apply system* "mount" "-t" #$type
                                       (append (if (string-null? #$options)
                                                   '()
                                                   (list "-o" #$options))
                                               (list #$device #$mount-point))))
                         #$may-fail?)))
          (stop #~(lambda _
                    (system* "umount" #$mount-point)
                    #f))
          (respawn? #f)))))

(define (file-systems-target-services file-systems)
  (list (shepherd-service
         (provision '(user-file-systems))
         (requirement '(root-file-system))
         (documentation "Unmount the file systems users mounted when stopped.")
         (start #~(const #t))
         (stop #~(const #f))
         (respawn? #f))
        (shepherd-service
         (provision '(file-systems))
         (requirement (cons* 'root-file-system 'user-file-systems
                             (filter-map (lambda (fs)
                                           (and (file-system-shepherd-service fs)
                                                (file-system-shepherd-service-name fs)))
                                         file-systems)))
         (documentation "Target for all the file systems mounted at boot.")
         (start #~(const #t))
         (stop #~(const #f))
         (respawn? #f))))

(define (unique-file-systems file-systems)
  "FILE-SYSTEMS without repeated mount points (the first one wins)."
  (let loop ((file-systems file-systems) (seen '()) (acc '()))
    (cond ((null? file-systems) (reverse acc))
          ((member (file-system-mount-point (car file-systems)) seen)
           (loop (cdr file-systems) seen acc))
          (else (loop (cdr file-systems)
                      (cons (file-system-mount-point (car file-systems)) seen)
                      (cons (car file-systems) acc))))))

(define (check-file-systems file-systems)
  (for-each (lambda (fs)
              (unless (file-system? fs)
                (%raise-located #f
                                (format #f "file-system-service-type: ~s is not a file-system record"
                                        fs))))
            file-systems)
  (unique-file-systems file-systems))

(define (file-system->fstab-entry file-system)
  "The /etc/fstab line of FILE-SYSTEM, as Guix writes it: device, mount point,
type and options (\"defaults\" when it has none), each followed by a tab; no
dump or pass fields."
  (string-append (file-system-device->string (file-system-device file-system)) "\t"
                 (file-system-mount-point file-system) "\t"
                 (file-system-type file-system) "\t"
                 (or (file-system-options file-system) "defaults") "\t"))

(define (file-systems->fstab file-systems)
  "The /etc entry of an fstab listing FILE-SYSTEMS."
  (list (list "fstab"
              (plain-file "fstab"
                          (string-append
                           "# This file was generated from your Guix configuration.  Any changes\n"
                           "# will be lost upon reboot or reconfiguration.\n\n"
                           (string-join (map file-system->fstab-entry file-systems) "\n")
                           "\n")))))

(define fstab-service-type
  ;; /etc/fstab: the file systems needed at boot (the operating system gives
  ;; them), then those other services extend it with.
  (service-type
   (name 'fstab)
   (extensions (list (service-extension etc-service-type file-systems->fstab)))
   (compose concatenate)
   (extend append)
   (description "Populate /etc/fstab from the given file system records.")))

(define (file-system-fstab-entries file-systems)
  "The FILE-SYSTEMS that belong in /etc/fstab beside those needed at boot (the
operating system's fstab service lists those): not pseudo file systems, not
bind mounts, which fsck, mount and file managers must not see as volumes."
  (remove (lambda (fs)
            (or (file-system-needed-for-boot? fs)
                (member (file-system-type fs) %pseudo-file-system-types)
                (memq 'bind-mount (file-system-flags fs))))
          file-systems))

(define file-system-service-type
  (service-type
   (name 'file-systems)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (file-systems)
                               (let ((file-systems (check-file-systems file-systems)))
                                 (append (filter-map file-system-shepherd-service file-systems)
                                         (file-systems-target-services file-systems)))))
          (service-extension user-processes-service-type
                             (const '(file-systems)))
          (service-extension fstab-service-type
                             (lambda (file-systems)
                               (file-system-fstab-entries (check-file-systems file-systems))))))
   (compose (lambda (lists) (apply append lists)))
   (extend append)
   (default-value '())
   (description "Mount file systems at boot: one shepherd service
file-system-MOUNT-POINT per file system, and their /etc/fstab entries.  Other services
extend it with the file systems they need.")))

(define root-file-system-service-type
  (service-type
   (name 'root-file-system)
   (extensions
    (list (service-extension
           shepherd-root-service-type
           (const (list (shepherd-service
                         (provision '(root-file-system))
                         (requirement '())
                         (documentation "Take care of the root file system: sync
and remount it read-only when stopped.")
                         (start #~(const #t))
                         (stop #~(lambda _ (sync) #f))
                         (respawn? #f)))))))
   (default-value #t)
   (description "The root file system, mounted by the initial RAM disk.")))

;;; Swap space.

(define (swap-shepherd-service swap)
  (let* ((swap (if (swap-space? swap) swap (swap-space (target swap))))
         (target (swap-space->string swap)))
    (shepherd-service
     (provision (list (symbol-append 'swap- (string->symbol target))))
     (requirement (cons 'udev (map (lambda (d)
                                     (dependency->shepherd-service-name
                                      d (format #f "swap-space ~s" target)))
                                   (swap-space-dependencies swap))))
     (documentation (string-append "Enable swap space on " target "."))
     (start #~(lambda () (zero? (system* "swapon" #$target))))
     (stop #~(lambda _ (system* "swapoff" #$target) #f))
     (respawn? #f))))

(define swap-service-type
  (service-type
   (name 'swap)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (swaps) (map swap-shepherd-service swaps)))))
   (compose (lambda (lists) (apply append lists)))
   (extend append)
   (default-value '())
   (description "Enable swap space on the given devices or files.")))

;;; Static networking.

(define (address-ipv6? value)
  (and (string? value) (string-index value #\:) #t))

(define-record-type* <network-address> network-address make-network-address
  network-address?
  this-network-address
  (device network-address-device)        ;string: "eth0"
  (value  network-address-value)         ;string: "10.0.2.15/24"
  (ipv6?  network-address-ipv6? (thunked)
          (default (address-ipv6? (network-address-value this-network-address)))))

(define-record-type* <network-route> network-route make-network-route
  network-route?
  this-network-route
  (destination network-route-destination)  ;"default" or "10.0.0.0/8"
  (source      network-route-source (default #f))
  (device      network-route-device (default #f))
  (ipv6?       network-route-ipv6? (thunked)
               (default (or (address-ipv6? (network-route-destination this-network-route))
                            (address-ipv6? (network-route-gateway this-network-route)))))
  (gateway     network-route-gateway (default #f))
  (scope       network-route-scope (default 'universe)
               (sanitize (lambda (value)
                           (if (memq value '(universe site link host nowhere))
                               value
                               (%raise-located #f (format #f "~s: invalid network scope" value)))))))

(define-record-type* <network-link> network-link make-network-link
  network-link?
  (name        network-link-name (default #f))  ;"bond0"
  (type        network-link-type (default #f))  ;'bond, 'vlan...
  (arguments   network-link-arguments (default '()))
  (mac-address network-link-mac-address (default #f)))

(define sanitize-provision
  (field-checker (lambda (value) (and (list? value) (pair? value) (every symbol? value)))
                 "static-networking: provision must be a non-empty list of symbols, not ~s"))

(define-record-type* <static-networking> static-networking
  make-static-networking static-networking?
  (addresses    static-networking-addresses (default '()))
  (links        static-networking-links (default '()))
  (routes       static-networking-routes (default '()))
  (provision    static-networking-provision (default '(networking))
                (sanitize sanitize-provision))
  (requirement  static-networking-requirement (default '(udev)))
  (name-servers static-networking-name-servers (default '())))

(define (static-networking-commands config)
  "The `ip' command lines that bring CONFIG up, as lists of strings."
  (append
   (append-map (lambda (link)
                 (if (network-link-type link)
                     (list (append (list "ip" "link" "add" "name" (network-link-name link)
                                         "type" (symbol->string (network-link-type link)))
                                   (map (lambda (arg)
                                          (if (pair? arg)
                                              (string-append (symbol->string (car arg)) " "
                                                             (format #f "~a" (cdr arg)))
                                              (format #f "~a" arg)))
                                        (network-link-arguments link))))
                     '()))
               (static-networking-links config))
   (map (lambda (address)
          (list "ip" (if (network-address-ipv6? address) "-6" "-4")
                "address" "add" (network-address-value address)
                "dev" (network-address-device address)))
        (static-networking-addresses config))
   (map (lambda (device) (list "ip" "link" "set" device "up"))
        (delete-duplicates (map network-address-device
                                (static-networking-addresses config))))
   (map (lambda (route)
          (append (list "ip" (if (network-route-ipv6? route) "-6" "-4")
                        "route" "add" (network-route-destination route))
                  (if (network-route-gateway route)
                      (list "via" (network-route-gateway route))
                      '())
                  (if (network-route-device route)
                      (list "dev" (network-route-device route))
                      '())
                  (if (network-route-source route)
                      (list "src" (network-route-source route))
                      '())
                  ;; Guix sets every route's scope (universe by default); ip's own
                  ;; default is the same for a route via a gateway, link otherwise.
                  (if (and (eq? (network-route-scope route) 'universe)
                           (network-route-gateway route))
                      '()
                      (list "scope" (symbol->string (network-route-scope route))))))
        (static-networking-routes config))))

(define (static-networking-shepherd-service config)
  (let ((provision (static-networking-provision config))
        (commands (static-networking-commands config))
        (addresses (map (lambda (a)
                          (list (network-address-value a) (network-address-device a)))
                        (static-networking-addresses config))))
    (shepherd-service
     (provision provision)
     (requirement (static-networking-requirement config))
     (documentation
      (if (memq 'loopback provision)
          "Bring up the loopback network interface."
          (string-append "Set up static networking: "
                         (string-join (map (lambda (a) (string-append (car a) " on " (cadr a)))
                                           addresses)
                                      ", ")
                         ".")))
     (start #~(lambda _
                (for-each (lambda (command) (apply system* command))
                          '#$commands)
                #t))
     (stop #~(lambda _
               (for-each (lambda (address)
                           (system* "ip" "address" "del" (car address) "dev" (cadr address)))
                         '#$addresses)
               #f))
     (respawn? #f))))

(define (static-networking-resolv.conf configs)
  (let ((servers (append-map static-networking-name-servers configs)))
    (if (null? servers)
        '()
        (list (list "resolv.conf"
                    (plain-file "resolv.conf"
                                (string-append "# Generated by static-networking-service-type.\n"
                                               (string-concatenate
                                                (map (lambda (server)
                                                       (string-append "nameserver " server "\n"))
                                                     servers)))))))))

(define static-networking-service-type
  (service-type
   (name 'static-networking)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (configs)
                               (map static-networking-shepherd-service configs)))
          (service-extension etc-service-type static-networking-resolv.conf)))
   (compose (lambda (lists) (apply append lists)))
   (extend append)
   (description "Configure network interfaces with fixed addresses, routes and
name servers.  Its value is a list of static-networking records; each becomes a
shepherd service providing its `provision' (by default, `networking').")))

(define %loopback-static-networking
  ;; The loopback device.
  (static-networking
   (addresses (list (network-address (device "lo") (value "127.0.0.1/8"))))
   (requirement '())
   (provision '(loopback))))

(define %qemu-static-networking
  ;; The network QEMU's user-mode networking gives a guest.
  (static-networking
   (addresses (list (network-address (device "eth0") (value "10.0.2.15/24"))))
   (routes (list (network-route (destination "default") (gateway "10.0.2.2"))))
   (requirement '())
   (provision '(networking))
   (name-servers '("10.0.2.3"))))

;;; Login and terminals.

(define %default-motd
  (plain-file "motd" "This is the GNU operating system, welcome!\n\n"))

(define-record-type* <login-configuration> login-configuration
  make-login-configuration login-configuration?
  (motd                   login-configuration-motd (default %default-motd)) ;file-like
  (allow-empty-passwords? login-configuration-allow-empty-passwords? (default #t)))

(define login-service-type
  (service-type
   (name 'login)
   (extensions
    (list (service-extension etc-service-type
                             (lambda (config)
                               (list (list "motd" (login-configuration-motd config)))))
          (service-extension pam-root-service-type
                             (lambda (config)
                               (list (unix-pam-service
                                      "login"
                                      #:login-uid? #t
                                      #:allow-empty-passwords?
                                      (login-configuration-allow-empty-passwords? config)
                                      #:motd "/etc/motd"))))))
   (default-value (login-configuration))
   (description "Provide a console login: the message of the day and the PAM
service of the `login' program.")))

;; mingetty comes from (gnu packages admin) when the package collection has it.
(define %mingetty
  (false-if-exception (module-ref (resolve-interface '(gnu packages admin)) 'mingetty)))

(define-record-type* <mingetty-configuration> mingetty-configuration
  make-mingetty-configuration mingetty-configuration?
  (mingetty       mingetty-configuration-mingetty (default %mingetty))
  (tty            mingetty-configuration-tty)                 ;string: "tty1"
  (auto-login     mingetty-configuration-auto-login (default #f))
  (login-program  mingetty-configuration-login-program (default #f))
  (login-pause?   mingetty-configuration-login-pause? (default #f))
  (clear-on-logout? mingetty-configuration-clear-on-logout? (default #t))
  ;; Seconds to wait before opening the tty.
  (delay          mingetty-configuration-delay (default #f))
  ;; #t, #f, or 'no-nl (the issue without its newline).
  (print-issue    mingetty-configuration-print-issue (default #t))
  ;; #t, #f, or 'long (the fully qualified host name).
  (print-hostname mingetty-configuration-print-hostname (default #t))
  (nice           mingetty-configuration-nice (default #f))
  (working-directory mingetty-configuration-working-directory (default #f))
  (root-directory mingetty-configuration-root-directory (default #f))
  ;; The login prompt shows the host name, and kernel messages should not
  ;; interleave with it.
  (shepherd-requirement mingetty-configuration-shepherd-requirement
                        (default '(user-processes host-name udev virtual-terminal))))

(define (mingetty-shepherd-service config)
  (let ((tty (mingetty-configuration-tty config))
        (auto-login (mingetty-configuration-auto-login config)))
    (shepherd-service
     (provision (list (symbol-append 'term- (string->symbol tty))))
     (requirement (mingetty-configuration-shepherd-requirement config))
     (documentation (string-append "Run mingetty on " tty "."))
     (start #~(make-forkexec-constructor
               (list #$(let ((package (mingetty-configuration-mingetty config)))
                          (if package
                              (file-append package "/sbin/mingetty")
                              "/sbin/mingetty"))
                     ;; Without vhangup, setfont's ioctls keep working.
                     "--nohangup" #$tty
                     #$@(if (mingetty-configuration-clear-on-logout? config) '() '("--noclear"))
                     #$@(if auto-login (list "--autologin" auto-login) '())
                     #$@(let ((program (mingetty-configuration-login-program config)))
                          (if program (list "--loginprog" program) '()))
                     #$@(if (mingetty-configuration-login-pause? config) '("--loginpause") '())
                     #$@(let ((delay (mingetty-configuration-delay config)))
                          (if delay (list "--delay" (number->string delay)) '()))
                     #$@(case (mingetty-configuration-print-issue config)
                          ((#t) '())
                          ((no-nl) '("--nonewline"))
                          (else '("--noissue")))
                     #$@(case (mingetty-configuration-print-hostname config)
                          ((#t) '())
                          ((long) '("--long-hostname"))
                          (else '("--nohostname")))
                     #$@(let ((nice (mingetty-configuration-nice config)))
                          (if nice (list "--nice" (number->string nice)) '()))
                     #$@(let ((dir (mingetty-configuration-working-directory config)))
                          (if dir (list "--chdir" dir) '()))
                     #$@(let ((dir (mingetty-configuration-root-directory config)))
                          (if dir (list "--chroot" dir) '())))))
     (stop #~(make-kill-destructor)))))

(define mingetty-service-type
  (service-type
   (name 'mingetty)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (mingetty-shepherd-service config))))))
   (description "Run mingetty, a minimal getty, on a virtual terminal: the text
console login prompt.")))

(define-record-type* <agetty-configuration> agetty-configuration
  make-agetty-configuration agetty-configuration?
  (agetty   agetty-configuration-agetty (default util-linux))
  (tty      agetty-configuration-tty)                         ;string or #f (serial console)
  (term     agetty-configuration-term (default #f))
  (baud-rate agetty-configuration-baud-rate (default #f))
  (auto-login agetty-configuration-auto-login (default #f))
  ;; Guix's agetty options, each given to agetty as its option when set (see
  ;; agetty-options below).
  (login-program    agetty-login-program (default (file-append shadow "/bin/login")))
  (login-pause?     agetty-login-pause? (default #f))
  (eight-bits?      agetty-eight-bits? (default #f))
  (no-reset?        agetty-no-reset? (default #f))
  (remote?          agetty-remote? (default #f))
  (flow-control?    agetty-flow-control? (default #f))
  (host             agetty-host (default #f))
  (no-issue?        agetty-no-issue? (default #f))
  (init-string      agetty-init-string (default #f))
  (no-clear?        agetty-no-clear? (default #f))
  (local-line       agetty-local-line (default #f))       ;'always, 'never, 'auto or #f
  (extract-baud?    agetty-extract-baud? (default #f))
  (skip-login?      agetty-skip-login? (default #f))
  (no-newline?      agetty-no-newline? (default #f))
  (login-options    agetty-login-options (default #f))
  (chroot           agetty-chroot (default #f))
  (hangup?          agetty-hangup? (default #f))
  (keep-baud?       agetty-keep-baud? (default #f))
  (timeout          agetty-timeout (default #f))
  (detect-case?     agetty-detect-case? (default #f))
  (wait-cr?         agetty-wait-cr? (default #f))
  (no-hints?        agetty-no-hints? (default #f))
  (no-hostname?     agetty-no-hostname? (default #f))
  (long-hostname?   agetty-long-hostname? (default #f))
  (erase-characters agetty-erase-characters (default #f))
  (kill-characters  agetty-kill-characters (default #f))
  (chdir            agetty-chdir (default #f))
  (delay            agetty-delay (default #f))
  (nice             agetty-nice (default #f))
  (extra-options agetty-configuration-extra-options (default '()))
  (shepherd-requirement agetty-configuration-shepherd-requirement (default '())))

(define (agetty-options config)
  "agetty's options from CONFIG, in the order Guix gives them (before the tty)."
  (define (flag on? option) (if on? (list option) '()))
  (define (with value option) (if value (list option value) '()))
  (define (number value option) (if value (list option (number->string value)) '()))
  (append
   (agetty-configuration-extra-options config)
   (flag (agetty-eight-bits? config) "--8bits")
   (flag (agetty-no-reset? config) "--noreset")
   (flag (agetty-remote? config) "--remote")
   (flag (agetty-flow-control? config) "--flow-control")
   (with (agetty-host config) "--host")
   (flag (agetty-no-issue? config) "--noissue")
   (with (agetty-init-string config) "--init-string")
   (flag (agetty-no-clear? config) "--noclear")
   (case (agetty-local-line config)
     ((auto) '("--local-line=auto"))
     ((always) '("--local-line=always"))
     ((never) '("-local-line=never"))            ;sic, as Guix
     (else '()))
   (flag (not (agetty-configuration-tty config)) "--keep-baud")
   (flag (agetty-extract-baud? config) "--extract-baud")
   (flag (agetty-skip-login? config) "--skip-login")
   (flag (agetty-no-newline? config) "--nonewline")
   (with (agetty-login-options config) "--login-options")
   (with (agetty-chroot config) "--chroot")
   (flag (agetty-hangup? config) "--hangup")
   (flag (agetty-keep-baud? config) "--keep-baud")
   (number (agetty-timeout config) "--timeout")
   (flag (agetty-detect-case? config) "--detect-case")
   (flag (agetty-wait-cr? config) "--wait-cr")
   (flag (agetty-no-hints? config) "--nohints?")   ;sic, as Guix
   (flag (agetty-no-hostname? config) "--nohostname")
   (flag (agetty-long-hostname? config) "--long-hostname")
   (with (agetty-erase-characters config) "--erase-chars")
   (with (agetty-kill-characters config) "--kill-chars")
   (with (agetty-chdir config) "--chdir")
   (number (agetty-delay config) "--delay")
   (number (agetty-nice config) "--nice")
   (with (agetty-configuration-auto-login config) "--autologin")
   (with (agetty-login-program config) "--login-program")
   (flag (agetty-login-pause? config) "--login-pause")))

(define (agetty-shepherd-service config)
  (let ((tty (or (agetty-configuration-tty config) "console")))
    (shepherd-service
     (provision (list (symbol-append 'term- (string->symbol tty))))
     (requirement (append '(user-processes host-name udev)
                          (agetty-configuration-shepherd-requirement config)))
     (documentation (string-append "Run agetty on " tty "."))
     (start #~(make-forkexec-constructor
               (list #$(file-append (agetty-configuration-agetty config) "/sbin/agetty")
                     #$@(agetty-options config)
                     #$tty
                     #$@(if (agetty-configuration-baud-rate config)
                            (list (agetty-configuration-baud-rate config))
                            '())
                     #$@(if (agetty-configuration-term config)
                            (list (agetty-configuration-term config))
                            '()))))
     (stop #~(make-kill-destructor)))))

(define agetty-service-type
  (service-type
   (name 'agetty)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (agetty-shepherd-service config))))))
   (description "Run agetty, a getty that also serves serial consoles.")))

(define virtual-terminal-service-type
  (service-type
   (name 'virtual-terminal)
   (extensions
    (list (service-extension
           shepherd-root-service-type
           (lambda (utf8?)
             (list (shepherd-service
                    (provision '(virtual-terminal))
                    (requirement '(root-file-system))
                    (documentation "Set virtual terminals in UTF-8 mode.")
                    (start #~(lambda _ #$utf8?))
                    (one-shot? #t)
                    (respawn? #f)))))))
   (default-value #t)
   (description "Put the virtual terminals in UTF-8 mode.")))

(define %default-console-font "LatGrkCyr-8x16")

(define console-font-service-type
  (service-type
   (name 'console-fonts)
   (extensions
    (list (service-extension
           shepherd-root-service-type
           (lambda (tty+font)
             (map (lambda (entry)
                    (shepherd-service
                     (provision (list (symbol-append 'console-font-
                                                     (string->symbol (car entry)))))
                     (requirement (list (symbol-append 'term- (string->symbol (car entry)))))
                     (documentation (string-append "Load a Unicode console font on "
                                                   (car entry) "."))
                     (start #~(lambda _
                                (zero? (system* "setfont" "-C"
                                                #$(string-append "/dev/" (car entry))
                                                #$(cdr entry)))))
                     (one-shot? #t)
                     (respawn? #f)))
                  tty+font)))))
   (compose (lambda (lists) (apply append lists)))
   (extend append)
   (description "Load a console font on each virtual terminal; the value is a
list of (TTY . FONT) pairs.")))

;;; System log.

(define %default-syslog.conf
  (plain-file "syslog.conf" "\
# Log all error messages, authentication messages of
# level notice or higher and anything of level err or
# higher to the console.
*.alert;auth.notice;authpriv.none       -/dev/console

# Log anything (except mail) of level info or higher.
*.info;mail.none;authpriv.none          -/var/log/messages

# Log \"debug\"-level entries and nothing else.
*.=debug                                -/var/log/debug

# Same, in a different place.
*.info;mail.none;authpriv.none          -/dev/tty12

# The authpriv file has restricted access.
authpriv.*;auth.*                       -/var/log/secure

# Log all the mail messages in one place.
mail.*                                  -/var/log/maillog
"))

(define-record-type* <syslog-configuration> syslog-configuration
  make-syslog-configuration syslog-configuration?
  (syslogd       syslog-configuration-syslogd
                 (default (file-append inetutils "/libexec/syslogd")))
  (config-file   syslog-configuration-config-file (default %default-syslog.conf))
  (extra-options syslog-configuration-extra-options (default '())))

(define (syslog-shepherd-service config)
  (shepherd-service
   (provision '(syslogd))
   (requirement '(user-processes))
   (documentation "Run the syslog daemon (syslogd), which collects the system's
log messages.")
   (start #~(make-forkexec-constructor
             (list #$(syslog-configuration-syslogd config)
                   "--rcfile" #$(syslog-configuration-config-file config)
                   #$@(syslog-configuration-extra-options config))
             #:pid-file "/var/run/syslog.pid"))
   (stop #~(make-kill-destructor))))

(define syslog-service-type
  (service-type
   (name 'syslog)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (syslog-shepherd-service config))))
          (service-extension etc-service-type
                             (lambda (config)
                               (list (list "syslog.conf"
                                           (syslog-configuration-config-file config)))))))
   (default-value (syslog-configuration))
   (description "Run the syslog daemon, which writes the system's log messages
to the files /etc/syslog.conf names.")))

;;; The Guix build daemon.

(define %default-substitute-urls
  '("https://bordeaux.guix.gnu.org" "https://ci.guix.gnu.org"))

(define %default-authorized-guix-keys
  ;; The signing keys of the default substitute servers.
  (list (plain-file "ci.guix.gnu.org.pub" "\
(public-key
 (ecc
  (curve Ed25519)
  (q #8D156F295D24B0D9A86FA5741A840FF2D24F60F7B6C4134814AD55625971B394#)
  )
 )
")
        (plain-file "bordeaux.guix.gnu.org.pub" "\
(public-key
 (ecc
  (curve Ed25519)
  (q #7D602902D3A2DBB83F8A0FB98602A754C5493B0B778C8D1DD4E0F41DE14DE34F#)
  )
 )
")))

(define-record-type* <guix-configuration> guix-configuration
  make-guix-configuration guix-configuration?
  (guix             guix-configuration-guix (default guix))
  (build-group      guix-configuration-build-group (default "guixbuild"))
  (build-accounts   guix-configuration-build-accounts (default 10))
  (authorize-key?   guix-configuration-authorize-key? (default #t))
  (authorized-keys  guix-configuration-authorized-keys
                    (default %default-authorized-guix-keys))
  (use-substitutes? guix-configuration-use-substitutes? (default #t))
  (substitute-urls  guix-configuration-substitute-urls
                    (default %default-substitute-urls))
  (generate-substitute-key? guix-configuration-generate-substitute-key? (default #t))
  (channels         guix-configuration-channels (default #f))
  (chroot?          guix-configuration-chroot? (default 'default))
  (chroot-directories guix-configuration-chroot-directories (default '()))
  (max-silent-time  guix-configuration-max-silent-time (default 3600))   ;as Guix
  (timeout          guix-configuration-timeout (default (* 3600 24)))     ;as Guix
  (log-compression  guix-configuration-log-compression (default 'gzip))
  (discover?        guix-configuration-discover? (default #f))
  (extra-options    guix-configuration-extra-options (default '()))
  (log-file         guix-configuration-log-file (default "/var/log/guix-daemon.log"))
  (http-proxy       guix-configuration-http-proxy (default #f))
  (tmpdir           guix-configuration-tmpdir (default #f))
  (environment      guix-configuration-environment (default '()))
  (build-machines   guix-configuration-build-machines (default '()))  ;list of gexps
  ;; As Guix: an unprivileged daemon runs as the guix-daemon user, without
  ;; --build-users-group.  The socket-directory-* fields are Guix's socket-activation
  ;; settings of /var/guix/daemon-socket; schemy starts the daemon itself (no socket
  ;; activation), so the daemon makes that directory as it always does.
  (privileged?      guix-configuration-privileged? (default #t))
  (socket-directory-permissions guix-configuration-socket-directory-permissions (default #o755))
  (socket-directory-group guix-configuration-socket-directory-group (default #f))
  (socket-directory-user guix-configuration-socket-directory-user (default #f)))

(define-record-type* <guix-extension> guix-extension
  make-guix-extension guix-extension?
  (authorized-keys    guix-extension-authorized-keys (default '()))
  (substitute-urls    guix-extension-substitute-urls (default '()))
  (build-machines     guix-extension-build-machines (default '()))
  (chroot-directories guix-extension-chroot-directories (default '())))

(define (guix-build-accounts count group)
  "The build user accounts and their group."
  (cons (user-group (name group) (system? #t))
        (map (lambda (n)
               (user-account
                (name (string-append "guixbuilder" (string-pad (number->string n) 2 #\0)))
                (group group)
                (supplementary-groups '("kvm"))
                (comment (string-append "Guix Build User " (number->string n)))
                (home-directory "/var/empty")
                (create-home-directory? #f)
                (shell %nologin-shell)
                (system? #t)))
             (iota count 1))))

(define (guix-daemon-command config)
  (let ((group (guix-configuration-build-group config))
        (urls (guix-configuration-substitute-urls config))
        (chroot? (guix-configuration-chroot? config)))
    (append
     (list (file-append (guix-configuration-guix config) "/bin/guix-daemon"))
     (if (guix-configuration-privileged? config)
         (list (string-append "--build-users-group=" group))
         '())
     (list (string-append "--max-silent-time="
                          (number->string (guix-configuration-max-silent-time config)))
           (string-append "--timeout=" (number->string (guix-configuration-timeout config)))
           (string-append "--log-compression="
                          (symbol->string (guix-configuration-log-compression config))))
     (if (guix-configuration-use-substitutes? config)
         (list (string-append "--substitute-urls=" (string-join urls " ")))
         (list "--no-substitutes"))
     (if (guix-configuration-discover? config) (list "--discover=yes") '())
     (if (eq? chroot? #f) (list "--disable-chroot") '())
     (map (lambda (dir) (string-append "--chroot-directory=" dir))
          (guix-configuration-chroot-directories config))
     (guix-configuration-extra-options config))))

(define (guix-shepherd-service config)
  (shepherd-service
   (provision '(guix-daemon))
   (requirement '(user-processes))
   (documentation "Run the Guix daemon, which builds packages and manages the store.")
   (start #~(make-forkexec-constructor
             (list #$@(guix-daemon-command config))
             #:environment-variables
             (list #$@(append (if (guix-configuration-http-proxy config)
                                  (list (string-append "http_proxy="
                                                       (guix-configuration-http-proxy config)))
                                  '())
                              (if (guix-configuration-tmpdir config)
                                  (list (string-append "TMPDIR="
                                                       (guix-configuration-tmpdir config)))
                                  '())
                              (guix-configuration-environment config)))
             #:log-file #$(guix-configuration-log-file config)))
   (stop #~(make-kill-destructor))))

(define (authorized-keys->acl keys)
  "An ACL file (/etc/guix/acl) authorizing the public KEYS."
  (computed-file "acl"
                 #~(call-with-output-file #$output
                     (lambda (port)
                       (display "(acl\n" port)
                       (for-each (lambda (key)
                                   ;; An origin (a key to download, as with url-fetch)
                                   ;; is a directory recording where it is from:
                                   ;; schemy downloads nothing, so it authorizes nothing.
                                   (if (eq? 'directory (stat:type (stat key)))
                                       (format (current-error-port)
                                               "warning: authorized key ~a is to be downloaded; schemy downloads no origins, so it is left out of /etc/guix/acl~%"
                                               key)
                                       (begin
                                         (display " (entry\n  " port)
                                         (display (string-trim-both
                                                   (call-with-input-file key get-string-all))
                                                  port)
                                         (display "\n  (tag\n   (guix\n    import)))\n" port))))
                                 '#$keys)
                       (display ")\n" port)))))

(define (guix-etc-files config)
  (let ((machines (guix-configuration-build-machines config)))
    (append
     (if (guix-configuration-authorize-key? config)
         (list (list "guix/acl"
                     (authorized-keys->acl (guix-configuration-authorized-keys config))))
         '())
     (if (null? machines)
         '()
         ;; Each entry is a build-machine or a list of them (e.g. a
         ;; virtual machine that is one only while it runs), as in Guix.
         (list (list "guix/machines.scm"
                     (scheme-file "machines.scm"
                                  #~((@ (srfi srfi-1) append-map)
                                     (lambda (entry)
                                       (if (build-machine? entry) (list entry) entry))
                                     (list #$@machines)))))))))

(define (extend-guix-configuration config extensions)
  "CONFIG with the authorized keys, substitute URLs, build machines and chroot
directories of EXTENSIONS (guix-extension records) added."
  (for-each (lambda (ext)
              (unless (guix-extension? ext)
                (%raise-located #f
                                (format #f "guix-service-type: extension ~s is not a guix-extension record"
                                        ext))))
            extensions)
  (guix-configuration
   (inherit config)
   (authorized-keys (append (guix-configuration-authorized-keys config)
                            (append-map guix-extension-authorized-keys extensions)))
   (substitute-urls (append (guix-configuration-substitute-urls config)
                            (append-map guix-extension-substitute-urls extensions)))
   (build-machines (append (or (guix-configuration-build-machines config) '())
                           (append-map guix-extension-build-machines extensions)))
   (chroot-directories (append (guix-configuration-chroot-directories config)
                               (append-map guix-extension-chroot-directories extensions)))))

(define guix-service-type
  (service-type
   (name 'guix)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (guix-shepherd-service config))))
          (service-extension account-service-type
                             (lambda (config)
                               (append
                                (if (guix-configuration-privileged? config)
                                    '()
                                    (list (user-group (name "guix-daemon") (system? #t))
                                          (user-account
                                           (name "guix-daemon")
                                           (group "guix-daemon")
                                           (system? #t)
                                           (supplementary-groups '("kvm"))
                                           (comment "Guix Daemon User")
                                           (home-directory "/var/empty")
                                           (shell %nologin-shell))))
                                (guix-build-accounts (guix-configuration-build-accounts config)
                                                     (guix-configuration-build-group config)))))
          (service-extension etc-service-type guix-etc-files)
          (service-extension profile-service-type
                             (lambda (config) (list (guix-configuration-guix config))))))
   ;; Each extension is a guix-extension record (or a list of them).
   (compose (lambda (extensions)
              (append-map (lambda (x) (if (list? x) x (list x))) extensions)))
   (extend extend-guix-configuration)
   (default-value (guix-configuration))
   (description "Run the Guix build daemon, which builds packages and manages the
store on behalf of users.  Services extend it with `guix-extension' records:
authorized keys, substitute URLs and the build machines used for offloading
(/etc/guix/machines.scm).")))

;;; Name service cache daemon.

(define-record-type* <nscd-cache> nscd-cache make-nscd-cache
  nscd-cache?
  (database              nscd-cache-database)            ;'hosts, 'passwd...
  (positive-time-to-live nscd-cache-positive-time-to-live)
  (negative-time-to-live nscd-cache-negative-time-to-live (default 20))
  (suggested-size        nscd-cache-suggested-size (default 211))
  (check-files?          nscd-cache-check-files? (default #t))
  (persistent?           nscd-cache-persistent? (default #t))
  (shared?               nscd-cache-shared? (default #t))
  (max-database-size     nscd-cache-max-database-size (default (* 32 (expt 2 20))))
  (auto-propagate?       nscd-cache-auto-propagate? (default #t)))

(define %nscd-default-caches
  (list (nscd-cache (database 'hosts)
                    (positive-time-to-live (* 3600 12))
                    (negative-time-to-live 20)
                    (persistent? #f))
        (nscd-cache (database 'services)
                    (positive-time-to-live (* 3600 24))
                    (negative-time-to-live 3600)
                    (check-files? #t)
                    (persistent? #t))))

(define-record-type* <nscd-configuration> nscd-configuration
  make-nscd-configuration nscd-configuration?
  (log-file    nscd-configuration-log-file (default #f))     ;as Guix: none
  (debug-level nscd-configuration-debug-level (default 0))
  (caches      nscd-configuration-caches (default %nscd-default-caches))
  (name-services nscd-configuration-name-services (default '()))
  (glibc       nscd-configuration-glibc (default glibc)))

(define %nscd-default-configuration (nscd-configuration))

(define (yes-no x) (if x "yes" "no"))

(define (nscd.conf config)
  (plain-file "nscd.conf"
              (string-append
               "# Configuration of libc's name service cache daemon (nscd).\n\n"
               (if (nscd-configuration-log-file config)
                   (string-append "logfile\t" (nscd-configuration-log-file config) "\n")
                   "")
               "debug-level\t" (number->string (nscd-configuration-debug-level config)) "\n\n"
               (string-concatenate
                (map (lambda (cache)
                       (let ((db (symbol->string (nscd-cache-database cache))))
                         (string-append
                          "enable-cache\t" db "\tyes\n"
                          "positive-time-to-live\t" db "\t"
                          (number->string (nscd-cache-positive-time-to-live cache)) "\n"
                          "negative-time-to-live\t" db "\t"
                          (number->string (nscd-cache-negative-time-to-live cache)) "\n"
                          "suggested-size\t" db "\t"
                          (number->string (nscd-cache-suggested-size cache)) "\n"
                          "check-files\t" db "\t" (yes-no (nscd-cache-check-files? cache)) "\n"
                          "persistent\t" db "\t" (yes-no (nscd-cache-persistent? cache)) "\n"
                          "shared\t" db "\t" (yes-no (nscd-cache-shared? cache)) "\n"
                          "max-db-size\t" db "\t"
                          (number->string (nscd-cache-max-database-size cache)) "\n"
                          "auto-propagate\t" db "\t"
                          (yes-no (nscd-cache-auto-propagate? cache)) "\n\n")))
                     (nscd-configuration-caches config))))))

(define (nscd-shepherd-service config)
  (shepherd-service
   (provision '(nscd))
   (requirement '(user-processes))
   (documentation "Run libc's name service cache daemon (nscd), which caches host
name and user lookups.")
   (start #~(make-forkexec-constructor
             (list #$(file-append (nscd-configuration-glibc config) "/sbin/nscd")
                   "-f" #$(nscd.conf config) "--foreground")
             #:log-file #$(nscd-configuration-log-file config)))
   (stop #~(make-kill-destructor))))

(define nscd-service-type
  (service-type
   (name 'nscd)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (nscd-shepherd-service config))))
          (service-extension etc-service-type
                             (lambda (config) (list (list "nscd.conf" (nscd.conf config)))))))
   (compose (lambda (lists) (apply append lists)))
   (extend (lambda (config name-services)
             (nscd-configuration
              (inherit config)
              (name-services (append (nscd-configuration-name-services config)
                                     name-services)))))
   (default-value %nscd-default-configuration)
   (description "Run libc's name service cache daemon (nscd), which caches the
results of host name, user and service lookups.")))

;;; Devices: udev.

(define-record-type* <udev-configuration> udev-configuration
  make-udev-configuration udev-configuration?
  (udev     udev-configuration-udev (default eudev))
  (debug?   udev-configuration-debug? (default #f))
  (rules    udev-configuration-rules (default '()))     ;list of file-likes
  (hardware udev-configuration-hardware (default '())))

(define (udev-rule file-name contents)
  "A udev rules file named FILE-NAME (e.g. \"90-foo.rules\") holding CONTENTS."
  (plain-file file-name contents))

(define (file->udev-rule file-name file)
  "A udev rules file named FILE-NAME holding the rules of FILE, a file-like (a
local-file, or an origin of a rules file published elsewhere)."
  (computed-file file-name #~(copy-file #$file #$output)))

(define (udev-shepherd-service config)
  (shepherd-service
   (provision '(udev))
   (requirement '())
   (documentation "Run the udev daemon (udevd), which populates /dev and loads
drivers as devices appear.")
   (start #~(make-forkexec-constructor
             (list #$(file-append (udev-configuration-udev config) "/sbin/udevd"))
             #:environment-variables (list "UDEV_CONFIG_FILE=/etc/udev/udev.conf")))
   (stop #~(make-kill-destructor))))

(define udev-service-type
  (service-type
   (name 'udev)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (udev-shepherd-service config))))))
   (compose (lambda (lists) (apply append lists)))
   (extend (lambda (config rules)
             (udev-configuration
              (inherit config)
              (rules (append (udev-configuration-rules config) rules)))))
   (default-value (udev-configuration))
   (description "Run udev, the device manager.  Services extend it with udev
rules files.")))

(define* (udev-rules-service name rules #:key (groups '()))
  "A service adding RULES (a file-like) to udev and creating GROUPS (group
names, such as those the rules give devices to) as system groups."
  (service (service-type
            (name (symbol-append name '-udev-rules))
            (extensions
             (list (service-extension udev-service-type (const (list rules)))
                   (service-extension account-service-type
                                      (const (map (lambda (group)
                                                    (user-group (name group) (system? #t)))
                                                  groups)))))
            (description "Add udev rules, and the system groups they use."))
           #f))

;;; Entropy.

(define urandom-seed-service-type
  (service-type
   (name 'urandom-seed)
   (extensions
    (list (service-extension
           shepherd-root-service-type
           (const
            (list (shepherd-service
                   (provision '(urandom-seed))
                   (requirement '(user-processes))
                   (documentation "Preserve entropy across reboots: seed
/dev/urandom from /var/lib/random-seed at boot and save a new seed at shutdown.")
                   (start #~(lambda _
                              (when (file-exists? "/var/lib/random-seed")
                                (copy-file "/var/lib/random-seed" "/dev/urandom"))
                              #t))
                   (stop #~(lambda _ #f))
                   (respawn? #f)))))))
   (default-value #f)
   (description "Seed the kernel's random number generator at boot from a seed
saved at the previous shutdown.")))

;;; Special files.

(define %default-special-files
  ;; /bin/sh and /usr/bin/env, which many scripts expect.
  (list (list "/bin/sh" (file-append bash "/bin/sh"))
        (list "/usr/bin/env" (file-append coreutils "/bin/env"))))

;;; The base services.

(define %base-services
  ;; Convenience variable holding the basic services.
  (append
   (list (service login-service-type)
         (service virtual-terminal-service-type)
         (service console-font-service-type
                  (map (lambda (tty) (cons tty %default-console-font))
                       '("tty1" "tty2" "tty3" "tty4" "tty5" "tty6")))
         (service syslog-service-type))
   (map (lambda (tty)
          (service mingetty-service-type (mingetty-configuration (tty tty))))
        '("tty1" "tty2" "tty3" "tty4" "tty5" "tty6"))
   (list (service static-networking-service-type (list %loopback-static-networking))
         (service urandom-seed-service-type)
         (service guix-service-type)
         (service nscd-service-type)
         (service udev-service-type)
         (service sysctl-service-type)
         (service special-files-service-type %default-special-files))))

;;;
;;; greetd: a minimal and flexible login manager (Guix manual, "Base
;;; Services").  Each terminal configuration is one greetd daemon on a
;;; virtual terminal, providing term-ttyN; on a foreign host the terminals
;;; are the host's, so those services are shown as provided by the host.
;;; The sessions (what greetd runs once a user logs in, and the greeter
;;; itself) are records that become small programs in the store.
;;;

(define-record-type* <greetd-user-session>
  greetd-user-session make-greetd-user-session greetd-user-session?
  (command          greetd-user-session-command (default (file-append bash "/bin/bash")))
  (command-args     greetd-user-session-command-args (default '("-l")))
  (extra-env        greetd-user-session-extra-env (default '()))
  (xdg-session-type greetd-user-session-xdg-session-type (default "tty"))
  (xdg-env?         greetd-user-session-xdg-env? (default #t)))

(define (greetd-user-session->program session)
  "The program that starts SESSION: it sets the session's environment (with
XDG-ENV?, XDG_SESSION_TYPE and the user's XDG_RUNTIME_DIR) and runs its command."
  (let ((command (greetd-user-session-command session))
        (args (greetd-user-session-command-args session))
        (env (greetd-user-session-extra-env session))
        (xdg? (greetd-user-session-xdg-env? session))
        (type (greetd-user-session-xdg-session-type session)))
    (program-file
     (if xdg? "greetd-xdg-user-session-command" "greetd-user-session-command")
     #~(begin
         (when #$xdg?
           (setenv "XDG_SESSION_TYPE" #$type)
           (setenv "XDG_RUNTIME_DIR"
                   (string-append "/run/user/"
                                  (number->string (passwd:uid (getpwnam (getenv "USER")))))))
         (for-each (lambda (binding) (setenv (car binding) (cdr binding)))
                   '#$env)
         (apply execl #$command #$command (list #$@args))))))

(define-record-type* <greetd-agreety-session>
  greetd-agreety-session make-greetd-agreety-session greetd-agreety-session?
  (agreety      greetd-agreety-session-agreety (default greetd))
  (command      greetd-agreety-session-command (default (greetd-user-session)))
  ;; Deprecated in Guix in favour of a greetd-user-session as `command'.
  (command-args greetd-agreety-command-args (default #f))
  (extra-env    greetd-agreety-extra-env (default #f))
  (xdg-env?     greetd-agreety-xdg-env? (default #f)))

(define (greetd-agreety-session->user-session session)
  "The user session of SESSION, whose command may still be a bare program with
the deprecated command-args, extra-env and xdg-env? fields beside it."
  (let ((command (greetd-agreety-session-command session))
        (default (greetd-user-session)))
    (if (greetd-user-session? command)
        command
        (greetd-user-session
         (command command)
         (command-args (or (greetd-agreety-command-args session)
                           (greetd-user-session-command-args default)))
         (extra-env (or (greetd-agreety-extra-env session)
                        (greetd-user-session-extra-env default)))
         (xdg-env? (or (greetd-agreety-xdg-env? session)
                       (greetd-user-session-xdg-env? default)))))))

(define (greetd-agreety-session->program session)
  (let ((agreety (file-append (greetd-agreety-session-agreety session) "/bin/agreety"))
        (command (greetd-user-session->program
                  (greetd-agreety-session->user-session session))))
    (program-file "agreety-wrapper"
                  #~(execl #$agreety #$agreety "-c" #$command))))

(define (greetd-sway-greeter-program sway sway-config)
  "A program that runs SWAY with SWAY-CONFIG as the greeter user, its home,
runtime and cache directories under /tmp/.greeter-home and its log there."
  (let ((sway-bin (file-append sway "/bin/sway")))
    (program-file
     "greeter-sway-command"
     (with-imported-modules '((guix build utils))
       #~(begin
           (use-modules (guix build utils))
           (let* ((user (getpwnam (getenv "USER")))
                  (home "/tmp/.greeter-home")
                  (log (string-append home "/" (number->string (getpid)) ".log")))
             (for-each (lambda (dir)
                         (mkdir-p dir)
                         (chown dir (passwd:uid user) (passwd:gid user))
                         (chmod dir #o700))
                       (list home (string-append home "/run") (string-append home "/cache")))
             (setenv "HOME" home)
             (setenv "XDG_CACHE_DIR" (string-append home "/cache"))
             (setenv "XDG_RUNTIME_DIR" (string-append home "/run"))
             (dup2 (open-fdes log (logior O_CREAT O_WRONLY O_APPEND) #o640) 1)
             (dup2 1 2)
             (execl #$sway-bin #$sway-bin "-d" "-c" #$sway-config)))))))

(define (default-sway)
  (optional-catalogue-package '(gnu packages wm) 'sway))

(define-record-type* <greetd-wlgreet-configuration>
  greetd-wlgreet-configuration make-greetd-wlgreet-configuration
  greetd-wlgreet-configuration?
  (output-mode  greetd-wlgreet-configuration-output-mode (default "all"))
  (scale        greetd-wlgreet-configuration-scale (default 1))
  (background   greetd-wlgreet-configuration-background (default '(0 0 0 0.9)))
  (headline     greetd-wlgreet-configuration-headline (default '(1 1 1 1)))
  (prompt       greetd-wlgreet-configuration-prompt (default '(1 1 1 1)))
  (prompt-error greetd-wlgreet-configuration-prompt-error (default '(1 1 1 1)))
  (border       greetd-wlgreet-configuration-border (default '(1 1 1 1)))
  ;; Deprecated in Guix (they moved to greetd-wlgreet-sway-session).
  (wlgreet      greetd-wlgreet (default #f))
  (command      greetd-wlgreet-command (default #f))
  (command-args greetd-wlgreet-command-args (default #f))
  (extra-env    greetd-wlgreet-extra-env (default #f)))

;; The old name of greetd-wlgreet-configuration, kept by Guix as a deprecated alias.
(define-syntax greetd-wlgreet-session
  (syntax-rules ()
    ((_ field ...) (greetd-wlgreet-configuration field ...))))

(define (wlgreet-color section color)
  (string-append "[" section "]\n"
                 "red = " (number->string (list-ref color 0)) "\n"
                 "green = " (number->string (list-ref color 1)) "\n"
                 "blue = " (number->string (list-ref color 2)) "\n"
                 "opacity = " (number->string (list-ref color 3)) "\n"))

(define (wlgreet-config-file command config)
  "wlgreet.toml: the session COMMAND to start and CONFIG's looks."
  (mixed-text-file
   "wlgreet.toml"
   "command = \"" command "\"\n"
   "outputMode = \"" (greetd-wlgreet-configuration-output-mode config) "\"\n"
   "scale = " (number->string (greetd-wlgreet-configuration-scale config)) "\n"
   (wlgreet-color "background" (greetd-wlgreet-configuration-background config))
   (wlgreet-color "headline" (greetd-wlgreet-configuration-headline config))
   (wlgreet-color "prompt" (greetd-wlgreet-configuration-prompt config))
   (wlgreet-color "prompt-error" (greetd-wlgreet-configuration-prompt-error config))
   (wlgreet-color "border" (greetd-wlgreet-configuration-border config))))

(define-record-type* <greetd-wlgreet-sway-session>
  greetd-wlgreet-sway-session make-greetd-wlgreet-sway-session
  greetd-wlgreet-sway-session?
  (sway                  greetd-wlgreet-sway-session-sway (default (default-sway)))
  (sway-configuration    greetd-wlgreet-sway-session-sway-configuration (default #f))
  (wlgreet               greetd-wlgreet-sway-session-wlgreet (default wlgreet))
  (wlgreet-configuration greetd-wlgreet-sway-session-wlgreet-configuration
                         (default (greetd-wlgreet-configuration)))
  (command               greetd-wlgreet-sway-session-command (default (greetd-user-session)))
  ;; Deprecated in Guix: a greetd-wlgreet-configuration with the old fields.
  (wlgreet-session       greetd-wlgreet-sway-session-wlgreet-session (default #f)))

(define (greetd-wlgreet-sway-session-normalized session)
  "SESSION with its deprecated wlgreet-session folded into the current fields."
  (let ((old (greetd-wlgreet-sway-session-wlgreet-session session)))
    (if (not old)
        session
        (let ((default (greetd-wlgreet-sway-session-command session)))
          (greetd-wlgreet-sway-session
           (inherit session)
           (wlgreet (or (greetd-wlgreet old) (greetd-wlgreet-sway-session-wlgreet session)))
           (wlgreet-configuration old)
           (wlgreet-session #f)
           (command (greetd-user-session
                     (command (or (greetd-wlgreet-command old)
                                  (greetd-user-session-command default)))
                     (command-args (or (greetd-wlgreet-command-args old)
                                       (greetd-user-session-command-args default)))
                     (extra-env (or (greetd-wlgreet-extra-env old)
                                    (greetd-user-session-extra-env default))))))))))

(define (greetd-sway-config-head sway-configuration)
  (if sway-configuration
      (list "include " sway-configuration "\n")
      '()))

(define (greetd-wlgreet-sway-session->program session)
  (let* ((s (greetd-wlgreet-sway-session-normalized session))
         (sway (greetd-wlgreet-sway-session-sway s))
         (command (greetd-session->program (greetd-wlgreet-sway-session-command s)))
         (wlgreet-config (wlgreet-config-file
                          command (greetd-wlgreet-sway-session-wlgreet-configuration s))))
    (greetd-sway-greeter-program
     sway
     (apply mixed-text-file "wlgreet-sway-config"
            (append (greetd-sway-config-head (greetd-wlgreet-sway-session-sway-configuration s))
                    (list "xwayland disable\n"
                          "exec \"" (file-append (greetd-wlgreet-sway-session-wlgreet s) "/bin/wlgreet")
                          " --config " wlgreet-config
                          "; " (file-append sway "/bin/swaymsg") " exit\"\n"))))))

(define-record-type* <greetd-gtkgreet-sway-session>
  greetd-gtkgreet-sway-session make-greetd-gtkgreet-sway-session
  greetd-gtkgreet-sway-session?
  (sway               greetd-gtkgreet-sway-session-sway (default (default-sway)))
  (sway-configuration greetd-gtkgreet-sway-session-sway-configuration (default #f))
  (gtkgreet           greetd-gtkgreet-sway-session-gtkgreet (default gtkgreet))
  (gtkgreet-style     greetd-gtkgreet-sway-session-gtkgreet-style (default #f))
  (command            greetd-gtkgreet-sway-session-command (default (greetd-user-session))))

(define (greetd-gtkgreet-sway-session->program session)
  (let ((sway (greetd-gtkgreet-sway-session-sway session))
        (style (greetd-gtkgreet-sway-session-gtkgreet-style session)))
    (greetd-sway-greeter-program
     sway
     (apply mixed-text-file "gtkgreet-sway-config"
            (append (greetd-sway-config-head (greetd-gtkgreet-sway-session-sway-configuration session))
                    (list "xwayland disable\n"
                          "exec \"" (file-append (greetd-gtkgreet-sway-session-gtkgreet session)
                                                 "/bin/gtkgreet")
                          " -l")
                    (if style (list " -s " style) '())
                    (list " -c " (greetd-session->program
                                  (greetd-gtkgreet-sway-session-command session))
                          "; " (file-append sway "/bin/swaymsg") " exit\"\n"))))))

(define (greetd-session->program session)
  "The store program of SESSION, any of the greetd session records; anything
else (a program, a string) is taken as it is, as Guix lowers it."
  (cond ((greetd-user-session? session) (greetd-user-session->program session))
        ((greetd-agreety-session? session) (greetd-agreety-session->program session))
        ((greetd-wlgreet-sway-session? session) (greetd-wlgreet-sway-session->program session))
        ((greetd-gtkgreet-sway-session? session) (greetd-gtkgreet-sway-session->program session))
        (else session)))

(define-record-type* <greetd-terminal-configuration>
  greetd-terminal-configuration make-greetd-terminal-configuration
  greetd-terminal-configuration?
  (greetd                     greetd-package (default greetd))
  (extra-shepherd-requirement greetd-extra-shepherd-requirement (default '()))
  (config-file-name           greetd-config-file-name (thunked)
                              (default (string-append "config-" (greetd-terminal-vt this-record)
                                                      ".toml")))
  (log-file-name              greetd-log-file-name (thunked)
                              (default (string-append "/var/log/greetd-"
                                                      (greetd-terminal-vt this-record) ".log")))
  (terminal-vt                greetd-terminal-vt (default "7"))
  (terminal-switch            greetd-terminal-switch (default #f))
  (source-profile?            greetd-source-profile? (default #t))
  (default-session-user       greetd-default-session-user (default "greeter"))
  (default-session-command    greetd-default-session-command (default (greetd-agreety-session)))
  (initial-session-user       greetd-initial-session-user (default #f))
  ;; Written only when initial-session-user is set.
  (initial-session-command    greetd-initial-session-command (default (greetd-user-session))))

(define (greetd-terminal-configuration-file config)
  "The TOML configuration of the greetd daemon of CONFIG's terminal."
  (let ((vt (greetd-terminal-vt config))
        (initial-user (greetd-initial-session-user config))
        (initial-command (greetd-initial-session-command config)))
    (apply mixed-text-file
           (greetd-config-file-name config)
           (append
            (list "[general]\n"
                  "source_profile = " (if (greetd-source-profile? config) "true" "false") "\n"
                  "runfile = /run/greetd/runfiles/greetd-" vt ".run\n"
                  "[terminal]\n"
                  "vt = " vt "\n"
                  "switch = " (if (greetd-terminal-switch config) "true" "false") "\n"
                  "[default_session]\n"
                  "user = " (greetd-default-session-user config) "\n"
                  "command = " (greetd-session->program (greetd-default-session-command config)) "\n")
            (if (and initial-user initial-command)
                (list "[initial_session]\n"
                      "user = " initial-user "\n"
                      "command = " (greetd-session->program initial-command) "\n")
                '())))))

(define %greetd-file-systems
  (map (lambda (mount-point)
         (file-system
           (device "none")
           (mount-point mount-point)
           (type "tmpfs")
           (check? #f)
           (flags '(no-suid no-dev no-exec))
           (options "mode=0755")
           (create-mount-point? #t)))
       '("/run/greetd/pam_mount" "/run/greetd/runfiles")))

(define-record-type* <greetd-configuration>
  greetd-configuration make-greetd-configuration greetd-configuration?
  (motd                         greetd-motd (default %default-motd))
  (allow-empty-passwords?       greetd-allow-empty-passwords? (default #t))
  (terminals                    greetd-terminals (default '()))
  (greeter-supplementary-groups greetd-greeter-supplementary-groups (default '())))

(define (greetd-accounts config)
  (list (user-group (name "greeter") (system? #t))
        (user-account
         (name "greeter")
         (group "greeter")
         (supplementary-groups (greetd-greeter-supplementary-groups config))
         (system? #t)
         (home-directory "/var/empty")
         (shell (file-append shadow "/sbin/nologin"))
         (create-home-directory? #f))))

(define (greetd-pam-mount-conf config)
  "pam_mount's configuration: a tmpfs /run/user/UID for each member of
`users', mounted at login and unmounted at logout."
  (mixed-text-file
   "greetd_pam_mount.conf.xml"
   "<?xml version='1.0' encoding='utf-8'?>\n"
   "<pam_mount>"
   "<debug enable=\"0\"/>"
   "<volume sgrp=\"users\" fstype=\"tmpfs\" mountpoint=\"/run/user/%(USERUID)\" "
   "options=\"nosuid,nodev,size=1g,mode=0700,uid=%(USERUID),gid=%(USERGID)\"/>"
   "<logout wait=\"0\" hup=\"0\" term=\"yes\" kill=\"no\"/>"
   "<mkmountpoint enable=\"1\" remove=\"true\"/>"
   "<pmvarrun>" (file-append greetd-pam-mount "/sbin/pmvarrun")
   " -u '%(USER)' -o '%(OPERATION)'</pmvarrun>"
   "</pam_mount>"))

(define (greetd-pam-services config)
  (let ((pam-mount (pam-entry
                    (control "optional")
                    (module (file-append greetd-pam-mount "/lib/security/pam_mount.so"))
                    (arguments '("disable_interactive")))))
    (list (unix-pam-service "greetd"
                            #:login-uid? #t
                            #:allow-empty-passwords? (greetd-allow-empty-passwords? config)
                            #:motd (greetd-motd config))
          ;; pam_mount in the login programs' auth and session stacks.
          (pam-extension
           (transformer
            (lambda (pam)
              (if (member (pam-service-name pam) '("login" "greetd" "su" "slim" "gdm-password"))
                  (pam-service
                   (inherit pam)
                   (auth (append (pam-service-auth pam) (list pam-mount)))
                   (session (append (pam-service-session pam) (list pam-mount))))
                  pam)))))))

(define (greetd-shepherd-services config)
  (map (lambda (terminal)
         (shepherd-service
          (documentation "Minimal and flexible login manager daemon")
          (requirement (append '(pam user-processes host-name udev virtual-terminal)
                               (greetd-extra-shepherd-requirement terminal)))
          (provision (list (symbol-append 'term-tty (string->symbol (greetd-terminal-vt terminal)))))
          (start #~(make-forkexec-constructor
                    (list #$(file-append (greetd-package terminal) "/sbin/greetd")
                          "-c" #$(greetd-terminal-configuration-file terminal))
                    #:log-file #$(greetd-log-file-name terminal)))
          (stop #~(make-kill-destructor))))
       (greetd-terminals config)))

(define greetd-service-type
  (service-type
   (name 'greetd)
   (extensions
    (list (service-extension account-service-type greetd-accounts)
          (service-extension file-system-service-type (const %greetd-file-systems))
          (service-extension activation-service-type
                             (const #~(begin
                                        (use-modules (guix build utils))
                                        (mkdir-p "/run/user")
                                        (chmod "/run/user" #o755))))
          (service-extension etc-service-type
                             (lambda (config)
                               (list (list "security/greetd_pam_mount.conf.xml"
                                           (greetd-pam-mount-conf config)))))
          (service-extension pam-root-service-type greetd-pam-services)
          (service-extension shepherd-root-service-type greetd-shepherd-services)))
   (default-value (greetd-configuration))
   (description "Log users in with greetd: its PAM service, pam_mount for
/run/user/UID, and one greetd daemon per configured virtual terminal.")))

(define %host-provided-services
  ;; Provisions of the services that manage the host itself (those of
  ;; %base-services and of the operating system's essential services): on a
  ;; foreign host they are the host's business, never run by the backend.
  (append '(term-tty1 term-tty2 term-tty3 term-tty4 term-tty5 term-tty6 term-console
            console-font-tty1 console-font-tty2 console-font-tty3
            console-font-tty4 console-font-tty5 console-font-tty6
            ;; guix-daemon and nix-daemon own the host's store (/gnu/store, /nix/store),
            ;; which is no root's own directory.
            virtual-terminal syslogd loopback networking urandom-seed guix-daemon nix-daemon
            nscd udev sysctl host-name user-processes root-file-system
            ;; PAM's synchronization point: the host's PAM.
            pam
            ;; What rootless Podman needs of the host's mounts and cgroups.
            rootless-podman-shared-root-fs cgroups2-limits cgroups2-fs-owner
            file-systems user-file-systems
            ;; The desktop's daemons (gnu services desktop, xorg, networking,
            ;; avahi, pm): the host's display manager, seat and power
            ;; management, network configuration.
            xorg-server gdm sddm lightdm slim xorg-server0 elogind dbus-system
            upower-daemon udisks-daemon accounts-daemon colord geoclue bluetooth
            ;; avahi-daemon: Guix's avahi-daemon.conf keeps D-Bus on, and without the
            ;; system bus the daemon exits ("Failed to contact D-Bus daemon"); it is also
            ;; the host's mDNS responder, its name on the LAN.
            NetworkManager wpa-supplicant modem-manager connman avahi-daemon
            tlp thermald power-profiles-daemon kernel-module-loader zram-device nftables gpm iptables spice-vdagentd
            ;; The host's log rotation (logrotate) and its disks (gnu services admin).
            log-rotation resize-file-system
            ;; The kernel's NFS pseudo file systems (gnu services nfs).
            rpc-pipefs /proc/fs/nfsd)
          (map file-system-shepherd-service-name %base-file-systems)))

(define (host-provided-service? service)
  "Whether the shepherd SERVICE manages the host itself: it provides one of
%host-provided-services, or mounts a file system, opens a mapped device,
enables swap or runs a getty."
  (any (lambda (name)
         (or (and (memq name %host-provided-services) #t)
             (let ((str (symbol->string name)))
               (any (lambda (prefix) (string-prefix? prefix str))
                    '("file-system-" "device-mapping-" "swap-" "term-" "console-font-"
                      "wireguard-"
                      ;; vfs-mapping's mounts (gnu services linux).
                      "bind-on-" "translate-on-" "overlay-on-")))))
       (shepherd-service-provision service)))

;;; GPM, the console mouse (Guix manual, "Base Services"): the host's console.

(define %default-gpm-options
  '("-m" "/dev/input/mice" "-t" "ps2"))

(define-record-type* <gpm-configuration> gpm-configuration
  make-gpm-configuration gpm-configuration?
  (gpm     gpm-configuration-gpm (default (optional-catalogue-package '(gnu packages linux) 'gpm)))
  (options gpm-configuration-options (default %default-gpm-options)))

(define (optional-catalogue-package module name)
  (module-ref (resolve-interface module) name))

(define gpm-service-type
  (service-type
   (name 'gpm)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(gpm))
                                      (requirement '(udev))
                                      (documentation "Run the console mouse daemon (the host's console).")
                                      (start #~(make-forkexec-constructor
                                                (cons #$(file-append (gpm-configuration-gpm config) "/sbin/gpm")
                                                      '#$(gpm-configuration-options config))))
                                      (stop #~(make-kill-destructor))))))))
   (default-value (gpm-configuration))
   (description "Run GPM, the general-purpose mouse daemon, which provides
mouse support to the Linux console.")))

(define (extra-special-file file target)
  "A service making FILE (such as \"/usr/bin/env\") a symlink to TARGET."
  (simple-service (string->symbol (string-append "special-file-" file))
                  special-files-service-type
                  (list (list file target))))


;;;
;;; Resource limits of login sessions (pam_limits).
;;;

(define %pam-limits-programs
  ;; The PAM services that open login sessions.
  '("login" "greetd" "su" "slim" "gdm-password" "sddm" "lightdm" "sudo" "sshd"))

(define (pam-limits-file value)
  "The limits.conf of VALUE: a list of pam-limits-entry, or (deprecated) a file."
  (cond ((list? value)
         (plain-file "limits.conf"
                     (string-concatenate
                      (map (lambda (entry) (string-append (pam-limits-entry->string entry) "\n"))
                           value))))
        ((file-like? value)
         (format (current-error-port)
                 "warning: using a file-like value for 'pam-limits-service-type' is deprecated~%")
         value)
        (else (error "invalid input for 'pam-limits-service-type'" value))))

(define (pam-limits-extension limits-file)
  (pam-extension
   (transformer
    (lambda (pam)
      (if (member (pam-service-name pam) %pam-limits-programs)
          (pam-service
           (inherit pam)
           (session (cons (pam-entry
                           (control "required")
                           (module "pam_limits.so")
                           (arguments (list (list "conf=" limits-file))))
                          (pam-service-session pam))))
          pam)))))

(define pam-limits-service-type
  (service-type
   (name 'limits)
   (extensions
    (list (service-extension pam-root-service-type
                             (lambda (entries)
                               (list (pam-limits-extension (pam-limits-file entries)))))))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Set resource limits (ulimit, nice priority) of login sessions with the
pam_limits module: the value is a list of pam-limits-entry.")))

(define* (pam-limits-service #:optional (limits '()))
  "Deprecated: (service pam-limits-service-type LIMITS)."
  (format (current-error-port)
          "warning: 'pam-limits-service' is deprecated; use (service pam-limits-service-type) instead~%")
  (service pam-limits-service-type limits))


(define* (static-networking-service interface ip
                                    #:key netmask gateway provision
                                    (requirement '(udev)) (name-servers '()))
  "Deprecated: a service giving INTERFACE the address IP (with NETMASK, a dotted quad,
if given) and a default route through GATEWAY, as one static-networking value of
static-networking-service-type; it may be called once per interface."
  (format (current-error-port)
          "warning: 'static-networking-service' is deprecated; use static-networking-service-type instead~%")
  (define (netmask->prefix mask)
    (apply + (map (lambda (octet)
                    (let loop ((n (string->number octet)) (bits 0))
                      (if (zero? n) bits (loop (ash n -1) (+ bits (logand n 1))))))
                  (string-split mask #\.))))
  (simple-service 'static-network-interface
                  static-networking-service-type
                  (list (static-networking
                         (addresses
                          (list (network-address
                                 (device interface)
                                 (value (if netmask
                                            (string-append ip "/" (number->string (netmask->prefix netmask)))
                                            ip))
                                 (ipv6? #f))))
                         (routes
                          (if gateway
                              (list (network-route (destination "default") (gateway gateway) (ipv6? #f)))
                              '()))
                         (requirement requirement)
                         (provision (or provision '(networking)))
                         (name-servers name-servers)))))

;;; The deprecated procedures of Guix's base services: each gives the
;;; service of its type.

(define-deprecated (login-service #:optional (config (login-configuration)))
  login-service-type
  (service login-service-type config))

(define-deprecated (agetty-service config)
  agetty-service-type
  (service agetty-service-type config))

(define-deprecated (mingetty-service config)
  mingetty-service-type
  (service mingetty-service-type config))

(define-deprecated (nscd-service #:optional (config (nscd-configuration)))
  nscd-service-type
  (service nscd-service-type config))

(define-deprecated (syslog-service #:optional (config (syslog-configuration)))
  syslog-service-type
  (service syslog-service-type config))

(define-deprecated (udev-service #:key (udev eudev) (rules '()))
  udev-service-type
  (service udev-service-type (udev-configuration (udev udev) (rules rules))))

(define (swap-service swap)
  "A service enabling SWAP (schemy's swap-service-type takes a list)."
  (service swap-service-type (list swap)))

;;; rngd: the hardware random number generator feeds the kernel's pool.

(define-record-type* <rngd-configuration> rngd-configuration
  make-rngd-configuration rngd-configuration?
  (rng-tools rngd-configuration-rng-tools (default rng-tools))
  (device    rngd-configuration-device (default "/dev/hwrng")))

(define rngd-service-type
  (service-type
   (name 'rngd)
   (extensions
    (list (service-extension
           shepherd-root-service-type
           (lambda (config)
             (list (shepherd-service
                    (provision '(trng))
                    (requirement '(user-processes udev))
                    (documentation "Add a hardware random number generator to the entropy pool.")
                    (start #~(make-forkexec-constructor
                              (list #$(file-append (rngd-configuration-rng-tools config) "/sbin/rngd")
                                    "-f" "-r" #$(rngd-configuration-device config))))
                    (stop #~(make-kill-destructor))))))))
   (default-value (rngd-configuration))
   (description "Run rngd, which feeds the kernel's entropy pool from a
hardware random number generator.")))

(define-deprecated (rngd-service #:key (rng-tools rng-tools) (device "/dev/hwrng"))
  rngd-service-type
  (service rngd-service-type (rngd-configuration (rng-tools rng-tools) (device device))))

;;; kmscon, a terminal emulator on kernel mode setting, in place of a
;;; getty (a virtual terminal: the host's).

(define-record-type* <kmscon-configuration> kmscon-configuration
  make-kmscon-configuration kmscon-configuration?
  (kmscon                 kmscon-configuration-kmscon
                          (default (optional-catalogue-package '(gnu packages terminals) 'kmscon)))
  (virtual-terminal       kmscon-configuration-virtual-terminal)
  (login-program          kmscon-configuration-login-program (default (file-append shadow "/bin/login")))
  (login-arguments        kmscon-configuration-login-arguments (default '("-p")))
  (auto-login             kmscon-configuration-auto-login (default #f))
  ;; #t makes kmscon fail (Guix's note).
  (hardware-acceleration? kmscon-configuration-hardware-acceleration? (default #f))
  (font-engine            kmscon-configuration-font-engine (default "pango"))
  (font-size              kmscon-configuration-font-size (default 12))
  ;; #f or a keyboard-layout.
  (keyboard-layout        kmscon-configuration-keyboard-layout (default #f)))

(define (kmscon-command config)
  (let ((layout (kmscon-configuration-keyboard-layout config))
        (auto-login (kmscon-configuration-auto-login config)))
    `(,(file-append (kmscon-configuration-kmscon config) "/bin/kmscon") "--login"
      "--vt" ,(kmscon-configuration-virtual-terminal config)
      "--no-switchvt"
      "--font-engine" ,(kmscon-configuration-font-engine config)
      "--font-size" ,(number->string (kmscon-configuration-font-size config))
      ,@(if layout
            (let ((variant (keyboard-layout-variant layout))
                  (model (keyboard-layout-model layout))
                  (options (keyboard-layout-options layout)))
              `("--xkb-layout" ,(keyboard-layout-name layout)
                ,@(if variant (list "--xkb-variant" variant) '())
                ,@(if model (list "--xkb-model" model) '())
                ,@(if (null? options) '() (list "--xkb-options" (string-join options ",")))))
            '())
      ,@(if (kmscon-configuration-hardware-acceleration? config) '("--hwaccel") '())
      "--login" "--"
      ,(kmscon-configuration-login-program config)
      ,@(kmscon-configuration-login-arguments config)
      ,@(if auto-login (list auto-login) '()))))

(define kmscon-service-type
  (service-type
   (name 'kmscon)
   (extensions
    (list (service-extension
           shepherd-root-service-type
           (lambda (config)
             (list (shepherd-service
                    (provision (list (symbol-append
                                      'term- (string->symbol
                                              (kmscon-configuration-virtual-terminal config)))))
                    (requirement '(user-processes udev dbus-system))
                    (documentation "Run kmscon on a virtual terminal.")
                    (start #~(make-forkexec-constructor
                              (list #$@(kmscon-command config))
                              #:environment-variables
                              (list (string-append "XDG_DATA_DIRS="
                                                   #$(optional-catalogue-package
                                                      '(gnu packages fonts) 'font-gnu-unifont)
                                                   "/share"))))
                    (stop #~(make-kill-destructor))))))))
   (description "Run kmscon, a terminal emulator on the kernel's mode
setting, on a virtual terminal.")))

;;; guix publish: the store's items over HTTP, as the guix-publish user.

(define-record-type* <guix-publish-configuration> guix-publish-configuration
  make-guix-publish-configuration guix-publish-configuration?
  this-guix-publish-configuration
  (guix        guix-publish-configuration-guix (default guix))
  (port        guix-publish-configuration-port (default 80))
  (host        guix-publish-configuration-host (default "localhost"))
  (advertise?  guix-publish-advertise? (default #f))
  ;; A list of (TYPE LEVEL); by default low levels without a cache.
  (compression guix-publish-configuration-compression (thunked)
               (default (if (guix-publish-configuration-cache this-guix-publish-configuration)
                            '(("gzip" 5) ("zstd" 19))
                            '(("gzip" 3) ("zstd" 3)))))
  (nar-path    guix-publish-configuration-nar-path (default "nar"))
  (cache       guix-publish-configuration-cache (default #f))
  (cache-bypass-threshold guix-publish-configuration-cache-bypass-threshold
                          (default (* 10 (expt 2 20))))
  (workers     guix-publish-configuration-workers (default #f))
  (ttl         guix-publish-configuration-ttl (default #f))
  (negative-ttl guix-publish-configuration-negative-ttl (default #f)))

(define (guix-publish-command config)
  (let ((compression (guix-publish-configuration-compression config))
        (workers (guix-publish-configuration-workers config))
        (ttl (guix-publish-configuration-ttl config))
        (negative-ttl (guix-publish-configuration-negative-ttl config))
        (cache (guix-publish-configuration-cache config)))
    `(,(file-append (guix-publish-configuration-guix config) "/bin/guix")
      "publish" "-u" "guix-publish"
      "-p" ,(number->string (guix-publish-configuration-port config))
      ,@(if (null? compression)
            '("-C0")
            (append-map (lambda (entry)
                          (list "-C" (string-append (car entry) ":" (number->string (cadr entry)))))
                        compression))
      ,(string-append "--nar-path=" (guix-publish-configuration-nar-path config))
      ,(string-append "--listen=" (guix-publish-configuration-host config))
      ,@(if (guix-publish-advertise? config) '("--advertise") '())
      ,@(if workers (list (string-append "--workers=" (number->string workers))) '())
      ,@(if ttl (list (string-append "--ttl=" (number->string ttl) "s")) '())
      ,@(if negative-ttl (list (string-append "--negative-ttl=" (number->string negative-ttl) "s")) '())
      ,@(if cache
            (list (string-append "--cache=" cache)
                  (string-append "--cache-bypass-threshold="
                                 (number->string
                                  (guix-publish-configuration-cache-bypass-threshold config))))
            '()))))

(define (guix-publish-shepherd-service config)
  ;; Guix starts it on the first connection (systemd-style socket
  ;; activation) unless it advertises itself; here it starts right away.
  (list (shepherd-service
         (provision '(guix-publish))
         (requirement (append '(user-processes guix-daemon)
                              (if (guix-publish-advertise? config) '(avahi-daemon) '())))
         (documentation "Run guix publish.")
         (start #~(make-forkexec-constructor
                   (list #$@(guix-publish-command config))
                   #:environment-variables (list "LC_ALL=en_US.utf8")
                   #:log-file "/var/log/guix-publish.log"))
         (stop #~(make-kill-destructor)))))

(define %guix-publish-accounts
  (list (user-group (name "guix-publish") (system? #t))
        (user-account
         (name "guix-publish")
         (group "guix-publish")
         (system? #t)
         (comment "guix publish user")
         (home-directory "/var/empty")
         (shell (file-append shadow "/sbin/nologin")))))

(define (guix-publish-activation config)
  (let ((cache (guix-publish-configuration-cache config)))
    (if cache
        #~(let ((user (getpw "guix-publish")))
            (mkdir-p #$cache)
            (chown #$cache (passwd:uid user) (passwd:gid user)))
        #~#t)))

(define guix-publish-service-type
  (service-type
   (name 'guix-publish)
   (extensions
    (list (service-extension shepherd-root-service-type guix-publish-shepherd-service)
          (service-extension account-service-type (const %guix-publish-accounts))
          (service-extension activation-service-type guix-publish-activation)))
   (default-value (guix-publish-configuration))
   (description "Run guix publish, which serves the store's items over HTTP.")))

;;; udev hardware database files, as Guix makes them: a directory holding
;;; lib/udev/hwdb.d/FILE-NAME, given to udev like rules.

(define (file->udev-hardware file-name file)
  "A directory whose lib/udev/hwdb.d/FILE-NAME is a copy of FILE."
  (computed-file file-name
                 #~(begin
                     (use-modules (guix build utils))
                     (let ((directory (string-append #$output "/lib/udev/hwdb.d")))
                       (mkdir-p directory)
                       (copy-file #$file (string-append directory "/" #$file-name))))))

(define (udev-hardware file-name contents)
  "A directory whose lib/udev/hwdb.d/FILE-NAME holds CONTENTS."
  (file->udev-hardware file-name (plain-file file-name contents)))

(define (udev-hardware-service name hardware-files)
  "A service adding HARDWARE-FILES to udev, named NAME-udev-hardware."
  (service (service-type
            (name (symbol-append name '-udev-hardware))
            (extensions (list (service-extension udev-service-type (const (list hardware-files)))))
            (description "Add udev hardware database files."))
           #f))

;;; The packages of the tools of file systems (fsck, resize...).

(define (file-system-type->utilities type)
  (let ((package (lambda (module name) (optional-catalogue-package module name))))
    (cond ((assoc type '(("ext2") ("ext3") ("ext4"))) (package '(gnu packages linux) 'e2fsprogs))
          ((string=? type "btrfs") (package '(gnu packages linux) 'btrfs-progs))
          ((string=? type "bcachefs") (package '(gnu packages file-systems) 'bcachefs-tools))
          ((string=? type "exfat") (package '(gnu packages file-systems) 'exfat-utils))
          ((member type '("fat" "vfat")) (package '(gnu packages disk) 'dosfstools))
          ((string=? type "f2fs") (package '(gnu packages linux) 'f2fs-tools))
          ((string=? type "jfs") (package '(gnu packages file-systems) 'jfsutils))
          ((string=? type "xfs") (package '(gnu packages linux) 'xfsprogs))
          ((string=? type "zfs") (package '(gnu packages file-systems) 'zfs))
          (else #f))))

(define (file-system-utilities file-systems)
  "The packages of the utilities of FILE-SYSTEMS' types."
  (filter-map (lambda (fs) (file-system-type->utilities (file-system-type fs))) file-systems))

(define (root-file-system-service)
  "The service that syncs the root file system and remounts it read-only at shutdown."
  (service root-file-system-service-type #f))

(define* (console-font-service tty #:optional (font "LatGrkCyr-8x16"))
  "The service loading FONT on TTY (Guix's procedure before console-font-service-type,
still exported by Guix)."
  (simple-service (symbol-append 'console-font- (string->symbol tty))
                  console-font-service-type (list (cons tty font))))

;; Names Guix's module exports too.
(export mingetty-configuration-clear-on-logout? mingetty-configuration-login-pause?
        mingetty-configuration-login-program mingetty-configuration-mingetty
        udev-configuration-hardware)
