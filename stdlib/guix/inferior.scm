;;; schemy --- (guix inferior): packages of another Guix revision.  schemy
;;; cannot run another Guix, so using an inferior is a clear error; a config
;;; that merely imports the module still loads.

(define-module (guix inferior)
  #:export (inferior-for-channels
            lookup-inferior-packages
            inferior-package?
            open-inferior))

(define (unsupported what)
  (error (string-append what ": schemy cannot run another Guix revision (inferiors are not supported)")))

(define (inferior-for-channels . _) (unsupported "inferior-for-channels"))
(define (open-inferior . _) (unsupported "open-inferior"))
(define (lookup-inferior-packages . _) (unsupported "lookup-inferior-packages"))
(define (inferior-package? x) #f)
