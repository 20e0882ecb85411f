;;; schemy --- Talking to the service manager from Scheme (Guix's
;;; (gnu services herd)).
;;;
;;; Guix's module speaks the Shepherd's protocol over its socket; here the
;;; same procedures speak to schemy's service manager (the default root's,
;;; or the one whose socket `%shepherd-socket-file' names).  Failures raise
;;; the condition types Guix raises: a service that does not exist is a
;;; &service-not-found-error, an action it lacks an &action-not-found-error,
;;; an action that failed an &action-exception-error.  When no service
;;; manager runs, the queries answer #f as Guix's do on an invalid reply.

(define-module (gnu services herd)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-34)
  #:use-module (srfi srfi-35)
  #:use-module (schemy herd)
  #:export (%shepherd-socket-file
            shepherd-message-port

            shepherd-error?
            service-not-found-error?
            service-not-found-error-service
            action-not-found-error?
            action-not-found-error-service
            action-not-found-error-action
            action-exception-error?
            action-exception-error-service
            action-exception-error-action
            action-exception-error-key
            action-exception-error-arguments
            unknown-shepherd-error?
            unknown-shepherd-error-sexp

            live-service
            live-service?
            live-service-provision
            live-service-requirement
            live-service-running
            live-service-transient?
            live-service-canonical-name

            with-shepherd-action
            current-service
            current-services
            eval-there
            unload-services
            unload-service
            load-services
            start-service
            stop-service
            restart-service
            wait-for-service))

(define %shepherd-socket-file
  (make-parameter (%schemy-shepherd-socket-file)))

(define shepherd-message-port
  (make-parameter (current-error-port)))

(define-condition-type &shepherd-error &error
  shepherd-error?)

(define-condition-type &service-not-found-error &shepherd-error
  service-not-found-error?
  (service service-not-found-error-service))

(define-condition-type &action-not-found-error &shepherd-error
  action-not-found-error?
  (service action-not-found-error-service)
  (action  action-not-found-error-action))

(define-condition-type &action-exception-error &shepherd-error
  action-exception-error?
  (service action-exception-error-service)
  (action  action-exception-error-action)
  (key     action-exception-error-key)
  (args    action-exception-error-arguments))

(define-condition-type &unknown-shepherd-error &shepherd-error
  unknown-shepherd-error?
  (sexp unknown-shepherd-error-sexp))

(define (answer reply service action)
  "The value of REPLY, (ok . VALUE); an error reply raises its condition, but
`not-running' (no service manager) gives #f."
  (case (car reply)
    ((ok) (cdr reply))
    (else
     (let ((kind (cadr reply)) (message (caddr reply)))
       (case kind
         ((not-running) #f)
         ((service-not-found)
          (raise (make-condition &service-not-found-error 'service service)))
         ((action-not-found)
          (raise (make-condition &action-not-found-error 'service service 'action action)))
         (else
          (raise (make-condition &action-exception-error
                                 'service service 'action action
                                 'key 'error 'args (list message)))))))))

(define (invoke-action service action arguments cont)
  "Invoke ACTION of SERVICE with ARGUMENTS; call CONT with the list of results,
or return #f when no service manager answers."
  (let ((results (answer (%schemy-shepherd-invoke (%shepherd-socket-file)
                                                  service action arguments)
                         service action)))
    (and results (cont results))))

(define-syntax-rule (with-shepherd-action service (action args ...) result body ...)
  (invoke-action service 'action (list args ...)
                 (lambda (result) body ...)))

(define-record-type <live-service>
  (live-service provision requirement transient? running)
  live-service?
  (provision   live-service-provision)
  (requirement live-service-requirement)
  (transient?  live-service-transient?)
  (running     live-service-running))

(define (live-service-canonical-name service)
  (first (live-service-provision service)))

(define (current-services)
  "The services the service manager has, as <live-service> records; #f when
none answers."
  (let ((rows (answer (%schemy-shepherd-services (%shepherd-socket-file)) 'root 'status)))
    (and rows (map (lambda (row) (apply live-service row)) rows))))

(define (current-service name)
  "The live service NAME, or #f; (current-service 'root) is every service."
  (if (memq name '(root shepherd))
      (current-services)
      (let ((services (current-services)))
        (and services
             (find (lambda (s) (memq name (live-service-provision s))) services)))))

(define* (start-service name #:optional (arguments '()))
  (invoke-action name 'start arguments (lambda (result) result)))

(define (stop-service name)
  (invoke-action name 'stop '() (lambda (result) result)))

(define (restart-service name)
  (invoke-action name 'restart '() (lambda (result) result)))

(define (unsupported what)
  ;; Services come from the configuration: there is no Scheme evaluator
  ;; inside schemy's service manager to load or evaluate code in.
  (error (string-append (symbol->string what) ": not supported by schemy's service manager; "
                        "its services come from the configuration (schemy reconfigure)")))

(define (eval-there exp)
  (unsupported 'eval-there))

(define (load-services files)
  (unsupported 'load-services))

(define (unload-service service)
  (unsupported 'unload-service))

(define (unload-services services)
  (unsupported 'unload-services))

(define* (wait-for-service name #:key (timeout 20))
  "Wait until the service providing NAME runs and return its running value;
&shepherd-error after TIMEOUT seconds, &service-not-found-error if there is
no such service."
  (let ((start (current-time)))
    (let loop ()
      (when (>= (- (current-time) start) timeout)
        (raise (make-condition &shepherd-error)))
      (let ((service (find (lambda (s) (memq name (live-service-provision s)))
                           (or (current-services) '()))))
        (cond ((not service)
               (raise (make-condition &service-not-found-error 'service name)))
              ((live-service-running service) => identity)
              (else (sleep 1) (loop)))))))
