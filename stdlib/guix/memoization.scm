;;; schemy --- Memoization (Guix's (guix memoization)): procedures that
;;; remember their results, keyed by their arguments (equal? for memoize and
;;; mlambda, eq? for mlambdaq), and forget them on request.

(define-module (guix memoization)
  #:export (invalidate-memoization!
            memoize
            mlambda
            mlambdaq
            mlambda*))

;; Each memoized procedure's table, so that invalidate-memoization! finds it.
(define %tables (make-weak-key-hash-table))

(define (memoizing proc make-table ref set!)
  (let* ((table (make-table))
         (memoized (lambda args
                     (let ((hit (ref table args)))
                       (if hit
                           (apply values hit)
                           (call-with-values (lambda () (apply proc args))
                             (lambda results
                               (set! table args results)
                               (apply values results))))))))
    (hashq-set! %tables memoized table)
    memoized))

(define (memoize proc)
  "PROC remembering its results for arguments equal? to earlier ones."
  (memoizing proc make-hash-table hash-ref hash-set!))

(define (eq-args-ref table args)
  (let ((entry (find-entry table args)))
    (and entry (cdr entry))))

(define (find-entry table args)
  (let loop ((entries (hash-ref table (length args) '())))
    (cond ((null? entries) #f)
          ((and (= (length (caar entries)) (length args))
                (let same ((a (caar entries)) (b args))
                  (or (null? a) (and (eq? (car a) (car b)) (same (cdr a) (cdr b))))))
           (car entries))
          (else (loop (cdr entries))))))

(define (eq-args-set! table args results)
  (hash-set! table (length args) (cons (cons args results) (hash-ref table (length args) '()))))

(define-syntax-rule (mlambda formals body ...)
  (memoize (lambda formals body ...)))

(define-syntax-rule (mlambdaq formals body ...)
  (memoizing (lambda formals body ...) make-hash-table eq-args-ref eq-args-set!))

(define (invalidate-memoization! proc)
  "Forget what the memoized PROC remembers."
  (let ((table (hashq-ref %tables proc)))
    (when table (hash-clear! table))))

(define-syntax-rule (mlambda* formals body ...)
  "A memoizing lambda* (keyword and optional arguments), keyed as mlambda."
  (memoize (lambda* formals body ...)))
