;;; schemy --- LDAP directory server (Guix manual, "LDAP Services"): a 389
;;; directory server instance, with the dscreate .inf file Guix writes
;;; ([general], [slapd] and [backend-userroot] sections), created at
;;; activation and run with dsctl (Debian: 389-ds-base).

(define-module (gnu services ldap)
  #:use-module (guix gexp)
  #:use-module ((guix packages) #:select (package?))
  #:use-module ((guix utils) #:select (string-replace-substring))
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages openldap) #:select (389-ds-base))
  #:use-module (srfi srfi-1)
  #:export (directory-server-service-type
            directory-server-shepherd-service

            directory-server-instance-configuration
            slapd-configuration
            backend-userroot-configuration

            directory-server-inf-text))

;;; Each field is a line "name = value": dashes as underscores, no trailing
;;; question mark, booleans True/False.

(define (uglify-field-name name)
  (let ((str (string-map (lambda (c) (if (char=? c #\-) #\_ c)) (symbol->string name))))
    (if (string-suffix? "?" str)
        (substring str 0 (- (string-length str) 1))
        str)))

(define (serialize-field field-name val)
  (format #f "~a = ~a\n" (uglify-field-name field-name) val))
(define serialize-string serialize-field)
(define-maybe string)
(define (serialize-boolean field-name val)
  (serialize-field field-name (if val "True" "False")))
(define (serialize-number field-name val)
  (serialize-field field-name (number->string val)))

(define-configuration slapd-configuration
  (instance-name (string "localhost") "Instance name (may not change after installation).")
  (user (string "dirsrv") "User the instance runs as.")
  (group (string "dirsrv") "Group the instance runs as.")
  (port (number 389) "LDAP port.")
  (secure-port (number 636) "LDAPS port.")
  (root-dn (string "cn=Directory Manager") "Administrator distinguished name.")
  (root-password (string "{invalid}YOU-SHOULD-CHANGE-THIS")
                 "Administrator password, plain or a {algorithm}hash from pwdhash.")
  (self-sign-cert (boolean #t) "Create a self-signed certificate at installation.")
  (self-sign-cert-valid-months (number 24) "Months the self-signed certificate is valid.")
  (backup-dir (string "/var/lib/dirsrv/slapd-{instance_name}/bak") "Backup directory.")
  (cert-dir (string "/etc/dirsrv/slapd-{instance_name}") "Certificate database directory.")
  (config-dir (string "/etc/dirsrv/slapd-{instance_name}") "Configuration directory.")
  (db-dir (string "/var/lib/dirsrv/slapd-{instance_name}/db") "Database directory.")
  (initconfig-dir (string "/etc/dirsrv/registry") "rc configuration directory.")
  (ldif-dir (string "/var/lib/dirsrv/slapd-{instance_name}/ldif") "LDIF import/export directory.")
  (lock-dir (string "/var/lock/dirsrv/slapd-{instance_name}") "Lock directory.")
  (log-dir (string "/var/log/dirsrv/slapd-{instance_name}") "Log directory.")
  (run-dir (string "/run/dirsrv") "PID directory.")
  (schema-dir (string "/etc/dirsrv/slapd-{instance_name}/schema") "Schema directory.")
  (tmp-dir (string "/tmp") "Temporary directory."))

(define (serialize-slapd-configuration field-name val) "")

(define-configuration backend-userroot-configuration
  (create-suffix-entry? (boolean #f) "Create the suffix's generic root entry.")
  (require-index? (boolean #f) "Refuse unindexed searches.")
  (sample-entries (string "no") "\"yes\" (or a version such as \"001003006\") adds sample entries.")
  (suffix maybe-string "Root suffix of the backend (unset: no backend is created)."))

(define (serialize-backend-userroot-configuration field-name val) "")

(define-configuration directory-server-instance-configuration
  (package (file-like 389-ds-base) "The 389-ds-base package.")
  (config-version (number 2) "dscreate .inf format version (2).")
  (full-machine-name (string "localhost") "Fully qualified host name.")
  (selinux (boolean #f) "Enable SELinux detection.")
  (strict-host-checking (boolean #t) "Check full-machine-name resolves.")
  (systemd (boolean #f) "Enable systemd detection.")
  (slapd (slapd-configuration (slapd-configuration)) "Configuration of slapd.")
  (backend-userroot (backend-userroot-configuration (backend-userroot-configuration))
                    "Configuration of the userroot backend."))

(define (directory-server-inf-text config)
  "The dscreate .inf file Guix writes for CONFIG (start = False: shepherd starts it)."
  (string-append
   "[general]\n"
   (serialize-configuration
    config
    (remove (lambda (field)
              (memq (configuration-field-name field) '(package slapd backend-userroot)))
            directory-server-instance-configuration-fields))
   "start = False\n"
   "\n[slapd]\n"
   (serialize-configuration (directory-server-instance-configuration-slapd config)
                            slapd-configuration-fields)
   "\n[backend-userroot]\n"
   (serialize-configuration (directory-server-instance-configuration-backend-userroot config)
                            backend-userroot-configuration-fields)))

(define (instance-name config)
  (slapd-configuration-instance-name (directory-server-instance-configuration-slapd config)))

(define (directory-server-instance-config-file config)
  (plain-file (string-append "dirsrv-" (instance-name config) ".inf")
              (directory-server-inf-text config)))

(define (directory-server-shepherd-service config)
  "The shepherd service running CONFIG's instance through dsctl."
  (let ((package (directory-server-instance-configuration-package config))
        (slapd (directory-server-instance-configuration-slapd config))
        (name (instance-name config)))
    (list (shepherd-service
           (documentation "Run an 389 directory server instance.")
           (provision (list (symbol-append 'directory-server- (string->symbol name))))
           (requirement '(user-processes))
           (start #~(make-forkexec-constructor
                     (list #$(file-append package "/sbin/dsctl") #$name "start")
                     #:pid-file (string-append #$(slapd-configuration-run-dir slapd)
                                               "/slapd-" #$name ".pid")))
           (stop #~(make-kill-destructor))))))

(define (directory-server-accounts config)
  (let ((slapd (directory-server-instance-configuration-slapd config)))
    (list (user-group (name (slapd-configuration-group slapd)) (system? #t))
          (user-account (name (slapd-configuration-user slapd))
                        (group (slapd-configuration-group slapd))
                        (system? #t)
                        (comment "System user for the 389 directory server")
                        (home-directory "/var/empty")
                        (shell "/sbin/nologin")))))

(define (directory-server-activation config)
  ;; dscreate cannot update an instance: an existing configuration directory is kept.
  (let* ((package (directory-server-instance-configuration-package config))
         (slapd (directory-server-instance-configuration-slapd config))
         (name (instance-name config))
         (instantiate (lambda (proc) (string-replace-substring (proc slapd) "{instance_name}" name)))
         (config-dir (instantiate slapd-configuration-config-dir))
         (all-dirs (delete-duplicates
                    (map (lambda (proc) (dirname (instantiate proc)))
                         (list slapd-configuration-backup-dir slapd-configuration-cert-dir
                               slapd-configuration-db-dir slapd-configuration-ldif-dir
                               slapd-configuration-lock-dir slapd-configuration-log-dir
                               slapd-configuration-run-dir slapd-configuration-schema-dir)))))
    #~(begin
        (use-modules (guix build utils))
        (if (file-exists? #$config-dir)
            (format #t "directory-server: Instance configuration for `~a' already exists.  Skipping.\n"
                    #$name)
            (let ((owner (getpwnam #$(slapd-configuration-user slapd))))
              (for-each (lambda (dir)
                          (mkdir-p dir)
                          (chown dir (passwd:uid owner) (passwd:gid owner)))
                        (sort '#$all-dirs string<=?))
              (system* #$(file-append package "/sbin/dscreate")
                       "from-file" #$(directory-server-instance-config-file config)))))))

(define directory-server-service-type
  (service-type
   (name 'directory-server)
   (extensions
    (list (service-extension shepherd-root-service-type directory-server-shepherd-service)
          (service-extension activation-service-type directory-server-activation)
          (service-extension account-service-type directory-server-accounts)))
   (default-value (directory-server-instance-configuration))
   (description "Run a 389 directory server instance.")))
