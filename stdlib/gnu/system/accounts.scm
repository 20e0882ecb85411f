;;; schemy --- (gnu system accounts): the account records, defined in
;;; (gnu system shadow) here, plus the subordinate id ranges of Guix's manual.

(define-module (gnu system accounts)
  #:use-module (guix records)
  #:use-module (gnu system shadow)
  #:re-export (user-account user-account? user-group user-group?)
  #:export (subid-range subid-range? subid-range-name subid-range-start subid-range-count))

(define-record-type* <subid-range> subid-range
  make-subid-range subid-range?
  (name  subid-range-name)
  (start subid-range-start (default #f))
  (count subid-range-count (default 65536)))
