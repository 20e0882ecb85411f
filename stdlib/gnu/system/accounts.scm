;;; schemy --- (gnu system accounts): the account records, defined in
;;; (gnu system shadow) here, plus the subordinate id ranges of Guix's manual
;;; (/etc/subuid and /etc/subgid, written by `subids-service-type').
;;; Every name Guix exports from here is available: the records' accessors,
;;; `default-shell' and the `sexp->' procedures that turn the tuples of
;;; activation snippets back into records.

(define-module (gnu system accounts)
  #:use-module (guix records)
  #:use-module (ice-9 match)
  #:use-module (gnu system shadow)
  #:use-module (schemy subid-ranges)
  #:re-export (user-account
               user-account?
               user-account-name
               user-account-password
               user-account-uid
               user-account-group
               user-account-supplementary-groups
               user-account-comment
               user-account-home-directory
               user-account-create-home-directory?
               user-account-shell
               user-account-system?

               user-group
               user-group?
               user-group-name
               user-group-password
               user-group-id
               user-group-system?

               default-shell

               subid-range subid-range? subid-range-name subid-range-start subid-range-count
               subid-range-end subid-range-has-start? subid-range-less
               sexp->subid-range)
  #:export (sexp->user-account
            sexp->user-group))

(define (sexp->user-group sexp)
  "The user-group of SEXP, a (NAME PASSWORD ID SYSTEM?) tuple."
  (match sexp
    ((name password id system?)
     (user-group (name name) (password password) (id id) (system? system?)))))

(define (sexp->user-account sexp)
  "The user-account of SEXP, a (NAME UID GROUP SUPPLEMENTARY-GROUPS COMMENT
HOME-DIRECTORY CREATE-HOME-DIRECTORY? SHELL PASSWORD SYSTEM?) tuple."
  (match sexp
    ((name uid group supplementary-groups comment home-directory
           create-home-directory? shell password system?)
     (user-account (name name) (uid uid) (group group)
                   (supplementary-groups supplementary-groups)
                   (comment comment) (home-directory home-directory)
                   (create-home-directory? create-home-directory?)
                   (shell shell) (password password) (system? system?)))))
