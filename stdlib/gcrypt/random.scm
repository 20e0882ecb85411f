;;; schemy --- (gcrypt random): random bytes and tokens from the system's
;;; cryptographic generator (every Guile-Gcrypt randomness level is that one).

(define-module (gcrypt random)
  #:use-module (schemy codecs)
  #:use-module (guix base64)
  #:export (%gcry-weak-random
            %gcry-strong-random
            %gcry-very-strong-random
            gen-random-bv
            random-token))

(define %gcry-weak-random 0)
(define %gcry-strong-random 1)
(define %gcry-very-strong-random 2)

(define* (gen-random-bv #:optional (bv-length 50) (level %gcry-strong-random))
  "A bytevector of BV-LENGTH random bytes."
  (%random-bytes bv-length level))

(define* (random-token #:optional (bv-length 30) (type 'strong))
  "A random URL-safe text of BV-LENGTH bytes of entropy."
  (base64-encode (gen-random-bv bv-length) 0 bv-length #f #f base64url-alphabet))
