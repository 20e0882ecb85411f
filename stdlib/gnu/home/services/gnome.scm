;;; schemy --- GNOME's SSH agent for a user (Guix manual, "GNOME Home
;;; Services"): gcr-ssh-agent started by the user's shepherd on its socket,
;;; SSH_AUTH_SOCK pointing at it.

(define-module (gnu home services gnome)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:use-module ((gnu packages gnome) #:select (gcr))
  #:export (gcr-ssh-agent-configuration
            gcr-ssh-agent-configuration?
            gcr-ssh-agent-configuration-fields
            gcr-ssh-agent-configuration-package
            gcr-ssh-agent-configuration-log-file

            home-gcr-ssh-agent-log-file
            home-gcr-ssh-agent-shepherd-service

            home-gcr-ssh-agent-service-type))

(define-maybe/no-serialization string)

(define-configuration/no-serialization gcr-ssh-agent-configuration
  (package (package gcr) "The gcr package to use.")
  (log-file (maybe-string)
            "Where the agent logs; unset, $XDG_STATE_HOME/shepherd's log directory's gcr-ssh-agent.log."))

(define (home-gcr-ssh-agent-log-file config)
  "The log file of the agent of CONFIG: its log-file, else one in the user's shepherd log directory."
  (let ((file (gcr-ssh-agent-configuration-log-file config)))
    (if (maybe-value-set? file)
        file
        #~(string-append %user-log-dir "/gcr-ssh-agent.log"))))

(define (home-gcr-ssh-agent-shepherd-service config)
  "The shepherd service listening on $XDG_RUNTIME_DIR/gcr/ssh and starting gcr-ssh-agent there."
  (list (shepherd-service
         (provision '(gcr-ssh-agent ssh-agent))
         (modules '((shepherd support)))
         (documentation "Run gcr-ssh-agent, GNOME's SSH agent.")
         (start #~(let ((directory (string-append %user-runtime-dir "/gcr")))
                    (make-systemd-constructor
                     (list #$(file-append (gcr-ssh-agent-configuration-package config)
                                          "/libexec/gcr-ssh-agent")
                           "-d" directory)
                     (list (endpoint (make-socket-address AF_UNIX (string-append directory "/ssh"))
                                     #:name "ssh"
                                     #:socket-directory-permissions #o700))
                     ;; Started at once: a lazily started agent leaves the first ssh hanging.
                     #:lazy-start? #f
                     #:log-file #$(home-gcr-ssh-agent-log-file config))))
         (stop #~(make-systemd-destructor)))))

(define home-gcr-ssh-agent-service-type
  (service-type
   (name 'home-gcr-ssh-agent)
   (extensions
    (list (service-extension home-shepherd-service-type home-gcr-ssh-agent-shepherd-service)
          (service-extension home-environment-variables-service-type
                             (const '(("SSH_AUTH_SOCK" . "${XDG_RUNTIME_DIR}/gcr/ssh"))))))
   (default-value (gcr-ssh-agent-configuration))
   (description "Run gcr-ssh-agent, GNOME's SSH agent, as a user service.")))
