;;; schemy --- Services as data: service types, extensions and folding.
;;;
;;; A service is a value of a service type.  A service type may extend other
;;; service types: folding the services walks these extension edges from the
;;; leaves to the root (`system-service-type') and computes each service's
;;; final value from its own value and what extends it.

(define-module (gnu services)
  #:use-module (guix records)
  #:use-module (guix gexp)
  #:use-module ((guix channels) #:select (channel))
  #:use-module (ice-9 match)
  #:use-module (ice-9 ftw)
  #:re-export (delete)
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

            etc-service
            extra-special-file
            etc-profile-d-service-type
            etc-bashrc-d-service-type
            %default-bash-aliases
            %default-etc-bashrc-d-files
            vte-integration-service-type
            gc-root-service-type
            linux-builder-configuration
            linux-builder-configuration?
            linux-builder-configuration-kernel
            linux-builder-configuration-modules
            linux-builder-service-type
            linux-loadable-module-service-type
            sexp->system-provenance
            system-provenance
            %service-type-path
            fold-service-types
            lookup-service-types
            remove-service-extensions
            validate-service-list))

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
      ((_ type value extra ...)
       (syntax-violation 'service
                         (format #f "(service TYPE [VALUE]) takes at most one value, but got ~a more \
argument~:p here (is a closing parenthesis misplaced in the value?)"
                                 (length #'(extra ...)) (length #'(extra ...)))
                         x))
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

;;; More of Guix's service types and helpers.

(define (etc-service files)
  "The service adding FILES, (NAME FILE-LIKE) lists, to /etc."
  (service etc-service-type files))

(define (extra-special-file file target)
  "A service making the file FILE (such as \"/usr/bin/env\") TARGET."
  (simple-service (string->symbol (string-append "special-file-" file))
                  special-files-service-type
                  `((,file ,target))))

