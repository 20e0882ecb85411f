;;; schemy --- GNU Privacy Guard home services (Guix manual, "GNU Privacy
;;; Guard"): ~/.gnupg/gpg-agent.conf, and gpg-agent as the SSH agent when asked.

(define-module (gnu home services gnupg)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((gnu packages gnupg) #:select (gnupg pinentry parcimonie))
  #:export (home-gpg-agent-configuration
            home-gpg-agent-configuration?
            home-gpg-agent-configuration-gnupg
            home-gpg-agent-configuration-pinentry-program
            home-gpg-agent-configuration-ssh-support?
            home-gpg-agent-configuration-default-cache-ttl
            home-gpg-agent-configuration-max-cache-ttl
            home-gpg-agent-configuration-max-cache-ttl-ssh
            home-gpg-agent-configuration-extra-content
            home-gpg-agent-service-type

            home-parcimonie-configuration
            home-parcimonie-configuration?
            home-parcimonie-configuration-parcimonie
            home-parcimonie-configuration-verbose?
            home-parcimonie-configuration-gnupg-already-torified?
            home-parcimonie-configuration-refresh-guix-keyrings?
            home-parcimonie-configuration-extra-content
            home-parcimonie-service-type))

(define-configuration/no-serialization home-gpg-agent-configuration
  (gnupg (file-like gnupg) "The GnuPG package.")
  (pinentry-program (file-like (file-append pinentry "/bin/pinentry-curses"))
                    "The pinentry program that asks for passphrases.")
  (ssh-support? (boolean #f) "Let gpg-agent act as the SSH agent.")
  (default-cache-ttl (integer 600) "Seconds a used cache entry stays valid.")
  (max-cache-ttl (integer 7200) "Seconds a cache entry stays valid at most.")
  (default-cache-ttl-ssh (integer 1800) "Like default-cache-ttl, for SSH keys.")
  (max-cache-ttl-ssh (integer 7200) "Like max-cache-ttl, for SSH keys.")
  (extra-content (raw-configuration-string "") "Text added at the end of gpg-agent.conf."))

(define (gpg-agent-conf config)
  (mixed-text-file "gpg-agent.conf"
                   "pinentry-program " (home-gpg-agent-configuration-pinentry-program config) "\n"
                   "default-cache-ttl "
                   (number->string (home-gpg-agent-configuration-default-cache-ttl config)) "\n"
                   "max-cache-ttl "
                   (number->string (home-gpg-agent-configuration-max-cache-ttl config)) "\n"
                   "default-cache-ttl-ssh "
                   (number->string (home-gpg-agent-configuration-default-cache-ttl-ssh config)) "\n"
                   "max-cache-ttl-ssh "
                   (number->string (home-gpg-agent-configuration-max-cache-ttl-ssh config)) "\n"
                   (home-gpg-agent-configuration-extra-content config)))

(define (gpg-agent-shepherd-services config)
  ;; gpg-agent starts on demand, except as the SSH agent.
  (if (home-gpg-agent-configuration-ssh-support? config)
      (let ((endpoint (lambda (name socket)
                        #~(endpoint (make-socket-address
                                     AF_UNIX
                                     (string-append %user-runtime-dir "/gnupg/" #$socket))
                                    #:name #$name
                                    #:socket-directory-permissions #o700))))
        (list (shepherd-service
               (provision '(gpg-agent ssh-agent))
               (modules '((shepherd support)))
               (start #~(make-systemd-constructor
                         (list #$(file-append (home-gpg-agent-configuration-gnupg config)
                                              "/bin/gpg-agent")
                               "--supervised" "--enable-ssh-support")
                         (list #$(endpoint "ssh" "S.gpg-agent.ssh")
                               #$(endpoint "browser" "S.gpg-agent.browser")
                               #$(endpoint "extra" "S.gpg-agent.extra")
                               #$(endpoint "std" "S.gpg-agent"))))
               (stop #~(make-systemd-destructor))
               (documentation "Run gpg-agent, also as the SSH agent."))))
      '()))

(define %gpg-agent-activation
  #~(let ((dot-gnupg (string-append (getenv "HOME") "/.gnupg")))
      ((@ (guix build utils) mkdir-p) dot-gnupg)
      (chmod dot-gnupg #o700)))

(define home-gpg-agent-service-type
  (service-type
   (name 'home-gpg-agent)
   (extensions
    (list (service-extension home-files-service-type
                             (lambda (config)
                               `((".gnupg/gpg-agent.conf" ,(gpg-agent-conf config)))))
          (service-extension home-shepherd-service-type gpg-agent-shepherd-services)
          (service-extension home-activation-service-type (const %gpg-agent-activation))
          (service-extension home-environment-variables-service-type
                             (lambda (config)
                               (if (home-gpg-agent-configuration-ssh-support? config)
                                   '(("SSH_AUTH_SOCK" . "$XDG_RUNTIME_DIR/gnupg/S.gpg-agent.ssh"))
                                   '())))))
   (default-value (home-gpg-agent-configuration))
   (description "Configure gpg-agent, GnuPG's passphrase agent.")))

;;; parcimonie: refreshing the keyring little by little, over Tor.

(define-configuration/no-serialization home-parcimonie-configuration
  (parcimonie (file-like parcimonie) "The parcimonie package.")
  (verbose? (boolean #f) "Log more.")
  (gnupg-already-torified? (boolean #f)
                           "GnuPG already goes through Tor: parcimonie does not use Tor itself.")
  (refresh-guix-keyrings? (boolean #f)
                          "Also refresh the Guix keyrings (trustedkeys.kbx) under XDG_CONFIG_HOME/guix.")
  (extra-content (raw-configuration-string "") "An argument added to parcimonie's command line."))

(define (home-parcimonie-shepherd-service config)
  (let ((extra (home-parcimonie-configuration-extra-content config)))
    (list (shepherd-service
           (provision '(parcimonie))
           (modules '((shepherd support) (guix build utils) (srfi srfi-1)))
           (start #~(make-forkexec-constructor
                     (cons* #$(file-append (home-parcimonie-configuration-parcimonie config)
                                           "/bin/parcimonie")
                            #$@(if (home-parcimonie-configuration-verbose? config)
                                   '("--verbose") '())
                            #$@(if (home-parcimonie-configuration-gnupg-already-torified? config)
                                   '("--gnupg_already_torified") '())
                            #$@(if (string=? extra "") '() (list extra))
                            #$(if (home-parcimonie-configuration-refresh-guix-keyrings? config)
                                  #~(append-map
                                     (lambda (keyring)
                                       (list (string-append "--gnupg_extra_args=--keyring="
                                                            keyring)))
                                     (find-files (string-append (getenv "XDG_CONFIG_HOME") "/guix")
                                                 "^trustedkeys\\.kbx$"))
                                  #~(list)))
                     #:log-file (string-append %user-log-dir "/parcimonie.log")))
           (stop #~(make-kill-destructor))
           (respawn? #t)
           (documentation "Incrementally refresh the GnuPG keyring over Tor.")))))

(define home-parcimonie-service-type
  (service-type
   (name 'home-parcimonie)
   (extensions (list (service-extension home-shepherd-service-type
                                        home-parcimonie-shepherd-service)))
   (default-value (home-parcimonie-configuration))
   (description "Incrementally refresh GnuPG keyrings over Tor.")))
