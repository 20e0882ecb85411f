;;; schemy --- (gcrypt hash): message digests of bytevectors, ports and files, under
;;; Guile-Gcrypt's names (Guix's own code and some configurations use them).

(define-module (gcrypt hash)
  #:use-module (schemy codecs)
  #:use-module (srfi srfi-9)
  #:use-module (rnrs bytevectors)
  #:use-module (rnrs io ports)
  #:export (hash-algorithm
            hash-algorithm?
            hash-algorithm-name
            lookup-hash-algorithm
            hash-size
            bytevector-hash
            port-hash
            file-hash
            md5 sha1 sha224 sha256 sha384 sha512
            sha3-256 sha3-512
            port-sha256 file-sha256
            open-sha256-port open-hash-port))

(define-record-type <hash-algorithm>
  (make-hash-algorithm name)
  hash-algorithm?
  (name hash-algorithm-name))

(define %algorithms
  (map (lambda (name) (cons name (make-hash-algorithm name)))
       '(md5 sha1 sha224 sha256 sha384 sha512 sha3-224 sha3-256 sha3-384 sha3-512
         blake2b-256 blake2b-512 blake2s-256)))

(define (lookup-hash-algorithm name)
  "The algorithm called NAME (a symbol), or #f."
  (let ((entry (assq name %algorithms)))
    (and entry (cdr entry))))

(define-syntax hash-algorithm
  (syntax-rules ()
    ((_ name)
     (or (lookup-hash-algorithm 'name)
         (error "unknown hash algorithm" 'name)))))

(define (algorithm-name algorithm)
  (if (hash-algorithm? algorithm) (hash-algorithm-name algorithm) algorithm))

(define (hash-size algorithm)
  "The size in bytes of ALGORITHM's digests."
  (%hash-size (algorithm-name algorithm)))

(define (bytevector-hash bv algorithm)
  (%bytevector-hash bv (algorithm-name algorithm)))

(define (port-hash algorithm port)
  "The digest of what is left to read on PORT."
  (let ((data (get-bytevector-all port)))
    (bytevector-hash (if (eof-object? data) (make-bytevector 0) data) algorithm)))

(define (file-hash algorithm file)
  (%file-hash (algorithm-name algorithm) file))

(define (md5 bv) (%bytevector-hash bv 'md5))
(define (sha1 bv) (%bytevector-hash bv 'sha1))
(define (sha224 bv) (%bytevector-hash bv 'sha224))
(define (sha256 bv) (%bytevector-hash bv 'sha256))
(define (sha384 bv) (%bytevector-hash bv 'sha384))
(define (sha512 bv) (%bytevector-hash bv 'sha512))
(define (sha3-256 bv) (%bytevector-hash bv 'sha3-256))
(define (sha3-512 bv) (%bytevector-hash bv 'sha3-512))
(define (port-sha256 port) (port-hash 'sha256 port))
(define (file-sha256 file) (%file-hash 'sha256 file))

(define (open-hash-port algorithm)
  "A binary output port and a thunk that gives the digest of what was written to it."
  (call-with-values open-bytevector-output-port
    (lambda (port get)
      (values port (lambda () (bytevector-hash (get) algorithm))))))

(define (open-sha256-port)
  (open-hash-port 'sha256))
