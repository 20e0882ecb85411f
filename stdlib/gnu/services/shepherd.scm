;;; schemy --- Shepherd services: the processes the service manager runs.
;;;
;;; Services extend `shepherd-root-service-type' with `shepherd-service'
;;; records.  The backend lowers their start and stop gexps into the service
;;; manager's configuration file.

(define-module (gnu services shepherd)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (ice-9 match)
  #:export (shepherd-root-service-type
            %shepherd-root-service
            shepherd-service-type

            shepherd-service
            shepherd-service?
            shepherd-service-documentation
            shepherd-service-provision
            shepherd-service-canonical-name
            shepherd-service-requirement
            shepherd-service-one-shot?
            shepherd-service-respawn?
            shepherd-service-respawn-limit
            shepherd-service-respawn-delay
            shepherd-service-free-form
            shepherd-service-start
            shepherd-service-stop
            shepherd-service-auto-start?
            shepherd-service-modules
            shepherd-service-actions
            shepherd-service-location
            shepherd-service-transient?

            shepherd-action
            shepherd-action?
            shepherd-action-name
            shepherd-action-documentation
            shepherd-action-procedure
            shepherd-configuration-action
            shepherd-signal-action

            %default-modules
            check-shepherd-services
            shepherd-service-lookup-procedure
            user-processes-service-type

            shepherd-configuration
            shepherd-configuration?
            shepherd-configuration-shepherd
            shepherd-configuration-services
            shepherd-timer
            shepherd-trigger-action
            shepherd-timer-service-type
            shepherd-transient-service-type
            system-log-configuration
            system-log-configuration?
            system-log-configuration-provision
            system-log-configuration-requirement
            system-log-configuration-kernel-log-file
            system-log-configuration-message-destination
            system-log-configuration-date-format
            system-log-configuration-history-size
            system-log-configuration-max-silent-time
            shepherd-system-log-service-type
            assert-valid-graph
            shepherd-service-back-edges
            shepherd-service-file
            shepherd-service-upgrade))

(define %default-modules
  '((guix build utils)
    (guix build syscalls)))

(define-record-type* <shepherd-action> shepherd-action
  make-shepherd-action shepherd-action?
  (name          shepherd-action-name)
  (procedure     shepherd-action-procedure)
  (documentation shepherd-action-documentation))

