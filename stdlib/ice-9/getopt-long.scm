;;; schemy --- (ice-9 getopt-long): command-line options from a grammar, behaving as Guile 3.0's
;;; (clusters of letters split into single-char options, --name=value, "--" ends the options,
;;; the result lists the options last-given first, errors go to stderr as "PROG: message"
;;; and exit with status 1).

(define-module (ice-9 getopt-long)
  #:use-module (srfi srfi-1)
  #:export (getopt-long option-ref))

(define (fatal program fmt . args)
  (format (current-error-port) "~a: ~?~%" program fmt args)
  (exit 1))

(define (spec-property spec key default)
  (let ((entry (assq key (cdr spec))))
    (if entry (cadr entry) default)))

(define (ascii-letter? c)
  (or (char<=? #\a c #\z) (char<=? #\A c #\Z)))

(define (short-cluster? arg)
  (and (> (string-length arg) 1)
       (char=? (string-ref arg 0) #\-)
       (ascii-letter? (string-ref arg 1))))

(define (long-option? arg)
  (and (> (string-length arg) 2) (string-prefix? "--" arg)))

(define (looks-like-option? arg)
  (or (string=? arg "--") (long-option? arg) (short-cluster? arg)))

(define (expand-clusters args)
  ;; "-abc1" becomes "-a" "-b" "-c" "1"; nothing after "--" is touched.
  (let loop ((args args) (out '()))
    (cond
     ((null? args) (reverse out))
     ((string=? (car args) "--") (append (reverse out) args))
     ((short-cluster? (car args))
      (let* ((arg (car args))
             (end (or (string-index arg (lambda (c) (not (ascii-letter? c))) 1)
                      (string-length arg)))
             (singles (map (lambda (c) (string #\- c)) (string->list (substring arg 1 end))))
             (rest (substring arg end)))
        (loop (cdr args)
              (append (if (string-null? rest) '() (list rest)) (reverse singles) out))))
     (else (loop (cdr args) (cons (car args) out))))))

(define* (getopt-long program-arguments option-desc-list #:key stop-at-first-non-option)
  "Parse PROGRAM-ARGUMENTS (the program name first) by OPTION-DESC-LIST."
  (let ((program (car program-arguments)))
    (define (by-long name)
      (find (lambda (spec) (string=? (symbol->string (car spec)) name)) option-desc-list))
    (define (by-short c)
      (find (lambda (spec) (eqv? (spec-property spec 'single-char #f) c)) option-desc-list))
    (define (long-name spec) (string-append "--" (symbol->string (car spec))))
    (define (accept spec value found)
      (let ((pred (spec-property spec 'predicate #f)))
        (when (and pred (string? value) (not (pred value)))
          (fatal program "option predicate failed: ~a" (long-name spec)))
        (cons (cons (car spec) value) found)))
    (define (take-value spec rest found continue)
      ;; SPEC was given without "=VALUE": its value is the next argument unless that is an option.
      (let ((kind (spec-property spec 'value #f)))
        (cond
         ((and kind (pair? rest) (not (looks-like-option? (car rest))))
          (continue (cdr rest) (accept spec (car rest) found)))
         ((eq? kind #t)
          (fatal program "option must be specified with argument: ~a" (long-name spec)))
         (else (continue rest (accept spec #t found))))))
    (let loop ((args (expand-clusters (cdr program-arguments))) (found '()) (operands '()))
      (define (continue rest found) (loop rest found operands))
      (cond
       ((null? args) (finish program option-desc-list found (reverse operands)))
       ((string=? (car args) "--")
        (finish program option-desc-list found (append (reverse operands) (cdr args))))
       ((long-option? (car args))
        (let* ((body (substring (car args) 2))
               (eq (string-index body #\=))
               (name (if eq (substring body 0 eq) body))
               (spec (by-long name)))
          (cond
           ((not spec) (fatal program "no such option: --~a" name))
           (eq
            (if (spec-property spec 'value #f)
                (loop (cdr args) (accept spec (substring body (+ eq 1)) found) operands)
                (fatal program "option does not support argument: ~a" (long-name spec))))
           (else (take-value spec (cdr args) found continue)))))
       ((short-cluster? (car args))
        (let ((spec (by-short (string-ref (car args) 1))))
          (if spec
              (take-value spec (cdr args) found continue)
              (fatal program "no such option: ~a" (car args)))))
       (stop-at-first-non-option
        (finish program option-desc-list found (append (reverse operands) args)))
       (else (loop (cdr args) found (cons (car args) operands)))))))

(define (finish program specs found operands)
  (for-each (lambda (spec)
              (when (and (spec-property spec 'required? #f) (not (assq (car spec) found)))
                (fatal program "option must be specified: --~a" (car spec))))
            specs)
  (cons (cons '() operands) found))

(define (option-ref options key default)
  "The value of option KEY in OPTIONS (getopt-long's result), else DEFAULT."
  (let ((entry (assq key options)))
    (if entry (cdr entry) default)))
