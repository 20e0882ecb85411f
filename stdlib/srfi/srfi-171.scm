;;; schemy --- (srfi srfi-171): transducers, as SRFI 171 specifies them and Guile exports them.

(define-module (srfi srfi-171)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-69)
  #:use-module (srfi srfi-171 meta)
  #:export (rcons reverse-rcons rcount rany revery
            list-transduce vector-transduce string-transduce bytevector-u8-transduce
            port-transduce generator-transduce
            tmap tfilter tremove treplace tfilter-map tdrop tdrop-while ttake ttake-while
            tconcatenate tappend-map tdelete-neighbor-duplicates tdelete-duplicates
            tflatten tsegment tpartition tadd-between tenumerate tlog))

(define nothing (list 'nothing))

;;; ------------------------------------------------------------ reducers

(define rcons
  (case-lambda (() '()) ((lst) (reverse lst)) ((lst x) (cons x lst))))

(define reverse-rcons
  (case-lambda (() '()) ((lst) lst) ((lst x) (cons x lst))))

(define rcount
  (case-lambda (() 0) ((n) n) ((n x) (+ n 1))))

(define (rany pred)
  (case-lambda
    (() #f)
    ((result) result)
    ((result input) (let ((v (pred input))) (if v (reduced v) #f)))))

(define (revery pred)
  (case-lambda
    (() #t)
    ((result) result)
    ((result input) (let ((v (pred input))) (if (and result v) v (reduced #f))))))

;;; ------------------------------------------------------------ transduce

(define (make-transduce reduce-proc)
  (case-lambda
    ((xform f coll) (let ((xf (xform f))) (xf (reduce-proc xf (f) coll))))
    ((xform f init coll) (let ((xf (xform f))) (xf (reduce-proc xf init coll))))))

(define list-transduce (make-transduce list-reduce))
(define vector-transduce (make-transduce vector-reduce))
(define string-transduce (make-transduce string-reduce))
(define bytevector-u8-transduce (make-transduce bytevector-u8-reduce))

(define port-transduce
  (case-lambda
    ((xform f by) (port-transduce xform f by (current-input-port)))
    ((xform f by port) (let ((xf (xform f))) (xf (port-reduce xf (f) by port))))
    ((xform f init by port) (let ((xf (xform f))) (xf (port-reduce xf init by port))))))

(define generator-transduce
  (case-lambda
    ((xform f gen) (let ((xf (xform f))) (xf (generator-reduce xf (f) gen))))
    ((xform f init gen) (let ((xf (xform f))) (xf (generator-reduce xf init gen))))))

;;; ------------------------------------------------------------ transducers

(define-syntax define-transducer
  ;; (define-transducer (name args ...) reducer result input body ...): a transducer whose
  ;; step is BODY, passing the identity and completion arities through.
  (syntax-rules ()
    ((_ (name . args) reducer result input body ...)
     (define (name . args)
       (lambda (reducer)
         (case-lambda
           (() (reducer))
           ((result) (reducer result))
           ((result input) body ...)))))))

(define-transducer (tmap f) reducer result input
  (reducer result (f input)))

(define-transducer (tfilter pred) reducer result input
  (if (pred input) (reducer result input) result))

(define-transducer (tremove pred) reducer result input
  (if (pred input) result (reducer result input)))

(define-transducer (tfilter-map f) reducer result input
  (let ((x (f input))) (if x (reducer result x) result)))

(define (treplace mapping)
  (define lookup
    (if (hash-table? mapping)
        (lambda (x) (hash-table-ref/default mapping x x))
        (lambda (x) (let ((e (assoc x mapping))) (if e (cdr e) x)))))
  (tmap lookup))

(define (tdrop n)
  (lambda (reducer)
    (let ((left n))
      (case-lambda
        (() (reducer))
        ((result) (reducer result))
        ((result input)
         (if (> left 0)
             (begin (set! left (- left 1)) result)
             (reducer result input)))))))

(define (tdrop-while pred)
  (lambda (reducer)
    (let ((dropping #t))
      (case-lambda
        (() (reducer))
        ((result) (reducer result))
        ((result input)
         (if (and dropping (pred input))
             result
             (begin (set! dropping #f) (reducer result input))))))))

(define (ttake n)
  (lambda (reducer)
    (let ((left n))
      (case-lambda
        (() (reducer))
        ((result) (reducer result))
        ((result input)
         (let ((result (if (positive? left) (reducer result input) result)))
           (set! left (- left 1))
           (if (not (positive? left)) (ensure-reduced result) result)))))))

(define ttake-while
  (case-lambda
    ((pred) (ttake-while pred (lambda (result input) result)))
    ((pred retf)
     (lambda (reducer)
       (let ((taking #t))
         (case-lambda
           (() (reducer))
           ((result) (reducer result))
           ((result input)
            (if (and taking (pred input))
                (reducer result input)
                (begin (set! taking #f) (ensure-reduced (retf result input)))))))))))

(define (tconcatenate reducer)
  (let ((inner (preserving-reduced reducer)))
    (case-lambda
      (() (reducer))
      ((result) (reducer result))
      ((result input) (list-reduce inner result input)))))

(define (tappend-map f)
  (compose (tmap f) tconcatenate))

(define (tflatten reducer)
  (case-lambda
    (() (reducer))
    ((result) (reducer result))
    ((result input)
     (if (list? input)
         (list-reduce (preserving-reduced (tflatten reducer)) result input)
         (reducer result input)))))

(define* (tdelete-neighbor-duplicates #:optional (equality-pred equal?))
  (lambda (reducer)
    (let ((prev nothing))
      (case-lambda
        (() (reducer))
        ((result) (reducer result))
        ((result input)
         (if (and (not (eq? prev nothing)) (equality-pred prev input))
             result
             (begin (set! prev input) (reducer result input))))))))

(define* (tdelete-duplicates #:optional (equality-pred equal?))
  (lambda (reducer)
    (let ((seen (make-hash-table equality-pred)))
      (case-lambda
        (() (reducer))
        ((result) (reducer result))
        ((result input)
         (if (hash-table-exists? seen input)
             result
             (begin (hash-table-set! seen input #t) (reducer result input))))))))

(define (tsegment n)
  (unless (and (exact-integer? n) (positive? n))
    (error "argument to tsegment must be a positive integer"))
  (lambda (reducer)
    (let ((segment '()) (count 0))
      (case-lambda
        (() (reducer))
        ((result)
         (reducer (if (null? segment)
                      result
                      (let ((r (reducer result (reverse segment))))
                        (set! segment '()) (set! count 0)
                        (if (reduced? r) (unreduce r) r)))))
        ((result input)
         (set! segment (cons input segment))
         (set! count (+ count 1))
         (if (= count n)
             (let ((chunk (reverse segment)))
               (set! segment '()) (set! count 0)
               (reducer result chunk))
             result))))))

(define (tpartition pred)
  (lambda (reducer)
    (let ((group '()) (last-key nothing))
      (case-lambda
        (() (reducer))
        ((result)
         (reducer (if (null? group)
                      result
                      (let ((r (reducer result (reverse group))))
                        (set! group '())
                        (if (reduced? r) (unreduce r) r)))))
        ((result input)
         (let ((key (pred input)))
           (cond
            ((or (eq? last-key nothing) (equal? key last-key))
             (set! last-key key)
             (set! group (cons input group))
             result)
            (else
             (let ((chunk (reverse group)))
               (set! group (list input))
               (set! last-key key)
               (reducer result chunk))))))))))

(define (tadd-between elem)
  (lambda (reducer)
    (let ((first? #t))
      (case-lambda
        (() (reducer))
        ((result) (reducer result))
        ((result input)
         (if first?
             (begin (set! first? #f) (reducer result input))
             (let ((r (reducer result elem)))
               (if (reduced? r) r (reducer r input)))))))))

(define* (tenumerate #:optional (start 0))
  (lambda (reducer)
    (let ((n start))
      (case-lambda
        (() (reducer))
        ((result) (reducer result))
        ((result input)
         (let ((i n))
           (set! n (+ n 1))
           (reducer result (cons i input))))))))

(define* (tlog #:optional (log-function (lambda (result input) (write input) (newline))))
  (lambda (reducer)
    (case-lambda
      (() (reducer))
      ((result) (reducer result))
      ((result input) (log-function result input) (reducer result input)))))
