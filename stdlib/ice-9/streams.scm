;;; schemy --- (ice-9 streams): Guile's older lazy streams, a stream being a promise of
;;; '() or a pair of an element and a stream.

(define-module (ice-9 streams)
  #:export (make-stream stream-car stream-cdr stream-null? list->stream vector->stream
            port->stream stream->list stream->reversed-list stream->list&length
            stream->reversed-list&length stream->vector stream-fold stream-for-each
            stream-map))

(define (make-stream m state)
  "The stream of what M yields from STATE: M returns (element . next-state), else the end."
  (delay (let ((o (m state)))
           (if (pair? o) (cons (car o) (make-stream m (cdr o))) '()))))

(define (stream-car stream) (car (force stream)))
(define (stream-cdr stream) (cdr (force stream)))
(define (stream-null? stream) (null? (force stream)))

(define (list->stream l)
  (make-stream (lambda (l) l) l))

(define (vector->stream v)
  (make-stream (lambda (i) (if (< i (vector-length v)) (cons (vector-ref v i) (+ i 1)) '())) 0))

(define (port->stream port read)
  (make-stream (lambda (p) (let ((o (read p))) (if (eof-object? o) '() (cons o p)))) port))

(define (stream->reversed-list&length stream)
  (let loop ((s stream) (acc '()) (n 0))
    (if (stream-null? s) (values acc n) (loop (stream-cdr s) (cons (stream-car s) acc) (+ n 1)))))

(define (stream->reversed-list stream)
  (call-with-values (lambda () (stream->reversed-list&length stream)) (lambda (l n) l)))

(define (stream->list&length stream)
  (call-with-values (lambda () (stream->reversed-list&length stream))
    (lambda (l n) (values (reverse l) n))))

(define (stream->list stream)
  (reverse (stream->reversed-list stream)))

(define (stream->vector stream)
  (list->vector (stream->list stream)))

(define (stream-fold f init stream . rest)
  ;; F receives the elements of every stream, then the accumulated value.
  (let loop ((acc init) (streams (cons stream rest)))
    (if (or-map stream-null? streams)
        acc
        (loop (apply f (append (map stream-car streams) (list acc))) (map stream-cdr streams)))))

(define (stream-for-each f stream . rest)
  (let loop ((streams (cons stream rest)))
    (unless (or-map stream-null? streams)
      (apply f (map stream-car streams))
      (loop (map stream-cdr streams)))))

(define (stream-map f stream . rest)
  (let loop ((streams (cons stream rest)))
    (delay (if (or-map stream-null? streams)
               '()
               (cons (apply f (map stream-car streams)) (loop (map stream-cdr streams)))))))
