;;; schemy --- Managed hosts, reached over SSH.
;;;
;;; `managed-host-environment-type' is a machine already running and reachable
;;; with the host's OpenSSH client; `machine-ssh-configuration' says how to log
;;; in.  Fields and defaults are those of the Guix manual ("Invoking guix
;;; deploy").  The host key is checked: with `host-key' #f, against the
;;; user's known_hosts file, as `ssh' itself does.  In schemy the target always
;;; realizes its own store: `build-locally?' #t builds the system here first
;;; (errors are caught before any machine is touched), #f only evaluates it;
;;; `safety-checks?' compares the target's CPU with `system';
;;; `allow-downgrades?' lets an older schemy replace a newer one installed by
;;; a previous deployment; `authorize?' is accepted for compatibility (schemy
;;; has no signing keys: objects are checked by their SHA-256).

(define-module (gnu machine ssh)
  #:use-module (guix records)
  #:use-module ((gnu services configuration) #:select (field-checker))
  #:use-module (gnu machine)
  #:export (managed-host-environment-type

            machine-ssh-configuration
            machine-ssh-configuration?
            this-machine-ssh-configuration
            machine-ssh-configuration-host-name
            machine-ssh-configuration-system
            machine-ssh-configuration-build-locally?
            machine-ssh-configuration-authorize?
            machine-ssh-configuration-allow-downgrades?
            machine-ssh-configuration-safety-checks?
            machine-ssh-configuration-port
            machine-ssh-configuration-user
            machine-ssh-configuration-identity
            machine-ssh-configuration-host-key))

(define managed-host-environment-type
  (environment-type
   (name 'managed-host)
   (description "Provisioning for machines that are accessible over SSH
and have a known host-name.  This entails little more than maintaining an SSH
connection to the host.")))

(define (valid-system-type? value)
  ;; "x86_64-linux", "aarch64-linux", "i586-gnu": CPU, a dash, a kernel.
  (and (string? value)
       (let ((dash (string-index value #\-)))
         (and dash (> dash 0) (< (+ dash 1) (string-length value))))))

(define (check what valid? expected)
  (field-checker valid?
                 (lambda (value)
                   (format #f "machine-ssh-configuration: invalid value ~s for field '~a' (expected ~a)"
                           value what expected))))

(define-record-type* <machine-ssh-configuration> machine-ssh-configuration
  make-machine-ssh-configuration
  machine-ssh-configuration?
  this-machine-ssh-configuration
  (host-name         machine-ssh-configuration-host-name
                     (sanitize (check 'host-name (lambda (v) (and (string? v) (not (string-null? v))))
                                      "a host name or address")))
  (system            machine-ssh-configuration-system
                     (sanitize (check 'system valid-system-type? "a system type such as \"x86_64-linux\"")))
  (build-locally?    machine-ssh-configuration-build-locally?
                     (default #t))
  (authorize?        machine-ssh-configuration-authorize?
                     (default #t))
  (allow-downgrades? machine-ssh-configuration-allow-downgrades?
                     (default #f))
  (safety-checks?    machine-ssh-configuration-safety-checks?
                     (default #t))
  (port              machine-ssh-configuration-port
                     (default 22)
                     (sanitize (check 'port (lambda (v) (and (exact-integer? v) (< 0 v 65536)))
                                      "a port number between 1 and 65535")))
  (user              machine-ssh-configuration-user
                     (default "root")
                     (sanitize (check 'user (lambda (v) (and (string? v) (not (string-null? v))))
                                      "a user name")))
  (identity          machine-ssh-configuration-identity
                     (default #f)
                     (sanitize (check 'identity (lambda (v) (or (not v) (string? v)))
                                      "#f or the file name of a private key")))
  (host-key          machine-ssh-configuration-host-key
                     (default #f)
                     (sanitize (check 'host-key (lambda (v) (or (not v) (string? v)))
                                      "#f or a host key such as \"ssh-ed25519 AAAA...\""))))
