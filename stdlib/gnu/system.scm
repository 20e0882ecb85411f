;;; schemy --- The operating-system record.
;;;
;;; An `operating-system' declares a whole system: host name, bootloader,
;;; file systems, users, packages and services.  Besides the services the
;;; user lists, every system has "essential services" computed from the
;;; other fields (accounts, /etc files, host name, file systems...).
;;; `operating-system-services' returns both, which is what the backend
;;; folds with `fold-services*'.

(define-module (gnu system)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (guix packages)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services base)
  #:use-module ((gnu services configuration) #:select (field-checker field-element-checker))
  #:use-module (gnu system shadow)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system mapped-devices)
  #:use-module (gnu system nss)
  #:use-module (gnu system privilege)
  #:use-module (gnu system pam)
  #:use-module (gnu system locale)
  #:use-module (gnu system linux-initrd)
  #:use-module (gnu bootloader)
  #:use-module (gnu packages base)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages admin)
  #:use-module (gnu packages linux)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages gawk)
  #:use-module (gnu packages less)
  #:use-module (gnu packages text-editors)
  #:use-module (gnu packages man)
  #:use-module (gnu packages texinfo)
  #:use-module ((gnu packages package-management) #:select (guix-icons guix-backgrounds))
  #:use-module ((guix utils) #:select (%current-system %current-target-system))
  #:use-module (gnu system uuid)
  #:use-module (ice-9 match)
  #:export (operating-system
            operating-system?
            %root-account
            this-operating-system

            operating-system-kernel
            operating-system-kernel-loadable-modules
            operating-system-kernel-arguments
            operating-system-user-kernel-arguments
            operating-system-hurd
            operating-system-bootloader
            operating-system-label
            operating-system-keyboard-layout
            operating-system-initrd
            operating-system-initrd-modules
            operating-system-firmware
            operating-system-host-name
            operating-system-hosts-file
            operating-system-mapped-devices
            operating-system-file-systems
            operating-system-swap-devices
            operating-system-users
            operating-system-groups
            operating-system-skeletons
            operating-system-issue
            operating-system-packages
            operating-system-timezone
            operating-system-locale
            operating-system-locale-definitions
            operating-system-locale-libcs
            operating-system-name-service-switch
            operating-system-essential-services
            operating-system-user-services
            operating-system-services
            operating-system-pam-services
            operating-system-setuid-programs
            operating-system-privileged-programs
            operating-system-sudoers-file
            operating-system-location

            operating-system-accounts
            operating-system-user-accounts
            operating-system-default-label
            operating-system-default-essential-services
            operating-system-etc-entries
            operating-system-root-file-system
            operating-system-file-systems-to-mount
            operating-system-shepherd-service-names
            operating-system-with-services

            %base-packages
            %base-packages-utils
            %base-packages-interactive
            %base-packages-linux
            %base-packages-networking
            %base-firmware
            %default-kernel-arguments
            %default-issue
            %setuid-programs
            %default-privileged-programs
            %sudoers-specification
            local-host-aliases

            %base-packages-artwork
            %base-packages-disk-utilities
            boot-parameters
            boot-parameters?
            boot-parameters-label
            boot-parameters-root-device
            boot-parameters-bootloader-name
            boot-parameters-bootloader-menu-entries
            boot-parameters-store-device
            boot-parameters-store-mount-point
            boot-parameters-store-directory-prefix
            boot-parameters-store-crypto-devices
            boot-parameters-locale
            boot-parameters-kernel
            boot-parameters-kernel-arguments
            boot-parameters-initrd
            boot-parameters-multiboot-modules
            boot-parameters-version
            %boot-parameters-version
            read-boot-parameters
            read-boot-parameters-file
            boot-parameters->menu-entry
            system-linux-image-file-name
            operating-system-kernel-file
            operating-system-user-mapped-devices
            operating-system-boot-mapped-devices
            operating-system-bootloader-crypto-devices
            operating-system-store-file-system
            operating-system-locale-directory
            operating-system-initrd-file
            operating-system-etc-directory
            operating-system-with-gc-roots
            operating-system-with-provenance)
  #:re-export (%base-initrd-modules
               base-initrd))

;;; Default values.

(define %base-packages-utils
  ;; Programs every system has: shells, file and text utilities, archivers.
  (list bash coreutils findutils grep sed diffutils patch gawk tar
        gzip bzip2 xz which procps psmisc shadow))

(define %base-packages-interactive
  ;; Programs for people at the console.
  (list less nano man-db info-reader kbd))

(define %base-packages-linux
  ;; Tools to manage Linux file systems and devices.
  (list e2fsprogs util-linux kmod))

(define %base-packages-networking
  ;; Network configuration tools.
  (list inetutils iproute))

(define %base-packages
  ;; The packages of a typical system.
  (append %base-packages-utils
          %base-packages-interactive
          %base-packages-linux
          %base-packages-networking))

(define %base-firmware
  ;; No firmware package is needed on a foreign host.
  '())

(define %default-kernel-arguments
  (list "quiet"))

(define %default-issue
  ;; The default contents of /etc/issue.
  "
This is the GNU system.  Welcome.
")

(define %default-privileged-programs
  ;; Programs that run with privileges whoever starts them: ping with the one
  ;; capability it needs, the others setuid root.
  (cons* (privileged-program (program (file-append inetutils "/bin/ping"))
                             (capabilities "cap_net_raw=ep"))
         (privileged-program (program (file-append inetutils "/bin/ping6"))
                             (capabilities "cap_net_raw=ep"))
         (map file-like->setuid-program
              (list (file-append shadow "/bin/passwd")
                    (file-append shadow "/bin/chfn")
                    (file-append shadow "/bin/sg")
                    (file-append shadow "/bin/su")
                    (file-append shadow "/bin/newgrp")
                    (file-append shadow "/bin/newuidmap")
                    (file-append shadow "/bin/newgidmap")
                    (file-append sudo "/bin/sudo")
                    (file-append sudo "/bin/sudoedit")
                    (file-append util-linux "/bin/mount")
                    (file-append util-linux "/bin/umount")))))

(define %setuid-programs
  ;; Kept for configs that extend it; Guix moved its programs to
  ;; %default-privileged-programs and left it empty.
  '())

(define %sudoers-specification
  ;; Root and members of "wheel" may run anything as anyone.
  (plain-file "sudoers" "\
root ALL=(ALL) ALL
%wheel ALL=(ALL) ALL
"))

(define (local-host-aliases host-name)
  "The /etc/hosts lines aliasing HOST-NAME to the loopback addresses."
  (string-append "127.0.0.1 localhost " host-name "\n"
                 "::1 localhost " host-name "\n"))

;;; Checks of field values.

(define (valid-host-name? name)
  ;; Guix checks only what would break /etc/hosts: a host name with
  ;; whitespace.  Underscores ("christoph_pc") and the like are accepted.
  (and (not (string-null? name))
       (not (string-any char-set:whitespace name))))

(define sanitize-host-name
  (compose (field-checker valid-host-name?
                          "host name ~s contains invalid characters")
           (field-checker string? "host-name must be a string such as \"my-host\", not ~s")))

(define (shorten-written x)
  "X as `write' shows it, cut to a line's worth for error messages."
  (let ((text (call-with-output-string (lambda (port) (write x port)))))
    (if (> (string-length text) 60)
        (string-append (substring text 0 57) "...")
        text)))

