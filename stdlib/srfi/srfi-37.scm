;;; schemy --- (srfi srfi-37): args-fold, the program-argument processor of SRFI 37,
;;; behaving as Guile's (short option clusters, --name=value, "--" ends options).

(define-module (srfi srfi-37)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-9)
  #:export (option option-names option-required-arg? option-optional-arg?
            option-processor args-fold))

(define-record-type srfi-37:option
  (option names required-arg? optional-arg? processor)
  option?
  (names option-names)
  (required-arg? option-required-arg?)
  (optional-arg? option-optional-arg?)
  (processor option-processor))

(define (args-fold args options unrecognized-option-proc operand-proc . seeds)
  ;; Options are looked up by name: a character for a short option, a string for a long one.
  (define (lookup name)
    (find (lambda (opt) (member name (option-names opt))) options))
  (define (unrecognized name)
    (option (list name) #f #f unrecognized-option-proc))
  (define (fail message shown)
    (scm-error 'misc-error "args-fold" message (list shown) #f))
  (define (apply-proc opt name arg seeds)
    (call-with-values
        (lambda () (apply (option-processor opt) opt name arg seeds))
      list))
  (define (takes-arg? opt)
    (or (option-required-arg? opt) (option-optional-arg? opt)))
  (define (operands rest seeds)
    (if (null? rest)
        seeds
        (operands (cdr rest)
                  (call-with-values (lambda () (apply operand-proc (car rest) seeds)) list))))
  (define (short-cluster arg i rest seeds)
    ;; ARG is "-abc": I indexes the option character being processed.  An option that takes
    ;; an argument (required or optional) takes the rest of the cluster, else the next argument.
    (if (>= i (string-length arg))
        (loop rest seeds)
        (let* ((name (string-ref arg i))
               (opt (or (lookup name) (unrecognized name)))
               (tail (substring arg (+ i 1))))
          (cond
           ((not (takes-arg? opt))
            (short-cluster arg (+ i 1) rest (apply-proc opt name #f seeds)))
           ((not (string-null? tail))
            (loop rest (apply-proc opt name tail seeds)))
           ((pair? rest)
            (loop (cdr rest) (apply-proc opt name (car rest) seeds)))
           ((option-required-arg? opt)
            (fail "Missing required argument after `~A'" (string #\- name)))
           (else (loop rest (apply-proc opt name #f seeds)))))))
  (define (long-option arg rest seeds)
    ;; "--NAME=VALUE" when NAME is not empty; an unknown one is reported whole, as Guile does.
    (let* ((body (substring arg 2))
           (eq (string-index body #\=))
           (split? (and eq (> eq 0)))
           (name (if split? (substring body 0 eq) body))
           (opt (lookup name)))
      (cond
       ((not opt)
        (loop rest (apply-proc (unrecognized body) body #f seeds)))
       (split?
        (if (takes-arg? opt)
            (loop rest (apply-proc opt name (substring body (+ eq 1)) seeds))
            (fail "Extraneous argument after `~A'" (string-append "--" name))))
       ((option-required-arg? opt)
        (fail "Missing required argument after `~A'" arg))
       (else (loop rest (apply-proc opt name #f seeds))))))
  (define (loop args seeds)
    (if (null? args)
        (apply values seeds)
        (let ((arg (car args)) (rest (cdr args)))
          (cond
           ((string=? arg "--") (apply values (operands rest seeds)))
           ((and (> (string-length arg) 2) (string-prefix? "--" arg))
            (long-option arg rest seeds))
           ((and (> (string-length arg) 1) (char=? (string-ref arg 0) #\-))
            (short-cluster arg 1 rest seeds))
           (else
            (loop rest (call-with-values (lambda () (apply operand-proc arg seeds)) list)))))))
  (loop args seeds))