(define (files->etc-directory name)
  ;; The procedure turning a list of shell scripts (files ending in .sh, or
  ;; directories whose .sh files count) into the /etc/NAME entry.
  (lambda (files)
    (list (list name
                (computed-file name
                               #~(begin
                                   (use-modules (ice-9 ftw))
                                   (let* ((store-base-name
                                           ;; "/gnu/store/HASH-aliases.sh" -> "aliases.sh"
                                           (lambda (file)
                                             (let* ((base (basename file))
                                                    (dash (string-index base #\-)))
                                               (if (and dash (= dash 32)) (substring base 33) base))))
                                          (scripts
                                           (lambda (file)
                                             (cond ((and (file-exists? file)
                                                         (eq? 'directory (stat:type (stat file))))
                                                    (map (lambda (f) (list f (string-append file "/" f)))
                                                         (or (scandir file (lambda (f) (string-suffix? ".sh" f)))
                                                             '())))
                                                   ;; A package of the host lacking the script: nothing.
                                                   ((not (file-exists? file)) '())
                                                   ((string-suffix? ".sh" file)
                                                    (list (list (store-base-name file) file)))
                                                   (else '())))))
                                     (mkdir #$output)
                                     (for-each (lambda (entry)
                                                 (symlink (cadr entry)
                                                          (string-append #$output "/" (car entry))))
                                               (append-map scripts (list #$@files))))))))))

(define etc-profile-d-service-type
  (service-type
   (name 'etc-profile-d)
   (extensions (list (service-extension etc-service-type (files->etc-directory "profile.d"))))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Populate /etc/profile.d with the POSIX shell scripts (.sh files)
sourced at login.")))

(define %default-bash-aliases
  ;; The aliases of interactive Bash shells, as Guix's.
  '(("ls" . "ls -p --color=auto")
    ("ll" . "ls -l")
    ("grep" . "grep --color=auto")
    ("ip" . "ip -color=auto")))

(define %default-bashrc-d-aliases
  (plain-file "aliases.sh"
              (string-concatenate
               (map (lambda (alias)
                      (format #f "~a=~s~%" (car alias) (cdr alias)))
                    %default-bash-aliases))))

(define %default-etc-bashrc-d-files
  (list (file-append (@ (gnu packages bash) bash-completion)
                     "/etc/profile.d/bash_completion.sh")
        %default-bashrc-d-aliases))

(define etc-bashrc-d-service-type
  (service-type
   (inherit etc-profile-d-service-type)
   (name 'etc-bashrc-d)
   (extensions (list (service-extension etc-service-type (files->etc-directory "bashrc.d"))))
   (default-value %default-etc-bashrc-d-files)
   (description "Populate /etc/bashrc.d with the Bash scripts (.sh files)
interactive Bash shells source.")))

(define vte-integration-service-type
  (service-type
   (name 'vte-integration)
   (extensions
    (list (service-extension etc-bashrc-d-service-type
                             (lambda (vte)
                               (list (file-append vte "/etc/profile.d/vte.sh"))))))
   (default-value (@ (gnu packages gnome) vte))
   (description "Add VTE's vte.sh to /etc/bashrc.d, for terminals built on VTE.")))

(define gc-root-service-type
  ;; Extra garbage-collector roots: store items the system keeps (a gc-roots
  ;; directory of links in the system item).
  (service-type
   (name 'gc-roots)
   (extensions (list (service-extension system-service-type
                                        (lambda (roots)
                                          (if (null? roots) '() (list (cons 'gc-roots roots)))))))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Register garbage-collector roots: store items that will not be
reclaimed by the garbage collector.")))

(define-record-type* <linux-builder-configuration>
  linux-builder-configuration make-linux-builder-configuration
  linux-builder-configuration?
  this-linux-builder-configuration
  (kernel  linux-builder-configuration-kernel)                   ;package
  (modules linux-builder-configuration-modules (default '())))   ;packages

(define linux-builder-service-type
  (service-type
   (name 'linux-builder)
   (extensions (list (service-extension system-service-type
                                        (lambda (config) (list (cons 'kernel config))))))
   (default-value '())
   (compose identity)
   (extend (lambda (config modifiers)
             (if (null? modifiers) config ((apply compose modifiers) config))))
   (description "The kernel profile: the kernel and its loadable modules.  Extensions
are procedures changing the configuration.")))

(define linux-loadable-module-service-type
  (service-type
   (name 'linux-loadable-modules)
   (extensions
    (list (service-extension linux-builder-service-type
                             (lambda (modules)
                               (lambda (config)
                                 (linux-builder-configuration
                                  (inherit config)
                                  (modules (append (linux-builder-configuration-modules config)
                                                   modules))))))))
   (default-value '())
   (compose concatenate)
   (extend append)
   (description "Add packages (or package outputs) as modules of the booted kernel's
profile.")))

;;; Provenance.

(define (sexp->system-provenance sexp)
  "Two values of SEXP, read from a system's provenance file: its channels and
its configuration file (or #f); '() and #f for an unknown format."
  (match sexp
    (('provenance ('version 0) ('channels channels ...) ('configuration-file config-file))
     (values (map (match-lambda
                    (('channel ('name name) ('url url) ('branch branch) ('commit commit) _ ...)
                     (channel (name name) (url url) (branch branch) (commit commit))))
                  channels)
             config-file))
    (_ (values '() #f))))

(define (system-provenance system)
  "Two values: the channels SYSTEM (a system generation's file name) was built
from and its configuration file, from SYSTEM/provenance ('() and #f without it)."
  (let ((file (string-append system "/provenance")))
    (if (file-exists? file)
        (sexp->system-provenance (call-with-input-file file read))
        (values '() #f))))

;;; Every service type.

(define %service-type-path
  ;; Where service modules are looked for: (DIRECTORY . SUBDIRECTORY) pairs.
  (make-parameter
   (let ((root (let ((file (search-path %load-path "gnu/services.scm")))
                 (and file (dirname (dirname file))))))
     (if root
         `((,root . "gnu/services") (,root . "gnu/system"))
         '()))))

(define (modules-under directory sub)
  ;; The names of the modules of the .scm files under DIRECTORY/SUB.
  (let loop ((sub sub))
    (let ((entries (or (scandir (string-append directory "/" sub)
                                (lambda (f) (not (member f '("." "..")))))
                       '())))
      (append-map (lambda (entry)
                    (let ((file (string-append directory "/" sub "/" entry)))
                      (cond ((file-is-directory? file) (loop (string-append sub "/" entry)))
                            ((string-suffix? ".scm" entry)
                             (list (map string->symbol
                                        (string-split (string-append
                                                       sub "/" (string-drop-right entry 4))
                                                      #\/))))
                            (else '()))))
                  entries))))

(define (file-is-directory? file)
  (and (file-exists? file) (eq? 'directory (stat:type (stat file)))))

(define* (fold-service-types proc seed #:optional modules)
  "Call (PROC TYPE RESULT) for each service type exported by MODULES (by
default (gnu services) and the modules under %service-type-path), from SEED."
  (let ((modules (or modules
                     (cons (resolve-interface '(gnu services))
                           (filter-map (lambda (name)
                                         (false-if-exception (resolve-interface name)))
                                       (append-map (lambda (entry)
                                                     (modules-under (car entry) (cdr entry)))
                                                   (%service-type-path)))))))
    (fold (lambda (module result)
            (fold (lambda (value result)
                    (if (service-type? value) (proc value result) result))
                  result
                  (module-map (lambda (name value) value) module)))
          seed
          modules)))

(define lookup-service-types
  (let ((table (delay (fold-service-types (lambda (type result)
                                            (cons (cons (service-type-name type) type) result))
                                          '()))))
    (lambda (name)
      "The service types called NAME (a symbol)."
      (delete-duplicates
       (filter-map (lambda (entry) (and (eq? (car entry) name) (cdr entry)))
                   (force table))
       eq?))))

(define (remove-service-extensions type targets)
  "TYPE without its extensions of the service types in TARGETS."
  (service-type
   (inherit type)
   (extensions (remove (lambda (extension)
                         (memq (service-extension-target extension) targets))
                       (service-type-extensions type)))))

(define (validate-service-list value)
  "VALUE, when it is a list of services; an error naming the first element
that is not one otherwise."
  (unless (list? value)
    (error (format #f "~s: expected a list of services" value)))
  (for-each (lambda (x)
              (unless (service? x)
                (error (format #f "~s: not a service" x))))
            value)
  value)
