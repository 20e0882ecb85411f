(define-module (bad cycle-b)
  #:use-module (bad cycle-a)
  #:export (b-value))
(define b-value 2)
