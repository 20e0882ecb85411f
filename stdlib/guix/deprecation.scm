;;; schemy --- (guix deprecation): definitions that warn when they are used,
;;; naming what replaces them.

(define-module (guix deprecation)
  #:export (define-deprecated
            define-deprecated/public
            define-deprecated/alias
            define-deprecated/public-alias
            deprecation-warning-port
            warn-about-deprecation))

(define deprecation-warning-port
  ;; Where the warnings go (a parameter, as in Guix).
  (make-parameter (current-warning-port)))

(define* (warn-about-deprecation variable properties #:key replacement)
  "Say on deprecation-warning-port that VARIABLE is deprecated (and, when
REPLACEMENT is given, what to use instead)."
  (let ((port (deprecation-warning-port))
        (where (and properties (assq-ref properties 'filename))))
    (format port "~@[~a: ~]warning: '~a' is deprecated~@[, use '~a' instead~]~%"
            where variable replacement)))

(define (warner name replacement)
  ;; A thunk that warns the first time it is called.
  (let ((warned? #f))
    (lambda ()
      (unless warned?
        (set! warned? #t)
        (warn-about-deprecation name #f #:replacement replacement)))))

(define-syntax define-deprecated
  (syntax-rules ()
    "Define a procedure (or a variable) that warns, when used, that it is
deprecated in favour of REPLACEMENT (#f when nothing replaces it)."
    ((_ (proc formals ...) replacement body ...)
     (define proc
       (let ((warn (warner 'proc 'replacement)))
         (lambda* (formals ...)
           (warn)
           body ...))))
    ((_ (proc formals ... . rest) replacement body ...)
     (define proc
       (let ((warn (warner 'proc 'replacement)))
         (lambda* (formals ... . rest)
           (warn)
           body ...))))
    ((_ variable replacement exp)
     (define variable exp))))

(define-syntax-rule (define-deprecated/public body ...)
  (begin
    (define-deprecated body ...)
    (export-deprecated body ...)))

(define-syntax export-deprecated
  (syntax-rules ()
    ((_ (proc . _) . _) (export proc))
    ((_ variable . _) (export variable))))

(define-syntax-rule (define-deprecated/alias deprecated replacement)
  ;; DEPRECATED is another name for REPLACEMENT.
  (define deprecated replacement))

(define-syntax-rule (define-deprecated/public-alias deprecated replacement)
  (begin
    (define deprecated replacement)
    (export deprecated)))
