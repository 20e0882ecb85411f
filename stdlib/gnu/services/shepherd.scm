;;; schemy --- Shepherd services: the processes the service manager runs.
;;;
;;; Services extend `shepherd-root-service-type' with `shepherd-service'
;;; records.  The backend lowers their start and stop gexps into the service
;;; manager's configuration file.

(define-module (gnu services shepherd)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
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
            shepherd-trigger-action

            %default-modules
            check-shepherd-services
            shepherd-service-lookup-procedure
            user-processes-service-type))

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

(define* (shepherd-signal-action name signal
                                 #:key
                                 (documentation (format #f "Send signal ~a to the running service."
                                                        signal))
                                 (message (format #f "Service has been asked to perform '~a'."
                                                  name)))
  "An action NAME that sends SIGNAL to the service's running process, then prints MESSAGE."
  (shepherd-action
   (name name)
   (documentation documentation)
   (procedure #~(lambda (running . args)
                  (if (integer? running)
                      (begin (kill running #$signal)
                             (display #$message))
                      (display "Service is not running."))))))

;; The `trigger' action of Shepherd timers: run the timer's action now.
(define shepherd-trigger-action
  (shepherd-action
   (name 'trigger)
   (documentation "Trigger the action associated with this timer.")
   (procedure #~(lambda (running . args) (trigger-timer running)))))

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