(define-record-type* <shepherd-service> shepherd-service
  make-shepherd-service shepherd-service?
  (documentation shepherd-service-documentation (default "[No documentation.]"))
  (provision     shepherd-service-provision)
  (requirement   shepherd-service-requirement (default '()))
  (one-shot?     shepherd-service-one-shot? (default #f))
  (transient?    shepherd-service-transient? (default #f))
  (respawn?      shepherd-service-respawn? (default #t))
  (respawn-limit shepherd-service-respawn-limit (default #f))
  (respawn-delay shepherd-service-respawn-delay (default #f))
  ;; A gexp making the Shepherd service object itself, in place of the fields
  ;; below (Guix's "free-form" services).
  (free-form     shepherd-service-free-form (default #f))
  (start         shepherd-service-start (default #~(const #t)))
  (stop          shepherd-service-stop (default #~(const #f)))
  (actions       shepherd-service-actions (default '()))
  (auto-start?   shepherd-service-auto-start? (default #t))
  (modules       shepherd-service-modules (default %default-modules))
  (location      shepherd-service-location
                 (default (%construction-location)) (innate)))

(define (shepherd-service-canonical-name service)
  (car (shepherd-service-provision service)))

(define (shepherd-configuration-action file)
  "An action `configuration' that prints the configuration FILE of a service."
  (shepherd-action
   (name 'configuration)
   (documentation "Display the name of this service's configuration file.")
   (procedure #~(lambda (running . args)
                  (display #$file)
                  (newline)
                  #$file))))

(define (check-shepherd-services services)
  "Raise an error naming both services when two of SERVICES provide the same name,
or when a provision is not a symbol."
  (let ((table (make-hash-table)))
    (for-each
     (lambda (s)
       (for-each
        (lambda (name)
          (unless (symbol? name)
            (%raise-located (shepherd-service-location s)
                            (format #f "shepherd service provision ~s is not a symbol" name)))
          (let ((other (hashq-ref table name)))
            (when other
              (%raise-located (shepherd-service-location s)
                              (format #f "service '~a' provided more than once: by ~a and by ~a"
                                      name (describe other) (describe s))))
            (hashq-set! table name s)))
        (shepherd-service-provision s)))
     services)
    services))

(define (describe s)
  (let ((loc (shepherd-service-location s)))
    (if loc
        (format #f "~a (at ~a)" (shepherd-service-provision s) (%location->string loc))
        (format #f "~a" (shepherd-service-provision s)))))

(define (shepherd-service-lookup-procedure services)
  (let ((table (make-hash-table)))
    (for-each (lambda (s)
                (for-each (lambda (name) (hashq-set! table name s))
                          (shepherd-service-provision s)))
              services)
    (lambda (name) (hashq-ref table name))))

(define shepherd-root-service-type
  (service-type
   (name 'shepherd-root)
   (extensions (list (service-extension
                      system-service-type
                      (lambda (services)
                        (list (cons 'shepherd (check-shepherd-services services)))))))
   (compose (lambda (lst) (apply append lst)))
   (extend (lambda (initial extensions) (append initial extensions)))
   (default-value '())
   (description "The service manager itself, which runs the system's services.")))

(define* (shepherd-service-type service-name proc #:optional (default-value #f)
                                #:key (description "A Shepherd service."))
  "A service type called SERVICE-NAME whose value PROC turns into one
shepherd service (the older way of defining a service type)."
  (service-type
   (name service-name)
   (extensions (list (service-extension shepherd-root-service-type
                                        (lambda (value) (list (proc value))))))
   (default-value default-value)
   (description description)))

(define %shepherd-root-service (service shepherd-root-service-type '()))

(define user-processes-service-type
  (service-type
   (name 'user-processes)
   (extensions
    (list (service-extension
           shepherd-root-service-type
           (lambda (requirements)
             (list (shepherd-service
                    (documentation "When stopped, terminate all user processes.")
                    (provision '(user-processes))
                    (requirement requirements)
                    (start #~(const #t))
                    (stop #~(const #f))
                    (respawn? #f)))))))
   (compose (lambda (lst) (apply append lst)))
   (extend (lambda (initial extensions) (append initial extensions)))
   (default-value '())
   (description "The user-processes target: services that must be up before
user processes run.")))

;;; More of Guix's (gnu services shepherd).

(define-record-type* <shepherd-configuration> shepherd-configuration
  make-shepherd-configuration shepherd-configuration?
  (shepherd shepherd-configuration-shepherd           ;file-like
            (default (@ (gnu packages admin) shepherd)))
  (services shepherd-configuration-services (default '())))

(define shepherd-trigger-action
  ;; The action running a timer's command now.
  (shepherd-action
   (name 'trigger)
   (documentation "Trigger immediate execution of this timer.")
   (procedure #~trigger-timer)))

(define* (shepherd-signal-action name signal
                                 #:key
                                 (documentation (format #f "Send signal ~a to the running service."
                                                        signal))
                                 (message (format #f "Service has been asked to perform '~a'."
                                                  name)))
  "An action NAME sending SIGNAL to the service's process, then displaying MESSAGE."
  (shepherd-action
   (name name)
   (documentation documentation)
   (procedure #~(lambda (running . args)
                  (if running
                      (begin
                        (kill (process-id running) #$signal)
                        (display #$message))
                      (display "Service is not running."))))))

(define* (shepherd-timer provision schedule command
                         #:key (requirement '())
                         (documentation "Periodically run a command."))
  "A Shepherd service PROVISION running COMMAND (a list-valued gexp) at the
times of SCHEDULE, a Vixie cron string or a gexp giving a calendar event."
  (shepherd-service
   (provision provision)
   (requirement requirement)
   (modules '((shepherd service timer)))
   (start #~(make-timer-constructor
             #$(if (string? schedule)
                   #~(cron-string->calendar-event #$schedule)
                   schedule)
             (command '(#$@command))
             #:wait-for-termination? #t))
   (stop #~(make-timer-destructor))
   (documentation documentation)
   (actions (list shepherd-trigger-action))))

(define shepherd-timer-service-type
  (shepherd-service-type
   'shepherd-timer
   (lambda (requirement)
     (shepherd-service
      (provision '(timer))
      (requirement requirement)
      (modules '((shepherd service timer)))
      (free-form #~(timer-service '(timer) #:requirement '#$requirement))))
   '(user-processes)
   #:description "The Shepherd's timer service, scheduling commands dynamically
(herd schedule timer at 07:00 -- COMMAND)."))

(define shepherd-transient-service-type
  (shepherd-service-type
   'shepherd-transient
   (lambda (requirement)
     (shepherd-service
      (provision '(transient))
      (requirement requirement)
      (modules '((shepherd service transient)))
      (free-form #~(transient-service '(transient) #:requirement '#$requirement))))
   '(user-processes)
   #:description "The Shepherd's transient service, running commands in the
background (herd spawn transient -- COMMAND)."))

(define (gexp-or-false? x) (or (gexp? x) (not x)))
(define (gexp-or-integer? x) (or (gexp? x) (integer? x)))
(define (gexp-or-integer-or-false? x) (or (not x) (gexp-or-integer? x)))
(define (gexp-or-string? x) (or (gexp? x) (string? x)))
(define (gexp-or-string-or-false? x) (or (gexp-or-string? x) (not x)))

(define-configuration/no-serialization system-log-configuration
  (provision
   (list-of-symbols '(system-log syslogd))
   "The names of the system log service.")
  (requirement
   (list-of-symbols '(root-file-system))
   "Its dependencies.")
  (kernel-log-file
   (gexp-or-string-or-false #~(kernel-log-file))
   "The file kernel messages are read from.")
  (message-destination
   (gexp-or-false #f)
   "A gexp of the procedure giving the files a message goes to; #f for the default.")
  (date-format
   (gexp-or-string #~default-logfile-date-format)
   "The strftime format of the time stamps in log files.")
  (history-size
   (gexp-or-integer #~(default-log-history-size))
   "The number of messages kept in memory.")
  (max-silent-time
   (gexp-or-integer-or-false #~(default-max-silent-time))
   "The time after which a mark is logged when nothing was; #f for never."))

(define shepherd-system-log-service-type
  (shepherd-service-type
   'shepherd-system-log
   (lambda (config)
     (let ((provision (system-log-configuration-provision config))
           (requirement (system-log-configuration-requirement config))
           (destination (system-log-configuration-message-destination config)))
       (shepherd-service
        (documentation "Shepherd's built-in system log (syslogd).")
        (provision provision)
        (requirement requirement)
        (modules '((shepherd service system-log)
                   ((shepherd support) #:select (default-logfile-date-format))
                   ((shepherd logger) #:select (default-log-history-size))))
        (free-form
         #~(system-log-service #:provision '#$provision
                               #:requirement '#$requirement
                               #$@(if destination
                                      (list #:message-destination destination)
                                      '())
                               #:date-format #$(system-log-configuration-date-format config)
                               #:history-size #$(system-log-configuration-history-size config)
                               #:max-silent-time
                               #$(system-log-configuration-max-silent-time config))))))
   (system-log-configuration)
   #:description "The Shepherd's system-log service, the syslogd writing what
daemons log to /dev/log to files under /var/log."))

(define (assert-valid-graph services)
  "An error when a name is provided by more than one of SERVICES, or when one
of them requires a name none provides."
  (check-shepherd-services services)
  (let ((provided (cons 'shepherd (append-map shepherd-service-provision services))))
    (for-each (lambda (s)
                (for-each (lambda (requirement)
                            (unless (memq requirement provided)
                              (%raise-located
                               (shepherd-service-location s)
                               (format #f "service '~a' requires '~a', which is not provided by any service"
                                       (car (shepherd-service-provision s)) requirement))))
                          (shepherd-service-requirement s)))
              services)))

(define* (shepherd-service-back-edges services
                                      #:key (provision shepherd-service-provision)
                                      (requirement shepherd-service-requirement))
  "A procedure giving, for a service of SERVICES, the services that require it."
  (let ((lookup (let ((table (make-hash-table)))
                  (for-each (lambda (s)
                              (for-each (lambda (name) (hashq-set! table name s))
                                        (provision s)))
                            services)
                  (lambda (name) (hashq-ref table name))))
        (edges (make-hash-table)))
    (for-each (lambda (s)
                (for-each (lambda (name)
                            (let ((target (lookup name)))
                              (when target
                                (hashq-set! edges target
                                            (cons s (hashq-ref edges target '()))))))
                          (requirement s)))
              services)
    (lambda (s) (reverse (hashq-ref edges s '())))))

(define (shepherd-service-file service)
  "The file defining SERVICE for the Shepherd: a scheme-file of its register form."
  (scheme-file (string-append "shepherd-"
                              (symbol->string (shepherd-service-canonical-name service))
                              ".scm")
               (or (shepherd-service-free-form service)
                   #~(service '#$(shepherd-service-provision service)
                              #:requirement '#$(shepherd-service-requirement service)
                              #:documentation #$(shepherd-service-documentation service)
                              #:respawn? #$(shepherd-service-respawn? service)
                              #:one-shot? #$(shepherd-service-one-shot? service)
                              #:transient? #$(shepherd-service-transient? service)
                              #:start #$(shepherd-service-start service)
                              #:stop #$(shepherd-service-stop service)))))

(define (shepherd-service-upgrade live target)
  "Two values: the running services of LIVE to unload (those not in TARGET,
nor required by a service that stays), and the services of TARGET to load
(those not running).  LIVE's services are objects with `live-service-provision'
and `live-service-running' in Guix's (gnu services herd); here any record whose
provision is a list of symbols works, by `shepherd-service-provision' or a pair."
  (define (provision-of s)
    (if (shepherd-service? s) (shepherd-service-provision s) (car s)))
  (define target-names (append-map shepherd-service-provision target))
  (let* ((obsolete (filter (lambda (s)
                             (not (any (lambda (name) (memq name target-names))
                                       (provision-of s))))
                           live))
         (live-names (append-map provision-of live))
         (to-load (filter (lambda (s)
                            (not (any (lambda (name) (memq name live-names))
                                      (shepherd-service-provision s))))
                          target)))
    (values obsolete to-load)))
