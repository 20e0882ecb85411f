;;; schemy --- Continuous integration (Guix manual, "Continuous Integration"):
;;; Laminar's laminard configured through its environment, and the Forgejo
;;; runner with the YAML configuration Guix writes.

(define-module (gnu services ci)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages ci) #:select (laminar forgejo-runner))
  #:use-module (ice-9 match)
  #:export (laminar-configuration
            laminar-configuration?
            laminar-configuration-laminar
            laminar-configuration-home-directory
            laminar-configuration-supplementary-groups
            laminar-configuration-bind-http
            laminar-configuration-bind-rpc
            laminar-configuration-title
            laminar-configuration-keep-rundirs
            laminar-configuration-archive-url
            laminar-configuration-base-url
            laminar-environment

            laminar-service-type

            forgejo-runner-configuration
            forgejo-runner-configuration?
            forgejo-runner-configuration-package
            forgejo-runner-configuration-data-directory
            forgejo-runner-configuration-run-directory
            forgejo-runner-configuration-log-file
            forgejo-runner-configuration-name
            forgejo-runner-configuration-labels
            forgejo-runner-configuration-capacity
            forgejo-runner-configuration-job-capacity
            forgejo-runner-configuration-timeout
            forgejo-runner-configuration-fetch-timeout
            forgejo-runner-configuration-fetch-interval
            forgejo-runner-configuration-report-interval
            forgejo-runner-config-file

            forgejo-runner-service-type))

;;; Laminar.

