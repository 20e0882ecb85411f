;;; schemy --- (ice-9 list): reverse association lookups.

(define-module (ice-9 list)
  #:export (rassq rassv rassoc))

(define (rass same? key alist)
  (let loop ((alist alist))
    (cond ((null? alist) #f)
          ((same? key (cdar alist)) (car alist))
          (else (loop (cdr alist))))))

(define (rassq key alist) (rass eq? key alist))
(define (rassv key alist) (rass eqv? key alist))
(define* (rassoc key alist #:optional (same? equal?)) (rass same? key alist))
