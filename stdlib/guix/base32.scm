;;; schemy --- (guix base32): bytevectors in RFC 4648's base32 (lower case, no padding)
;;; and in Nix's base32 (the alphabet and order of store hashes, `(base32 "...")').

(define-module (guix base32)
  #:use-module (schemy codecs)
  #:use-module ((schemy packages) #:select (nix-base32-string->bytevector
                                            bytevector->nix-base32-string))
  #:re-export (bytevector->base32-string
               base32-string->bytevector
               nix-base32-string->bytevector
               bytevector->nix-base32-string)
  #:export (bytevector-quintet-length
            %nix-base32-charset
            %rfc4648-base32-charset))

(define (bytevector-quintet-length bv)
  "The number of 5-bit groups (a last partial one included) in BV."
  (quotient (+ (* 8 (bytevector-length bv)) 4) 5))

(define %nix-base32-charset (string->char-set "0123456789abcdfghijklmnpqrsvwxyz"))
(define %rfc4648-base32-charset (string->char-set "abcdefghijklmnopqrstuvwxyz234567"))
