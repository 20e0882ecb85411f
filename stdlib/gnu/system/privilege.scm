;;; schemy --- Privileged programs (Guix manual, "Privileged Programs"), the
;;; successor of setuid programs: setuid/setgid bits and capabilities.

(define-module (gnu system privilege)
  #:use-module (guix records)
  #:export (privileged-program
            privileged-program?
            privileged-program-program
            privileged-program-setuid?
            privileged-program-setgid?
            privileged-program-user
            privileged-program-group
            privileged-program-capabilities
            file-like->setuid-program))

(define-record-type* <privileged-program> privileged-program
  make-privileged-program privileged-program?
  (program      privileged-program-program)
  (setuid?      privileged-program-setuid? (default #f))
  (setgid?      privileged-program-setgid? (default #f))
  (user         privileged-program-user (default 0))
  (group        privileged-program-group (default 0))
  (capabilities privileged-program-capabilities (default #f)))

(define (file-like->setuid-program program)
  (privileged-program (program program) (setuid? #t)))
