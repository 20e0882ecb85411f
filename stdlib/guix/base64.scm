;;; schemy --- (guix base64): base64 encoding of bytevectors (RFC 4648), with the
;;; standard or the URL-safe alphabet.

(define-module (guix base64)
  #:use-module (schemy codecs)
  #:export (base64-encode
            base64-decode
            base64-alphabet
            base64url-alphabet))

(define base64-alphabet
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
(define base64url-alphabet
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

(define* (base64-encode bv #:optional (start 0) (end (bytevector-length bv))
                        (line-length #f) (line-break "\n") (alphabet base64-alphabet))
  "BV from START to END in base64; LINE-LENGTH, when given, breaks the text into lines."
  (%base64-encode bv start end line-length line-break alphabet))

(define* (base64-decode string #:optional (alphabet base64-alphabet))
  "The bytevector STRING encodes (white space is ignored)."
  (%base64-decode string alphabet))
