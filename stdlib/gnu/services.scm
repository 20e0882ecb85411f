;;; schemy --- Services as data: service types, extensions and folding.
;;;
;;; A service is a value of a service type.  A service type may extend other
;;; service types: folding the services walks these extension edges from the
;;; leaves to the root (`system-service-type') and computes each service's
;;; final value from its own value and what extends it.

(define-module (gnu services)
  #:use-module (guix records)
  #:export (service-extension
            service-extension?
            service-extension-target
            service-extension-compute

            service-type
            service-type?
            service-type-name
            service-type-extensions
            service-type-compose
            service-type-extend
            service-type-default-value
            service-type-description
            service-type-location
            %service-type-default-value

            service
            service?
            service-kind
            service-value
            service-parameters
            service-location
            simple-service
            modify-services
            apply-service-modifications
            service-error

            instantiate-missing-services
            fold-services
            fold-services*
            folded-service-value
            services-of-type
            service-back-edges

            system-service-type
            boot-service-type
            cleanup-service-type
            activation-service-type
            etc-service-type
            etc-directory
            profile-service-type
            special-files-service-type
            privileged-program-service-type
            setuid-program-service-type
            firmware-service-type
            provenance-service-type
            sanitize-file-name
            for-home?
            for-home
            remove-service-extensions))

;;; Extensions and service types.

(define-record-type <service-extension>
  (service-extension target compute)
  service-extension?
  (target  service-extension-target)
  (compute service-extension-compute))

;; Marks a service type that has no default value.
(define %service-type-default-value (list 'no-default-value))

(define-record-type* <service-type> service-type make-service-type
  service-type?
  (name          service-type-name)
  (extensions    service-type-extensions)
  (compose       service-type-compose (default #f))
  (extend        service-type-extend (default #f))
  (default-value service-type-default-value
                 (default %service-type-default-value))
  (description   service-type-description (default #f))
  (location      service-type-location
                 (default (%construction-location)) (innate)))

(set-record-type-printer! <service-type>
  (lambda (type port)
    (display "#<service-type " port)
    (display (service-type-name type) port)
    (display ">" port)))

;;; Services.

(define-record-type <service>
  (make-service type value location)
  service?
  (type     service-kind)
  (value    service-value)
  (location service-location))

(set-record-type-printer! <service>
  (lambda (s port)
    (display "#<service " port)
    (display (service-type-name (service-kind s)) port)
    (display ">" port)))

(define (service-parameters s) (service-value s))

(define (service-error location message . irritants)
  "Raise an error about a service, located at LOCATION when known."
  (%raise-located location (apply format #f message irritants)))

(define* (%service type #:optional (value %service-type-default-value) location)
  (unless (service-type? type)
    (service-error location "~s is not a service type" type))
  (let ((value (if (eq? value %service-type-default-value)
                   (service-type-default-value type)
                   value)))
    (when (eq? value %service-type-default-value)
      (service-error location
                     "no value specified for service of type '~a'"
                     (service-type-name type)))
    (make-service type value location)))

(define-syntax service
  (lambda (x)
    (syntax-case x ()
      ((_ type)
       #`(%service type %service-type-default-value '#,(%syntax-location x)))
      ((_ type value)
       #`(%service type value '#,(%syntax-location x)))
      (id (identifier? #'id) #'%service))))

(define-syntax simple-service
  (lambda (x)
    (syntax-case x ()
      ((_ name target value)
       #`(%simple-service name target value '#,(%syntax-location x)))
      (id (identifier? #'id)
          #'(lambda (name target value) (%simple-service name target value #f))))))

(define (%simple-service name target value location)
  "A one-off service of type NAME that extends TARGET with VALUE."
  (make-service (service-type (name name)
                              (extensions
                               (list (service-extension target (lambda (x) x))))
                              (description "A simple service extending another one."))
                value
                location))

;;; modify-services.

(define-syntax %modify-service-clause
  (lambda (x)
    (syntax-case x (=> delete)
      ((_ (delete kind))
       #'(list 'delete kind))
      ((_ (kind param => exp ...))
       #'(list 'modify kind (lambda (param) exp ...)))
      ((_ clause)
       (syntax-violation 'modify-services
                         "invalid clause, expected (TYPE VARIABLE => EXPRESSION) or (delete TYPE)"
                         #'clause)))))

(define-syntax modify-services
  (syntax-rules ()
    "Return a new list of services where each clause (TYPE VAR => EXP) gives the
services of TYPE the value of EXP, with VAR bound to their old value, and each
clause (delete TYPE) removes the services of TYPE."
    ((_ services clause ...)
     (apply-service-modifications services
                                  (list (%modify-service-clause clause) ...)))))

(define (apply-service-modifications services clauses)
  (filter-map
   (lambda (s)
     (let loop ((s s) (clauses clauses))
       (cond ((not s) #f)
             ((null? clauses) s)
             (else
              (let ((clause (car clauses)))
                (if (eq? (cadr clause) (service-kind s))
                    (if (eq? (car clause) 'delete)
                        #f
                        (loop (make-service (service-kind s)
                                            ((caddr clause) (service-value s))
                                            (service-location s))
                              (cdr clauses)))
                    (loop s (cdr clauses))))))))
   services))

;;; Folding.

(define (services-of-type services type)
  (filter (lambda (s) (eq? (service-kind s) type)) services))

(define (instantiate-missing-services services)
  "Add a default-valued instance of every extension target that SERVICES lack
and whose type has a default value, until nothing is missing."
  ;; TODO and PENDING form a first-in first-out queue of services whose extensions
  ;; are still to be checked: TODO is its front, PENDING its back in reverse order,
  ;; so that adding to it never copies the (possibly long) front.
  (let loop ((services services)
             (present (let ((table (make-hash-table)))
                        (for-each (lambda (s) (hashq-set! table (service-kind s) #t))
                                  services)
                        table))
             (todo services)
             (pending '())
             (added '()))
    (cond
     ((and (null? todo) (null? pending))
      (append services (reverse added)))
     ((null? todo)
      (loop services present (reverse pending) '() added))
     (else
      (let* ((s (car todo))
             (new (filter-map
                   (lambda (ext)
                     (let ((target (service-extension-target ext)))
                       (and (not (hashq-ref present target))
                            (not (eq? (service-type-default-value target)
                                      %service-type-default-value))
                            (begin
                              (hashq-set! present target #t)
                              (make-service target
                                            (service-type-default-value target)
                                            #f)))))
                   (service-type-extensions (service-kind s)))))
        (loop services present (cdr todo) (append (reverse new) pending)
              (append (reverse new) added)))))))

(define (describe-service s)
  (let ((loc (service-location s)))
    (if loc
        (format #f "'~a' (at ~a)" (service-type-name (service-kind s))
                (%location->string loc))
        (format #f "'~a'" (service-type-name (service-kind s))))))

(define (service-back-edges services)
  "Return a procedure mapping a service to the list of services extending it,
after checking that every extension has exactly one target."
  (let ((by-type (make-hash-table))
        (edges (make-hash-table)))
    (for-each (lambda (s)
                (hashq-set! by-type (service-kind s)
                            (cons s (hashq-ref by-type (service-kind s) '()))))
              services)
    (for-each
     (lambda (s)
       (for-each
        (lambda (ext)
          (let* ((target (service-extension-target ext))
                 (targets (hashq-ref by-type target '())))
            (cond ((null? targets)
                   (service-error (service-location s)
                                  "no target of type '~a' for service ~a"
                                  (service-type-name target) (describe-service s)))
                  ((pair? (cdr targets))
                   (let ((both (reverse targets)))
                     (service-error (or (service-location (cadr both))
                                        (service-location s))
                                    "more than one target service of type '~a': ~a and ~a (needed by service ~a)"
                                    (service-type-name target)
                                    (describe-service (car both))
                                    (describe-service (cadr both))
                                    (describe-service s))))
                  (else
                   (hashq-set! edges (car targets)
                               (cons s (hashq-ref edges (car targets) '())))))))
        (service-type-extensions (service-kind s))))
     services)
    (lambda (s) (reverse (hashq-ref edges s '())))))

(define* (fold-services* services #:key (target-type system-service-type))
  "Fold SERVICES (after instantiating missing targets) and return two values:
the folded root service, and a procedure mapping each service to its folded value."
  (let* ((services (instantiate-missing-services services))
         (dependents (service-back-edges services))
         (memo (make-hash-table)))
    (define (extension-value target dependent folded)
      (let ((ext (find (lambda (e) (eq? (service-extension-target e) (service-kind target)))
                       (service-type-extensions (service-kind dependent)))))
        ;; Records the library builds on behalf of a user's service (e.g. the shepherd
        ;; services of static networking) take that service's location, so errors about
        ;; them point at the user's configuration.
        (%adopt-location! ((service-extension-compute ext) folded)
                          (service-location dependent))))
    (define (fold-one s)
      (or (hashq-ref memo s)
          (let* ((kind (service-kind s))
                 (deps (dependents s))
                 (extensions (map (lambda (d) (extension-value s d (fold-one d))) deps))
                 (compose (or (service-type-compose kind)
                              (lambda (lst) (apply append lst))))
                 (extend (service-type-extend kind))
                 (value (if extend
                            (extend (service-value s) (compose extensions))
                            (service-value s))))
            (hashq-set! memo s value)
            value)))
    (let ((roots (services-of-type services target-type)))
      (cond ((null? roots)
             (service-error #f "no service of type '~a' to fold the services into"
                            (service-type-name target-type)))
            ((pair? (cdr roots))
             (service-error (service-location (cadr roots))
                            "more than one service of type '~a': ~a and ~a"
                            (service-type-name target-type)
                            (describe-service (car roots))
                            (describe-service (cadr roots))))
            (else
             ;; Fold every service, not only those reachable from the root, so that
             ;; the backend sees the final value of each.
             (for-each fold-one services)
             (values (make-service target-type (fold-one (car roots))
                                   (service-location (car roots)))
                     (lambda (s) (fold-one s))
                     services))))))

(define* (fold-services services #:key (target-type system-service-type))
  "Fold SERVICES into the single service of TARGET-TYPE, like Guix."
  (call-with-values (lambda () (fold-services* services #:target-type target-type))
    (lambda (root value-of all) root)))

(define (folded-service-value services type)
  "The folded value of the service of TYPE among SERVICES, or #f."
  (call-with-values (lambda () (fold-services* services))
    (lambda (root value-of all)
      (let ((s (find (lambda (s) (eq? (service-kind s) type)) all)))
        (and s (value-of s))))))

;;; Core service types.

(define (sanitize-file-name name)
  (if (or (string-index name #\/) (member name '("" "." "..")))
      (error "invalid file name" name)
      name))

(define system-service-type
  (service-type
   (name 'system)
   (extensions '())
   (compose (lambda (lst) (apply append lst)))
   (extend (lambda (initial extensions) (append initial extensions)))
   (description "The root of the service graph: everything that makes up the system.")))

(define boot-service-type
  (service-type
   (name 'boot)
   (extensions (list (service-extension system-service-type
                                        (lambda (gexps) (list (cons 'boot gexps))))))
   (compose (lambda (lst) (gexps-of lst)))
   (extend (lambda (initial extensions) (append initial extensions)))
   (default-value '())
   (description "Gexps run when the system boots.")))

(define cleanup-service-type
  (service-type
   (name 'cleanup)
   (extensions (list (service-extension boot-service-type (const '()))))
   (default-value #f)
   (description "Clean up temporary state at boot.")))

(define (gexps-of extensions)
  "Each extension of activation or boot is one gexp (as in Guix) or a list of them."
  (append-map (lambda (x) (if (or (pair? x) (null? x)) x (list x))) extensions))

(define activation-service-type
  (service-type
   (name 'activate)
   (extensions (list (service-extension boot-service-type (lambda (gexps) gexps))))
   (compose gexps-of)
   (extend (lambda (initial extensions) (append initial extensions)))
   (default-value '())
   (description "Gexps run to activate the system: creating directories, accounts...")))

(define (etc-directory entries) entries)

(define (concatenate-lists lists) (apply append lists))
(define (append-extensions initial extensions) (append initial extensions))

(define-syntax-rule (system-list-service-type type-name key doc extra-extension ...)
  ;; A service type whose value is a list, extended with lists, and handed to the system
  ;; under KEY (what etc, profile, special files... have in common).  A macro, so that the
  ;; service type's location is where it is defined.
  (service-type
   (name type-name)
   (extensions (list (service-extension system-service-type
                                        (lambda (items) (list (cons key items))))
                     extra-extension ...))
   (compose concatenate-lists)
   (extend append-extensions)
   (default-value '())
   (description doc)))

(define etc-service-type
  (system-list-service-type 'etc 'etc
                            "Files placed under /etc, given as (NAME FILE-LIKE) pairs."))

(define profile-service-type
  (system-list-service-type 'profile 'profile "Packages installed in the system profile."))

(define special-files-service-type
  (system-list-service-type
   'special-files 'special-files
   "Special files such as /bin/sh and /usr/bin/env, as (FILE TARGET) pairs."
   (service-extension activation-service-type (const '()))))

(define privileged-program-service-type
  ;; Guix's name since setuid programs became privileged programs (setuid/setgid bits
  ;; or capabilities); the list holds <privileged-program> records (and, from older
  ;; configs, <setuid-program> records or plain file-likes).
  (system-list-service-type 'privileged-program 'setuid
                            "Programs installed with privileges: setuid, setgid or capabilities."))

(define setuid-program-service-type
  ;; Deprecated in Guix: the same service type under its old name.
  privileged-program-service-type)

(define firmware-service-type
  (system-list-service-type 'firmware 'firmware "Firmware packages made available to the kernel."))

(define provenance-service-type
  (service-type
   (name 'provenance)
   (extensions (list (service-extension system-service-type
                                        (lambda (file) (list (cons 'provenance file))))))
   (default-value #f)
   (description "Record the configuration file the system was built from.")))

;;; Home services built from system ones: a system service's configuration
;;; made inside `for-home' knows it is for a user's home (Guix Home).

(define for-home? (make-parameter #f))

(define-syntax-rule (for-home exp)
  (parameterize ((for-home? #t)) exp))

(define (remove-service-extensions type targets)
  "TYPE without its extensions of the service types in TARGETS (as a home
service drops what only a system has, such as accounts)."
  (service-type
   (inherit type)
   (extensions (filter (lambda (ext)
                         (not (memq (service-extension-target ext) targets)))
                       (service-type-extensions type)))))
