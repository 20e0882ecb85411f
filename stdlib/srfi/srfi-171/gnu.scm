;;; schemy --- (srfi srfi-171 gnu): Guile's extra transducers, tbatch and tfold.

(define-module (srfi srfi-171 gnu)
  #:use-module (srfi srfi-171 meta)
  #:export (tbatch tfold))

(define tbatch
  ;; Groups inputs with a batch reducer (optionally behind transducer T): a batch is passed on
  ;; when it is reduced, and the last, incomplete one at the end.
  (case-lambda
    ((batch) (tbatch (lambda (r) r) batch))
    ((t batch)
     (lambda (reducer)
       (let* ((batch-reducer (t batch)) (state (batch-reducer)) (pending? #f))
         (define (restart!)
           (set! batch-reducer (t batch))
           (set! state (batch-reducer))
           (set! pending? #f))
         (case-lambda
           (() (reducer))
           ((result)
            (reducer (if pending?
                         (let ((r (reducer result (batch-reducer state))))
                           (if (reduced? r) (unreduce r) r))
                         result)))
           ((result input)
            (set! state (batch-reducer state input))
            (set! pending? #t)
            (if (reduced? state)
                (let ((out (batch-reducer (unreduce state))))
                  (restart!)
                  (reducer result out))
                result))))))))

(define* (tfold reducer #:optional (seed (reducer)))
  "Pass on the running fold of REDUCER over the inputs, starting from SEED."
  (lambda (r)
    (let ((state seed))
      (case-lambda
        (() (r))
        ((result) (r result))
        ((result input)
         (set! state (reducer state input))
         (if (reduced? state)
             (reduced (r result (unreduce state)))
             (r result state)))))))
