;;; schemy --- (srfi srfi-171 meta): the reduced box and the collection reducers transducers
;;; are built on (SRFI 171's reference semantics, as Guile exports them).

(define-module (srfi srfi-171 meta)
  #:use-module (srfi srfi-9)
  #:export (reduced reduced? unreduce ensure-reduced preserving-reduced
            list-reduce vector-reduce string-reduce bytevector-u8-reduce
            port-reduce generator-reduce))

(define-record-type <reduced>
  (reduced val)
  reduced?
  (val unreduce))

(define (ensure-reduced x)
  (if (reduced? x) x (reduced x)))

(define (preserving-reduced reducer)
  ;; A reducer whose reduced result stays reduced one level up (for nested folds).
  (lambda (a b)
    (let ((r (reducer a b)))
      (if (reduced? r) (reduced r) r))))

(define (list-reduce f identity lst)
  (let loop ((acc identity) (lst lst))
    (cond ((reduced? acc) (unreduce acc))
          ((null? lst) acc)
          (else (loop (f acc (car lst)) (cdr lst))))))

(define (indexed-reduce ref len)
  (lambda (f identity coll)
    (let ((n (len coll)))
      (let loop ((acc identity) (i 0))
        (cond ((reduced? acc) (unreduce acc))
              ((= i n) acc)
              (else (loop (f acc (ref coll i)) (+ i 1))))))))

(define vector-reduce (indexed-reduce vector-ref vector-length))
(define string-reduce (indexed-reduce string-ref string-length))
(define bytevector-u8-reduce (indexed-reduce bytevector-u8-ref bytevector-length))

(define (port-reduce f identity reader port)
  (let loop ((acc identity))
    (if (reduced? acc)
        (unreduce acc)
        (let ((x (reader port)))
          (if (eof-object? x) acc (loop (f acc x)))))))

(define (generator-reduce f identity gen)
  (let loop ((acc identity))
    (if (reduced? acc)
        (unreduce acc)
        (let ((x (gen)))
          (if (eof-object? x) acc (loop (f acc x)))))))
