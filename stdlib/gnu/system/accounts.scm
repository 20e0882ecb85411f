;;; schemy --- (gnu system accounts): the account records, defined in
;;; (gnu system shadow) here, plus the subordinate id ranges of Guix's manual
;;; (/etc/subuid and /etc/subgid, written by `subids-service-type').

(define-module (gnu system accounts)
  #:use-module (gnu system shadow)
  #:use-module (schemy subid-ranges)
  #:re-export (user-account user-account? user-group user-group?
               subid-range subid-range? subid-range-name subid-range-start subid-range-count
               subid-range-end subid-range-has-start? subid-range-less
               sexp->subid-range))
