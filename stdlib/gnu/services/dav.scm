;;; schemy --- Xandikos, a CalDAV/CardDAV server (Guix manual, "DAV
;;; Services"): xandikos with the command line Guix gives it.

(define-module (gnu services dav)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages dav) #:select (xandikos))
  #:export (xandikos-configuration
            xandikos-configuration?
            xandikos-service-type
            xandikos-arguments))

(define (port? x) (and (integer? x) (exact? x) (<= 0 x 65535)))

(define-configuration/no-serialization xandikos-configuration
  (package (file-like xandikos) "The Xandikos package.")
  (directory (string "/var/xandikos/dav") "The directory served.")
  (listen-address (string "127.0.0.1") "The address Xandikos listens on.")
  (port (port 8080) "The port Xandikos listens on.")
  (current-user-principal (string "/user/") "The path of the current user principal.")
  (route-prefix (string "/") "The path of Xandikos (behind a reverse proxy).")
  (defaults? (boolean #t) "Create the initial calendar and address book.")
  (dump? (boolean #f) "Print the DAV XML requests and responses.")
  (avahi? (boolean #f) "Announce the services with Avahi.")
  (autocreate? (boolean #f) "Create the directories it needs.")
  (no-strict? (boolean #f) "Work around buggy CalDAV/CardDAV clients."))

(define (xandikos-arguments config)
  "The command-line options Guix passes xandikos for CONFIG."
  (append (list "--listen-address" (xandikos-configuration-listen-address config)
                "--port" (number->string (xandikos-configuration-port config))
                "-d" (xandikos-configuration-directory config)
                "--route-prefix" (xandikos-configuration-route-prefix config)
                "--current-user-principal" (xandikos-configuration-current-user-principal config))
          (if (xandikos-configuration-dump? config) '("--dump-dav-xml") '())
          (if (xandikos-configuration-avahi? config) '("--avahi") '())
          (if (xandikos-configuration-autocreate? config) '("--autocreate") '())
          (if (xandikos-configuration-defaults? config) '("--defaults") '())
          (if (xandikos-configuration-no-strict? config) '("--no-strict") '())))

(define (xandikos-shepherd-service config)
  ;; As Guix, the xandikos program of the default package is the one run.
  (list (shepherd-service
         (provision '(xandikos))
         (documentation "Run the Xandikos CalDAV/CardDAV server.")
         (requirement '(networking user-processes))
         (start #~(make-forkexec-constructor
                   (cons #$(file-append xandikos "/bin/xandikos")
                         '#$(xandikos-arguments config))))
         (stop #~(make-kill-destructor))
         (respawn? #t))))

(define xandikos-service-type
  (service-type
   (name 'xandikos)
   (extensions
    (list (service-extension shepherd-root-service-type xandikos-shepherd-service)))
   (default-value (xandikos-configuration))
   (description "Run the Xandikos CalDAV/CardDAV server.")))
