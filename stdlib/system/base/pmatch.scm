;;; schemy --- (system base pmatch): Guile's small pattern matcher.  ,VAR binds, _ matches
;;; anything, 'DATUM matches an equal? datum, any other atom an eq? one; a clause may carry
;;; (guard TEST ...); when no clause matches the result is unspecified, as in Guile.

(define-module (system base pmatch)
  #:export (pmatch))

(define-syntax pmatch
  (syntax-rules (else guard)
    ((_ (op arg ...) cs ...)
     (let ((v (op arg ...))) (pmatch v cs ...)))
    ((_ v) (if #f #f))
    ((_ v (else e0 e ...)) (let () e0 e ...))
    ((_ v (pat (guard g ...) e0 e ...) cs ...)
     (let ((fk (lambda () (pmatch v cs ...))))
       (pmatch-pattern v pat (if (and g ...) (let () e0 e ...) (fk)) (fk))))
    ((_ v (pat e0 e ...) cs ...)
     (let ((fk (lambda () (pmatch v cs ...))))
       (pmatch-pattern v pat (let () e0 e ...) (fk))))))

(define-syntax pmatch-pattern
  (syntax-rules (_ quote unquote)
    ((_ v _ kt kf) kt)
    ((_ v () kt kf) (if (null? v) kt kf))
    ((_ v (quote lit) kt kf) (if (equal? v (quote lit)) kt kf))
    ((_ v (unquote var) kt kf) (let ((var v)) kt))
    ((_ v (x . y) kt kf)
     (if (pair? v)
         (let ((vx (car v)) (vy (cdr v)))
           (pmatch-pattern vx x (pmatch-pattern vy y kt kf) kf))
         kf))
    ((_ v lit kt kf) (if (eq? v (quote lit)) kt kf))))
