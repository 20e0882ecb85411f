;;; schemy --- (web uri): URI records, parsing, printing and percent-encoding, behaving as
;;; Guile 3.0's module of that name (RFC 3986 references; uri->string leaves out a scheme's
;;; default port; invalid strings parse to #f; build-uri raises uri-error).

(define-module (web uri)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-9)
  #:use-module (ice-9 iconv)
  #:export (uri? uri-reference? relative-ref?
            uri-scheme uri-userinfo uri-host uri-port uri-path uri-query uri-fragment
            build-uri build-uri-reference build-relative-ref
            declare-default-port!
            string->uri string->uri-reference string->relative-ref uri->string
            uri-decode uri-encode
            split-and-decode-uri-path encode-and-join-uri-path))

(define-record-type <uri>
  (make-uri scheme userinfo host port path query fragment)
  uri-reference?
  (scheme uri-scheme)
  (userinfo uri-userinfo)
  (host uri-host)
  (port uri-port)
  (path uri-path)
  (query uri-query)
  (fragment uri-fragment))

(define (uri? x)
  "Whether X is an absolute URI (a reference with a scheme)."
  (and (uri-reference? x) (uri-scheme x) #t))

(define (relative-ref? x)
  (and (uri-reference? x) (not (uri-scheme x))))

(define (uri-error message . args)
  (throw 'uri-error message args))

;;; ------------------------------------------------------------ hosts

(define (ascii-alpha? c) (or (char<=? #\a c #\z) (char<=? #\A c #\Z)))
(define (ascii-digit? c) (char<=? #\0 c #\9))
(define (ascii-alnum? c) (or (ascii-alpha? c) (ascii-digit? c)))
(define (hex-digit? c) (or (ascii-digit? c) (char<=? #\a (char-downcase c) #\f)))

(define (ipv4-address? s)
  (let ((parts (string-split s #\.)))
    (and (= (length parts) 4)
         (every (lambda (p)
                  (and (<= 1 (string-length p) 3) (string-every ascii-digit? p)
                       (<= (string->number p) 255)))
                parts))))

(define (ipv6-address? s)
  ;; Hex groups separated by ":", at most one "::", an IPv4 address allowed last.
  (and (string-index s #\:)
       (let* ((double (string-contains s "::"))
              (twice (and double (string-contains s "::" (+ double 1)))))
         (and (not twice)
              (let* ((groups (filter (lambda (g) (not (string-null? g)))
                                     (string-split s #\:)))
                     (last-ipv4? (and (pair? groups) (ipv4-address? (last groups))))
                     (hex (if last-ipv4? (drop-right groups 1) groups))
                     (count (+ (length hex) (if last-ipv4? 2 0))))
                (and (every (lambda (g) (and (<= 1 (string-length g) 4) (string-every hex-digit? g))) hex)
                     (if double (< count 8) (= count 8))
                     (or double
                         (not (or (string-prefix? ":" s) (string-suffix? ":" s))))))))))

(define (domain-label? label top?)
  (let ((n (string-length label)))
    (and (> n 0)
         (if top? (ascii-alpha? (string-ref label 0)) (ascii-alnum? (string-ref label 0)))
         (ascii-alnum? (string-ref label (- n 1)))
         (string-every (lambda (c) (or (ascii-alnum? c) (char=? c #\-))) label))))

(define (valid-host? host)
  (or (ipv4-address? host)
      (ipv6-address? host)
      (let ((labels (string-split host #\.)))
        (and (every (lambda (l) (domain-label? l #f)) labels)
             (domain-label? (last labels) #t)))))

;;; ------------------------------------------------------------ building

(define (first-segment-has-colon? path)
  (let ((seg (substring path 0 (or (string-index path #\/) (string-length path)))))
    (and (string-index seg #\:) #t)))

(define (validate scheme userinfo host port path query fragment)
  (cond
   ((and scheme (not (symbol? scheme)))
    (uri-error "Expected a symbol for the URI scheme: ~s" scheme))
   ((and (or userinfo port) (not host))
    (uri-error "Expected a host, given userinfo or port"))
   ((and port (not (and (exact-integer? port) (>= port 0))))
    (uri-error "Expected port to be an integer: ~s" port))
   ((and host (not (valid-host? host)))
    (uri-error "Expected valid host: ~s" host))
   ((and host (not (string-null? path)) (not (string-prefix? "/" path)))
    (uri-error "Expected absolute path starting with \"/\": ~a" path))
   ((and (not scheme) (not host) (first-segment-has-colon? path))
    (uri-error "Expected relative path's first segment without \":\": ~a" path))
   (else #t)))

(define* (build-uri scheme #:key userinfo host port (path "") query fragment (validate? #t))
  "An absolute URI; with VALIDATE?, a uri-error names what is wrong."
  (when validate?
    (unless (symbol? scheme) (uri-error "Expected a symbol for the URI scheme: ~s" scheme))
    (validate scheme userinfo host port path query fragment))
  (make-uri scheme userinfo host port path query fragment))

(define* (build-uri-reference #:key scheme userinfo host port (path "") query fragment
                              (validate? #t))
  (when validate? (validate scheme userinfo host port path query fragment))
  (make-uri scheme userinfo host port path query fragment))

(define* (build-relative-ref #:key userinfo host port (path "") query fragment (validate? #t))
  (when validate? (validate #f userinfo host port path query fragment))
  (make-uri #f userinfo host port path query fragment))

;;; ------------------------------------------------------------ parsing

(define (scheme-end s)
  ;; The index of the ":" ending a scheme at the start of S, else #f.
  (let ((colon (string-index s #\:)))
    (and colon (> colon 0)
         (ascii-alpha? (string-ref s 0))
         (string-every (lambda (c) (or (ascii-alnum? c) (memv c '(#\+ #\- #\.))))
                       (substring s 0 colon))
         colon)))

(define (parse-authority auth)
  ;; (values userinfo host port) or #f when AUTH is not a valid authority.
  (let* ((at (string-index auth #\@))
         (userinfo (and at (substring auth 0 at)))
         (hostport (if at (substring auth (+ at 1)) auth)))
    (cond
     ((and userinfo (or (string-null? userinfo) (string-index userinfo #\/))) #f)
     ((string-prefix? "[" hostport)
      (let ((close (string-index hostport #\])))
        (and close
             (let ((host (substring hostport 1 close))
                   (rest (substring hostport (+ close 1))))
               (and (ipv6-address? host)
                    (let ((port (parse-port rest)))
                      (and port (list userinfo host (car port)))))))))
     (else
      (let* ((colon (string-rindex hostport #\:))
             (host (if colon (substring hostport 0 colon) hostport))
             (port (parse-port (if colon (substring hostport colon) ""))))
        (and port
             (cond ((string-null? host) (and (not userinfo) (not (car port)) (list #f #f #f)))
                   ((valid-host? host) (list userinfo host (car port)))
                   (else #f))))))))

(define (parse-port s)
  ;; S is "" or ":DIGITS": a list of the port (#f when none), else #f.
  (cond ((string-null? s) (list #f))
        ((string=? s ":") (list #f))
        ((string-every ascii-digit? (substring s 1)) (list (string->number (substring s 1))))
        (else #f)))

(define (string->uri-reference string)
  "The URI reference STRING denotes, or #f when it is not one."
  (let* ((hash (string-index string #\#))
         (fragment (and hash (substring string (+ hash 1))))
         (before-fragment (if hash (substring string 0 hash) string))
         (qmark (string-index before-fragment #\?))
         (query (and qmark (substring before-fragment (+ qmark 1))))
         (hier (if qmark (substring before-fragment 0 qmark) before-fragment))
         (colon (scheme-end hier))
         (scheme (and colon (string->symbol (string-downcase (substring hier 0 colon)))))
         (rest (if colon (substring hier (+ colon 1)) hier)))
    (cond
     ((and (not scheme) (first-segment-has-colon? rest)) #f)
     ((string-prefix? "//" rest)
      (let* ((slash (string-index rest #\/ 2))
             (auth (substring rest 2 (or slash (string-length rest))))
             (path (if slash (substring rest slash) ""))
             (parsed (parse-authority auth)))
        (and parsed
             (apply (lambda (userinfo host port)
                      (make-uri scheme userinfo host port path query fragment))
                    parsed))))
     (else (make-uri scheme #f #f #f rest query fragment)))))

(define (string->uri string)
  "The absolute URI STRING denotes, or #f."
  (let ((ref (string->uri-reference string)))
    (and ref (uri-scheme ref) ref)))

(define (string->relative-ref string)
  (let ((ref (string->uri-reference string)))
    (and ref (not (uri-scheme ref)) ref)))

;;; ------------------------------------------------------------ printing

(define default-ports (list (cons 'http 80) (cons 'https 443)))

(define (declare-default-port! scheme port)
  "Make uri->string leave out PORT in SCHEME's URIs."
  (set! default-ports (cons (cons scheme port) default-ports)))

(define (default-port? scheme port)
  (let ((entry (assq scheme default-ports)))
    (and entry (eqv? (cdr entry) port))))

(define* (uri->string uri #:key (include-fragment? #t))
  (let ((scheme (uri-scheme uri)) (host (uri-host uri)) (port (uri-port uri)))
    (string-append
     (if scheme (string-append (symbol->string scheme) ":") "")
     (if host
         (string-append "//"
                        (if (uri-userinfo uri) (string-append (uri-userinfo uri) "@") "")
                        (if (string-index host #\:) (string-append "[" host "]") host)
                        (if (and port (not (default-port? scheme port)))
                            (string-append ":" (number->string port))
                            ""))
         "")
     (uri-path uri)
     (if (uri-query uri) (string-append "?" (uri-query uri)) "")
     (if (and include-fragment? (uri-fragment uri))
         (string-append "#" (uri-fragment uri))
         ""))))

;;; ------------------------------------------------------------ percent-encoding

(define unreserved-chars
  (char-set-union (string->char-set "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                  (string->char-set "-._~")))

(define* (uri-decode str #:key (encoding "utf-8") (decode-plus-to-space? #t))
  "STR with its %XX escapes (and + when DECODE-PLUS-TO-SPACE?) decoded as ENCODING."
  (let ((n (string-length str)))
    (let loop ((i 0) (bytes '()))
      (if (>= i n)
          (bytevector->string (u8-list->bytevector (reverse bytes)) encoding)
          (let ((c (string-ref str i)))
            (cond
             ((and (char=? c #\+) decode-plus-to-space?) (loop (+ i 1) (cons 32 bytes)))
             ((and (char=? c #\%) (< (+ i 2) n)
                   (hex-digit? (string-ref str (+ i 1))) (hex-digit? (string-ref str (+ i 2))))
              (loop (+ i 3) (cons (string->number (substring str (+ i 1) (+ i 3)) 16) bytes)))
             (else
              (loop (+ i 1)
                    (append (reverse (bytevector->u8-list (string->bytevector (string c) encoding)))
                            bytes)))))))))

(define* (uri-encode str #:key (encoding "utf-8") (unescaped-chars unreserved-chars))
  "STR with every character outside UNESCAPED-CHARS written as %XX escapes of its ENCODING bytes."
  (string-concatenate
   (map (lambda (c)
          (if (char-set-contains? unescaped-chars c)
              (string c)
              (string-concatenate
               (map (lambda (b)
                      (string-append "%" (string-upcase
                                          (string-pad (number->string b 16) 2 #\0))))
                    (bytevector->u8-list (string->bytevector (string c) encoding))))))
        (string->list str))))

(define (split-and-decode-uri-path path)
  "The decoded, non-empty segments of PATH."
  (map (lambda (s) (uri-decode s #:decode-plus-to-space? #f))
       (filter (lambda (s) (not (string-null? s))) (string-split path #\/))))

(define (encode-and-join-uri-path parts)
  (string-join (map uri-encode parts) "/"))
