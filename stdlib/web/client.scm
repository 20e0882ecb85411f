;;; schemy --- (web client): HTTP(S) requests, as Guile's module makes them
;;; (http-get, http-post... returning the response and its body).  The
;;; exchange itself is Python's; `system check' forbids it (its sandbox has no
;;; network), `system build' makes it.

(define-module (web client)
  #:use-module (schemy http)
  #:use-module (web uri)
  #:use-module (web response)
  #:use-module (rnrs bytevectors)
  #:use-module (rnrs io ports)
  #:export (http-request
            http-get
            http-head
            http-post
            http-put
            http-delete
            http-options
            http-trace))

(define (textual-type? type)
  (let ((name (symbol->string (car type))))
    (or (string-prefix? "text/" name)
        (assq 'charset (cdr type))
        (member name '("application/json" "application/xml" "application/javascript"))
        (string-suffix? "+xml" name)
        (string-suffix? "+json" name))))

(define (header-text value)
  (cond ((string? value) value)
        ((symbol? value) (symbol->string value))
        ((number? value) (number->string value))
        ((pair? value)                  ; (TYPE (PARAM . VALUE) ...), as content-type is given
         (string-join (cons (if (symbol? (car value)) (symbol->string (car value)) (car value))
                            (map (lambda (p) (format #f "~a=~a" (car p) (cdr p))) (cdr value)))
                      ";"))
        (else (format #f "~a" value))))

(define* (http-request uri #:key (body #f) (port #f) (method 'GET) (version '(1 . 1))
                       (keep-alive? #f) (headers '()) (decode-body? #t) (streaming? #f))
  "Send METHOD to URI with HEADERS and BODY; return the response and its body: a
string when DECODE-BODY? and the body is text, else a bytevector, or with
STREAMING? an input port to read it from (the response's port)."
  (let* ((url (if (uri? uri) (uri->string uri) uri))
         (answer (%http-request method url
                                (map (lambda (h) (cons (car h) (header-text (cdr h)))) headers)
                                (if (string? body) (string->utf8 body) body)))
         (data (vector-ref answer 3))
         (body-port (open-bytevector-input-port data))
         (response (build-response #:version version #:code (vector-ref answer 0)
                                   #:reason-phrase (vector-ref answer 1)
                                   #:headers (vector-ref answer 2)
                                   #:port body-port)))
    (cond (streaming? (values response body-port))
          ((and decode-body? (response-content-type response)
                (textual-type? (response-content-type response)))
           (values response (utf8->string data)))
          (else (values response (if (zero? (bytevector-length data)) #f data))))))

(define-syntax-rule (define-method name verb)
  (define (name uri . args)
    (apply http-request uri #:method 'verb args)))

(define-method http-get GET)
(define-method http-head HEAD)
(define-method http-post POST)
(define-method http-put PUT)
(define-method http-delete DELETE)
(define-method http-options OPTIONS)
(define-method http-trace TRACE)
