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
  #:use-module ((gnu packages admin) #:select (shadow))
  #:use-module ((gnu packages freedesktop) #:select (rtkit))
  #:use-module ((guix packages) #:select (package-name))
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
            polkit-wheel-service

            wrapped-dbus-service

            rtkit-configuration
            rtkit-configuration?
            rtkit-configuration-rtkit
            rtkit-service-type))

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

;;; A D-Bus service whose program runs with more environment variables.

(define (wrapped-dbus-service service program variables)
  "SERVICE, a package with D-Bus system services, with their Exec= lines
running PROGRAM (a file name inside SERVICE) with VARIABLES, a list of (NAME
VALUE), set in its environment."
  (define wrapper
    (program-file (string-append (package-name service) "-program-wrapper")
                  #~(begin
                      (for-each (lambda (variable) (setenv (car variable) (cadr variable)))
                                '#$variables)
                      (apply execl (string-append #$service "/" #$program)
                             (string-append #$service "/" #$program)
                             (cdr (command-line))))))
  (computed-file
   (string-append (package-name service) "-wrapper")
   #~(begin
       (use-modules (guix build utils) (ice-9 rdelim))
       (let* ((directory "/share/dbus-1/system-services")
              (source (string-append #$service directory))
              (target (string-append #$output directory)))
         (mkdir-p target)
         (symlink (string-append #$service "/etc") (string-append #$output "/etc"))
         (when (file-exists? source)
           (for-each
            (lambda (file)
              ;; Copy FILE, its Exec= program replaced by the wrapper.
              (call-with-output-file (string-append target "/" (basename file))
                (lambda (out)
                  (call-with-input-file file
                    (lambda (in)
                      (let loop ()
                        (let ((line (read-line in)))
                          (unless (eof-object? line)
                            (let ((trimmed (string-trim line)))
                              (if (and (string-prefix? "Exec" trimmed)
                                       (string-index trimmed #\=))
                                  (let* ((value (string-trim (substring trimmed
                                                                        (+ 1 (string-index trimmed #\=)))))
                                         (space (string-index value char-set:whitespace)))
                                    (display (string-append "Exec=" #$wrapper
                                                            (if space (substring value space) "")
                                                            "\n")
                                             out))
                                  (begin (display line out) (newline out))))
                            (loop)))))))))
            (find-files source "\\.service$")))))))

;;; RealtimeKit: its D-Bus service and polkit policy, run as rtkit.

(define-record-type* <rtkit-configuration> rtkit-configuration
  make-rtkit-configuration rtkit-configuration?
  (rtkit rtkit-configuration-rtkit (default rtkit)))

(define %rtkit-account
  (user-account
   (name "rtkit")
   (group "nogroup")
   (system? #t)
   (comment "Realtime kit user")
   (home-directory "/var/empty")
   (shell (file-append shadow "/sbin/nologin"))))

(define rtkit-service-type
  (service-type
   (name 'rtkit)
   (extensions
    (list (service-extension polkit-service-type
                             (lambda (config) (list (rtkit-configuration-rtkit config))))
          (service-extension dbus-root-service-type
                             (lambda (config) (list (rtkit-configuration-rtkit config))))
          (service-extension account-service-type (const (list %rtkit-account)))))
   (default-value (rtkit-configuration))
   (description "Make the Realtime Kit daemon usable through D-Bus and polkit.")))
