;;; R7RS conformance driver: runs a chibi-style R7RS test file (tests/r7rs-tests.scm of
;;; chibi-scheme, fetched at measurement time, never committed) form by form, under
;;; GNU Guile or schemy, counting passes per test form.
;;;
;;;   guile --no-auto-compile tools/r7rs_conformance.scm SUITE
;;;   schemy run tools/r7rs_conformance.scm SUITE
;;;
;;; Each top-level form of SUITE is read and evaluated on its own (an error in one form
;;; loses only that form's tests); the suite's (import ...) is replaced by the R7RS
;;; libraries without (chibi test), whose test forms are defined here.  A form is expected
;;; to run as many tests as it names (test, test-assert, test-error, test-values and the
;;; suite's own test-... macros), or as many as it ran when that is more.  Output: one
;;; line per failing test or form (FAIL / ERROR, with its section), then
;;; "TOTAL passed expected".

;; The suite is R7RS text: |a b| is a symbol, "\x41;" is "A" and a backslash-newline skips
;; the next line's indentation; Guile (and schemy) read so with these read options.
(read-enable 'r7rs-symbols)
(read-enable 'r6rs-hex-escapes)
(read-enable 'hungry-eol-escapes)

(define %env (interaction-environment))

(eval '(import (scheme base) (scheme char) (scheme lazy) (scheme inexact) (scheme complex)
               (scheme time) (scheme file) (scheme read) (scheme write) (scheme eval)
               (scheme process-context) (scheme case-lambda))
      %env)

(define %passed 0)
(define %ran 0)
(define %section "")

(define (%short x)
  ;; a value's written form, cut to one readable line
  (let* ((out (open-output-string))
         (text (begin (write x out) (get-output-string out))))
    (if (> (string-length text) 160) (string-append (substring text 0 157) "...") text)))

(define (%approx-equal? a b)
  (if (zero? a) (< (abs b) 1e-5) (< (abs (/ (- a b) a)) 1e-5)))

(define (%test-equal? expect res)
  ;; chibi test's comparison: equal?, inexact reals within a relative 1e-5
  (or (equal? expect res)
      (and (number? expect) (number? res) (inexact? expect) (inexact? res)
           (if (and (real? expect) (real? res))
               (%approx-equal? expect res)
               (and (%approx-equal? (real-part expect) (real-part res))
                    (%approx-equal? (imag-part expect) (imag-part res)))))))

(define (%outcome thunk)
  ;; (ok . value) or (error . description)
  (catch #t
    (lambda () (cons 'ok (thunk)))
    (lambda (key . args) (cons 'error (%short (cons key args))))))

(define (%report! ok? text)
  (set! %ran (+ %ran 1))
  (if ok?
      (set! %passed (+ %passed 1))
      (begin (display "FAIL [") (display %section) (display "] ") (display text) (newline))))

(define (%run-test expr expect-thunk thunk)
  (let ((expect (%outcome expect-thunk))
        (res (%outcome thunk)))
    (%report! (and (eq? (car expect) 'ok) (eq? (car res) 'ok) (%test-equal? (cdr expect) (cdr res)))
              (string-append (%short expr) " => expected " (%short (cdr expect))
                             (if (eq? (car res) 'ok) " got " " raised ") (if (eq? (car res) 'ok) (%short (cdr res)) (cdr res))))))

(define (%run-assert expr thunk)
  (let ((res (%outcome thunk)))
    (%report! (and (eq? (car res) 'ok) (cdr res))
              (string-append (%short expr) " => expected true, "
                             (if (eq? (car res) 'ok) "got #f" (string-append "raised " (cdr res)))))))

(define (%run-error expr thunk)
  (let ((res (%outcome thunk)))
    (%report! (eq? (car res) 'error)
              (string-append (%short expr) " => expected an error, got " (%short (cdr res))))))

(define (%run-test-begin name)
  (set! %section name))

(for-each
 (lambda (form) (eval form %env))
 '((define-syntax test
     (syntax-rules ()
       ((_ expect expr) (%run-test 'expr (lambda () expect) (lambda () expr)))
       ((_ name expect expr) (%run-test 'expr (lambda () expect) (lambda () expr)))))
   (define-syntax test-assert
     (syntax-rules ()
       ((_ expr) (%run-assert 'expr (lambda () expr)))
       ((_ name expr) (%run-assert 'expr (lambda () expr)))))
   (define-syntax test-error
     (syntax-rules ()
       ((_ expr) (%run-error 'expr (lambda () expr)))
       ((_ name expr) (%run-error 'expr (lambda () expr)))))
   (define-syntax test-values
     (syntax-rules ()
       ((_ expect expr)
        (%run-test 'expr (lambda () (call-with-values (lambda () expect) list))
                   (lambda () (call-with-values (lambda () expr) list))))
       ((_ name expect expr)
        (%run-test 'expr (lambda () (call-with-values (lambda () expect) list))
                   (lambda () (call-with-values (lambda () expr) list))))))
   (define (test-begin . name) (if (pair? name) (%run-test-begin (car name))))
   (define (test-end . name) #f)))

(define %weights
  '((test . 1) (test-assert . 1) (test-error . 1) (test-values . 1) (test-numeric-syntax . 2)
    (test-write-syntax . 1) (test-read-error . 1) (test-precision . 2)))

(define (%expected form)
  ;; how many tests a top-level form names (none in the definitions of the test macros)
  (cond ((and (pair? form) (memq (car form) '(define-syntax import))) 0)
        ((and (pair? form) (eq? (car form) 'define) (pair? (cdr form)) (pair? (cadr form))
              (assq (car (cadr form)) %weights))
         0)
        (else
         (let walk ((x form))
           (cond ((pair? x)
                  (+ (let ((w (and (symbol? (car x)) (assq (car x) %weights)))) (if w (cdr w) 0))
                     (let loop ((x x) (n 0))
                       (cond ((pair? x) (loop (cdr x) (+ n (walk (car x)))))
                             (else n)))))
                 ((vector? x) 0)
                 (else 0))))))

(define (%head form)
  (%short (if (and (pair? form) (pair? (cdr form))) (list (car form) (cadr form)) form)))

(define %suite (open-input-file (cadr (command-line))))

(let loop ((expected 0) (read-errors 0))
  (let ((form (catch #t (lambda () (read %suite)) (lambda (key . args) (cons '%read-error (%short (cons key args)))))))
    (cond
     ((eof-object? form)
      (display "TOTAL ") (display %passed) (display " ") (display expected)
      (display " read-errors ") (display read-errors) (newline))
     ((and (pair? form) (eq? (car form) '%read-error))
      (display "ERROR [") (display %section) (display "] read: ") (display (cdr form)) (newline)
      (if (< read-errors 50) (loop expected (+ read-errors 1)) (loop expected read-errors)))
     ((and (pair? form) (eq? (car form) 'import))
      (loop expected read-errors))
     (else
      (let* ((before %ran)
             (outcome (%outcome (lambda () (eval form %env))))
             (ran (- %ran before)))
        (if (eq? (car outcome) 'error)
            (begin (display "ERROR [") (display %section) (display "] ") (display (%head form))
                   (display ": ") (display (cdr outcome)) (newline)))
        (loop (+ expected (max ran (%expected form))) read-errors))))))
