(use-modules (web uri))
(define (show x) (write x) (newline))
(define (try thunk) (catch #t thunk (lambda (k . a) (show (list 'error k a)))))
(define (parts u) (and u (list (uri-scheme u) (uri-userinfo u) (uri-host u) (uri-port u) (uri-path u) (uri-query u) (uri-fragment u))))
(for-each (lambda (s) (show (list s (parts (string->uri s)) (parts (string->uri-reference s)) (parts (string->relative-ref s)))))
  '("http://example.org/a/b?x=1&y=2#frag"
    "HTTPS://User:pw@Example.ORG:8443/p%20q?%41#%42"
    "http://[::1]:80/"
    "http://example.org"
    "http://example.org:/x"
    "file:///etc/passwd"
    "mailto:joe@example.com"
    "urn:isbn:0451450523"
    "/relative/path?q"
    "relative/path"
    "//host/path"
    "#frag"
    "?q=1"
    ""
    "http://ex ample.org/"
    "http://example.org:abc/"
    "1http://x/"
    "git+ssh://git@github.com/a/b.git"
    "http://a/b c"
    "http://a@b@c/"))
(for-each (lambda (s) (let ((u (string->uri-reference s))) (show (and u (uri->string u)))))
  '("http://example.org/a/b?x=1&y=2#frag" "http://example.org:80/" "https://example.org:443/x" "https://example.org:80/x"
    "http://[::1]:8080/" "file:///etc" "mailto:joe@example.com" "/rel?q#f" "//host/p" "ftp://u@h:21/" "ssh://h:22/" "http://example.org"))
(show (uri->string (string->uri "http://e.org/p#f") #:include-fragment? #f))
(show (uri? (string->uri "http://e/")))
(show (uri? (string->uri-reference "/x")))
(show (uri-reference? (string->uri-reference "/x")))
(show (relative-ref? (string->uri-reference "/x")))
(show (relative-ref? (string->uri "http://e/")))
(show (uri? 5))
(show (parts (build-uri 'http #:host "example.org" #:port 8080 #:path "/x" #:query "a=b" #:fragment "f")))
(show (uri->string (build-uri 'http #:host "example.org" #:port 8080 #:path "/x" #:query "a=b" #:fragment "f")))
(show (uri->string (build-uri 'http #:host "::1" #:path "/")))
(show (uri->string (build-uri-reference #:path "a/b" #:query "q")))
(show (uri->string (build-relative-ref #:path "/a" #:fragment "z")))
(try (lambda () (build-uri 'http #:host "example.org" #:path "x")))
(try (lambda () (build-uri 'http #:port 80)))
(try (lambda () (build-uri "http" #:host "e")))
(try (lambda () (build-uri 'http #:host "e" #:port -1)))
(try (lambda () (build-uri 'http #:host "a b")))
(try (lambda () (build-uri 'http #:userinfo "u")))
(try (lambda () (build-relative-ref #:path "a:b")))
(show (parts (build-uri 'http #:host "a b" #:validate? #f)))
(show (uri->string (build-uri 'foo #:host "h" #:port 99 #:path "/p")))
(declare-default-port! 'foo 99)
(show (uri->string (build-uri 'foo #:host "h" #:port 99 #:path "/p")))
(show (uri->string (string->uri "foo://h:99/p")))
(show (list (uri-decode "a%20b+c%2Fd%C3%A9") (uri-decode "a+b" #:decode-plus-to-space? #f)))
(try (lambda () (show (uri-decode "%zz"))))
(try (lambda () (show (uri-decode "%4"))))
(show (uri-decode "%FF" #:encoding "iso-8859-1"))
(show (list (uri-encode "a b/c?d=é~_-.!*'()") (uri-encode "a b" #:unescaped-chars (string->char-set "a "))))
(show (uri-encode "é" #:encoding "iso-8859-1"))
(show (split-and-decode-uri-path "/a%20b//c+d/%2F/"))
(show (split-and-decode-uri-path ""))
(show (encode-and-join-uri-path '("a b" "c/d" "é")))
(show (encode-and-join-uri-path '()))
(show (string->uri "http://e.org/p"))
