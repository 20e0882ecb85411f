;;; schemy --- (srfi srfi-41): even streams as SRFI 41 specifies them, with Guile's error
;;; conditions (wrong-type-arg naming the procedure: "null stream", "non-procedural argument"...).

(define-module (srfi srfi-41)
  #:use-module (srfi srfi-9)
  #:export (stream-null stream-cons stream? stream-null? stream-pair? stream-car stream-cdr
            stream-lambda define-stream list->stream port->stream stream stream->list
            stream-append stream-concat stream-constant stream-drop stream-drop-while
            stream-filter stream-fold stream-for-each stream-from stream-iterate stream-length
            stream-let stream-map stream-match stream-of stream-range stream-ref stream-reverse
            stream-scan stream-take stream-take-while stream-unfold stream-unfolds stream-zip))

;;; A stream is a promise of either the empty list or a pare of a promised element and a stream.
(define-record-type <stream>
  (make-stream promise)
  stream?
  (promise stream-promise))

(define-record-type <stream-pare>
  (make-stream-pare kar kdr)
  stream-pare?
  (kar stream-kar)
  (kdr stream-kdr))

(define-syntax stream-lazy
  (syntax-rules ()
    ((_ expr) (make-stream (delay-force (stream-promise expr))))))

(define (stream-eager value)
  (make-stream (make-promise value)))

(define (stream-force s)
  (force (stream-promise s)))

(define (wrong name message arg)
  (throw 'wrong-type-arg name message '() (list arg)))

