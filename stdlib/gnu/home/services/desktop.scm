;;; schemy --- Desktop home services (Guix manual, "Desktop Home Services"):
;;; the user's D-Bus session bus, Redshift, unclutter, xmodmap, and the
;;; x11-display service they wait on.

(define-module (gnu home services desktop)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((gnu packages glib) #:select (dbus))
  #:use-module ((gnu packages xdisorg) #:select (redshift unclutter darkman))
  #:use-module ((gnu packages xorg) #:select (xmodmap setxkbmap))
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 match)
  #:export (home-x11-service-type
            home-redshift-configuration
            home-redshift-configuration?
            home-redshift-service-type
            home-dbus-configuration
            home-dbus-service-type
            home-unclutter-configuration
            home-unclutter-service-type
            home-xmodmap-configuration
            home-xmodmap-service-type
            home-darkman-configuration
            home-darkman-configuration?
            home-darkman-service-type))

;;; X11 display.

(define (x11-shepherd-service delay)
  (list (shepherd-service
         (provision '(x11-display))
         (modules '((ice-9 ftw) (ice-9 match) (srfi srfi-1)))
         (documentation "Wait for an X11 display and set DISPLAY.")
         (start
          #~(lambda* (#:optional (display (getenv "DISPLAY")))
              (define (find-display attempts)
                (let* ((sockets (or (scandir "/tmp/.X11-unix") '()))
                       (socket (find (lambda (name)
                                       (and (string-prefix? "X" name)
                                            (access? (string-append "/tmp/.X11-unix/" name) O_RDWR)))
                                     sockets)))
                  (cond (socket (string-append ":" (string-drop socket 1)))
                        ((zero? attempts) #f)
                        (else (sleep 1) (find-display (- attempts 1))))))
              (let ((display (or display (find-display #$delay))))
                (when display (setenv "DISPLAY" display))
                display)))
         (stop #~(lambda (_) (unsetenv "DISPLAY") #f))
         (respawn? #f))))

(define home-x11-service-type
  (service-type
   (name 'home-x11-display)
   (extensions (list (service-extension home-shepherd-service-type x11-shepherd-service)))
   (default-value 10)
   (description "Provide the x11-display shepherd service, which waits up to
the given number of seconds for an X11 server and sets DISPLAY.")))

;;; Redshift.

(define (redshift-key field)
  (match field
    ('daytime-temperature "temp-day")
    ('nighttime-temperature "temp-night")
    ('daytime-brightness "brightness-day")
    ('nighttime-brightness "brightness-night")
    ('latitude "lat")
    ('longitude "lon")
    (_ (symbol->string field))))

(define (serialize-integer field value)
  (string-append (redshift-key field) "=" (number->string value) "\n"))
(define (serialize-symbol field value)
  (string-append (symbol->string field) "=" (symbol->string value) "\n"))
(define (serialize-string field value)
  (string-append (symbol->string field) "=" value "\n"))
(define serialize-inexact-number serialize-integer)
(define (inexact-number? n) (and (number? n) (inexact? n)))
(define (serialize-file-like field value) "")
(define-maybe inexact-number)
(define-maybe string)

(define-configuration home-redshift-configuration
  (redshift (file-like redshift) "The Redshift package.")
  (location-provider (symbol 'geoclue2) "Where the location comes from: 'manual or 'geoclue2.")
  (adjustment-method (symbol 'randr) "The color adjustment method.")
  (daytime-temperature (integer 6500) "Daytime color temperature (kelvins).")
  (nighttime-temperature (integer 4500) "Nighttime color temperature (kelvins).")
  (daytime-brightness maybe-inexact-number "Daytime brightness, 0.1 to 1.0.")
  (nighttime-brightness maybe-inexact-number "Nighttime brightness, 0.1 to 1.0.")
  (latitude maybe-inexact-number "Latitude, with the 'manual provider.")
  (longitude maybe-inexact-number "Longitude, with the 'manual provider.")
  (dawn-time maybe-string "Time of the night-to-day transition, \"HH:MM\".")
  (dusk-time maybe-string "Time of the day-to-night transition, \"HH:MM\".")
  (extra-content (raw-configuration-string "") "Text appended to the [redshift] section."))

(define (redshift-conf config)
  (define (location-field? field)
    (memq (configuration-field-name field) '(latitude longitude)))
  (define (secondary-field? field)
    (or (location-field? field)
        (memq (configuration-field-name field) '(redshift extra-content))))
  (plain-file "redshift.conf"
              (string-append
               "[redshift]\n"
               (serialize-configuration config (remove secondary-field?
                                                       home-redshift-configuration-fields))
               (home-redshift-configuration-extra-content config)
               "\n[manual]\n"
               (serialize-configuration config (filter location-field?
                                                       home-redshift-configuration-fields)))))

(define (redshift-shepherd-service config)
  (let ((file (redshift-conf config)))
    (list (shepherd-service
           (documentation "Redshift program.")
           (provision '(redshift))
           (requirement '(x11-display))
           (modules '((srfi srfi-1) (srfi srfi-26)))
           (start #~(lambda _
                      (fork+exec-command
                       (list #$(file-append (home-redshift-configuration-redshift config)
                                            "/bin/redshift")
                             "-c" #$file)
                       #:environment-variables
                       (cons (string-append "DISPLAY=" (getenv "DISPLAY"))
                             (remove (cut string-prefix? "DISPLAY=" <>)
                                     (default-environment-variables))))))
           (stop #~(make-kill-destructor))
           (actions (list (shepherd-configuration-action file)))))))

(define home-redshift-service-type
  (service-type
   (name 'home-redshift)
   (extensions (list (service-extension home-shepherd-service-type redshift-shepherd-service)
                     (service-extension home-x11-service-type (const #t))))
   (default-value (home-redshift-configuration))
   (description "Run Redshift, which adjusts the display's color temperature
to the time of day.")))

;;; D-Bus.

(define-record-type* <home-dbus-configuration> home-dbus-configuration
  make-home-dbus-configuration home-dbus-configuration?
  (dbus home-dbus-dbus (default dbus)))

(define (home-dbus-shepherd-services config)
  (list (shepherd-service
         (documentation "Run the D-Bus daemon in session-specific mode.")
         (provision '(dbus))
         (modules '((shepherd support)))
         (start #~(make-forkexec-constructor
                   (list #$(file-append (home-dbus-dbus config) "/bin/dbus-daemon")
                         "--nofork" "--session"
                         (format #f "--address=unix:path=~a/bus"
                                 (or (getenv "XDG_RUNTIME_DIR")
                                     (format #f "/run/user/~a" (getuid)))))
                   #:environment-variables (cons "DBUS_VERBOSE=1" (default-environment-variables))
                   #:log-file (string-append %user-log-dir "/dbus.log")))
         (stop #~(make-kill-destructor)))))

(define home-dbus-service-type
  (service-type
   (name 'home-dbus)
   (extensions
    (list (service-extension home-shepherd-service-type home-dbus-shepherd-services)
          (service-extension home-environment-variables-service-type
                             (const '(("DBUS_SESSION_BUS_ADDRESS"
                                       . "unix:path=${XDG_RUNTIME_DIR:-/run/user/$UID}/bus"))))))
   (default-value (home-dbus-configuration))
   (description "Run the user's D-Bus session bus.")))

;;; Unclutter.

(define-configuration/no-serialization home-unclutter-configuration
  (unclutter (file-like unclutter) "The unclutter package.")
  (idle-timeout (integer 5) "Seconds of inactivity before the cursor is hidden."))

(define (home-unclutter-shepherd-service config)
  (list (shepherd-service
         (provision '(unclutter))
         (requirement '(x11-display))
         (modules '((shepherd support) (srfi srfi-1) (srfi srfi-26)))
         (documentation "Hide the cursor after a period of inactivity.")
         (start #~(lambda _
                    (fork+exec-command
                     (list #$(file-append (home-unclutter-configuration-unclutter config)
                                          "/bin/unclutter")
                           "-idle"
                           (number->string #$(home-unclutter-configuration-idle-timeout config)))
                     #:environment-variables
                     (cons (string-append "DISPLAY=" (getenv "DISPLAY"))
                           (remove (cut string-prefix? "DISPLAY=" <>)
                                   (default-environment-variables)))
                     #:log-file (string-append %user-log-dir "/unclutter.log"))))
         (stop #~(make-kill-destructor)))))

(define home-unclutter-service-type
  (service-type
   (name 'home-unclutter)
   (extensions (list (service-extension home-shepherd-service-type
                                        home-unclutter-shepherd-service)
                     (service-extension home-x11-service-type (const #t))))
   (default-value (home-unclutter-configuration))
   (description "Run unclutter, which hides the X11 cursor when idle.")))

;;; Xmodmap.

(define-configuration/no-serialization home-xmodmap-configuration
  (xmodmap (file-like xmodmap) "The xmodmap package.")
  (key-map (list '()) "Expressions: (KEY . VALUE) pairs or strings."))

(define (xmodmap-file key-map)
  (plain-file "xmodmap"
              (string-concatenate
               (map (lambda (entry)
                      (string-append (match entry
                                       ((key . value) (format #f "~a = ~a" key value))
                                       (text text))
                                     "\n"))
                    key-map))))

(define (xmodmap-shepherd-service config)
  (let ((file (xmodmap-file (home-xmodmap-configuration-key-map config))))
    (list (shepherd-service
           (provision '(xmodmap))
           (start #~(make-system-constructor
                     (string-join
                      (list #$(file-append (home-xmodmap-configuration-xmodmap config)
                                           "/bin/xmodmap")
                            #$file))))
           (stop #~(make-system-constructor #$(file-append setxkbmap "/bin/setxkbmap")))
           (documentation "Apply the xmodmap expressions; reset the keymap on stop.")))))

(define home-xmodmap-service-type
  (service-type
   (name 'home-xmodmap)
   (extensions (list (service-extension home-shepherd-service-type xmodmap-shepherd-service)))
   (default-value (home-xmodmap-configuration))
   (description "Run xmodmap with the given key map.")))

;;; Darkman: switching between dark and light mode at sundown and sunrise.

(define-maybe/no-serialization number)

(define (darkman-serialize-number field value)
  ;; latitude: lat, longitude: lng, as darkman's config.yaml names them.
  (if (maybe-value-set? value)
      (string-append (case field ((latitude) "lat") ((longitude) "lng")
                       (else (symbol->string field)))
                     ": " (number->string value) "\n")
      ""))

(define (darkman-serialize-boolean field value)
  (string-append (case field ((use-geoclue) "usegeoclue") ((dbus-server) "dbusserver")
                   (else "portal"))
                 ": " (if value "true" "false") "\n"))

(define-configuration home-darkman-configuration
  (darkman
   (file-like darkman)
   "The darkman package to use."
   (serializer empty-serializer))
  (latitude
   maybe-number
   "Latitude, used at startup or when use-geoclue is #f."
   (serializer darkman-serialize-number))
  (longitude
   maybe-number
   "Longitude, used at startup or when use-geoclue is #f."
   (serializer darkman-serialize-number))
  (use-geoclue
   (boolean #f)
   "Whether to ask a local geoclue for the location."
   (serializer darkman-serialize-boolean))
  (dbus-server
   (boolean #t)
   "Whether to expose the current mode through darkman's D-Bus API."
   (serializer darkman-serialize-boolean))
  (portal
   (boolean #t)
   "Whether to expose the current mode through the XDG settings portal."
   (serializer darkman-serialize-boolean)))

(define (home-darkman-shepherd-service config)
  (list (shepherd-service
         (provision '(darkman))
         (requirement '(dbus))
         (modules '((shepherd support)))
         (start #~(make-forkexec-constructor
                   (list #$(file-append (home-darkman-configuration-darkman config) "/bin/darkman")
                         "run")
                   #:log-file (string-append %user-log-dir "/darkman.log")))
         (stop #~(make-kill-destructor)))))

(define home-darkman-service-type
  (service-type
   (name 'home-darkman)
   (extensions
    (list (service-extension home-shepherd-service-type home-darkman-shepherd-service)
          (service-extension home-xdg-configuration-files-service-type
                             (lambda (config)
                               `(("darkman/config.yaml"
                                  ,(mixed-text-file "config.yaml"
                                                    (serialize-configuration
                                                     config home-darkman-configuration-fields))))))
          (service-extension home-profile-service-type
                             (lambda (config) (list (home-darkman-configuration-darkman config))))))
   (default-value (home-darkman-configuration))
   (description "Run darkman, which runs the scripts of dark-mode.d at sundown and
of light-mode.d at sunrise.")))
