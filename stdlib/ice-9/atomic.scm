;;; schemy --- (ice-9 atomic): atomic boxes.  schemy runs Scheme code on a single thread (it
;;; has no (ice-9 threads)), so each operation is a plain read or write of the box.

(define-module (ice-9 atomic)
  #:use-module (srfi srfi-9)
  #:export (make-atomic-box atomic-box? atomic-box-ref atomic-box-set! atomic-box-swap!
            atomic-box-compare-and-swap!))

(define-record-type <atomic-box>
  (make-atomic-box value)
  atomic-box?
  (value atomic-box-ref atomic-box-set!))

(define (atomic-box-swap! box value)
  "Store VALUE in BOX; return what it held."
  (let ((old (atomic-box-ref box)))
    (atomic-box-set! box value)
    old))

(define (atomic-box-compare-and-swap! box expected desired)
  "Store DESIRED in BOX if it holds EXPECTED (eq?); return what it held."
  (let ((old (atomic-box-ref box)))
    (when (eq? old expected)
      (atomic-box-set! box desired))
    old))
