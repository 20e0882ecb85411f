;;; schemy --- (srfi srfi-27): sources of random bits.  Each source is an MRG32k3a generator
;;; (L'Ecuyer's combined multiple recursive generator, the one SRFI 27 recommends) written in
;;; exact arithmetic; its numbers are not Guile's (Guile's sources use its own generator), but
;;; the interface and guarantees are: uniform integers below N, reals in (0, 1), states that
;;; can be saved and restored, and pseudo-randomization by two indices.

(define-module (srfi srfi-27)
  #:use-module (srfi srfi-9)
  #:export (random-integer random-real default-random-source make-random-source
            random-source? random-source-state-ref random-source-state-set!
            random-source-randomize! random-source-pseudo-randomize!
            random-source-make-integers random-source-make-reals))

(define m1 4294967087)
(define m2 4294944443)

(define-record-type :random-source
  (%make-random-source state)
  random-source?
  (state random-source-state set-random-source-state!))

(define initial-state '(1062452522 340933387 1789270212 2112092373 2286634838 1264584658))

(define (make-random-source)
  (%make-random-source (list->vector initial-state)))

(define (random-source-state-ref s)
  (cons 'mrg32k3a (vector->list (random-source-state s))))

(define (valid-state? state)
  (and (pair? state) (eq? (car state) 'mrg32k3a)
       (= (length (cdr state)) 6)
       (let ((xs (cdr state)))
         (and (every-in-range? (list-head xs 3) m1) (every-in-range? (list-tail xs 3) m2)
              (not (equal? (list-head xs 3) '(0 0 0)))
              (not (equal? (list-tail xs 3) '(0 0 0)))))))

(define (every-in-range? xs m)
  (or (null? xs) (and (exact-integer? (car xs)) (<= 0 (car xs)) (< (car xs) m)
                      (every-in-range? (cdr xs) m))))

(define (random-source-state-set! s state)
  (unless (valid-state? state)
    (error "random-source-state-set!: not a state of this random source" state))
  (set-random-source-state! s (list->vector (cdr state))))

(define (next! s)
  ;; One step of MRG32k3a: a number in [0, m1).
  (let* ((v (random-source-state s))
         (x1 (modulo (- (* 1403580 (vector-ref v 1)) (* 810728 (vector-ref v 0))) m1))
         (x2 (modulo (- (* 527612 (vector-ref v 5)) (* 1370589 (vector-ref v 3))) m2)))
    (vector-set! v 0 (vector-ref v 1))
    (vector-set! v 1 (vector-ref v 2))
    (vector-set! v 2 x1)
    (vector-set! v 3 (vector-ref v 4))
    (vector-set! v 4 (vector-ref v 5))
    (vector-set! v 5 x2)
    (modulo (- x1 x2) m1)))

(define (seed-state! s a b)
  ;; A valid state derived from the integers A and B (never all zero).
  (define (mix x m salt) (+ 1 (modulo (+ (* x 2654435761) (* salt 40503) 12345) (- m 1))))
  (set-random-source-state!
   s (vector (mix a m1 1) (mix b m1 2) (mix (+ a b) m1 3)
             (mix a m2 4) (mix b m2 5) (mix (* 3 (+ a b 1)) m2 6)))
  ;; Leave the seeding's regularities behind.
  (do ((i 0 (+ i 1))) ((= i 16)) (next! s)))

(define (random-source-randomize! s)
  (let ((t (gettimeofday)))
    (seed-state! s (+ (* (car t) 1000003) (cdr t)) (getpid))))

(define (random-source-pseudo-randomize! s i j)
  (unless (and (exact-integer? i) (exact-integer? j) (>= i 0) (>= j 0))
    (error "random-source-pseudo-randomize!: indices must be non-negative integers" i j))
  (seed-state! s i j))

(define (random-source-make-integers s)
  (lambda (n)
    (unless (and (exact-integer? n) (positive? n))
      (error "random-integer: not a positive integer" n))
    ;; Draw base-m1 digits until they cover N, then reject the top remainder.
    (let loop ()
      (let draw ((range 1) (value 0))
        (if (< range n)
            (draw (* range m1) (+ (* value m1) (next! s)))
            (let ((limit (* n (quotient range n))))
              (if (< value limit) (quotient value (quotient range n)) (loop))))))))

(define* (random-source-make-reals s #:optional unit)
  (lambda ()
    (exact->inexact (/ (+ (next! s) 1) (+ m1 1)))))

(define default-random-source (make-random-source))
(define random-integer (random-source-make-integers default-random-source))
(define random-real (random-source-make-reals default-random-source))