(define stream-null (stream-eager '()))

(define-syntax stream-cons
  (syntax-rules ()
    ((_ obj strm) (stream-eager (make-stream-pare (delay obj) (stream-lazy strm))))))

(define (stream-null? obj)
  (and (stream? obj) (null? (stream-force obj))))

(define (stream-pair? obj)
  (and (stream? obj) (stream-pare? (stream-force obj))))

(define (stream-car strm)
  (cond ((not (stream? strm)) (wrong 'stream-car "non-stream" strm))
        ((stream-null? strm) (wrong 'stream-car "null stream" strm))
        (else (force (stream-kar (stream-force strm))))))

(define (stream-cdr strm)
  (cond ((not (stream? strm)) (wrong 'stream-cdr "non-stream" strm))
        ((stream-null? strm) (wrong 'stream-cdr "null stream" strm))
        (else (stream-kdr (stream-force strm)))))

(define-syntax stream-lambda
  (syntax-rules ()
    ((_ formals body0 body1 ...) (lambda formals (stream-lazy (let () body0 body1 ...))))))

(define-syntax define-stream
  (syntax-rules ()
    ((_ (name . formal) body0 body1 ...) (define name (stream-lambda formal body0 body1 ...)))))

(define-syntax stream
  (syntax-rules ()
    ((_) stream-null)
    ((_ x y ...) (stream-cons x (stream y ...)))))

(define-syntax stream-let
  (syntax-rules ()
    ((_ tag ((name val) ...) body1 body2 ...)
     ((letrec ((tag (stream-lambda (name ...) body1 body2 ...))) tag) val ...))))

(define-syntax stream-of
  (syntax-rules ()
    ((_ expr rest ...) (stream-of-aux expr stream-null rest ...))))

(define-syntax stream-of-aux
  (syntax-rules (in is)
    ((_ expr base) (stream-cons expr base))
    ((_ expr base (var in s) rest ...)
     (stream-let loop ((strm s))
       (if (stream-null? strm)
           base
           (let ((var (stream-car strm)))
             (stream-of-aux expr (loop (stream-cdr strm)) rest ...)))))
    ((_ expr base (var is exp) rest ...)
     (let ((var exp)) (stream-of-aux expr base rest ...)))
    ((_ expr base pred? rest ...)
     (if pred? (stream-of-aux expr base rest ...) base))))

(define-syntax stream-match
  (syntax-rules ()
    ((_ strm-expr clause ...)
     (let ((strm strm-expr))
       (cond
        ((not (stream? strm)) (wrong 'stream-match "non-stream argument" strm))
        ((stream-match-test strm clause) => car) ...
        (else (throw 'match-error 'stream-match "pattern failure" '() '())))))))

(define-syntax stream-match-test
  (syntax-rules ()
    ((_ strm (pattern fender expr))
     (stream-match-pattern strm pattern () (and fender (list expr))))
    ((_ strm (pattern expr))
     (stream-match-pattern strm pattern () (list expr)))))

(define-syntax stream-match-pattern
  (syntax-rules (_)
    ((_ strm () (binding ...) body)
     (and (stream-null? strm) (let (binding ...) body)))
    ((_ strm (_ . rest) (binding ...) body)
     (and (stream-pair? strm)
          (let ((s (stream-cdr strm)))
            (stream-match-pattern s rest (binding ...) body))))
    ((_ strm (var . rest) (binding ...) body)
     (and (stream-pair? strm)
          (let ((temp (stream-car strm)) (s (stream-cdr strm)))
            (stream-match-pattern s rest (binding ... (var temp)) body))))
    ((_ strm _ (binding ...) body)
     (let (binding ...) body))
    ((_ strm var (binding ...) body)
     (let (binding ... (var strm)) body))))

;;; ------------------------------------------------------------ procedures

(define (check-procedure name proc)
  (unless (procedure? proc) (wrong name "non-procedural argument" proc)))

(define (check-stream name strm)
  (unless (stream? strm) (wrong name "non-stream argument" strm)))

(define (check-count name n)
  (unless (integer? n) (wrong name "non-integer argument" n))
  (when (negative? n) (wrong name "negative argument" n)))

(define (list->stream objs)
  (unless (list? objs) (wrong 'list->stream "non-list argument" objs))
  (let loop ((objs objs))
    (stream-lazy (if (null? objs) stream-null (stream-cons (car objs) (loop (cdr objs)))))))

(define* (port->stream #:optional (port (current-input-port)))
  (unless (input-port? port) (wrong 'port->stream "non-input-port argument" port))
  (let loop ()
    (stream-lazy
     (let ((c (read-char port)))
       (if (eof-object? c) stream-null (stream-cons c (loop)))))))

(define stream->list
  (case-lambda
    ((strm) (stream->list -1 strm))
    ((n strm)
     (check-stream 'stream->list strm)
     (unless (integer? n) (wrong 'stream->list "non-integer count" n))
     (let loop ((n n) (strm strm) (acc '()))
       (if (or (zero? n) (stream-null? strm))
           (reverse acc)
           (loop (- n 1) (stream-cdr strm) (cons (stream-car strm) acc)))))))

(define (stream-append . strms)
  (for-each (lambda (s) (check-stream 'stream-append s)) strms)
  (let outer ((strms strms))
    (stream-lazy
     (if (null? strms)
         stream-null
         (let inner ((strm (car strms)))
           (stream-lazy
            (if (stream-null? strm)
                (outer (cdr strms))
                (stream-cons (stream-car strm) (inner (stream-cdr strm))))))))))

(define (stream-concat strms)
  (check-stream 'stream-concat strms)
  (let outer ((strms strms))
    (stream-lazy
     (if (stream-null? strms)
         stream-null
         (let ((first (stream-car strms)))
           (check-stream 'stream-concat first)
           (let inner ((strm first))
             (stream-lazy
              (if (stream-null? strm)
                  (outer (stream-cdr strms))
                  (stream-cons (stream-car strm) (inner (stream-cdr strm)))))))))))

(define (stream-constant . objs)
  (let loop ((s objs))
    (stream-lazy
     (cond ((null? objs) stream-null)
           ((null? s) (loop objs))
           (else (stream-cons (car s) (loop (cdr s))))))))

(define (stream-drop n strm)
  (check-count 'stream-drop n)
  (check-stream 'stream-drop strm)
  (let loop ((n n) (strm strm))
    (stream-lazy
     (if (or (zero? n) (stream-null? strm)) strm (loop (- n 1) (stream-cdr strm))))))

(define (stream-drop-while pred? strm)
  (check-procedure 'stream-drop-while pred?)
  (check-stream 'stream-drop-while strm)
  (let loop ((strm strm))
    (stream-lazy
     (if (and (stream-pair? strm) (pred? (stream-car strm))) (loop (stream-cdr strm)) strm))))

(define (stream-filter pred? strm)
  (check-procedure 'stream-filter pred?)
  (check-stream 'stream-filter strm)
  (let loop ((strm strm))
    (stream-lazy
     (cond ((stream-null? strm) stream-null)
           ((pred? (stream-car strm)) (stream-cons (stream-car strm) (loop (stream-cdr strm))))
           (else (loop (stream-cdr strm)))))))

(define (stream-fold proc base strm)
  (check-procedure 'stream-fold proc)
  (check-stream 'stream-fold strm)
  (let loop ((base base) (strm strm))
    (if (stream-null? strm) base (loop (proc base (stream-car strm)) (stream-cdr strm)))))

(define (stream-for-each proc . strms)
  (check-procedure 'stream-for-each proc)
  (when (null? strms) (wrong 'stream-for-each "no stream arguments" strms))
  (for-each (lambda (s) (check-stream 'stream-for-each s)) strms)
  (let loop ((strms strms))
    (unless (any-null? strms)
      (apply proc (map stream-car strms))
      (loop (map stream-cdr strms)))))

(define (any-null? strms)
  (and (pair? strms) (or (stream-null? (car strms)) (any-null? (cdr strms)))))

(define* (stream-from first #:optional (step 1))
  (unless (number? first) (wrong 'stream-from "non-numeric starting number" first))
  (unless (number? step) (wrong 'stream-from "non-numeric step size" step))
  (let loop ((first first))
    (stream-cons first (loop (+ first step)))))

(define (stream-iterate proc base)
  (check-procedure 'stream-iterate proc)
  (let loop ((base base))
    (stream-cons base (loop (proc base)))))

(define (stream-length strm)
  (check-stream 'stream-length strm)
  (let loop ((len 0) (strm strm))
    (if (stream-null? strm) len (loop (+ len 1) (stream-cdr strm)))))

(define (stream-map proc . strms)
  (check-procedure 'stream-map proc)
  (when (null? strms) (wrong 'stream-map "no stream arguments" strms))
  (for-each (lambda (s) (check-stream 'stream-map s)) strms)
  (let loop ((strms strms))
    (stream-lazy
     (if (any-null? strms)
         stream-null
         (stream-cons (apply proc (map stream-car strms)) (loop (map stream-cdr strms)))))))

(define* (stream-range first past #:optional (step (if (< first past) 1 -1)))
  (unless (number? first) (wrong 'stream-range "non-numeric starting number" first))
  (unless (number? past) (wrong 'stream-range "non-numeric ending number" past))
  (let ((before? (if (< 0 step) < >)))
    (let loop ((first first))
      (stream-lazy
       (if (before? first past) (stream-cons first (loop (+ first step))) stream-null)))))

(define (stream-ref strm n)
  (check-stream 'stream-ref strm)
  (check-count 'stream-ref n)
  (let loop ((strm strm) (n n))
    (cond ((stream-pair? strm)
           (if (zero? n) (stream-car strm) (loop (stream-cdr strm) (- n 1))))
          (else (wrong 'stream-ref "beyond end of stream" strm)))))

(define (stream-reverse strm)
  (check-stream 'stream-reverse strm)
  (let loop ((strm strm) (rev stream-null))
    (stream-lazy
     (if (stream-null? strm) rev (loop (stream-cdr strm) (stream-cons (stream-car strm) rev))))))

(define (stream-scan proc base strm)
  (check-procedure 'stream-scan proc)
  (check-stream 'stream-scan strm)
  (let loop ((base base) (strm strm))
    (if (stream-null? strm)
        (stream base)
        (stream-cons base (loop (proc base (stream-car strm)) (stream-cdr strm))))))

(define (stream-take n strm)
  (check-stream 'stream-take strm)
  (check-count 'stream-take n)
  (let loop ((n n) (strm strm))
    (stream-lazy
     (if (or (zero? n) (stream-null? strm))
         stream-null
         (stream-cons (stream-car strm) (loop (- n 1) (stream-cdr strm)))))))

(define (stream-take-while pred? strm)
  (check-procedure 'stream-take-while pred?)
  (check-stream 'stream-take-while strm)
  (let loop ((strm strm))
    (stream-lazy
     (cond ((stream-null? strm) stream-null)
           ((pred? (stream-car strm)) (stream-cons (stream-car strm) (loop (stream-cdr strm))))
           (else stream-null)))))

(define (stream-unfold mapper pred? generator base)
  (check-procedure 'stream-unfold mapper)
  (check-procedure 'stream-unfold pred?)
  (check-procedure 'stream-unfold generator)
  (let loop ((base base))
    (stream-lazy
     (if (pred? base) (stream-cons (mapper base) (loop (generator base))) stream-null))))

(define (stream-unfolds gen seed)
  ;; GEN returns the next seed and one result per stream: (x) an element, #f none,
  ;; () the end of that stream, a longer list several elements.
  (define (len-values)
    (call-with-values (lambda () (gen seed)) (lambda vs (- (length vs) 1))))
  (define unfold-result-stream
    (stream-lambda (gen seed)
      (call-with-values (lambda () (gen seed))
        (lambda (next . results)
          (stream-cons results (unfold-result-stream gen next))))))
  (define (result-stream->output-stream result-stream i)
    (let loop ((result-stream result-stream))
      (stream-lazy
       (let ((result (list-ref (stream-car result-stream) (- i 1))))
         (cond ((pair? result)
                (let emit ((items result))
                  (if (null? items)
                      (loop (stream-cdr result-stream))
                      (stream-cons (car items) (emit (cdr items))))))
               ((not result) (loop (stream-cdr result-stream)))
               ((null? result) stream-null)
               (else (wrong 'stream-unfolds "can't happen" result)))))))
  (check-procedure 'stream-unfolds gen)
  (let ((result-stream (unfold-result-stream gen seed)))
    (apply values
           (let loop ((i (len-values)) (outputs '()))
             (if (zero? i)
                 outputs
                 (loop (- i 1) (cons (result-stream->output-stream result-stream i) outputs)))))))

(define (stream-zip . strms)
  (when (null? strms) (wrong 'stream-zip "no stream arguments" strms))
  (for-each (lambda (s) (check-stream 'stream-zip s)) strms)
  (let loop ((strms strms))
    (stream-lazy
     (if (any-null? strms)
         stream-null
         (stream-cons (map stream-car strms) (loop (map stream-cdr strms)))))))
