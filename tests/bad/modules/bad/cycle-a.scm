(define-module (bad cycle-a)
  #:use-module (bad cycle-b)
  #:export (a-value))
(define a-value 1)
