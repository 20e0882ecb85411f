;;; schemy --- The subordinate id ranges of (gnu system accounts), in a module
;;; of their own so that (gnu system shadow), which (gnu system accounts)
;;; imports, can use them too (schemy refuses module cycles).

(define-module (schemy subid-ranges)
  #:use-module (guix records)
  #:use-module (ice-9 match)
  #:export (subid-range subid-range? subid-range-name subid-range-start subid-range-count
            subid-range-end subid-range-has-start? subid-range-less subid-range-location
            sexp->subid-range))

(define-record-type* <subid-range> subid-range
  make-subid-range subid-range?
  (name  subid-range-name)
  (start subid-range-start (default #f))     ;#f: any free place
  (count subid-range-count (default 65536))  ;shadow's default (find_new_sub_uids.c)
  (location subid-range-location             ;where errors about it point
            (default (%construction-location)) (innate)))

(define (subid-range-has-start? range)
  "Whether RANGE asks for a given first id."
  (number? (subid-range-start range)))

(define (subid-range-end range)
  "The last id of RANGE, or #f when it has no start yet."
  (and (subid-range-has-start? range)
       (+ (subid-range-start range) (subid-range-count range) -1)))

(define (subid-range-less a b)
  "The order Guix writes ranges in: ranges with a start first, by start; the
others after them, by name."
  (let ((start-a (subid-range-start a))
        (start-b (subid-range-start b)))
    (cond ((and start-a start-b) (< start-a start-b))
          ((or start-a start-b) (and start-a #t))
          (else (string< (subid-range-name a) (subid-range-name b))))))

(define (sexp->subid-range sexp)
  "The range of SEXP, a list (NAME START COUNT) as activation receives it."
  (match sexp
    ((name start count) (subid-range (name name) (start start) (count count)))))
