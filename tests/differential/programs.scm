;;; Small programs run under schemy and under Guile 3.0 by tests/test_differential.py,
;;; which compares what they print.  Each starts with a ";;; program: NAME" line.

;;; program: define-star-optional-then-key
(define* (f #:optional a b #:key c) (list a b c))
(write (list (f 1 #:c 3) (f #:c 3) (f 1 2 #:c 3) (f) (f 1 2)))

;;; program: define-star-defaults-see-left-parameters
(define x 5)
(define* (k #:key (x x)) x)
(define* (h #:optional (a 1) (b (+ a 1)) #:key (c (+ b 1)) #:rest r) (list a b c r))
(write (list (k) (k #:x 1) (h) (h 5) (h 5 #:c 0)))

;;; program: define-star-keyword-errors
(define* (f #:key a) a)
(write (catch 'keyword-argument-error (lambda () (f #:b 1)) (lambda (k . args) k)))
(write (catch 'keyword-argument-error (lambda () (f 1)) (lambda (k . args) k)))

;;; program: lambda-star-allow-other-keys
(define g (lambda* (#:key a #:allow-other-keys #:rest r) (list a r)))
(write (g #:z 1 #:a 2))

;;; program: keywords-are-data
(write (list (keyword? #:foo) (keyword->symbol #:foo) (symbol->keyword 'bar) (eq? #:a #:a)))

;;; program: builtin-import-keeps-user-definition
(define (last x) 'user-last)
(use-modules (srfi srfi-1))
(write (last '(1 2)))
(write (first '(1 2)))

;;; program: srfi-43-vector-map
(use-modules (srfi srfi-43))
(write (vector-map (lambda (i x) (* i x)) #(10 20 30)))
(write (vector-fold (lambda (i acc x) (+ acc x)) 0 #(1 2 3)))

;;; program: module-select-and-prefix
(use-modules ((srfi srfi-1) #:select (fold) #:prefix s1:))
(write (s1:fold + 0 '(1 2 3)))

;;; program: handler-in-raise-context
(use-modules (ice-9 exceptions))
(define p (make-parameter 'outer))
(define log '())
(define (note x) (set! log (cons x log)))
(write (call/cc (lambda (k)
  (with-exception-handler
    (lambda (e) (note (list 'handler e (p))) (k 'escaped))
    (lambda ()
      (dynamic-wind
        (lambda () (note 'before))
        (lambda () (parameterize ((p 'inner)) (raise-exception 'boom)))
        (lambda () (note 'after))))))))
(write (reverse log))

;;; program: raise-continuable-returns
(use-modules (ice-9 exceptions))
(write (with-exception-handler (lambda (e) 10) (lambda () (+ 1 (raise-continuable 'c)))))

;;; program: handler-sees-error-in-context
(define p (make-parameter 'outer))
(write (call/cc (lambda (k) (with-exception-handler (lambda (e) (k (list 'outer (p))))
   (lambda () (parameterize ((p 'in)) (error "bad" 1)))))))

;;; program: nested-handlers
(use-modules (ice-9 exceptions))
(write (call/cc (lambda (k) (with-exception-handler (lambda (e) (k (list 'outer e)))
  (lambda () (with-exception-handler (lambda (e) (raise-exception (list 'inner e)))
               (lambda () (raise-exception 'x))))))))

;;; program: unwinding-handler
(define p (make-parameter 'outer))
(write (with-exception-handler (lambda (e) (list 'h (p)))
         (lambda () (parameterize ((p 'in)) (throw 'x))) #:unwind? #t))

;;; program: guard-clauses
(use-modules (srfi srfi-34))
(write (guard (e ((symbol? e) (list 'sym e)) ((string? e) (list 'str e))) (raise "s")))
(write (guard (e (#t 'caught)) (+ 1 (raise 'x))))

;;; program: catch-and-throw
(write (catch 'my-error (lambda () (throw 'my-error 1 2)) (lambda (key . args) (list key args))))
(write (catch #t (lambda () (car '())) (lambda (key . args) key)))
(write (catch #t (lambda () (vector-ref (vector 1) 5)) (lambda (key . args) key)))

;;; program: error-message-and-irritants
(write (catch 'misc-error (lambda () (error "bad thing:" 42 'foo))
  (lambda (key subr msg args rest) (list msg args))))

;;; program: dynamic-wind-order
(define trail '())
(define (add x) (set! trail (cons x trail)))
(call/cc (lambda (k)
  (dynamic-wind (lambda () (add 'in1))
    (lambda () (dynamic-wind (lambda () (add 'in2)) (lambda () (k 'out)) (lambda () (add 'out2))))
    (lambda () (add 'out1)))))
(write (reverse trail))

;;; program: call-ec-escape
(use-modules (ice-9 control))
(write (call/ec (lambda (return) (for-each (lambda (x) (when (> x 2) (return x))) '(1 2 3 4)) 'none)))

;;; program: map-circular-and-finite
(use-modules (srfi srfi-1))
(define c (circular-list 1 2))
(write (map + c '(10 20 30)))
(for-each (lambda (a b) (display (list a b))) '(x y z) c)
(write (fold cons* '() '(a b c) c))

;;; program: map-unequal-lengths-srfi-1
(use-modules (srfi srfi-1))
(write (map + '(1 2 3) '(10 20)))
(write (map (lambda (x) (* x x)) '(1 2 3)))

;;; program: core-map-unequal-lengths
(write (map + '(1 2 3) '(10 20)))

;;; program: read-error-recovery
(define (all s)
  (define p (open-input-string s))
  (let loop ((n 0) (acc '()))
    (if (= n 10) 'looping
        (let ((r (catch #t (lambda () (read p)) (lambda _ 'ERR))))
          (if (eof-object? r) (reverse acc) (loop (+ n 1) (cons r acc)))))))
(write (map all '("(a b) #<foo> (c d)" ") e" "(1 . ) y" "(a #<x> b) c" "(1 2")))

;;; program: read-datums
(define p (open-input-string "foo \"bar\" 12 #\\x (1 . 2) #(1 2) 'q `(a ,b) #t #f"))
(let loop ((x (read p)))
  (unless (eof-object? x) (write x) (display " ") (loop (read p))))

;;; program: string-ports-and-lines
(use-modules (ice-9 rdelim))
(define p (open-input-string "line one\nline two\n\nlast"))
(let loop ((l (read-line p)) (n 0))
  (unless (eof-object? l) (write (list n l)) (loop (read-line p) (+ n 1))))
(write (call-with-output-string (lambda (o) (write 'sym o) (display " " o) (write "s\"q" o))))

;;; program: char-io
(define p (open-input-string "ab"))
(write (list (peek-char p) (read-char p) (read-char p) (eof-object? (read-char p))))

;;; program: print-records
(use-modules (srfi srfi-9))
(define-record-type <point> (make-point x y) point? (x point-x) (y point-y set-point-y!))
(define pt (make-point 10 2))
(write pt) (newline) (display (make-point "a" #\b)) (newline)
(set-point-y! pt 5)
(write (list (point? pt) (point? 5) (point-y pt)))

;;; program: print-record-type-without-brackets
(use-modules (srfi srfi-9))
(define-record-type point2 (mk2 a) p2? (a p2-a))
(write (mk2 1))

;;; program: print-primitives
(for-each (lambda (p) (write p) (newline))
  (list car cdr cons list vector-ref display write length not hash-ref newline string->symbol
        substring make-string list-tail reverse append values vector sort))

;;; program: print-atoms
(write (list 1 -2 3.5 1/3 -0.0 1e21 123456789012345678901234567890 (/ 6 4) (sqrt -4) (exact->inexact 1/3)))
(newline)
(write (list #\a #\space #\newline #\x0 "a\nb\t\"c\"\\" 'sym '|hello world| (string->symbol "A") #:kw))
(newline)
(display (list #\a "str" 'sym 1.0))

;;; program: print-nested-quotes
(write '(quote x)) (write ''x) (write '`(a ,b ,@c)) (write '(1 . 2)) (write '(1 (2 . 3) #(4 5)))

;;; program: print-special-objects
(write (list (if #f #f) #t #f '() (read (open-input-string ""))))

;;; program: guile-core-names
(define xyz 1)
(write (list (defined? 'car) (defined? 'nope) (defined? 'xyz) (macro? (module-ref (current-module) 'when))
             (macro? car) internal-time-units-per-second (exact-integer? (get-internal-real-time))
             (module-defined? (current-module) 'xyz)))

;;; program: exception-kind-and-args
(write (with-exception-handler (lambda (e) (list (exception-kind e) (exception-args e)))
         (lambda () (throw 'foo 1 2)) #:unwind? #t))

;;; program: time-functions
(write (list (strftime "%Y-%m-%d %H:%M:%S" (gmtime 86400)) (gmtime 0) (tm:year (gmtime 0))
             (car (mktime (gmtime 3600) "UTC"))))

;;; program: math-functions
(write (list (log10 1000) (sinh 0) (exact->inexact (cosh 0)) (tanh 0) (expt 2 100) (inexact->exact (floor 2.5))
             (round 2.5) (round 3.5) (truncate -2.7) (quotient -7 2) (remainder -7 2) (modulo -7 2)
             (call-with-values (lambda () (exact-integer-sqrt 17)) list) (number->string 255 16) (string->number "#xff") (gcd 12 18) (lcm 4 6)))

;;; program: regex-posix
(use-modules (ice-9 regex))
(define (show m) (if m (list (match:substring m) (match:start m) (match:count m)) #f))
(for-each (lambda (pr) (write (show (string-match (car pr) (cdr pr)))))
  '(("a|ab" . "ab") ("a.b" . "a\nb") ("^b" . "a\nb") ("(a*)(ab)*b" . "aabb") ("x(é)y" . "ééxéy")
    ("[[:alpha:]]+" . "12abc") ("(foo|foobar)baz" . "foobarbaz") ("a{2,3}" . "aaaa") ("(a)|b" . "b")))

;;; program: regex-fast-on-nested-repetition
(use-modules (ice-9 regex))
(write (string-match "^(a+)+$" (string-append (make-string 40 #\a) "b")))

;;; program: regex-substitute-and-list
(use-modules (ice-9 regex))
(write (map match:substring (list-matches "[0-9]+" "a1 b22 c333")))
(write (regexp-substitute/global #f "[aeiou]" "education" 'pre "_" 'post))
(write (regexp-substitute #f (string-match "(b+)" "aabbcc") 'pre "<" 1 ">" 'post))

;;; program: multiple-values
(use-modules (srfi srfi-11) (ice-9 receive))
(write (call-with-values (lambda () (values 1 2 3)) list))
(receive (a . rest) (values 1 2 3) (write (list a rest)))
(let-values (((a b) (values 1 2)) ((c) (values 3))) (write (list a b c)))
(write (call-with-values (lambda () (values)) list))

;;; program: named-let-and-do
(write (let loop ((i 0) (acc '())) (if (= i 5) (reverse acc) (loop (+ i 1) (cons (* i i) acc)))))
(write (do ((i 0 (+ i 1)) (s 0 (+ s i))) ((= i 5) s)))
(write (do ((i 0 (+ i 1)) (acc '())) ((= i 3) acc) (do ((j 0 (+ j 1))) ((= j 2)) (set! acc (cons (list i j) acc)))))

;;; program: case-and-conditionals
(define (kind x) (case x ((1 2 3) 'small) ((a b) 'letter) (else 'other)))
(write (map kind '(1 a 9)))
(write (list (cond ((assv 2 '((1 . a) (2 . b))) => cdr) (else 'no)) (when #f 1) (unless #f 2) (and 1 2) (or #f 3)))

;;; program: strings
(write (list (string-upcase "abc") (string-index "hello" #\l) (string-join '("a" "b" "c") ", ")
             (string-split "a:b::c" #\:) (string-pad "5" 3 #\0) (string-trim-both "  x  ")
             (string-contains "hello world" "o w") (string-prefix? "he" "hello") (substring "hello" 1 3)
             (string->list "abc") (list->string '(#\x #\y)) (string-reverse "abc") (string-titlecase "hello wORLD")))

;;; program: chars
(write (list (char-upcase #\a) (char->integer #\A) (integer->char 955) (char-alphabetic? #\1)
             (char-numeric? #\1) (char-whitespace? #\tab) (char<? #\a #\b)))

;;; program: lists-srfi-1
(use-modules (srfi srfi-1))
(write (list (iota 5) (iota 3 1) (filter odd? (iota 10)) (reduce + 0 '(1 2 3)) (delete-duplicates '(1 2 1 3 2))
             (call-with-values (lambda () (partition even? '(1 2 3 4))) list) (take '(1 2 3 4) 2) (drop '(1 2 3 4) 2) (last-pair '(1 2 3))
             (append-map (lambda (x) (list x x)) '(1 2)) (filter-map (lambda (x) (and (odd? x) (* x 10))) '(1 2 3))
             (find (lambda (x) (> x 2)) '(1 2 3 4)) (any odd? '(2 4 5)) (every odd? '(1 3)) (count odd? '(1 2 3))
             (list-index even? '(1 3 4)) (lset-union eq? '(a b) '(b c)) (assq 'b '((a 1) (b 2))) (alist-copy '((a . 1)))))

;;; program: association-and-hash-tables
(define h (make-hash-table))
(hash-set! h 'a 1) (hash-set! h 'b 2)
(write (list (hash-ref h 'a) (hash-ref h 'z 'none) (hash-count (const #t) h)
             (sort (hash-map->list (lambda (k v) v) h) <)))
(write (list (assoc "b" '(("a" . 1) ("b" . 2))) (assq-ref '((a . 1)) 'a) (assoc-ref '(("x" . 9)) "x")))

;;; program: vectors-and-bytevectors
(use-modules (rnrs bytevectors))
(define v (make-vector 3 0))
(vector-set! v 0 'x)
(write (list v (vector->list #(1 2 3)) (vector-length v) (vector-fill! (make-vector 2) 7)))
(write (list (u8-list->bytevector '(1 2 3)) (bytevector-u8-ref #vu8(5 6) 1) (utf8->string #vu8(104 105))))

;;; program: apply-sort-and-higher-order
(write (list (apply + 1 2 '(3 4)) (sort '(3 1 2) <) (sort (vector 3 1 2) >) ((compose car cdr) '(1 2))
             (map (lambda (x y) (+ x y)) '(1 2) '(3 4)) ((const 7) 1 2)))

;;; program: quasiquote
(define b 2) (define c '(3 4))
(write `(a ,b ,@c (nested ,(+ b 1)) #(v ,b) . tail))

;;; program: closures-and-set
(define (counter) (let ((n 0)) (lambda () (set! n (+ n 1)) n)))
(define c1 (counter)) (c1) (c1)
(write (list (c1) ((counter))))

;;; program: tail-recursion-deep
(define (loop n acc) (if (= n 0) acc (loop (- n 1) (+ acc 1))))
(write (loop 100000 0))

;;; program: syntax-rules
(define-syntax swap! (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define x 1) (define y 2) (define tmp 3)
(swap! x y) (swap! tmp x)
(write (list x y tmp))
(define-syntax my-or (syntax-rules () ((_) #f) ((_ e) e) ((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))
(define t 5)
(write (my-or #f t))

;;; program: match
(use-modules (ice-9 match))
(define (m x) (match x ((a b) (list 'two a b)) ((a . rest) (list 'many a rest)) (() 'empty) (_ 'atom)))
(write (map m '((1 2) (1 2 3) () 7)))
(write (match '(1 (2 3)) ((x (y z)) (+ x y z))))

;;; program: format
(use-modules (ice-9 format))
(write (list (format #f "~a-~s" "x" "y") (format #f "~d items" 3) (format #f "~8,2f" 3.14159)
             (format #f "~{~a~^, ~}" '(1 2 3)) (format #f "~:d" 1234567)))

;;; program: promises-and-parameters
(define p (delay (begin (display "forced ") 42)))
(write (list (force p) (force p)))
(define param (make-parameter 1 (lambda (x) (* x 10))))
(write (list (param) (parameterize ((param 2)) (param)) (param)))

;;; program: equality
(write (list (eq? 'a 'a) (eqv? 1.0 1.0) (equal? '(1 #(2)) '(1 #(2))) (eqv? "a" "a") (equal? "a" "a")
             (eq? '() '()) (eqv? 100000000000 100000000000)))

;;; program: exactness
(write (list (exact->inexact 1/3) (inexact->exact 0.5) (exact? 1/2) (inexact? 1.) (* 1.0 0) (+ 1/2 1/3)
             (/ 1 3.0) (max 1 2.0) (abs -5) (number->string 3.0) (inexact->exact (round 1.5))))

;;; program: print-floats
(for-each (lambda (x) (write x) (display " "))
  (list 1e21 1e20 .5 100.0 -0.0 (/ 1. 0) (/ -1. 0) 1.5e-7 123.456 (sqrt 2) (exp 1) 6.02e23 (expt 2. 70)))

;;; program: print-symbols-and-strings
(for-each (lambda (x) (write x) (display " "))
  (list 'abc (string->symbol "") (string->symbol "has space") (string->symbol "1x") (string->symbol "#foo")
        'λ "tab\there" "uni\x3bb;" "bell\a" (string #\nul) (string->symbol "a|b")))

;;; program: print-chars
(for-each (lambda (c) (write c) (display " "))
  (list #\a #\A #\0 #\space #\newline #\tab #\nul #\delete #\escape #\backspace #\alarm #\return #\λ (integer->char 0x3000)))

;;; program: display-nested
(display '(1 "two" #\3 (4.0 "five") #(6 "seven") sym))
(newline)
(write (list "a" (list "b" #\c)))

;;; program: string-to-number-edge-cases
(write (map string->number '("10" "-5" "1/2" "0.5" ".5" "1e3" "#b101" "#o17" "#xFF" "1/0" "abc" "" "+" "1." "-0")))

;;; program: list-operations
(use-modules (srfi srfi-1))
(define l (list 1 2 3))
(write (list (list-copy l) (last l) (append '(1) '(2) '() '(3 4)) (reverse l) (list-ref l 1) (length '())
             (member 2 l) (memq 'c '(a b c d)) (delete 2 '(1 2 3 2)) (list-head '(1 2 3 4) 2) (assq 'x '())
             (append '(1) 2) (cons* 1 2 '(3)) (apply max '(3 9 2))))

;;; program: case-lambda-and-define-values
(define f (case-lambda ((a) (list 'one a)) ((a b) (list 'two a b)) ((a . rest) (list 'many a rest))))
(write (list (f 1) (f 1 2) (f 1 2 3)))
(define-values (q r) (floor/ 17 5))
(write (list q r))

;;; program: let-star-values-and-receive
(use-modules (srfi srfi-11))
(let*-values (((a b) (values 1 2)) ((c) (values (+ a b))))
  (write (list a b c)))

;;; program: string-for-each-and-map
(define acc '())
(string-for-each (lambda (c) (set! acc (cons (char-upcase c) acc))) "abc")
(write (list (list->string (reverse acc)) (string-map char-upcase "xyz")))

;;; program: error-uncaught-shape
(write 'before)
(error "this fails" 'with 2)
(write 'after)

;;; program: raise-non-condition-uncaught
(use-modules (ice-9 exceptions))
(write 'start)
(raise-exception 'oops)

;;; program: assert-and-when
(write (list (when #t 1 2) (unless #t 1)))

;;; program: syntax-case-macro
(define-syntax my-if
  (lambda (stx)
    (syntax-case stx ()
      ((_ c a b) #'(cond (c a) (else b))))))
(write (list (my-if #t 1 2) (my-if #f 1 2)))
(define-syntax count-args
  (lambda (stx) (syntax-case stx () ((_ x ...) (datum->syntax stx (length #'(x ...)))))))
(write (count-args a b c))

;;; program: nested-quasiquote
(define x 5)
(write `(1 `(2 ,(3 ,x))))
(write `#(1 ,x ,@(list 2 3)))

;;; program: let-syntax-and-internal-define
(define (f x)
  (define y (* x 2))
  (define (g z) (+ y z))
  (g 1))
(write (f 10))
(write (let-syntax ((double (syntax-rules () ((_ e) (* 2 e))))) (double 21)))

;;; program: string-tokenize-and-search
(write (list (string-tokenize "  hello  big world ") (string-rindex "a.b.c" #\.) (string-count "banana" #\a)
             (string-delete #\a "banana") (string-filter char-alphabetic? "a1b2") (string-null? "")
             (string-suffix? "lo" "hello") (string-take "hello" 2) (string-drop-right "hello" 2)))

;;; program: hash-table-variants
(define h (make-hash-table))
(hash-set! h "k" 1)
(define hq (make-hash-table))
(hashq-set! hq 'k 2)
(write (list (hash-ref h "k") (hashq-ref hq 'k) (hashv-ref (make-hash-table) 1 'd)
             (hash-ref h "missing") (begin (hash-remove! h "k") (hash-ref h "k" 'gone))))
(write (hash-fold (lambda (k v acc) (+ v acc)) 0 hq))

;;; program: with-output-to-string-and-ports
(write (with-output-to-string (lambda () (display "a") (write "b") (newline))))
(define o (open-output-string))
(write 'x o) (display 42 o)
(write (get-output-string o))
(write (call-with-input-string "(1 2) x" (lambda (p) (list (read p) (read p) (read p)))))

;;; program: exceptions-srfi-35-style
(use-modules (ice-9 exceptions))
(define e (make-exception-with-message "boom"))
(write (list (exception? e) (exception-with-message? e) (exception-message e) (error? e)))
(use-modules (srfi srfi-34))
(write (guard (c ((error? c) 'error)) (error "msg here" 1)))

;;; program: error-object-message-and-irritants
(use-modules (srfi srfi-34))
(write (guard (c ((error? c) (list (exception-message c) (exception-irritants c)))) (error "msg here" 1)))

;;; program: catch-with-throw-args-variants
(write (catch #t (lambda () (throw 'k)) (lambda args args)))
(write (catch 'a (lambda () (catch 'b (lambda () (throw 'a 1)) (lambda args 'inner))) (lambda args (cons 'outer args))))

;;; program: string-mutation
(define s (make-string 3 #\a))
(string-set! s 1 #\b)
(define s2 (string-copy "hello"))
(string-fill! s2 #\z)
(write (list s s2 (string-append s "!") (string-length s)))

;;; program: vectors
(define v (vector 5 3 1))
(sort! v <)
(write (list v (list->vector '(1 2)) (vector-copy #(1 2 3) 1)))

;;; program: char-sets
(write (list (char-set-contains? char-set:digit #\5) (string-index "ab1c" char-set:digit)
             (char-set->list (char-set #\c #\a #\b)) (string-trim "xxhixx" (char-set #\x))))

;;; program: tail-calls-in-cond-and-and
(define (f n) (cond ((= n 0) 'done) (else (and #t (f (- n 1))))))
(write (f 100000))
(define (g n) (when (> n 0) (g (- n 1))))
(g 100000)
(write 'ok)

;;; program: apply-and-keywords
(define* (f a #:key (b 2) (c 3)) (list a b c))
(write (list (apply f 1 '(#:c 30)) (apply f '(0 #:b 20 #:c 30))))

;;; program: assoc-lists-and-alist-updates
(use-modules (srfi srfi-1))
(define al '((a . 1) (b . 2)))
(write (list (acons 'c 3 al) (assq-set! (list (cons 'a 1)) 'a 9) (alist-delete 'a al) (assq-remove! (list (cons 'a 1) (cons 'b 2)) 'a)))

;;; program: number-formatting
(write (list (number->string 3.14159 10) (number->string 10 2) (exact->inexact 2/3) (round 0.5) (round 1.5)
             (/ 10 4) (exact->inexact 10/4) (floor -3.5) (ceiling 3.2) (truncate 3.7) (* 1/3 3) (sqrt 16) (sqrt 15)
             (expt 2 -1) (expt 2.0 0.5) (exact->inexact 12345678901234567890)))

;;; program: symbol-operations
(write (list (symbol->string 'abc) (string->symbol "x y") (symbol-append 'foo 'bar) (symbol? 'a) (symbol? "a")
             (string->symbol "ABC") (eq? 'abc (string->symbol "abc"))))

;;; program: begin-and-set-return-values
(define x 1)
(write (list (begin 1 2 3) (let () 5)))
(set! x (+ x 1))
(write x)

;;; program: dynamic-wind-with-error
(define trail '())
(catch #t
  (lambda () (dynamic-wind (lambda () (set! trail (cons 'in trail)))
                           (lambda () (error "x"))
                           (lambda () (set! trail (cons 'out trail)))))
  (lambda args (set! trail (cons 'caught trail))))
(write (reverse trail))

;;; program: parameterize-converter-and-nesting
(define p (make-parameter 10 (lambda (x) (if (number? x) x (error "not a number")))))
(write (list (p) (parameterize ((p 1)) (parameterize ((p 2)) (p))) (p)))
(write (catch #t (lambda () (parameterize ((p 'bad)) (p))) (lambda (k . a) k)))

;;; program: letrec-and-mutual-recursion
(letrec ((ev? (lambda (n) (if (= n 0) #t (od? (- n 1))))) (od? (lambda (n) (if (= n 0) #f (ev? (- n 1))))))
  (write (list (ev? 100) (od? 7))))

;;; program: records-mutation-and-predicates
(use-modules (srfi srfi-9))
(define-record-type <account> (make-account owner balance) account? (owner account-owner) (balance account-balance set-account-balance!))
(define a (make-account "ann" 10))
(set-account-balance! a (+ (account-balance a) 5))
(write (list (account-owner a) (account-balance a) (account? a) (account? 'x)))
(write (catch #t (lambda () (account-owner 'x)) (lambda (k . args) k)))

;;; program: srfi-1-fold-variants
(use-modules (srfi srfi-1))
(write (list (fold cons '() '(1 2 3)) (fold-right cons '() '(1 2 3)) (fold + 0 '(1 2) '(10 20))
             (reduce-right append '() '((1) (2) (3))) (unfold (lambda (x) (> x 3)) (lambda (x) (* x x)) (lambda (x) (+ x 1)) 1)
             (call-with-values (lambda () (span even? '(2 4 5 6))) list)
             (call-with-values (lambda () (break even? '(1 3 4 5))) list)))

;;; program: string-ports-read-char-line-counting
(define p (open-input-string "ab\ncd"))
(read-char p) (read-char p) (read-char p)
(write (list (port-line p) (port-column p) (read-char p)))

;;; program: more-guile-core-names
(write (list (assq-ref (current-source-location) 'line) (assq-ref (current-source-location) 'column)))
(write (list (inf) (nan) (noop 1 2) (parameter? (make-parameter 1)) (parameter? car) ((symbol-prefix-proc 'p:) 'x)))
(define-once zz 1)
(define-once zz 2)
(write (list zz ((λ (x) (* x 2)) 21)))
(write (list (and-map odd? '(1 3)) (or-map even? '(1 3)) (thunk? (lambda () 1)) (object->string '(1 "a"))))

;;; program: file-name-procedures
(write (list (basename "/a/b/c.scm") (basename "/a/b/c.scm" ".scm") (dirname "/a/b/c.scm") (dirname "c")
             (dirname "/") (basename "/a/b/") (string-append "/etc" "/" "x")))

;;; program: pretty-print-small
(use-modules (ice-9 pretty-print))
(pretty-print '(define (f x) (let ((y (* x x))) (if (> y 10) (list 'big y) (list 'small y)))))
(pretty-print '(a b c))
(pretty-print "string")

;;; program: simple-format-and-format-directives
(use-modules (ice-9 format))
(display (simple-format #f "~a and ~s~%" "x" "y"))
(display (format #f "~a|~10a|~10@a|~,3f|~e|~b|~o|~x|~c~%" 'sym "left" "right" 2.5 1234.5 5 8 255 #\z))
(display (format #f "~r ~:r ~@r~%" 12 3 1999))
(display (format #f "~[zero~;one~;two~] ~:[no~;yes~] ~@[~a~]~%" 1 #t "opt"))

;;; program: sorting-stability
(write (sort '((b . 1) (a . 2) (b . 0) (a . 1)) (lambda (x y) (string<? (symbol->string (car x)) (symbol->string (car y))))))
(write (stable-sort '(3 1 2 1) <))
(write (sort '("pear" "Apple" "fig") string<?))
(write (sort '("pear" "Apple" "fig") string-ci<?))

;;; program: string-comparisons
(write (list (string<? "abc" "abd") (string=? "a" "a" "a") (string-ci=? "AbC" "aBc") (string>? "b" "a")
             (char-ci=? #\a #\A) (string<? "" "a") (string-compare "abc" "abd" (lambda (i) 'lt) (lambda (i) 'eq) (lambda (i) 'gt))))

;;; program: string-pad-and-trim
(write (list (string-pad "abc" 5) (string-pad "abcdef" 3) (string-pad-right "ab" 4 #\.) (string-pad-right "abcdef" 2)
             (string-trim "  a  ") (string-trim-right "  a  ") (string-trim-both "--a--" #\-)))

;;; program: number-to-string-floats
(write (map number->string (list 0.1 0.25 1/3 100 -7.0 1e-10 3.0e10 12345.6789 (/ 22 7.0) 2e308)))

;;; program: exact-inexact-arithmetic
(write (list (+ 0.1 0.2) (* 1.1 1.1) (- 0.3 0.1) (/ 1 3) (exact->inexact 1/7) (expt 10 -2) (expt 10. -2)
             (inexact->exact (/ 9 3)) (inexact->exact 0.1) (rationalize (inexact->exact .3) 1/10) (numerator 6/4) (denominator 6/4)))

;;; program: integer-operations
(use-modules (srfi srfi-60))
(write (list (quotient 17 5) (remainder 17 -5) (modulo 17 -5) (expt 0 0) (exact-integer? 5) (integer? 5.0)
             (even? 0) (ash 1 10) (ash 1024 -3) (logand 12 10) (logior 12 10) (logxor 12 10) (lognot 5)
             (bit-count 7) (integer-length 255) (number->string (expt 3 40))))

;;; program: list-mutation
(define l (list 1 2 3))
(set-car! l 'a)
(set-cdr! (cddr l) '(4))
(write l)
(define l2 (list 3 1 2))
(write (list (reverse! (list 1 2 3)) (append! (list 1) (list 2)) (delete! 1 (list 1 2 1)) (sort! l2 <)))

;;; program: assoc-with-custom-equality
(use-modules (srfi srfi-1))
(write (list (assoc 2.0 '((1 . a) (2 . b)) =) (member 2.0 '(1 2 3) =) (assoc "B" '(("a" . 1) ("b" . 2)) string-ci=?)))

;;; program: char-names-and-conversion
(write (list (char->integer #\x41) (integer->char 65) (char-downcase #\Ä) (char-upcase #\ß) (string-upcase "straße")
             (string-downcase "ÄÖÜ") (char-general-category #\a)))

;;; program: string-index-and-search
(write (list (string-index "hello" #\z) (string-index "hello" char-upper-case?) (string-contains-ci "Hello" "LL")
             (substring "hello" 2) (string-copy "hello" 1 3) (string-ref "abc" 2)))

;;; program: keyword-argument-procedures
(define* (make-thing #:key (name "none") (size 0) #:allow-other-keys) (list name size))
(write (list (make-thing) (make-thing #:size 3) (make-thing #:name "x" #:other 1)))
(define* (opt a #:optional (b (* a 2))) (list a b))
(write (list (opt 1) (opt 1 5)))

;;; program: apply-with-rest-args
(define (f . args) args)
(define (g a . rest) (list a rest))
(write (list (f) (f 1 2) (g 1) (g 1 2 3) (apply g '(1 2)) (apply f 1 2 '())))

;;; program: hash-table-iteration
(define h (make-hash-table))
(for-each (lambda (k) (hash-set! h k (* k k))) '(1 2 3 4))
(write (sort (hash-map->list cons h) (lambda (a b) (< (car a) (car b)))))
(hash-for-each (lambda (k v) (when (= k 2) (write v))) h)
(write (hash-count (lambda (k v) (odd? k)) h))

;;; program: vector-operations
(use-modules (srfi srfi-43))
(define v (make-vector 3 'x))
(vector-fill! v 0)
(write (list v (vector 1 2) (vector-ref #(a b c) 1) (vector->list #(1 2 3) 1) (list->vector '()) (vector-length #())
             (vector-index even? #(1 3 4)) (vector-count even? #(1 2 4))))

;;; program: let-forms-and-shadowing
(define x 'outer)
(write (list (let ((x 1) (y x)) (list x y)) (let* ((x 1) (y x)) (list x y)) (letrec ((f (lambda () x))) (f))))

;;; program: do-loop-with-vectors
(define v (make-vector 5 0))
(do ((i 0 (+ i 1))) ((= i 5)) (vector-set! v i (* i i)))
(write v)

;;; program: string-builders
(write (list (string #\a #\b) (make-string 2 #\z) (string-join '("a" "b") "-" 'infix) (string-join '("a" "b") "-" 'suffix)
             (string-join '("a" "b") "-" 'prefix) (string-concatenate '("x" "y" "z")) (apply string-append (map symbol->string '(a b)))))

;;; program: error-in-nested-procedure
(define (inner x) (+ x 'a))
(define (outer x) (* 2 (inner x)))
(write (catch 'wrong-type-arg (lambda () (outer 1)) (lambda (k . args) k)))

;;; program: unbound-variable-caught
(write (catch #t (lambda () (eval 'no-such-variable (current-module))) (lambda (k . args) k)))

;;; program: eval-and-quasiquote-code
(write (eval `(+ 1 ,(* 2 3)) (current-module)))
(write (eval '(let ((x 5)) (* x x)) (interaction-environment)))

;;; program: boolean-and-predicates
(write (list (boolean? #f) (null? '()) (pair? '()) (list? '(1 . 2)) (procedure? car) (procedure? 'car)
             (string? "a") (symbol? 'a) (vector? #(1)) (char? #\a) (number? 1) (exact? 1.0) (zero? 0.0) (positive? -1)
             (negative? -1) (odd? 7) (nan? (nan)) (inf? (inf))))

;;; program: pretty-print-layouts
(use-modules (ice-9 pretty-print))
(pretty-print '(define (process-items items threshold) (cond ((null? items) '()) ((> (car items) threshold) (cons (car items) (process-items (cdr items) threshold))) (else (process-items (cdr items) threshold)))))
(pretty-print '(let loop ((i 0) (acc '())) (if (= i 10) (reverse acc) (loop (+ i 1) (cons (* i i) acc)))))
(pretty-print '(case x ((1 2 3) 'small-number-here) ((4 5 6) 'medium-number-here) (else 'something-else-entirely)))
(pretty-print (iota 40))
(pretty-print (list->vector (iota 30)))
(pretty-print '((name . "a long string value that goes on") (other . "and another long string value") (x . 1)))
(pretty-print '(a-very-long-function-name argument-one argument-two argument-three argument-four))
(pretty-print '(f `(a ,b ,@c) 'quoted (quote x y)))
(pretty-print '(1 2 . 3))
(pretty-print '(operating-system (host-name "komputilo") (timezone "Europe/Berlin") (locale "en_US.utf8") (services (cons* (service openssh-service-type) %base-services))))
(pretty-print '(lambda (x) (display x) (newline)) #:width 20)
(pretty-print "a string" #:display? #t)
(pretty-print '(do ((i 0 (+ i 1)) (j 10 (- j 1))) ((= i j) 'met) (display i) (display j)))
(pretty-print '(begin (define a 1) (define b 2) (set! a (+ a b)) (display (list a b)) (newline)))

;;; program: error-keys-of-primitives
(define (key thunk) (catch #t thunk (lambda (k . args) k)))
(write (map key (list (lambda () (vector-ref (vector 1 2) 10)) (lambda () (string-ref "" 0)) (lambda () (+ 'a 1))
                      (lambda () (car 5)) (lambda () (apply car '(1 2))) (lambda () (undefined-procedure-x 1))
                      (lambda () ((lambda (x) x))) (lambda () (error 'my-proc "msg")) (lambda () (/ 1 0))
                      (lambda () (list-ref '(1 2) 5)) (lambda () (string->symbol 5)) (lambda () (hash-ref 5 1))
                      (lambda () (exact->inexact 'x)) (lambda () (symbol->string "s")) (lambda () (vector-set! #(1 2) 0 1)))))

;;; program: error-args-of-primitives
(define (args thunk) (catch #t thunk (lambda (k . args) (cons k args))))
(write (args (lambda () (car 5))))
(newline)
(write (args (lambda () (vector-ref (vector 1 2) 10))))
(newline)
(write (args (lambda () (undefined-procedure-x 1))))
(newline)
(write (args (lambda () (throw 'custom "a" 1))))

;;; program: srfi-19-dates
(use-modules (srfi srfi-19))
(define d (make-date 0 5 30 14 3 2 2021 0))
(write (list (date->string d "~Y-~m-~d ~H:~M:~S") (date-year d) (date-week-day d) (date-year-day d)
             (date->string d "~A ~B ~e ~a ~b") (time-second (date->time-utc d))))

;;; program: read-syntaxes
(define (r s) (call-with-input-string s read))
(write (map r '("#t" "#true" "#f" "#false" "#\\x41" "#\\space" "\"a\\x41;b\"" "#(1 #(2))" "#vu8(1 2)" "#:kw" "|a b|"
                "#e1.5" "#i1/2" "1e2" "-.5" "+5" "#d10" "'a" "`(a ,b)" "#;(skipped) 42" "#| block |# 7" "[1 2]")))

;;; program: write-strings-with-escapes
(for-each (lambda (s) (write s) (newline))
  (list "plain" "quote\"inside" "back\\slash" "new\nline" "tab\tchar" "nul\x0;char" "bell\a" "uni λ" (string #\x7f) (string #\xe9)))

;;; program: display-vs-write-characters
(for-each (lambda (c) (display c) (write c) (newline)) (list #\a #\space #\newline #\x0 #\λ))

;;; program: assq-assv-assoc-and-set
(define al (list (cons 'a 1) (cons 'b 2)))
(set! al (assq-set! al 'c 3))
(set! al (assoc-set! al 'a 10))
(write (list al (assv 2 '((1 . one) (2 . two))) (assq-ref al 'c) (assq-remove! al 'b)))

;;; program: string-split-and-join-round-trip
(define parts (string-split "a,b,,c," #\,))
(write (list parts (string-join parts ",") (length parts)))

;;; program: numeric-tower-printing
(write (list (/ 0. 0.) (- (/ 0. 0.)) (* 2 0.5) (exact->inexact 100) 1.0e-5 0.0001 123456789.0 1234567890123.0 1e100
             (sqrt -1) (make-rectangular 1 2) (make-polar 1 0) (exact->inexact 1/1024)))

;;; program: char-arithmetic-and-ranges
(write (list (map char->integer (string->list "AZaz09")) (list->string (map integer->char (iota 5 97)))
             (char->digit #\7 10) (digit-value #\8) (char-numeric? #\٣)))

;;; program: deep-recursion
(define (count n) (if (= n 0) 0 (+ 1 (count (- n 1)))))
(write (count 100000))

;;; program: string-output-with-format-columns
(use-modules (ice-9 format))
(for-each (lambda (row) (display (format #f "~10a~5d~8,2f~%" (car row) (cadr row) (caddr row))))
  '(("apples" 3 1.5) ("kiwis" 12 0.25) ("watermelons" 1 3.999)))

;;; program: let-values-with-rest-and-receive
(use-modules (ice-9 receive) (srfi srfi-11))
(let-values (((a . rest) (values 1 2 3)) (all (values 4 5)))
  (write (list a rest all)))
(receive all (values) (write all))

;;; program: string->number-radix-and-printing
(write (list (string->number "ff" 16) (string->number "101" 2) (number->string 3.5 2) (string->number "1e-3")
             (string->number "#x-1a") (number->string -255 16) (string->number "1/3" 10)))

;;; program: list-tail-and-sublists
(use-modules (srfi srfi-1))
(write (list (list-tail '(1 2 3 4) 2) (take-while even? '(2 4 5 6)) (drop-while even? '(2 4 5 6)) (last '(1 2 3))
             (call-with-values (lambda () (split-at '(1 2 3 4) 1)) list) (concatenate '((1) (2 3)))))

;;; program: optargs-let-keywords-and-let-optional
(use-modules (ice-9 optargs))
(define (f . args) (let-keywords args #f ((a 1) (b 2)) (list a b)))
(define (g . args) (let-optional args ((x 10) (y 20)) (list x y)))
(write (list (f) (f #:b 5) (g) (g 1) (g 1 2)))

;;; program: define-syntax-rule-and-literals
(define-syntax-rule (unless2 c body ...) (if c #f (begin body ...)))
(write (list (unless2 #f 1 2) (unless2 #t 1)))
(define-syntax my-cond (syntax-rules (else) ((_ (else e)) e) ((_ (c e) rest ...) (if c e (my-cond rest ...)))))
(write (my-cond (#f 1) ((= 1 1) 2) (else 3)))
(define-syntax nested (syntax-rules () ((_ (a b ...) ...) '((a ... ) (b ... ...)))))
(write (nested (1 2 3) (4 5)))
(define-syntax vec-pat (syntax-rules () ((_ #(a b)) (list b a))))
(write (vec-pat #(1 2)))

;;; program: srfi-2-26-and-assert
(use-modules (srfi srfi-2) (srfi srfi-26))
(write (list (and-let* ((x 5) ((> x 3)) (y (* x 2))) y) (and-let* ((x #f)) 'no) (map (cut + 1 <>) '(1 2))
             ((cut list <> 'mid <...>) 'a 'b 'c) (map (cute * 2 <>) '(3 4))))

;;; program: srfi-69-hash-tables
(use-modules (srfi srfi-69))
(define h (make-hash-table equal?))
(hash-table-set! h "k" 1)
(hash-table-update! h "k" (lambda (v) (+ v 1)) (lambda () 0))
(hash-table-update!/default h "n" (lambda (v) (+ v 1)) 10)
(write (list (hash-table-ref h "k") (hash-table-ref/default h "z" 'none) (hash-table-ref h "n")
             (sort (hash-table-keys h) string<?) (hash-table-exists? h "k") (hash-table-count h)))

;;; program: textual-ports-and-rdelim
(use-modules (ice-9 textual-ports) (ice-9 rdelim))
(define p (open-input-string "alpha beta\ngamma;delta"))
(write (list (read-delimited " " p) (read-line p) (read-delimited ";" p) (get-string-all p)))
(define q (open-input-string "xyz"))
(write (list (get-char q) (lookahead-char q) (get-string-n q 5) (eof-object? (get-char q))))

;;; program: symbols-compare-and-gensym-shape
(write (list (string->symbol "é") (symbol->string (symbol-append 'a 'b 'c)) (symbol? (gensym))))

;;; program: case-with-arrow-and-strings
(define (classify x) (case x ((1) => (lambda (v) (* v 100))) ((a) 'sym) (else => (lambda (v) (list 'else v)))))
(write (map classify '(1 "s" 2)))

;;; program: exceptions-with-irritants-and-kinds
(use-modules (ice-9 exceptions))
(define (describe e) (if (exception-with-message? e) (list (exception-message e) (exception-irritants e)) e))
(write (with-exception-handler describe (lambda () (raise-exception (make-exception (make-exception-with-message "m") (make-exception-with-irritants '(1 2))))) #:unwind? #t))
(write (with-exception-handler describe (lambda () (raise-exception 42)) #:unwind? #t))

;;; program: string-index-with-predicates-and-charsets
(write (list (string-index "abc1" char-numeric?) (string-skip "   x" char-whitespace?) (string-rindex "a/b/c" #\/)
             (string-count "a1b2c3" char-numeric?) (string-any char-upper-case? "abC") (string-every char-lower-case? "abc")))

;;; program: vector-grow-and-subvector
(write (list (vector-grow #(1 2) 4) (subvector #(a b c d) 1 3) (vector-move-left! (vector 1 2 3) 0 2 (make-vector 3 0) 1)))

;;; program: sort-vectors-and-merge
(write (list (sort #(3 1 2) <) (merge '(1 3 5) '(2 4) <) (sorted? '(1 2 3) <) (sorted? #(3 1) <)))

;;; program: define-public-and-export-in-user-module
(define-public (pub-f x) (* x 3))
(define internal 4)
(export internal)
(write (list (pub-f 2) internal))

;;; program: iota-and-numeric-edge-cases
(write (list (iota 0) (iota 3 0 0.5) (iota 3 -1 -1) (exact->inexact 1e-320) (max) ))

;;; program: max-min-mixed-exactness
(write (list (max 1 2 3) (max 1 2.0) (min 1 2.0) (min 1/2 1/3) (max -0.0 0) (abs -1/2) (abs -2.5)))
(write (list (max -0.0 0) (max 0 -0.0) (max -0.0 0.0) (max 0.0 -0.0) (min -0.0 0) (min 0 -0.0) (min 0.0 -0.0)
             (min -0.0 0.0) (max 1 +nan.0) (max +nan.0 1) (min 1 +nan.0)))

;;; program: string-ports-write-and-read-round-trip
(define data '(1 "two" #\3 (4 . 5) #(6) sym #:kw 7.5 #t ()))
(define text (call-with-output-string (lambda (p) (write data p))))
(write (equal? data (call-with-input-string text read)))
(write text)

;;; program: r7rs-import-and-bytevectors
(import (scheme base) (scheme write) (scheme char))
(write (list (bytevector 1 2) (bytevector-append (bytevector 1) (bytevector 2)) (utf8->string (bytevector 104 105))
             (string->utf8 "é") (exact (floor 2.5)) (exact-integer? 5) (char-foldcase #\A) (string-map char-upcase "ab")
             (vector-map + #(1 2) #(10 20)) (string->vector "ab") (vector->string #(#\x #\y)) (call-with-values (lambda () (truncate/ 7 2)) list)))

;;; program: r7rs-error-objects
(import (scheme base) (scheme write))
(write (guard (e ((error-object? e) (list (error-object-message e) (error-object-irritants e)))) (error "msg" 1 2)))
(write (guard (e ((string? e) (list 'raised e))) (raise "plain")))
(write (guard (e ((symbol? e) e)) (raise-continuable 'cont)))

;;; program: r7rs-define-record-and-values
(import (scheme base) (scheme write))
(define-record-type <pare> (kons x y) pare? (x kar set-kar!) (y kdr))
(define p (kons 1 2))
(set-kar! p 10)
(write (list (pare? p) (kar p) (kdr p) (pare? 5)))
(define-values (a b . c) (values 1 2 3 4))
(write (list a b c))

;;; program: r7rs-string-ports-and-char-io
(import (scheme base) (scheme write))
(define out (open-output-string))
(write-string "abc" out)
(write-char #\d out)
(write-u8 1 (open-output-bytevector))
(define in (open-input-string "xy\nz"))
(write (list (get-output-string out) (read-char in) (peek-char in) (read-line in) (read-string 5 in) (char-ready? in)))

;;; program: inline-modules-and-interfaces
(define-module (diff mod-a) #:export (hello shared) #:replace (string-upcase))
(define (hello) 'hello-from-a)
(define shared 'a)
(define (string-upcase s) (list 'a-upcase s))
(define-module (diff mod-b) #:export (shared other))
(define shared 'b)
(define other 'other-b)
(define-module (diff user)
  #:use-module ((diff mod-a) #:select (hello (shared . a-shared)))
  #:use-module ((diff mod-b) #:hide (shared)))
(write (list (hello) a-shared other (string-upcase "x")))
(define-module (diff user2)
  #:use-module ((diff mod-a) #:renamer (symbol-prefix-proc 'a:)))
(write (list (a:hello) (a:string-upcase "x")))

;;; program: module-replace-overrides-core
(define-module (diff mod-r) #:replace (length))
(define (length x) 'my-length)
(define-module (diff user-r) #:use-module (diff mod-r))
(write (length '(1 2)))

;;; program: later-import-wins-over-earlier
(define-module (diff m1) #:export (v))
(define v 1)
(define-module (diff m2) #:export (v))
(define v 2)
(define-module (diff user-v) #:use-module (diff m1) #:use-module (diff m2))
(write v)

;;; program: record-printer-and-nesting
(use-modules (srfi srfi-9) (srfi srfi-9 gnu))
(define-record-type <node> (make-node val next) node? (val node-val) (next node-next))
(define-record-type <empty> (make-empty) empty?)
(write (make-node 1 (make-node "two" (make-empty))))
(newline)
(define-record-type <temp> (make-temp c) temp? (c temp-c))
(set-record-type-printer! <temp> (lambda (r port) (format port "#<temp ~a°C>" (temp-c r))))
(write (list (make-temp 21) (make-temp -3)))
(display (make-temp 5))

;;; program: keywords-in-data-and-apply
(define (kw-list . args) args)
(write (list (kw-list #:a 1 #:b) (keyword? (car (kw-list #:x))) (symbol->keyword 'y) (keyword->symbol #:z)
             (apply kw-list '(#:q 1)) (memq #:b '(#:a #:b #:c)) (equal? #:a #:a)))

;;; program: symbol-and-keyword-printing-in-lists
(write '(#:key a "b" #\c 1.5 (nested #:k) #(#:v)))
(display '(#:key a "b" #\c))
