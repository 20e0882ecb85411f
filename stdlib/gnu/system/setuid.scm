;;; schemy --- Setuid programs (Guix manual, "Setuid Programs"): since Guix made
;;; them privileged programs, `setuid-program' builds a <privileged-program> whose
;;; setuid? defaults to #t, and its accessors are the privileged program's.

(define-module (gnu system setuid)
  #:use-module (gnu system privilege)
  #:re-export (file-like->setuid-program)
  #:export (setuid-program
            setuid-program?
            setuid-program-program
            setuid-program-setuid?
            setuid-program-setgid?
            setuid-program-user
            setuid-program-group))

(define-syntax setuid-program
  (lambda (x)
    (syntax-case x ()
      ((_ clause ...)
       (let loop ((clauses #'(clause ...)))
         (cond ((null? clauses)
                #'(privileged-program (setuid? #t) clause ...))
               ((let ((d (syntax->datum (car clauses))))
                  (and (pair? d) (eq? (car d) 'setuid?)))
                #'(privileged-program clause ...))
               (else (loop (cdr clauses)))))))))

(define setuid-program?        privileged-program?)
(define setuid-program-program privileged-program-program)
(define setuid-program-setuid? privileged-program-setuid?)
(define setuid-program-setgid? privileged-program-setgid?)
(define setuid-program-user    privileged-program-user)
(define setuid-program-group   privileged-program-group)
