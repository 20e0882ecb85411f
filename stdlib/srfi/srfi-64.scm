;;; schemy --- (srfi srfi-64): the SRFI 64 test framework, with Guile's simple runner: FAIL and
;;; XPASS lines as FILE:LINE: KIND NAME, the full log in SUITE.log, the final counts.

(define-module (srfi srfi-64)
  #:export (test-begin test-end test-assert test-eqv test-eq test-equal test-approximate
            test-error test-apply test-with-runner test-match-nth test-match-all test-match-any
            test-match-name test-skip test-expect-fail test-read-eval-string test-runner-group-path
            test-group test-group-with-cleanup test-result-ref test-result-set! test-result-clear
            test-result-remove test-result-kind test-passed? test-log-to-file
            test-runner? test-runner-reset test-runner-null test-runner-simple test-runner-current
            test-runner-factory test-runner-get test-runner-create test-runner-test-name
            test-runner-pass-count test-runner-pass-count! test-runner-fail-count
            test-runner-fail-count! test-runner-xpass-count test-runner-xpass-count!
            test-runner-xfail-count test-runner-xfail-count! test-runner-skip-count
            test-runner-skip-count! test-runner-group-stack test-runner-group-stack!
            test-runner-on-test-begin test-runner-on-test-begin! test-runner-on-test-end
            test-runner-on-test-end! test-runner-on-group-begin test-runner-on-group-begin!
            test-runner-on-group-end test-runner-on-group-end! test-runner-on-final
            test-runner-on-final! test-runner-on-bad-count test-runner-on-bad-count!
            test-runner-on-bad-end-name test-runner-on-bad-end-name! test-result-alist
            test-result-alist! test-runner-aux-value test-runner-aux-value!
            test-on-group-begin-simple test-on-group-end-simple test-on-bad-count-simple
            test-on-bad-end-name-simple test-on-final-simple test-on-test-end-simple))

(define-record-type test-runner
  (%make-test-runner)
  test-runner?
  (pass-count test-runner-pass-count test-runner-pass-count!)
  (fail-count test-runner-fail-count test-runner-fail-count!)
  (xpass-count test-runner-xpass-count test-runner-xpass-count!)
  (xfail-count test-runner-xfail-count test-runner-xfail-count!)
  (skip-count test-runner-skip-count test-runner-skip-count!)
  (skip-list %skip-list %skip-list!)
  (fail-list %fail-list %fail-list!)
  (skip-save %skip-save %skip-save!)
  (fail-save %fail-save %fail-save!)
  (group-stack test-runner-group-stack test-runner-group-stack!)
  (on-test-begin test-runner-on-test-begin test-runner-on-test-begin!)
  (on-test-end test-runner-on-test-end test-runner-on-test-end!)
  (on-group-begin test-runner-on-group-begin test-runner-on-group-begin!)
  (on-group-end test-runner-on-group-end test-runner-on-group-end!)
  (on-final test-runner-on-final test-runner-on-final!)
  (on-bad-count test-runner-on-bad-count test-runner-on-bad-count!)
  (on-bad-end-name test-runner-on-bad-end-name test-runner-on-bad-end-name!)
  (total-count %total-count %total-count!)
  (count-list %count-list %count-list!)
  (result-alist test-result-alist test-result-alist!)
  (begin-alist %begin-alist %begin-alist!)
  (aux-value test-runner-aux-value test-runner-aux-value!))

