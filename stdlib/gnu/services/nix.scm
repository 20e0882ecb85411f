;;; schemy --- Nix (Guix manual, "Nix service"): the Nix daemon, /etc/nix/nix.conf and its build users.

(define-module (gnu services nix)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages package-management) #:select (nix))
  #:use-module (srfi srfi-1)
  #:export (nix-configuration
            nix-configuration?
            nix-service-type
            nix-conf))

(define-record-type* <nix-configuration> nix-configuration
  make-nix-configuration nix-configuration?
  (package nix-configuration-package (default nix))
  (sandbox nix-configuration-sandbox (default #t))
  (build-directory nix-configuration-build-directory (default "/tmp"))
  (build-sandbox-items nix-configuration-build-sandbox-items (default '()))
  (extra-config nix-configuration-extra-config (default '()))
  (extra-options nix-configuration-extra-options (default '())))

(define (nix-conf config)
  (string-append
   "# Written by schemy for the Nix daemon.\n"
   "build-users-group = nixbld\n"
   "sandbox = " (if (nix-configuration-sandbox config) "true" "false") "\n"
   "build-sandbox-paths = " (string-join (nix-configuration-build-sandbox-items config) " ") "\n"
   (string-concatenate (map (lambda (x) (if (string? x) x "")) (nix-configuration-extra-config config)))))

(define %nix-accounts
  (cons (user-group (name "nixbld") (system? #t))
        (map (lambda (n)
               (user-account
                (name (string-append "nixbld" (number->string n)))
                (group "nixbld") (supplementary-groups '("nixbld"))
                (comment (string-append "Nix build user " (number->string n)))
                (home-directory "/var/empty") (shell "/sbin/nologin") (system? #t)))
             (iota 10 1))))

(define nix-service-type
  (service-type
   (name 'nix)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(nix-daemon))
                                      (requirement '())
                                      (documentation "Run the Nix daemon.")
                                      (start #~(make-forkexec-constructor
                                                (cons #$(file-append (nix-configuration-package config) "/bin/nix-daemon")
                                                      '#$(nix-configuration-extra-options config))))
                                      (stop #~(make-kill-destructor))))))
          (service-extension etc-service-type
                             (lambda (config) (list (list "nix/nix.conf" (plain-file "nix.conf" (nix-conf config))))))
          (service-extension account-service-type (const %nix-accounts))
          (service-extension profile-service-type
                             (lambda (config) (list (nix-configuration-package config))))))
   (default-value (nix-configuration))
   (description "Run the Nix daemon.")))
