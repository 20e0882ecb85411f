;;; schemy --- Himitsu, a secret store, for a user (Guix manual, "Secrets
;;; Home Services"): himitsud with the himitsu config.ini Guix writes, its SSH
;;; agent (whose [ssh.remember] section extends that file) and its
;;; freedesktop.org Secret Service.

(define-module (gnu home services secrets)
  #:use-module (guix gexp)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module (gnu home services)
  #:use-module (gnu home services shepherd)
  #:use-module ((gnu packages password-utils)
                #:select (himitsu himitsu-ssh himitsu-secret-service hiprompt-gtk))
  #:use-module (srfi srfi-1)
  #:export (wrap-himitsu-prompter
            home-himitsu-configuration
            home-himitsu-configuration?
            home-himitsu-service-type

            home-himitsu-ssh-configuration
            home-himitsu-ssh-configuration?
            home-himitsu-ssh-service-type

            home-himitsu-secret-service-configuration
            home-himitsu-secret-service-configuration?
            home-himitsu-secret-service-type

            himitsu-config-file))

(define (wrap-himitsu-prompter prompter)
  "A program running PROMPTER with DISPLAY or WAYLAND_DISPLAY found from the
X11 and Wayland sockets when unset (shepherd starts before the graphical session)."
  (program-file "himitsu-wrapped-prompter"
                #~(begin
                    (use-modules (ice-9 ftw) (srfi srfi-1))
                    (unless (or (getenv "DISPLAY") (getenv "WAYLAND_DISPLAY"))
                      (let ((first-match (lambda (dir pattern)
                                           (let ((files (or (scandir dir (lambda (f)
                                                                           (string-match pattern f)))
                                                            '())))
                                             (and (pair? files) (car files))))))
                        (let ((x (first-match "/tmp/.X11-unix" "^X[0-9]+$"))
                              (w (first-match (or (getenv "XDG_RUNTIME_DIR")
                                                  (string-append "/run/user/"
                                                                 (number->string (getuid))))
                                              "^wayland-[0-9]+$")))
                          (when x (setenv "DISPLAY" (string-append ":" (string-drop x 1))))
                          (when w (setenv "WAYLAND_DISPLAY" w)))))
                    (apply execl #$prompter #$prompter (cdr (command-line))))))

;;; config.ini lines: "label=value"; extra options one per line.

(define-maybe string (prefix himitsu-))

(define (string-or-gexp? x) (or (string? x) (gexp? x)))
(define list-of-strings-or-gexps? (list-of string-or-gexp?))

(define (himitsu-serialize-string label value)
  (list (symbol->string label) "=" value "\n"))
(define himitsu-serialize-file-like himitsu-serialize-string)
(define (himitsu-serialize-list-of-strings-or-gexps label values)
  (append-map (lambda (v) (list v "\n")) values))

(define-configuration home-himitsu-configuration
  (package (file-like himitsu) "The himitsu package." empty-serializer)
  (notify-reuse maybe-string
                "Command run to tell the user a secret they had allowed is used again.")
  (prompter (file-like (wrap-himitsu-prompter (file-append hiprompt-gtk "/bin/hiprompt-gtk")))
            "The prompter asking the user to allow access to a secret.")
  (extra-options (list-of-strings-or-gexps '())
                 "Extra lines written verbatim at the end of the file.")
  (prefix himitsu-))

(define (himitsu-config-file config)
  "himitsu.ini for CONFIG: the [himitsud] section, then its fields and extra lines."
  (let ((body (serialize-configuration config home-himitsu-configuration-fields)))
    (apply mixed-text-file "himitsu.ini" "[himitsud]\n" (if (list? body) body (list body)))))

(define (himitsu-shepherd-service config)
  (list (shepherd-service
         (documentation "Run the Himitsu secret service manager.")
         (provision '(himitsud))
         (modules '((shepherd support)))
         ;; himitsud needs the store himitsu-store -i creates.
         (start #~(lambda _
                    (let ((data (or (getenv "XDG_DATA_HOME")
                                    (string-append (getenv "HOME") "/.local/share"))))
                      (if (file-exists? (string-append data "/himitsu"))
                          (fork+exec-command
                           (list #$(file-append (home-himitsu-configuration-package config)
                                                "/bin/himitsud")
                                 "-C" #$(himitsu-config-file config))
                           #:log-file (string-append %user-log-dir "/himitsu.log"))
                          (error "Himitsu store must exist before the service can run; \
run 'himitsu-store -i' first")))))
         (stop #~(make-kill-destructor)))))

(define home-himitsu-service-type
  (service-type
   (name 'himitsu)
   (extensions
    (list (service-extension home-shepherd-service-type himitsu-shepherd-service)
          ;; Installed so that himitsu-store finds it rather than writing its own.
          (service-extension home-xdg-configuration-files-service-type
                             (lambda (config)
                               (list (list "himitsu/config.ini" (himitsu-config-file config)))))
          (service-extension home-profile-service-type (const (list himitsu)))))
   (compose concatenate)
   (extend (lambda (config lines)
             (home-himitsu-configuration
              (inherit config)
              (extra-options (append lines (home-himitsu-configuration-extra-options config))))))
   (default-value (home-himitsu-configuration))
   (description "Run the Himitsu secret storage manager at login.")))

;;; himitsu-ssh: how long its access to keys is remembered.

(define (remember-option? x) (or (number? x) (memq x '(session skip refuse))))
(define list-of-remember-options? (list-of remember-option?))

(define (himitsu-serialize-list-of-remember-options label values)
  (himitsu-serialize-string
   label (string-join (map (lambda (x) (if (number? x) (number->string x) (symbol->string x)))
                           values)
                      ",")))

(define-configuration home-himitsu-ssh-configuration
  (package (file-like himitsu-ssh) "The himitsu-ssh package." empty-serializer)
  (persist (list-of-remember-options '(session 300 refuse))
           "Choices offered when himitsu-ssh asks to see the keys: session, refuse,
skip, or a number of seconds.")
  (disclose (list-of-remember-options '(skip session 300))
            "Choices offered when himitsu-ssh asks to use a key, likewise.")
  (prefix himitsu-))

(define (himitsu-ssh-section config)
  ;; Two extra lines of himitsu.ini: the section header, then its settings.
  (let ((body (serialize-configuration config home-himitsu-ssh-configuration-fields)))
    (list "[ssh.remember]"
          (if (string? body) body (apply string-append body)))))

(define home-himitsu-ssh-service-type
  (service-type
   (name 'himitsu-ssh)
   (extensions
    (list (service-extension home-shepherd-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (documentation "Run Himitsu's SSH agent.")
                                      (provision '(himitsu-ssh ssh-agent))
                                      (requirement '(himitsud))
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append
                                                         (home-himitsu-ssh-configuration-package config)
                                                         "/bin/hissh-agent"))))
                                      (stop #~(make-kill-destructor))))))
          (service-extension home-himitsu-service-type himitsu-ssh-section)
          (service-extension home-environment-variables-service-type
                             (const '(("SSH_AUTH_SOCK"
                                       . "${XDG_RUNTIME_DIR:-/run/user/$UID}/hissh-agent"))))
          (service-extension home-profile-service-type (const (list himitsu-ssh)))))
   (default-value (home-himitsu-ssh-configuration))
   (description "Let SSH keep its keys in Himitsu.")))

(define-configuration home-himitsu-secret-service-configuration
  (package (file-like himitsu-secret-service) "The himitsu-secret-service package."
           empty-serializer)
  (prefix himitsu-))

(define home-himitsu-secret-service-type
  (service-type
   (name 'himitsu-secret-service)
   (extensions
    (list (service-extension
           home-shepherd-service-type
           (lambda (config)
             (list (shepherd-service
                    (documentation "Run Himitsu's freedesktop.org Secret Service.")
                    (provision '(himitsu-secret-service secret-service))
                    (requirement '(himitsud dbus))
                    (start #~(make-forkexec-constructor
                              (list #$(file-append
                                       (home-himitsu-secret-service-configuration-package config)
                                       "/bin/hisecrets-agent"))))
                    (stop #~(make-kill-destructor))))))))
   (default-value (home-himitsu-secret-service-configuration))
   (description "Serve the freedesktop.org Secret Service protocol from Himitsu.")))