(define-record-type* <laminar-configuration> laminar-configuration
  make-laminar-configuration laminar-configuration?
  (laminar              laminar-configuration-laminar (default laminar))
  (home-directory       laminar-configuration-home-directory (default "/var/lib/laminar"))
  (supplementary-groups laminar-configuration-supplementary-groups (default '()))
  (bind-http            laminar-configuration-bind-http (default "*:8080"))
  (bind-rpc             laminar-configuration-bind-rpc (default "unix-abstract:laminar"))
  (title                laminar-configuration-title (default "Laminar"))
  (keep-rundirs         laminar-configuration-keep-rundirs (default 0))
  (archive-url          laminar-configuration-archive-url (default #f))
  (base-url             laminar-configuration-base-url (default #f)))

(define (laminar-environment config)
  "The LAMINAR_* variables laminard reads its settings from, as Guix sets them."
  (append (list (string-append "LAMINAR_HOME=" (laminar-configuration-home-directory config))
                (string-append "LAMINAR_BIND_HTTP=" (laminar-configuration-bind-http config))
                (string-append "LAMINAR_BIND_RPC=" (laminar-configuration-bind-rpc config))
                (string-append "LAMINAR_TITLE=" (laminar-configuration-title config))
                (string-append "LAMINAR_KEEP_RUNDIRS="
                               (number->string (laminar-configuration-keep-rundirs config))))
          (let ((url (laminar-configuration-archive-url config)))
            (if url (list (string-append "LAMINAR_ARCHIVE_URL=" url)) '()))
          (let ((url (laminar-configuration-base-url config)))
            (if url (list (string-append "LAMINAR_BASE_URL=" url)) '()))))

(define (laminar-shepherd-service config)
  (list (shepherd-service
         (documentation "Run Laminar.")
         (provision '(laminar))
         (requirement '(user-processes networking))
         (start #~(make-forkexec-constructor
                   (list #$(file-append (laminar-configuration-laminar config) "/sbin/laminard"))
                   #:environment-variables '#$(laminar-environment config)
                   #:user "laminar"
                   #:group "laminar"
                   #:supplementary-groups '#$(laminar-configuration-supplementary-groups config)))
         (stop #~(make-kill-destructor)))))

(define (laminar-account config)
  (list (user-group (name "laminar") (system? #t))
        (user-account (name "laminar") (group "laminar")
                      (supplementary-groups (laminar-configuration-supplementary-groups config))
                      (system? #t)
                      (comment "Laminar privilege separation user")
                      (home-directory (laminar-configuration-home-directory config))
                      (shell "/sbin/nologin"))))

(define (laminar-activation config)
  ;; A unix: HTTP socket's directory, owned by laminar.
  (let ((bind-http (laminar-configuration-bind-http config)))
    #~(begin
        (use-modules (guix build utils))
        (when (string-prefix? "unix:" #$bind-http)
          (let ((directory (dirname (substring #$bind-http (string-length "unix:"))))
                (user (getpwnam "laminar")))
            (mkdir-p directory)
            (chown directory (passwd:uid user) (passwd:gid user)))))))

(define laminar-service-type
  (service-type
   (name 'laminar)
   (extensions
    (list (service-extension shepherd-root-service-type laminar-shepherd-service)
          (service-extension account-service-type laminar-account)
          (service-extension activation-service-type laminar-activation)))
   (default-value (laminar-configuration))
   (description "Run the Laminar continuous integration service.")))

;;; The Forgejo runner.

(define-record-type* <forgejo-runner-configuration> forgejo-runner-configuration
  make-forgejo-runner-configuration forgejo-runner-configuration?
  (package         forgejo-runner-configuration-package (default forgejo-runner))
  (data-directory  forgejo-runner-configuration-data-directory (default "/var/lib/forgejo-runner"))
  (run-directory   forgejo-runner-configuration-run-directory (default "/var/run/forgejo-runner"))
  (log-file        forgejo-runner-configuration-log-file (default "/var/log/forgejo-runner.log"))
  (name            forgejo-runner-configuration-name (default #~(gethostname)))
  (labels          forgejo-runner-configuration-labels (default '("guix")))
  (capacity        forgejo-runner-configuration-job-capacity (default 1))
  (timeout         forgejo-runner-configuration-timeout (default (* 3 3600)))
  (fetch-timeout   forgejo-runner-configuration-fetch-timeout (default 5))
  (fetch-interval  forgejo-runner-configuration-fetch-interval (default 2))
  (report-interval forgejo-runner-configuration-report-interval (default 1)))

(define forgejo-runner-configuration-capacity forgejo-runner-configuration-job-capacity)

;; YAML as Guix writes it: "key: value" lines indented two spaces a level,
;; strings in Scheme's written form, (seconds N) as Ns, vectors as
;; "[ a, b ]", a nested mapping on the lines after "key: " and followed by
;; an empty line.
(define (yaml exp depth)
  (match exp
    ((? string? s) (object->string s))
    ((? number? n) (number->string n))
    (('seconds (? number? n)) (string-append (number->string n) "s"))
    (#(values ...) (string-append "[ " (string-join (map (lambda (v) (yaml v depth)) values) ", ")
                                  " ]"))
    (() "")
    ((((? symbol? key) . value) . rest)
     (string-append (make-string (* 2 depth) #\space) (symbol->string key) ": "
                    (match value
                      ((((? symbol?) . _) . _) (string-append "\n" (yaml value (+ depth 1))))
                      (_ (yaml value depth)))
                    "\n"
                    (yaml rest depth)))))

(define (forgejo-runner-config-file config)
  "forgejo-runner-config.yml for CONFIG."
  (let ((run (forgejo-runner-configuration-run-directory config)))
    (plain-file
     "forgejo-runner-config.yml"
     (yaml `((runner . ((file . ,(string-append (forgejo-runner-configuration-data-directory config)
                                                "/runner"))
                        (capacity . ,(forgejo-runner-configuration-job-capacity config))
                        (timeout . (seconds ,(forgejo-runner-configuration-timeout config)))
                        (fetch_timeout . (seconds ,(forgejo-runner-configuration-fetch-timeout config)))
                        (fetch_interval . (seconds ,(forgejo-runner-configuration-fetch-interval config)))
                        (report_interval
                         . (seconds ,(forgejo-runner-configuration-report-interval config)))
                        (labels . ,(list->vector (forgejo-runner-configuration-labels config)))))
             (cache . ((dir . ,(string-append run "/cache"))))
             (host . ((workdir_parent . ,(string-append run "/act")))))
           0))))

(define (forgejo-runner-shepherd-service config)
  (let ((runner (file-append (forgejo-runner-configuration-package config) "/bin/forgejo-runner"))
        (conf (forgejo-runner-config-file config))
        (data (forgejo-runner-configuration-data-directory config))
        (name (forgejo-runner-configuration-name config)))
    (list (shepherd-service
           (documentation "Run the Forgejo task runner.")
           (provision '(forgejo-runner))
           (requirement '(user-processes networking))
           (start #~(make-forkexec-constructor
                     (list #$runner "daemon" "--config" #$conf)
                     #:user "forgejo-runner"
                     #:group "forgejo-runner"
                     #:directory #$(forgejo-runner-configuration-run-directory config)
                     #:log-file #$(forgejo-runner-configuration-log-file config)
                     #:environment-variables
                     (cons* (string-append "PATH=" #$data "/.config/guix/current/bin"
                                           ":/run/current-system/profile/bin")
                            (string-append "HOME=" #$data)
                            "GIT_SSL_CAINFO=/etc/ssl/certs/ca-certificates.crt"
                            (default-environment-variables))))
           (stop #~(make-kill-destructor))
           (actions
            (list (shepherd-configuration-action conf)
                  (shepherd-action
                   (name 'register)
                   (documentation "Register this runner with a Forgejo server: give the
server's URL and an access token.")
                   (procedure
                    #~(lambda (running instance token)
                        (let ((status (spawn-command
                                       (list #$runner "register" "--no-interactive"
                                             "--config" #$conf "--name" #$name
                                             "--instance" instance "--token" token)
                                       #:user "forgejo-runner" #:group "forgejo-runner")))
                          (if (zero? status)
                              (format #t "Registered runner '~a' with '~a'.~%" #$name instance)
                              (format #t "'~a register' failed with status ~a.~%" #$runner status))
                          (zero? status)))))))))))

(define forgejo-runner-service-type
  (service-type
   (name 'forgejo-runner)
   (extensions
    (list (service-extension activation-service-type
                             (lambda (config)
                               (let ((run (forgejo-runner-configuration-run-directory config)))
                                 #~(begin
                                     (use-modules (guix build utils))
                                     (let ((user (getpwnam "forgejo-runner")))
                                       (mkdir-p #$run)
                                       (chown #$run (passwd:uid user) (passwd:gid user)))))))
          (service-extension account-service-type
                             (lambda (config)
                               (list (user-account
                                      (name "forgejo-runner") (group "forgejo-runner") (system? #t)
                                      (comment "Forgejo Runner user")
                                      (home-directory
                                       (forgejo-runner-configuration-data-directory config)))
                                     (user-group (name "forgejo-runner") (system? #t)))))
          (service-extension shepherd-root-service-type forgejo-runner-shepherd-service)))
   (default-value (forgejo-runner-configuration))
   (description "Run forgejo-runner, which runs the tasks of a Forgejo server.")))
