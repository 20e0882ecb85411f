;;; schemy --- (ice-9 copy-tree): copy-tree, copying pairs and vectors all the way down.

(define-module (ice-9 copy-tree)
  #:export (copy-tree))

(define (copy-tree obj)
  (cond ((pair? obj) (cons (copy-tree (car obj)) (copy-tree (cdr obj))))
        ((vector? obj) (vector-map copy-tree obj))
        (else obj)))
