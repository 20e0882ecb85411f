;;; schemy --- (nonguix utils): nonguix's helpers for changing packages and
;;; whole operating systems, as nonguix's README and channel use them.

(define-module (nonguix utils)
  #:use-module (ice-9 match)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-43)
  #:use-module (guix gexp)
  #:use-module (guix utils)
  #:use-module (guix packages)
  #:use-module (guix build-system trivial)
  #:use-module (gnu services)
  #:use-module ((gnu packages base) #:select (hello))
  #:export (package-input-grafting
            package-with-alias
            with-transformation
            to32

            %binary-source
            binary-package-from-sources))

(define (to32 package64)
  "PACKAGE64 built for i686-linux when the current system is x86_64-linux;
otherwise PACKAGE64 itself."
  (if (equal? (%current-system) "x86_64-linux")
      (package
        (inherit package64)
        (arguments (cons* #:system "i686-linux" (package-arguments package64))))
      package64))

(define (package-input-grafting replacements)
  "A procedure that grafts, in a package's dependencies, each package of
REPLACEMENTS (a list of (OLD . NEW) pairs) with its NEW; a NEW whose name or
version differs in length from OLD's is padded with zeros, as grafts require."
  (define (pad old new)
    (if (< (string-length new) (string-length old))
        (string-append new (make-string (- (string-length old) (string-length new)) #\0))
        new))
  (define (graft old new)
    (package
      (inherit old)
      (replacement
       (if (and (= (string-length (package-name old)) (string-length (package-name new)))
                (= (string-length (package-version old)) (string-length (package-version new))))
           new
           (package
             (inherit new)
             (name (pad (package-name old) (package-name new)))
             (version (pad (package-version old) (package-version new)))
             (build-system trivial-build-system)
             (arguments (list #:builder #~(symlink #$new #$output)))
             (native-inputs '())
             (inputs '())
             (propagated-inputs '())
             (outputs '("out")))))))
  (package-input-rewriting
   (map (match-lambda ((old . new) (cons old (graft old new)))) replacements)))

(define* (with-transformation proc obj #:optional (pred package?))
  "OBJ with PROC applied to each part of it, at any depth (lists, vectors,
records, the results of procedures), for which PRED is true.  Service types
and origins are left as they are."
  (define (walk x) (with-transformation proc x pred))
  (match obj
    ((? pred) (proc obj))
    ((a . b) (cons (walk a) (walk b)))
    (#(_ ...) (vector-map (lambda (i elt) (walk elt)) obj))
    ((or (? service-type?) (? origin?)) obj)
    ((? record?)
     (if (and (service? obj)
              (eq? 'boot-file-system-utilities (service-type-name (service-kind obj))))
         obj
         (let* ((rtd (record-type-descriptor obj))
                (fields (record-type-fields rtd)))
           (apply (record-constructor rtd)
                  (map (lambda (field) (walk ((record-accessor rtd field) obj)))
                       fields)))))
    ((? parameter?) obj)
    ((? procedure?)
     (lambda args
       (apply values (map walk (call-with-values (lambda () (apply obj args)) list)))))
    (_ obj)))

(define (package-with-alias alias pkg)
  "PKG under the name ALIAS, superseded by PKG."
  (package
    (inherit pkg)
    (name alias)
    (properties `((superseded . ,pkg) (supress-supersession-info? . #t)))
    (location (package-location pkg))))

(define %binary-source
  ;; What nonguix's binary packages name as their source.
  (hidden-package
   (package
     (inherit hello)
     (name "binary-source")
     (version "0.0.0")
     (supported-systems '())
     (home-page "")
     (synopsis "Binary package source (internal use)")
     (description "")
     (license #f))))

(define* (binary-package-from-sources source-mapping p #:optional (default-system "x86_64-linux"))
  "P with the source of SOURCE-MAPPING (an alist from systems to origins or
packages) for the system built for, DEFAULT-SYSTEM's when it has none."
  (package
    (inherit p)
    (version (package-version (assoc-ref source-mapping default-system)))
    (source #f)
    (arguments
     (substitute-keyword-arguments (package-arguments p)
       ((#:phases phases #~%standard-phases)
        #~(modify-phases #$phases
            (replace 'unpack
              (lambda _
                ((assoc-ref #$phases 'unpack)
                 #:source
                 #+(package-source
                    (or (assoc-ref source-mapping (%current-system))
                        (assoc-ref source-mapping default-system))))))))))
    (location (package-location p))))
