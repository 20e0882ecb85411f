;;; schemy --- (guix memoization): procedures that remember their results.

(define-module (guix memoization)
  #:export (invalidate-memoization!
            memoize
            mlambda
            mlambdaq
            mlambda*))

(define %tables (make-hash-table))   ;memoized procedure -> its table

(define (memoize proc)
  "PROC, remembering its result for each list of arguments (compared with equal?)."
  (let* ((table (make-hash-table))
         (memoized (lambda args
                     (let ((cached (hash-ref table args %nothing)))
                       (if (eq? cached %nothing)
                           (call-with-values (lambda () (apply proc args))
                             (lambda results
                               (hash-set! table args results)
                               (apply values results)))
                           (apply values cached))))))
    (hashq-set! %tables memoized table)
    memoized))

(define %nothing (list 'nothing))

(define (invalidate-memoization! proc)
  "Forget what the memoized PROC remembers."
  (let ((table (hashq-ref %tables proc)))
    (when table (hash-clear! table))))

(define-syntax-rule (mlambda formals body ...)
  (memoize (lambda formals body ...)))

(define-syntax-rule (mlambdaq formals body ...)
  ;; schemy compares the arguments with equal? for mlambdaq too: the results
  ;; are the same for arguments that are eq?, only possibly shared more often.
  (memoize (lambda formals body ...)))

(define-syntax-rule (mlambda* formals body ...)
  (memoize (lambda* formals body ...)))
