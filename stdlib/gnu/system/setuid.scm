;;; schemy --- Setuid programs (Guix manual, "Setuid Programs").

(define-module (gnu system setuid)
  #:use-module (guix records)
  #:export (setuid-program
            setuid-program?
            setuid-program-program
            setuid-program-setuid?
            setuid-program-setgid?
            setuid-program-user
            setuid-program-group
            file-like->setuid-program))

(define-record-type* <setuid-program> setuid-program
  make-setuid-program setuid-program?
  (program setuid-program-program)            ;file-like
  (setuid? setuid-program-setuid? (default #t))
  (setgid? setuid-program-setgid? (default #f))
  (user    setuid-program-user (default 0))
  (group   setuid-program-group (default 0)))

(define (file-like->setuid-program program)
  "PROGRAM (a file-like) as a setuid-root program."
  (setuid-program (program program)))
