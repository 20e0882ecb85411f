;;; schemy --- (guix store): the names configurations take from it.

(define-module (guix store)
  #:use-module (gnu services base)
  #:re-export (%default-substitute-urls))
