;;; schemy --- (web response): the HTTP responses (web client) returns, as Guile's
;;; module names them.  Header values are the text the server sent, except
;;; content-type, parsed as Guile parses it: (TYPE (PARAM . VALUE) ...).

(define-module (web response)
  #:use-module (srfi srfi-9)
  #:use-module (rnrs bytevectors)
  #:use-module (rnrs io ports)
  #:export (build-response
            response?
            response-version
            response-code
            response-reason-phrase
            response-headers
            response-port
            response-content-type
            response-content-length
            response-must-not-include-body?
            read-response-body))

(define-record-type <response>
  (make-response version code reason-phrase headers port)
  response?
  (version response-version)
  (code response-code)
  (reason-phrase response-reason-phrase)
  (headers response-headers)
  (port response-port))

(define* (build-response #:key (version '(1 . 1)) (code 200) (reason-phrase #f)
                         (headers '()) (port #f) (validate-headers? #t))
  (make-response version code (or reason-phrase "") headers port))

(define (response-content-type response)
  (let ((value (assq-ref (response-headers response) 'content-type)))
    (and value (parse-content-type value))))

(define (parse-content-type text)
  (if (string? text)
      (let ((parts (map string-trim-both (string-split text #\;))))
        (cons (string->symbol (string-downcase (car parts)))
              (filter-map (lambda (param)
                            (let ((eq (string-index param #\=)))
                              (and eq
                                   (cons (string->symbol (string-downcase (substring param 0 eq)))
                                         (string-trim-both (substring param (+ eq 1))
                                                           #\")))))
                          (cdr parts))))
      text))

(define (response-content-length response)
  (let ((value (assq-ref (response-headers response) 'content-length)))
    (and value (string->number value))))

(define (response-must-not-include-body? response)
  (let ((code (response-code response)))
    (or (<= 100 code 199) (= code 204) (= code 304))))

(define (read-response-body response)
  "The rest of RESPONSE's body as a bytevector, or #f when it has none."
  (let ((port (response-port response)))
    (and port
         (let ((data (get-bytevector-all port)))
           (if (eof-object? data) #f data)))))
