;;; schemy --- (guix base16): bytevectors as hexadecimal text.

(define-module (guix base16)
  #:use-module (schemy codecs)
  #:re-export (bytevector->base16-string
               base16-string->bytevector))