(define (sanitize-list-of pred what)
  (compose (field-element-checker
            pred
            (lambda (x)
              (if (equal? what "services")
                  (format #f "services: ~a is not a service (write (service TYPE VALUE))"
                          (shorten-written x))
                  (format #f "~a: ~a is not a valid element" what (shorten-written x)))))
           (field-checker list? (lambda (value) (format #f "~a must be a list, not ~s" what value)))))

(define sanitize-bootloader
  ;; #f is let through, as Guix does: a base system that another procedure completes
  ;; (os-with-u-boot) may leave it out; the system built must have one (check-bootloader).
  (field-checker (lambda (value) (or (not value) (bootloader-configuration? value)))
                 "operating-system: bootloader must be a bootloader-configuration, not ~s"))

(define sanitize-timezone
  (field-checker (lambda (value)
                   (and (string? value) (not (string-null? value))
                        (not (string-prefix? "/" value))
                        (not (string-contains value ".."))))
                 "invalid timezone ~s (expected a name such as \"Europe/Paris\")"))

(define sanitize-locale
  (field-checker (lambda (value) (and (string? value) (not (string-null? value))))
                 "invalid locale ~s (expected a name such as \"en_US.utf8\")"))

;;; The record.

(define-record-type* <operating-system> %operating-system
  make-operating-system operating-system?
  this-operating-system
  (kernel                  operating-system-kernel (default linux-libre))
  (kernel-loadable-modules operating-system-kernel-loadable-modules (default '()))
  (kernel-arguments        operating-system-user-kernel-arguments
                           (default %default-kernel-arguments))
  (hurd                    operating-system-hurd (default #f))
  (bootloader              operating-system-bootloader (sanitize sanitize-bootloader))
  (label                   operating-system-label (thunked)
                           (default (operating-system-default-label this-operating-system)))
  (keyboard-layout         operating-system-keyboard-layout (default #f))
  (initrd                  operating-system-initrd (default base-initrd))
  (initrd-modules          operating-system-initrd-modules (default %base-initrd-modules))
  (firmware                operating-system-firmware (default %base-firmware))
  (host-name               operating-system-host-name (sanitize sanitize-host-name))
  (hosts-file              operating-system-hosts-file (default #f))
  (mapped-devices          operating-system-mapped-devices (default '())
                           (sanitize (sanitize-list-of mapped-device? "mapped-devices")))
  (file-systems            operating-system-file-systems
                           (sanitize (sanitize-list-of file-system? "file-systems")))
  (swap-devices            operating-system-swap-devices (default '()))
  (users                   operating-system-users (default %base-user-accounts)
                           (sanitize (sanitize-list-of user-account? "users")))
  (groups                  operating-system-groups (default %base-groups)
                           (sanitize (sanitize-list-of user-group? "groups")))
  (skeletons               operating-system-skeletons (default (default-skeletons)))
  (issue                   operating-system-issue (default %default-issue))
  (packages                operating-system-packages (default %base-packages))
  (timezone                operating-system-timezone (default "Etc/UTC")
                           (sanitize sanitize-timezone))
  (locale                  operating-system-locale (default "en_US.utf8")
                           (sanitize sanitize-locale))
  (locale-definitions      operating-system-locale-definitions
                           (default %default-locale-definitions))
  (locale-libcs            operating-system-locale-libcs (default (list glibc)))
  (name-service-switch     operating-system-name-service-switch (default %default-nss))
  (essential-services      operating-system-essential-services (thunked)
                           (default (operating-system-default-essential-services
                                     this-operating-system)))
  (services                operating-system-user-services (default %base-services)
                           (sanitize (sanitize-list-of service? "services")))
  (pam-services            operating-system-pam-services (default (base-pam-services)))
  (privileged-programs     operating-system-privileged-programs (default %default-privileged-programs))
  (setuid-programs         operating-system-setuid-programs (default %setuid-programs))
  (sudoers-file            operating-system-sudoers-file (default %sudoers-specification))
  (location                operating-system-location
                           (default (%construction-location)) (innate)))

(define-syntax operating-system
  ;; The record's constructor where, as in Guix, a field's value may name a
  ;; field given before it: (keyboard-layout (keyboard-layout "us")) then
  ;; (bootloader (bootloader-configuration (keyboard-layout keyboard-layout))),
  ;; or (dependencies mapped-devices) in a file system.  Plain fields are bound
  ;; in order with let*; thunked ones (label, essential-services) and inherit
  ;; are passed on as they are.
  (lambda (x)
    (define (bound? c)
      (syntax-case c ()
        ((name value)
         (and (identifier? #'name)
              (not (memq (syntax->datum #'name) '(inherit label essential-services)))))
        (_ #f)))
    (define known
      '(kernel kernel-loadable-modules kernel-arguments hurd bootloader label
        keyboard-layout initrd initrd-modules firmware host-name hosts-file
        mapped-devices file-systems swap-devices users groups skeletons issue
        packages timezone locale locale-definitions locale-libcs
        name-service-switch essential-services services pam-services
        privileged-programs setuid-programs sudoers-file location inherit))
    (define (well-formed? c)
      (syntax-case c ()
        ((name value) (and (identifier? #'name) (memq (syntax->datum #'name) known) #t))
        (_ #f)))
    (syntax-case x ()
      ((_ clause ...)
       (let ((clauses #'(clause ...)))
         (if (or (not (every well-formed? clauses))
                 ;; Only a form whose fields name other fields needs the let*;
                 ;; the others stay one record form, located at the user's code.
                 (not (let* ((given (map (lambda (c) (car (syntax->datum c))) clauses))
                             (mentions? (lambda (tree name)
                                          (let walk ((t tree))
                                            (cond ((symbol? t) (and (memq t given)
                                                                    (not (eq? t name))))
                                                  ((pair? t) (or (walk (car t)) (walk (cdr t))))
                                                  ((vector? t) (walk (vector->list t)))
                                                  (else #f))))))
                        (any (lambda (c)
                               (let ((d (syntax->datum c)))
                                 (mentions? (cadr d) (car d))))
                             clauses)))
                 (let ((given (map (lambda (c) (car (syntax->datum c))) clauses)))
                   (and (not (memq 'inherit given))
                        (not (every (lambda (f) (memq f given))
                                    '(bootloader host-name file-systems))))))
             ;; A misspelled or malformed field: the record reports it, at this form.
             #'(%operating-system clause ...)
             (with-syntax ((((name value) ...) (filter bound? clauses))
                           ((other ...) (filter (lambda (c) (not (bound? c))) clauses)))
               #'(let* ((name value) ...)
                   (%operating-system other ... (name name) ...)))))))))

(set-record-type-printer! <operating-system>
  (lambda (os port)
    (display "#<operating-system " port)
    (display (operating-system-host-name os) port)
    (display ">" port)))

;;; Derived information.

(define* (operating-system-kernel-arguments os #:optional root-device)
  "The kernel command line of OS: the user's arguments, preceded by the root
device when ROOT-DEVICE is given."
  (append (if root-device
              (list (string-append "root="
                                   (file-system-device->string root-device)))
              '())
          (operating-system-user-kernel-arguments os)))

(define (operating-system-default-label os)
  "The bootloader menu label of OS, such as \"GNU with Linux-libre 6.6\"."
  (let ((kernel (operating-system-kernel os)))
    (if (package? kernel)
        (string-append "GNU with "
                       (string-titlecase (package-name kernel)) " "
                       (package-version kernel))
        "GNU")))

(define (operating-system-root-file-system os)
  (find root-file-system? (operating-system-file-systems os)))

(define (operating-system-file-systems-to-mount os)
  (operating-system-file-systems os))

(define %root-account
  ;; Guix's name for the default root account, which configs inherit from.
  root-account)

(define (operating-system-user-accounts os)
  "The user accounts of OS: its users, with %root-account in front unless one
of them has uid 0 (a config's own root, often inheriting %root-account)."
  (let ((users (operating-system-users os)))
    (if (find (lambda (user) (eqv? 0 (user-account-uid user))) users)
        users
        (cons %root-account users))))

(define (operating-system-accounts os)
  "The user accounts and groups of OS: the value of account-service-type."
  (append (operating-system-user-accounts os)
          (operating-system-groups os)))

(define (operating-system-services os)
  "All the services of OS: the essential ones, then the user's."
  (append (operating-system-essential-services os)
          (operating-system-user-services os)))

(define (operating-system-with-services os services)
  (operating-system (inherit os) (services services)))

(define (operating-system-shepherd-service-names os)
  "The provisions of every shepherd service of OS."
  (let ((root (folded-service-value (operating-system-services os)
                                    shepherd-root-service-type)))
    (append-map shepherd-service-provision (or root '()))))

;;; /etc.

(define (shells-file users)
  (plain-file "shells"
              (string-concatenate
               (map (lambda (shell) (string-append shell "\n"))
                    (delete-duplicates
                     (append (list "/bin/sh" "/bin/bash")
                             (filter string? (map user-account-shell users))))))))

(define (profile-file os)
  (plain-file "profile"
              (string-append "\
# Generated from the system configuration.
# Set the search paths to the system profile, then source the user's profile.
export LANG=" (operating-system-locale os) "
export TZ=" (operating-system-timezone os) "
export PATH=\"$HOME/.guix-profile/bin:/run/setuid-programs:/run/current-system/profile/bin:/run/current-system/profile/sbin:$PATH\"
export INFOPATH=\"/run/current-system/profile/share/info${INFOPATH:+:}$INFOPATH\"
export MANPATH=\"/run/current-system/profile/share/man${MANPATH:+:}$MANPATH\"
if [ -f \"$HOME/.guix-profile/etc/profile\" ]; then . \"$HOME/.guix-profile/etc/profile\"; fi
")))

(define (os-release-file os)
  (plain-file "os-release" "\
NAME=\"Guix System\"
ID=guix
PRETTY_NAME=\"Guix System (schemy)\"
HOME_URL=\"https://guix.gnu.org\"
"))

(define (operating-system-etc-entries os)
  "The /etc files OS provides by itself, as (NAME FILE-LIKE) lists."
  (let ((issue (operating-system-issue os)))
    (list (list "issue" (if (string? issue) (plain-file "issue" issue) issue))
          (list "nsswitch.conf"
                (plain-file "nsswitch.conf"
                            (name-service-switch->string
                             (operating-system-name-service-switch os))))
          (list "timezone" (plain-file "timezone"
                                       (string-append (operating-system-timezone os) "\n")))
          (list "locale.conf" (plain-file "locale.conf"
                                          (string-append "LANG=" (operating-system-locale os)
                                                         "\n")))
          (list "shells" (shells-file (operating-system-users os)))
          (list "profile" (profile-file os))
          (list "os-release" (os-release-file os))
          (list "sudoers" (operating-system-sudoers-file os))
          (list "skel" (skeleton-directory (operating-system-skeletons os))))))

;;; Essential services.

(define (check-root-file-system os)
  (unless (operating-system-root-file-system os)
    (%raise-located (operating-system-location os)
                    "operating-system: missing root file system (no file-system has mount point \"/\")")))

(define (check-bootloader os)
  (unless (operating-system-bootloader os)
    (%raise-located (operating-system-location os)
                    "operating-system: bootloader must be a bootloader-configuration, not #f")))

(define (operating-system-default-essential-services os)
  "The services every system has, computed from the fields of OS."
  (check-root-file-system os)
  (check-bootloader os)
  (let ((host-name (operating-system-host-name os))
        (hosts-file (operating-system-hosts-file os)))
    (append
     (list (service system-service-type '())
           (service boot-service-type '())
           (service activation-service-type '())
           (service shepherd-root-service-type '())
           (service user-processes-service-type '())
           (service root-file-system-service-type)
           (service file-system-service-type (operating-system-file-systems os))
           (service fstab-service-type
                    (filter file-system-needed-for-boot? (operating-system-file-systems os)))
           (service swap-service-type (operating-system-swap-devices os)))
     (map device-mapping-service (operating-system-mapped-devices os))
     (list (service account-service-type (operating-system-accounts os))
           (service host-name-service-type host-name)
           (if hosts-file
               (simple-service 'hosts-file etc-service-type (list (list "hosts" hosts-file)))
               (service hosts-service-type (local-host-entries host-name)))
           (service etc-service-type (operating-system-etc-entries os))
           (service profile-service-type (operating-system-packages os))
           (service pam-root-service-type (operating-system-pam-services os))
           (service privileged-program-service-type
                    (append (operating-system-privileged-programs os)
                            (operating-system-setuid-programs os)))
           (service firmware-service-type (operating-system-firmware os))))))

;;; More of Guix's (gnu system).

(define %base-packages-artwork
  ;; Guix's artwork: its backgrounds and icons.
  (list guix-backgrounds guix-icons))

(define %base-packages-disk-utilities
  ;; Deprecated in Guix, where it is now empty (the utilities come with the
  ;; file systems that need them).
  '())

(define* (system-linux-image-file-name
          #:optional (target (or (%current-target-system) (%current-system))))
  "The base name of the kernel image of TARGET, a system such as \"x86_64-linux\"."
  (cond ((string-prefix? "arm" target) "zImage")
        ((string-prefix? "mips" target) "vmlinuz")
        ((string-prefix? "aarch64" target) "Image")
        ((string-prefix? "riscv64" target) "Image")
        (else "bzImage")))

(define (operating-system-kernel-file os)
  "The kernel image of OS: GNU Mach for the Hurd, else the Linux image."
  (if (operating-system-hurd os)
      (file-append (operating-system-kernel os) "/boot/gnumach")
      (file-append (operating-system-kernel os) "/" (system-linux-image-file-name))))

(define (mapped-device-users device file-systems)
  ;; The file systems among FILE-SYSTEMS that use DEVICE.
  (let ((targets (map (lambda (t) (string-append "/dev/mapper/" t))
                      (mapped-device-targets device))))
    (filter (lambda (fs)
              (or (memq device (file-system-dependencies fs))
                  (and (string? (file-system-device fs))
                       (member (file-system-device fs) targets))))
            file-systems)))

(define (operating-system-user-mapped-devices os)
  "The mapped devices of OS not needed at boot (opened in user land)."
  (filter (lambda (md)
            (not (any file-system-needed-for-boot?
                      (mapped-device-users md (operating-system-file-systems os)))))
          (operating-system-mapped-devices os)))

(define (operating-system-boot-mapped-devices os)
  "The mapped devices of OS the initrd opens: those of file systems needed at boot."
  (filter (lambda (md)
            (any file-system-needed-for-boot?
                 (mapped-device-users md (operating-system-file-systems os))))
          (operating-system-mapped-devices os)))

(define (operating-system-store-file-system os)
  "The file system of OS holding the store: the mounted one (not a bind mount)
whose mount point is the longest prefix of /gnu/store."
  (let ((candidates (filter (lambda (fs)
                              (and (file-system-mount? fs)
                                   (not (memq 'bind-mount (file-system-flags fs)))
                                   (string-prefix? (file-system-mount-point fs) "/gnu/store")))
                            (operating-system-file-systems os))))
    (and (pair? candidates)
         (reduce (lambda (a b)
                   (if (> (string-length (file-system-mount-point a))
                          (string-length (file-system-mount-point b)))
                       a b))
                 #f candidates))))

(define (operating-system-bootloader-crypto-devices os)
  "The UUIDs of the LUKS devices the bootloader must open to reach the store of OS."
  (let* ((store (operating-system-store-file-system os))
         (devices (filter (lambda (md)
                            (and (eq? (mapped-device-type md) luks-device-mapping)
                                 store
                                 (member store (mapped-device-users
                                                md (operating-system-file-systems os)))))
                          (operating-system-boot-mapped-devices os))))
    (filter uuid? (map mapped-device-source devices))))

(define (operating-system-locale-directory os)
  "The locales of OS compiled for its libcs, its `locale' added to its
definitions when they lack it."
  (let* ((name (operating-system-locale os))
         (definitions (operating-system-locale-definitions os))
         (definitions (if (member name (map locale-definition-name definitions))
                          definitions
                          (cons (or (locale-name->definition name)
                                    (error (format #f "~a: invalid locale name" name)))
                                definitions))))
    (locale-directory definitions #:libcs (operating-system-locale-libcs os))))

(define (operating-system-initrd-file os)
  "The initrd of OS, as its `initrd' procedure makes it for the file systems
needed at boot."
  ((operating-system-initrd os)
   (filter file-system-needed-for-boot? (operating-system-file-systems os))
   #:linux (operating-system-kernel os)
   #:linux-modules (operating-system-initrd-modules os)
   #:mapped-devices (operating-system-boot-mapped-devices os)
   #:keyboard-layout (operating-system-keyboard-layout os)))

(define (operating-system-etc-directory os)
  "The /etc directory of OS: every file its services put there."
  (file-union "etc" (or (folded-service-value (operating-system-services os) etc-service-type)
                        '())))

(define (operating-system-with-gc-roots os roots)
  "OS, keeping ROOTS (file-like objects) from the garbage collector."
  (operating-system
    (inherit os)
    (services (cons (simple-service 'extra-root gc-root-service-type roots)
                    (operating-system-user-services os)))))

(define (operating-system-configuration-file os)
  ;; The file OS is defined in ("FILE:LINE:COLUMN" is where), or #f.
  (let ((loc (operating-system-location os)))
    (and loc
         (let* ((where (%location->string loc))
                (column (string-rindex where #\:))
                (line (and column (string-rindex where #\: 0 column))))
           (and line (substring where 0 line))))))

(define* (operating-system-with-provenance os #:optional
                                           (config-file (operating-system-configuration-file os)))
  "OS, recording its provenance (its configuration file CONFIG-FILE)."
  (operating-system
    (inherit os)
    (services (cons (service provenance-service-type config-file)
                    (operating-system-user-services os)))))

;;; Boot parameters: what a system generation records about how to boot it.

(define %boot-parameters-version 1)

(define-record-type* <boot-parameters> boot-parameters make-boot-parameters
  boot-parameters?
  (label                   boot-parameters-label)
  (root-device             boot-parameters-root-device)
  (bootloader-name         boot-parameters-bootloader-name)
  (bootloader-menu-entries boot-parameters-bootloader-menu-entries)
  (store-device            boot-parameters-store-device)
  (store-mount-point       boot-parameters-store-mount-point)
  (store-directory-prefix  boot-parameters-store-directory-prefix)
  (store-crypto-devices    boot-parameters-store-crypto-devices (default '()))
  (locale                  boot-parameters-locale)
  (kernel                  boot-parameters-kernel)
  (kernel-arguments        boot-parameters-kernel-arguments)
  (initrd                  boot-parameters-initrd)
  (multiboot-modules       boot-parameters-multiboot-modules)
  (version                 boot-parameters-version (default %boot-parameters-version)))

(define (read-boot-parameters port)
  "The boot parameters read from PORT, in the format of Guix's `parameters'
files (versions 0 and 1); an error for another format."
  (define device-sexp->device
    (match-lambda
      (('uuid (? symbol? type) (? bytevector? bv)) (bytevector->uuid bv type))
      (('file-system-label (? string? label)) (file-system-label label))
      ((? bytevector? bv) (bytevector->uuid bv 'dce))
      ((? string? device)
       (if (or (string-contains device ":/") (string-prefix? "/" device))
           device
           (file-system-label device)))))
  (define (not-/dev device)
    (if (and (string? device) (string-prefix? "/" device)) #f device))
  (define (field rest key default)
    (match (assq key rest)
      ((_ value) value)
      (_ default)))
  (match (read port)
    (('boot-parameters ('version (? (lambda (n) (memv n '(0 1))) version))
                       ('label label) ('root-device root) ('kernel kernel)
                       rest ...)
     (let ((store (assq 'store rest))
           (root-device (device-sexp->device root)))
       (boot-parameters
        (version version)
        (label label)
        (root-device root-device)
        (bootloader-name (field rest 'bootloader-name 'grub))
        (bootloader-menu-entries (map sexp->menu-entry (field rest 'bootloader-menu-entries '())))
        ;; Old generations name the kernel's store item, not its image.
        (kernel (if (and (string-prefix? "/gnu/store/" kernel)
                         (= 4 (length (string-split kernel #\/))))
                    (string-append kernel "/" (system-linux-image-file-name))
                    kernel))
        (kernel-arguments (field rest 'kernel-arguments '()))
        (initrd (match (assq 'initrd rest)
                  (('initrd ('string-append directory file)) (string-append directory file))
                  (('initrd (? string? file)) file)
                  (_ #f)))
        (multiboot-modules (field rest 'multiboot-modules '()))
        (locale (field rest 'locale #f))
        (store-device (not-/dev (match store
                                  (('store ('device #f) _ ...) root-device)
                                  (('store ('device device) _ ...) (device-sexp->device device))
                                  (_ root-device))))
        (store-directory-prefix (match store
                                  (('store . data) (field data 'directory-prefix #f))
                                  (_ #f)))
        (store-crypto-devices (match store
                                (('store . data)
                                 (match (assq 'crypto-devices data)
                                   (('crypto-devices (devices ...))
                                    (filter-map (match-lambda
                                                  (('uuid (? symbol? type) (? bytevector? bv))
                                                   (bytevector->uuid bv type))
                                                  (_ #f))
                                                devices))
                                   (_ '())))
                                (_ '())))
        (store-mount-point (match store
                             (('store ('device _) ('mount-point mount-point) _ ...) mount-point)
                             (_ "/"))))))
    (x (error (format #f "unrecognized boot parameters at '~a'" (port-filename port))))))

(define (bootable-kernel-arguments system root-device version)
  ;; The arguments booting SYSTEM from ROOT-DEVICE (old names for version 0).
  (let ((root (cond ((uuid? root-device) (uuid->string (uuid-bytevector root-device) 'dce))
                    ((file-system-label? root-device) (file-system-label->string root-device))
                    (else root-device)))
        (new? (> version 0)))
    (append (cond ((equal? root "tmpfs") '("rootfstype=tmpfs"))
                  ((equal? root "none") '())
                  (else (list (string-append (if new? "root=" "--root=") root))))
            (list (string-append (if new? "gnu.system=" "--system=") system)
                  (string-append (if new? "gnu.load=" "--load=") system "/boot")))))

(define (read-boot-parameters-file system)
  "The boot parameters of SYSTEM (a system generation's file name), their kernel
arguments preceded by those booting it."
  (let ((params (call-with-input-file (string-append system "/parameters")
                  read-boot-parameters)))
    (boot-parameters
     (inherit params)
     (kernel-arguments (append (bootable-kernel-arguments
                                system (boot-parameters-root-device params)
                                (boot-parameters-version params))
                               (boot-parameters-kernel-arguments params))))))

(define (boot-parameters->menu-entry params)
  "The bootloader menu entry of PARAMS."
  (let* ((kernel (boot-parameters-kernel params))
         (multiboot? (pair? (boot-parameters-multiboot-modules params))))
    (menu-entry
     (label (boot-parameters-label params))
     (device (boot-parameters-store-device params))
     (device-mount-point (boot-parameters-store-mount-point params))
     (linux (and (not multiboot?) kernel))
     (linux-arguments (if multiboot? '() (boot-parameters-kernel-arguments params)))
     (initrd (boot-parameters-initrd params))
     (multiboot-kernel (and multiboot? kernel))
     (multiboot-arguments (if multiboot? (boot-parameters-kernel-arguments params) '()))
     (multiboot-modules (if multiboot? (boot-parameters-multiboot-modules params) '())))))
