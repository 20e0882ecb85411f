;;; schemy --- Security services (Guix manual, "Miscellaneous Services",
;;; Fail2Ban): fail2ban-server with the jail.local Guix writes.

(define-module (gnu services security)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages admin) #:select (fail2ban))
  #:use-module (srfi srfi-1)
  #:export (fail2ban-configuration
            fail2ban-configuration?
            fail2ban-jail-configuration
            fail2ban-jail-configuration?
            fail2ban-service-type
            fail2ban-jail-service
            fail2ban-jail-text))

(define-record-type* <fail2ban-jail-configuration> fail2ban-jail-configuration
  make-fail2ban-jail-configuration fail2ban-jail-configuration?
  (name                    fail2ban-jail-configuration-name)
  (enabled?                fail2ban-jail-configuration-enabled? (default #t))
  (backend                 fail2ban-jail-configuration-backend (default #f))
  (max-retry               fail2ban-jail-configuration-max-retry (default #f))
  (max-matches             fail2ban-jail-configuration-max-matches (default #f))
  (find-time               fail2ban-jail-configuration-find-time (default #f))
  (ban-time                fail2ban-jail-configuration-ban-time (default #f))
  (ban-time-increment?     fail2ban-jail-configuration-ban-time-increment? (default 'unset))
  (ban-time-factor         fail2ban-jail-configuration-ban-time-factor (default #f))
  (ban-time-formula        fail2ban-jail-configuration-ban-time-formula (default #f))
  (ban-time-multipliers    fail2ban-jail-configuration-ban-time-multipliers (default #f))
  (ban-time-max-time       fail2ban-jail-configuration-ban-time-max-time (default #f))
  (ban-time-rnd-time       fail2ban-jail-configuration-ban-time-rnd-time (default #f))
  (ban-time-overall-jails? fail2ban-jail-configuration-ban-time-overall-jails? (default 'unset))
  (ignore-self?            fail2ban-jail-configuration-ignore-self? (default 'unset))
  (ignore-ip               fail2ban-jail-configuration-ignore-ip (default '()))
  (ignore-cache            fail2ban-jail-configuration-ignore-cache (default #f))
  (filter                  fail2ban-jail-configuration-filter (default #f))
  (log-time-zone           fail2ban-jail-configuration-log-time-zone (default #f))
  (log-encoding            fail2ban-jail-configuration-log-encoding (default #f))
  (log-path                fail2ban-jail-configuration-log-path (default '()))
  (action                  fail2ban-jail-configuration-action (default '()))
  (extra-content           fail2ban-jail-configuration-extra-content (default '())))

(define-record-type* <fail2ban-configuration> fail2ban-configuration
  make-fail2ban-configuration fail2ban-configuration?
  (fail2ban      fail2ban-configuration-fail2ban (default fail2ban))
  (run-directory fail2ban-configuration-run-directory (default "/var/run/fail2ban"))
  (jails         fail2ban-configuration-jails (default '()))
  (extra-jails   fail2ban-configuration-extra-jails (default '()))
  (extra-content fail2ban-configuration-extra-content (default '())))

(define (fail2ban-jail-text jail)
  "One [NAME] section of jail.local: each set field as `key = value'."
  (define (entry key value)
    (cond ((or (not value) (eq? value 'unset) (null? value)) "")
          ((eq? value #t) (string-append key " = true\n"))
          ((and (boolean? value) (not value)) "")
          ((list? value) (string-append key " = " (string-join (map (lambda (v) (format #f "~a" v)) value) " ") "\n"))
          (else (string-append key " = " (format #f "~a" value) "\n"))))
  (string-append
   "[" (fail2ban-jail-configuration-name jail) "]\n"
   "enabled = " (if (fail2ban-jail-configuration-enabled? jail) "true" "false") "\n"
   (entry "backend" (fail2ban-jail-configuration-backend jail))
   (entry "maxretry" (fail2ban-jail-configuration-max-retry jail))
   (entry "maxmatches" (fail2ban-jail-configuration-max-matches jail))
   (entry "findtime" (fail2ban-jail-configuration-find-time jail))
   (entry "bantime" (fail2ban-jail-configuration-ban-time jail))
   (let ((v (fail2ban-jail-configuration-ban-time-increment? jail)))
     (if (boolean? v) (string-append "bantime.increment = " (if v "true" "false") "\n") ""))
   (entry "bantime.factor" (fail2ban-jail-configuration-ban-time-factor jail))
   (entry "bantime.formula" (fail2ban-jail-configuration-ban-time-formula jail))
   (entry "bantime.multipliers" (fail2ban-jail-configuration-ban-time-multipliers jail))
   (entry "bantime.maxtime" (fail2ban-jail-configuration-ban-time-max-time jail))
   (entry "bantime.rndtime" (fail2ban-jail-configuration-ban-time-rnd-time jail))
   (let ((v (fail2ban-jail-configuration-ignore-self? jail)))
     (if (boolean? v) (string-append "ignoreself = " (if v "true" "false") "\n") ""))
   (entry "ignoreip" (fail2ban-jail-configuration-ignore-ip jail))
   (entry "logtimezone" (fail2ban-jail-configuration-log-time-zone jail))
   (entry "logencoding" (fail2ban-jail-configuration-log-encoding jail))
   (entry "logpath" (fail2ban-jail-configuration-log-path jail))
   (string-concatenate (map (lambda (x) (if (string? x) (string-append x "\n") ""))
                            (fail2ban-jail-configuration-extra-content jail)))))

(define (jail.local config)
  (string-join (map fail2ban-jail-text
                    (append (fail2ban-configuration-jails config)
                            (fail2ban-configuration-extra-jails config)))
               "\n"))

(define fail2ban-service-type
  (service-type
   (name 'fail2ban)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(fail2ban))
                                      (requirement '(user-processes))
                                      (documentation "Run the fail2ban server.")
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append (fail2ban-configuration-fail2ban config)
                                                                     "/bin/fail2ban-server")
                                                      "-f" "-x" "-s"
                                                      #$(string-append (fail2ban-configuration-run-directory config)
                                                                       "/fail2ban.sock"))))
                                      (stop #~(make-kill-destructor))))))
          (service-extension etc-service-type
                             (lambda (config)
                               (list (list "fail2ban/jail.local" (plain-file "jail.local" (jail.local config))))))))
   (compose concatenate)
   (extend (lambda (config jails)
             (fail2ban-configuration
              (inherit config)
              (jails (append (fail2ban-configuration-jails config) jails)))))
   (default-value (fail2ban-configuration))
   (description "Run fail2ban, which bans hosts that cause multiple authentication errors.")))

(define (fail2ban-jail-service svc-type jail)
  "SVC-TYPE, also extending fail2ban with JAIL (a fail2ban-jail-configuration)."
  (service-type
   (inherit svc-type)
   (extensions (cons (service-extension fail2ban-service-type (const (list jail)))
                     (service-type-extensions svc-type)))))