(define (test-runner-reset r)
  (test-result-alist! r '())
  (%begin-alist! r '())
  (test-runner-pass-count! r 0)
  (test-runner-fail-count! r 0)
  (test-runner-xpass-count! r 0)
  (test-runner-xfail-count! r 0)
  (test-runner-skip-count! r 0)
  (%total-count! r 0)
  (%count-list! r '())
  (%skip-list! r '())
  (%fail-list! r '())
  (%skip-save! r '())
  (%fail-save! r '())
  (test-runner-group-stack! r '()))

(define (test-runner-group-path r)
  (reverse (test-runner-group-stack r)))

(define (test-runner-null)
  (let ((r (%make-test-runner)))
    (test-runner-reset r)
    (test-runner-aux-value! r #f)
    (test-runner-on-group-begin! r (lambda (r name count) #f))
    (test-runner-on-group-end! r (lambda (r) #f))
    (test-runner-on-final! r (lambda (r) #f))
    (test-runner-on-test-begin! r (lambda (r) #f))
    (test-runner-on-test-end! r (lambda (r) #f))
    (test-runner-on-bad-count! r (lambda (r count expected) #f))
    (test-runner-on-bad-end-name! r (lambda (r begin-name end-name) #f))
    r))

(define test-log-to-file #t)

(define (test-runner-simple)
  (let ((r (test-runner-null)))
    (test-runner-on-group-begin! r test-on-group-begin-simple)
    (test-runner-on-group-end! r test-on-group-end-simple)
    (test-runner-on-final! r test-on-final-simple)
    (test-runner-on-test-begin! r test-on-test-begin-simple)
    (test-runner-on-test-end! r test-on-test-end-simple)
    (test-runner-on-bad-count! r test-on-bad-count-simple)
    (test-runner-on-bad-end-name! r test-on-bad-end-name-simple)
    r))

(define %current-runner #f)
(define %runner-factory test-runner-simple)

(define test-runner-current
  (case-lambda (() %current-runner) ((r) (set! %current-runner r))))

(define test-runner-factory
  (case-lambda (() %runner-factory) ((f) (set! %runner-factory f))))

(define (test-runner-get)
  (or %current-runner (error "test-runner not initialized - test-begin missing?")))

(define (test-runner-create)
  ((test-runner-factory)))

;;; ------------------------------------------------------------ the simple runner's output

(define (log-port r) (test-runner-aux-value r))

(define (test-on-group-begin-simple r suite-name count)
  (when (null? (test-runner-group-stack r))
    (display "%%%% Starting test ")
    (display suite-name)
    (if test-log-to-file
        (let* ((log-file (if (string? test-log-to-file)
                             test-log-to-file
                             (string-append suite-name ".log")))
               (port (open-output-file log-file)))
          (display "%%%% Starting test " port)
          (display suite-name port)
          (newline port)
          (test-runner-aux-value! r port)
          (display "  (Writing full log to \"")
          (display log-file)
          (display "\")"))
        (test-runner-aux-value! r #f))
    (newline))
  (let ((port (log-port r)))
    (when (output-port? port)
      (display "Group begin: " port)
      (display suite-name port)
      (newline port))))

(define (test-on-group-end-simple r)
  (let ((port (log-port r)))
    (when (output-port? port)
      (display "Group end: " port)
      (display (car (test-runner-group-stack r)) port)
      (newline port))))

(define (write-entries entries port)
  (for-each (lambda (entry)
              (display "  " port)
              (display (car entry) port)
              (display ": " port)
              (write (cdr entry) port)
              (newline port))
            entries))

(define (test-on-test-begin-simple r)
  (let ((port (log-port r)))
    (when (output-port? port)
      (display "Test begin:" port)
      (newline port)
      (write-entries (test-result-alist r) port))))

(define (entries-since-begin r)
  ;; The result entries added since the test began, newest first.
  (let ((begin (%begin-alist r)))
    (let loop ((l (test-result-alist r)) (out '()))
      (if (or (null? l) (eq? l begin)) (reverse out) (loop (cdr l) (cons (car l) out))))))

(define (test-on-test-end-simple r)
  (let ((port (log-port r))
        (kind (test-result-ref r 'result-kind)))
    (when (memq kind '(fail xpass))
      (let ((file (test-result-ref r 'source-file))
            (line (test-result-ref r 'source-line))
            (name (test-result-ref r 'test-name)))
        (when (and file line)
          (display file) (display ":") (display line) (display ": "))
        (display (if (eq? kind 'xpass) "XPASS" "FAIL"))
        (when name (display " ") (display name))
        (newline)))
    (when (output-port? port)
      (display "Test end:" port)
      (newline port)
      (write-entries (entries-since-begin r) port))))

(define (final-line label count port)
  (when (> count 0)
    (display label port)
    (display count port)
    (newline port)))

(define (test-on-final-simple r)
  (define (report port)
    (final-line "# of expected passes      " (test-runner-pass-count r) port)
    (final-line "# of expected failures    " (test-runner-xfail-count r) port)
    (final-line "# of unexpected successes " (test-runner-xpass-count r) port)
    (final-line "# of unexpected failures  " (test-runner-fail-count r) port)
    (final-line "# of skipped tests        " (test-runner-skip-count r) port))
  (report (current-output-port))
  (let ((port (log-port r)))
    (when (output-port? port)
      (report port)
      (close-port port))))

(define (test-on-bad-count-simple r count expected-count)
  (define (report port)
    (display "*** Total number of tests was " port)
    (display count port)
    (display " but should be " port)
    (display expected-count port)
    (display ". ***" port)
    (newline port)
    (display "*** Discrepancy indicates testsuite error or exceptions. ***" port)
    (newline port))
  (report (current-output-port))
  (let ((port (log-port r)))
    (when (output-port? port) (report port))))

(define (test-on-bad-end-name-simple r begin-name end-name)
  (let ((file (test-result-ref r 'source-file))
        (line (test-result-ref r 'source-line)))
    (scm-error 'misc-error 'test-on-bad-end-name-simple "~a~a"
               (list (if (and file line) (format #f "~a:~a: " file line) "")
                     (format #f "test-end ~a does not match test-begin ~a" end-name begin-name))
               #f)))

;;; ------------------------------------------------------------ results

(define test-result-ref
  (case-lambda
    ((r key) (test-result-ref r key #f))
    ((r key default) (let ((e (assq key (test-result-alist r)))) (if e (cdr e) default)))))

(define (test-result-set! r key value)
  (let ((e (assq key (test-result-alist r))))
    (if e
        (set-cdr! e value)
        (test-result-alist! r (cons (cons key value) (test-result-alist r))))))

(define (test-result-remove r key)
  (test-result-alist! r (let loop ((l (test-result-alist r)))
                          (cond ((null? l) l)
                                ((eq? (caar l) key) (cdr l))
                                (else (cons (car l) (loop (cdr l))))))))

(define (test-result-clear r)
  (test-result-alist! r '()))

(define test-result-kind
  (case-lambda
    (() (test-result-kind (test-runner-get)))
    ((r) (test-result-ref r 'result-kind))))

(define test-passed?
  (case-lambda
    (() (test-passed? (test-runner-get)))
    ((r) (memq (test-result-ref r 'result-kind) '(pass xpass)))))

(define (test-runner-test-name r)
  (test-result-ref r 'test-name ""))

;;; ------------------------------------------------------------ specifiers

(define (test-match-nth n . count)
  (let ((i 0) (count (if (null? count) 1 (car count))))
    (lambda (r)
      (set! i (+ i 1))
      (and (>= i n) (< i (+ n count))))))

(define (test-match-name name)
  (lambda (r) (equal? name (test-runner-test-name r))))

(define (as-specifier s)
  (cond ((procedure? s) s)
        ((integer? s) (test-match-nth 1 s))
        ((string? s) (test-match-name s))
        (else (error "not a valid test specifier"))))

(define (call-all specs r)
  ;; Every specifier is called (each counts the tests it sees).
  (let loop ((specs specs) (any #f))
    (if (null? specs) any (loop (cdr specs) (or ((car specs) r) any)))))

(define (test-match-all . specs)
  (let ((specs (map as-specifier specs)))
    (lambda (r)
      (let loop ((specs specs) (all #t))
        (if (null? specs) all (loop (cdr specs) (and ((car specs) r) all)))))))

(define (test-match-any . specs)
  (let ((specs (map as-specifier specs)))
    (lambda (r) (call-all specs r))))

(define (test-skip . specs)
  (let ((r (test-runner-get)))
    (%skip-list! r (cons (apply test-match-all specs) (%skip-list r)))))

(define (test-expect-fail . specs)
  (let ((r (test-runner-get)))
    (%fail-list! r (cons (apply test-match-all specs) (%fail-list r)))))

;;; ------------------------------------------------------------ groups

(define (%test-begin name count)
  (unless %current-runner (test-runner-current (test-runner-create)))
  (let ((r (test-runner-current)))
    ((test-runner-on-group-begin r) r name count)
    (%skip-save! r (cons (%skip-list r) (%skip-save r)))
    (%fail-save! r (cons (%fail-list r) (%fail-save r)))
    (%count-list! r (cons (cons (%total-count r) count) (%count-list r)))
    (test-runner-group-stack! r (cons name (test-runner-group-stack r)))))

(define (%test-end src name)
  (let* ((r (test-runner-get))
         (groups (test-runner-group-stack r)))
    (when (null? groups) (error "test-end not in a group"))
    (test-result-alist! r (source-entries src))
    (when (and name (not (equal? name (car groups))))
      ((test-runner-on-bad-end-name r) r (car groups) name))
    (let* ((counts (%count-list r))
           (expected (cdar counts))
           (run (- (%total-count r) (caar counts))))
      (when (and expected (not (= expected run)))
        ((test-runner-on-bad-count r) r run expected))
      ((test-runner-on-group-end r) r)
      (test-runner-group-stack! r (cdr groups))
      (%skip-list! r (car (%skip-save r)))
      (%skip-save! r (cdr (%skip-save r)))
      (%fail-list! r (car (%fail-save r)))
      (%fail-save! r (cdr (%fail-save r)))
      (%count-list! r (cdr counts))
      (when (null? (test-runner-group-stack r))
        ((test-runner-on-final r) r)
        (test-runner-current #f)))))

(define* (test-begin name #:optional count)
  (%test-begin name count))

(define-syntax test-end
  (lambda (x)
    (syntax-case x ()
      ((_) (with-syntax ((src (datum->syntax x (list 'quote (list (syntax-source x) (syntax->datum x))))))
             #'(%test-end src #f)))
      ((_ name) (with-syntax ((src (datum->syntax x (list 'quote (list (syntax-source x) (syntax->datum x))))))
                  #'(%test-end src name))))))

(define-syntax test-group
  (syntax-rules ()
    ((_ name body ...)
     (%test-group name (lambda () body ...) (lambda () #f)))))

(define-syntax test-group-with-cleanup
  (syntax-rules ()
    ((_ name body ... cleanup)
     (%test-group name (lambda () body ...) (lambda () cleanup)))))

(define (%test-group name thunk cleanup)
  (let ((r (test-runner-get)))
    (test-result-alist! r (list (cons 'test-name name)))
    (if (should-skip? r)
        (test-result-alist! r '())
        (dynamic-wind
          (lambda () (%test-begin name #f))
          (lambda () (thunk))
          (lambda () (cleanup) (%test-end '(#f #f) name))))))

;;; ------------------------------------------------------------ running one test

(define (source-entries src)
  (let ((loc (car src)) (form (cadr src)))
    (append (if (and loc (assq 'filename loc) (cdr (assq 'filename loc)))
                (list (cons 'source-file (cdr (assq 'filename loc)))
                      (cons 'source-line (+ 1 (cdr (assq 'line loc)))))
                '())
            (if form (list (cons 'source-form form)) '()))))

(define (should-skip? r)
  (call-all (%skip-list r) r))

(define (test-prelude r src name)
  ;; Set up the result alist; #t when the test is to run.
  (let ((alist (append (if name (list (cons 'test-name name)) '()) (source-entries src))))
    (test-result-alist! r alist)
    (let ((skip (should-skip? r))
          (expected-fail (call-all (%fail-list r) r)))
      ((test-runner-on-test-begin r) r)
      (%begin-alist! r (test-result-alist r))
      (cond (skip (test-result-set! r 'result-kind 'skip) #f)
            (else (when expected-fail (test-result-set! r 'result-kind 'xfail)) #t)))))

(define (test-postlude r)
  (let ((kind (test-result-ref r 'result-kind)))
    (case kind
      ((pass) (test-runner-pass-count! r (+ 1 (test-runner-pass-count r))))
      ((fail) (test-runner-fail-count! r (+ 1 (test-runner-fail-count r))))
      ((xpass) (test-runner-xpass-count! r (+ 1 (test-runner-xpass-count r))))
      ((xfail) (test-runner-xfail-count! r (+ 1 (test-runner-xfail-count r))))
      (else (test-runner-skip-count! r (+ 1 (test-runner-skip-count r)))))
    (%total-count! r (+ 1 (%total-count r)))
    ((test-runner-on-test-end r) r)))

(define (set-outcome! r pass?)
  (test-result-set! r 'result-kind
                    (if (eq? (test-result-ref r 'result-kind) 'xfail)
                        (if pass? 'xpass 'xfail)
                        (if pass? 'pass 'fail))))

(define (evaluate r thunk)
  ;; The value of THUNK, else #f with the error recorded as actual-error.
  (catch #t thunk
    (lambda (key . args)
      (test-result-set! r 'actual-error (cons key args))
      #f)))

(define (%test-assert src name thunk)
  (let ((r (test-runner-get)))
    (when (test-prelude r src name)
      (let ((v (evaluate r thunk)))
        (test-result-set! r 'actual-value v)
        (set-outcome! r v)))
    (test-postlude r)))

(define (%test-compare src name compare expected thunk)
  (let ((r (test-runner-get)))
    (when (test-prelude r src name)
      (test-result-set! r 'expected-value expected)
      (let* ((failed (list 'failed))
             (v (catch #t thunk
                  (lambda (key . args)
                    (test-result-set! r 'actual-error (cons key args))
                    failed))))
        (if (eq? v failed)
            (set-outcome! r #f)
            (begin
              (test-result-set! r 'actual-value v)
              (set-outcome! r (compare expected v))))))
    (test-postlude r)))

(define (%test-error src name etype thunk)
  (let ((r (test-runner-get)))
    (when (test-prelude r src name)
      (test-result-set! r 'expected-error etype)
      (let ((raised? (catch #t
                       (lambda () (test-result-set! r 'actual-value (thunk)) #f)
                       (lambda (key . args)
                         (test-result-set! r 'actual-error (cons key args))
                         #t))))
        (set-outcome! r raised?)))
    (test-postlude r)))

(define-syntax define-test-form
  ;; (define-test-form name (args ...) call): test forms with and without a leading name.
  (syntax-rules ()
    ((_ form-name implementation)
     (define-syntax form-name
       (lambda (x)
         (syntax-case x ()
           ((_ tname expected actual)
            (with-syntax ((src (datum->syntax x (list 'quote (list (syntax-source x) (syntax->datum x))))))
              #'(implementation src tname expected (lambda () actual))))
           ((_ expected actual)
            (with-syntax ((src (datum->syntax x (list 'quote (list (syntax-source x) (syntax->datum x))))))
              #'(implementation src #f expected (lambda () actual))))))))))

(define (%test-equal src name expected thunk) (%test-compare src name equal? expected thunk))
(define (%test-eqv src name expected thunk) (%test-compare src name eqv? expected thunk))
(define (%test-eq src name expected thunk) (%test-compare src name eq? expected thunk))

(define-test-form test-equal %test-equal)
(define-test-form test-eqv %test-eqv)
(define-test-form test-eq %test-eq)

(define-syntax test-assert
  (lambda (x)
    (syntax-case x ()
      ((_ tname expr)
       (with-syntax ((src (datum->syntax x (list 'quote (list (syntax-source x) (syntax->datum x))))))
         #'(%test-assert src tname (lambda () expr))))
      ((_ expr)
       (with-syntax ((src (datum->syntax x (list 'quote (list (syntax-source x) (syntax->datum x))))))
         #'(%test-assert src #f (lambda () expr)))))))

(define-syntax test-approximate
  (lambda (x)
    (syntax-case x ()
      ((_ tname expected actual error)
       (with-syntax ((src (datum->syntax x (list 'quote (list (syntax-source x) (syntax->datum x))))))
         #'(%test-compare src tname (approximately error) expected (lambda () actual))))
      ((_ expected actual error)
       (with-syntax ((src (datum->syntax x (list 'quote (list (syntax-source x) (syntax->datum x))))))
         #'(%test-compare src #f (approximately error) expected (lambda () actual)))))))

(define (approximately error)
  (lambda (expected actual)
    (and (>= actual (- expected error)) (<= actual (+ expected error)))))

(define-syntax test-error
  (lambda (x)
    (syntax-case x ()
      ((_ tname etype expr)
       (with-syntax ((src (datum->syntax x (list 'quote (list (syntax-source x) (syntax->datum x))))))
         #'(%test-error src tname etype (lambda () expr))))
      ((_ etype expr)
       (with-syntax ((src (datum->syntax x (list 'quote (list (syntax-source x) (syntax->datum x))))))
         #'(%test-error src #f etype (lambda () expr))))
      ((_ expr)
       (with-syntax ((src (datum->syntax x (list 'quote (list (syntax-source x) (syntax->datum x))))))
         #'(%test-error src #f #t (lambda () expr)))))))

;;; ------------------------------------------------------------ applying

(define-syntax test-with-runner
  (syntax-rules ()
    ((_ runner body ...)
     (let ((saved (test-runner-current)))
       (dynamic-wind
         (lambda () (test-runner-current runner))
         (lambda () body ...)
         (lambda () (test-runner-current saved)))))))

(define (test-apply first . rest)
  (if (test-runner? first)
      (test-with-runner first (apply test-apply rest))
      (let ((r (test-runner-current)))
        (if r
            (let ((run-list (if (null? rest) '() (map as-specifier (cons first (drop-last rest)))))
                  (proc (if (null? rest) first (car (last-pair rest)))))
              (%skip-list! r (cons (lambda (r) (not (or (null? run-list) (call-all run-list r))))
                                   (%skip-list r)))
              (dynamic-wind
                (lambda () #f)
                proc
                (lambda () (%skip-list! r (cdr (%skip-list r))))))
            (let ((r (test-runner-create)))
              (test-with-runner r (apply test-apply first rest))
              ((test-runner-on-final r) r))))))

(define (drop-last l)
  (if (null? (cdr l)) '() (cons (car l) (drop-last (cdr l)))))

(define (test-read-eval-string string)
  (let* ((port (open-input-string string))
         (form (read port)))
    (if (eof-object? (read-char port))
        (eval form (current-module))
        (error "(not at eof)"))))
