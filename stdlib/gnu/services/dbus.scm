;;; schemy --- The D-Bus system bus and polkit.
;;;
;;; `dbus-root-service-type' runs the system bus; services extend it with
;;; the packages whose D-Bus services and policies it should know about.
;;; `polkit-service-type' runs the polkit authorization service; services
;;; extend it with packages (or files) providing polkit actions and rules.

(define-module (gnu services dbus)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module (gnu packages glib)
  #:use-module (gnu packages polkit)
  #:export (dbus-configuration
            dbus-configuration?
            dbus-configuration-dbus
            dbus-configuration-services
            dbus-configuration-verbose?
            dbus-root-service-type
            dbus-service

            polkit-configuration
            polkit-configuration?
            polkit-configuration-polkit
            polkit-configuration-actions
            polkit-service-type
            polkit-service
            polkit-wheel-service))

;;; D-Bus.

(define-record-type* <dbus-configuration> dbus-configuration
  make-dbus-configuration dbus-configuration?
  (dbus     dbus-configuration-dbus (default dbus))
  (services dbus-configuration-services (default '()))   ;packages or file-likes
  (verbose? dbus-configuration-verbose? (default #f)))

(define (dbus-system.conf config)
  (apply mixed-text-file "system-local.conf"
         (append
          (list "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                "<busconfig>\n")
          (append-map (lambda (package)
                        (list "  <servicedir>" package "/share/dbus-1/system-services</servicedir>\n"
                              "  <includedir>" package "/etc/dbus-1/system.d</includedir>\n"
                              "  <includedir>" package "/share/dbus-1/system.d</includedir>\n"))
                      (dbus-configuration-services config))
          (list "</busconfig>\n"))))

(define %dbus-accounts
  (list (user-group (name "messagebus") (system? #t))
        (user-account
         (name "messagebus")
         (group "messagebus")
         (system? #t)
         (comment "D-Bus system bus user")
         (home-directory "/run/dbus")
         (create-home-directory? #f)
         (shell %nologin-shell))))

(define (dbus-shepherd-service config)
  (shepherd-service
   (provision '(dbus-system))
   (requirement '(user-processes syslogd))
   (documentation "Run the D-Bus system bus daemon.")
   (start #~(make-forkexec-constructor
             (list #$(file-append (dbus-configuration-dbus config) "/bin/dbus-daemon")
                   "--nofork" "--system" "--syslog-only")
             #:pid-file "/var/run/dbus/pid"))
   (stop #~(make-kill-destructor))))

(define dbus-root-service-type
  (service-type
   (name 'dbus)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (dbus-shepherd-service config))))
          (service-extension account-service-type (const %dbus-accounts))
          (service-extension etc-service-type
                             (lambda (config)
                               (list (list "dbus-1/system-local.conf"
                                           (dbus-system.conf config)))))
          (service-extension activation-service-type
                             (const (list #~(mkdir-p "/var/run/dbus"))))
          (service-extension profile-service-type
                             (lambda (config) (list (dbus-configuration-dbus config))))))
   (compose (lambda (lists) (apply append lists)))
   (extend (lambda (config services)
             (dbus-configuration
              (inherit config)
              (services (append (dbus-configuration-services config) services)))))
   (default-value (dbus-configuration))
   (description "Run the D-Bus system bus, which lets system services talk to
each other.  Services extend it with packages providing D-Bus services.")))

(define %default-dbus dbus)  ; schemy's define* would see the keyword itself
(define* (dbus-service #:key (dbus %default-dbus) (services '()) (verbose? #f))
  (service dbus-root-service-type
           (dbus-configuration (dbus dbus) (services services) (verbose? verbose?))))

;;; polkit.

(define-record-type* <polkit-configuration> polkit-configuration
  make-polkit-configuration polkit-configuration?
  (polkit  polkit-configuration-polkit (default polkit))
  (actions polkit-configuration-actions (default '())))  ;packages or file-likes

(define (polkit-rules-directory config)
  ;; /etc/polkit-1/rules.d entries: one link per rules provider.
  (let loop ((actions (polkit-configuration-actions config)) (n 0) (acc '()))
    (if (null? actions)
        (reverse acc)
        (loop (cdr actions) (+ n 1)
              (cons (list (string-append "polkit-1/rules.d/"
                                         (string-pad (number->string n) 2 #\0)
                                         "-provider")
                          (car actions))
                    acc)))))

(define %polkit-accounts
  (list (user-group (name "polkitd") (system? #t))
        (user-account
         (name "polkitd")
         (group "polkitd")
         (system? #t)
         (comment "Polkit daemon user")
         (home-directory "/var/empty")
         (create-home-directory? #f)
         (shell %nologin-shell))))

(define polkit-service-type
  (service-type
   (name 'polkit)
   (extensions
    (list (service-extension account-service-type (const %polkit-accounts))
          (service-extension dbus-root-service-type
                             (lambda (config) (list (polkit-configuration-polkit config))))
          (service-extension etc-service-type polkit-rules-directory)
          (service-extension setuid-program-service-type
                             (lambda (config)
                               (list (file-append (polkit-configuration-polkit config)
                                                  "/bin/pkexec"))))))
   (compose (lambda (lists) (apply append lists)))
   (extend (lambda (config actions)
             (polkit-configuration
              (inherit config)
              (actions (append (polkit-configuration-actions config) actions)))))
   (default-value (polkit-configuration))
   (description "Run polkit, which decides which unprivileged users may perform
privileged actions.  Services extend it with packages or files providing polkit
actions and rules.")))

(define polkit-wheel-service
  ;; Members of the "wheel" group are administrators.
  (simple-service 'polkit-wheel polkit-service-type
                  (list (plain-file "wheel.rules" "\
polkit.addAdminRule(function(action, subject) {
    return [\"unix-group:wheel\"];
});
"))))

(define* (polkit-service #:key (polkit polkit))
  "The polkit service running POLKIT: the procedure Guix keeps, deprecated, for
configurations written before polkit-service-type."
  (format (current-warning-port)
          "warning: 'polkit-service' is deprecated; use (service polkit-service-type) instead~%")
  (service polkit-service-type (polkit-configuration (polkit polkit))))
