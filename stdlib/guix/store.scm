;;; schemy --- (guix store): the names configurations take from it.

(define-module (guix store)
  #:use-module (gnu services base)
  #:use-module ((guix config) #:select (%store-directory))
  #:re-export (%default-substitute-urls)
  #:export (%store-prefix))

(define %store-prefix
  ;; Where Guix's store is: a parameter, as in Guix.
  (make-parameter %store-directory))
