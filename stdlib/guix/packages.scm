;;; schemy --- Packages as values.
;;;
;;; A package is a record describing a piece of software: its name, version,
;;; where its source comes from, how it would be built, and what it is for.
;;; schemy never builds packages.  Instead each package also says which
;;; programs it provides (`programs') and which Debian package ships them
;;; (`debian-package'); lowering a package -- using it in a gexp, in
;;; `file-append', in a profile -- gives a store item NAME-VERSION whose bin/
;;; and sbin/ link to those programs as found on the host.  A program the
;;; host lacks is recorded in the item, so that running it later reports
;;; "PROGRAM is not installed on this host (Debian package: DEB)".

(define-module (guix packages)
  #:use-module (guix gexp)
  #:use-module (schemy packages)
  #:use-module (guix records)
  #:use-module (ice-9 match)
  #:use-module (srfi srfi-1)
  #:export (package
            package?
            this-package
            make-package
            package/inherit
            package-name
            package-version
            package-full-name
            package-source
            package-build-system
            package-arguments
            package-inputs
            package-native-inputs
            package-propagated-inputs
            package-direct-inputs
            package-outputs
            package-native-search-paths
            package-search-paths
            package-replacement
            package-synopsis
            package-description
            package-license
            package-home-page
            package-supported-systems
            package-properties
            package-location
            package-programs
            package-debian-package
            package-program-names
            host-programs
            package-missing-programs
            package-superseded
            supported-package?
            deprecated-package
            hidden-package
            hidden-package?
            %supported-systems
            %hurd-systems
            %32bit-supported-systems
            %64bit-supported-systems
            %cuirass-supported-systems

            add-input-label
            add-input-labels
            modify-inputs
            prepend
            replace
            this-package-input
            this-package-native-input
            this-package-propagated-input
            lookup-package-input
            lookup-package-native-input
            lookup-package-propagated-input
            lookup-package-direct-input
            package-transitive-inputs
            package-transitive-target-inputs
            package-transitive-native-inputs
            package-transitive-propagated-inputs
            package-development-inputs
            package-closure
            package-direct-sources
            package-transitive-sources
            package-mapping
            package-input-rewriting
            package-input-rewriting/spec
            package-with-patches
            package-with-extra-patches
            package-upstream-name
            package-upstream-name*

            origin
            origin?
            this-origin
            origin-uri
            origin-method
            origin-hash
            origin-sha256
            origin-file-name
            origin-patches
            origin-snippet
            origin-modules
            base32))

;;; Systems

(define %64bit-supported-systems
  '("x86_64-linux" "mips64el-linux" "aarch64-linux" "powerpc64le-linux"
    "riscv64-linux" "x86_64-gnu"))

(define %32bit-supported-systems
  '("i686-linux" "armhf-linux" "i586-gnu" "powerpc-linux"))

(define %supported-systems
  ;; The systems a package builds for unless it says otherwise.
  (append %64bit-supported-systems %32bit-supported-systems))

(define %cuirass-supported-systems
  ;; Those Guix's build farm builds for: all but MIPS and 32-bit PowerPC.
  (remove (lambda (system) (member system '("mips64el-linux" "powerpc-linux")))
          %supported-systems))

(define %hurd-systems
  '("i586-gnu" "x86_64-gnu"))

;;; Origins: where a package's source comes from

(define (base32 str)
  "Decode STR, a hash written in Nix's base32 alphabet, into a bytevector."
  (nix-base32-string->bytevector str))

(define-record-type* <origin> origin make-origin origin?
  this-origin
  (uri         origin-uri)                        ; string, list of strings, or reference
  (method      origin-method)                     ; url-fetch, git-fetch...
  (hash        origin-hash (default #f))
  (sha256      origin-sha256 (default #f))        ; bytevector (see `base32')
  (file-name   origin-file-name (default #f))
  (patches     origin-patches (default '()) (delayed))
  (snippet     origin-snippet (default #f))
  (patch-flags origin-patch-flags (default '("-p1")))
  (modules     origin-modules (default '())))

(set-record-type-printer! <origin>
  (lambda (origin port)
    (format port "#<origin ~s>" (origin-uri origin))))

;;; Input lists.  An input is a package, (PACKAGE OUTPUT), or any file-like
;;; object; package-inputs & co. give them labeled, (LABEL THING [OUTPUT]),
;;; the label being the package's name, as Guix's do.

(define (add-input-label input)
  "INPUT with its label: a package's name, or \"_\" for anything else."
  (match input
    ((? package? package) (list (package-name package) package))
    (((? package? package) output) (list (package-name package) package output))
    ((? origin? origin) (list (or (origin-file-name origin) "_") origin))
    (thing (list "_" thing))))

(define (maybe-add-input-labels inputs)
  (cond ((null? inputs) inputs)
        ((and (pair? (car inputs)) (string? (caar inputs))) inputs)
        (else (map add-input-label inputs))))

(define (add-input-labels . inputs)
  (maybe-add-input-labels inputs))

;;; Packages

(define-record-type* <package> package make-package package?
  this-package
  (name            package-name)                  ; string
  (version         package-version)               ; string
  (source          package-source (default #f))   ; origin, file-like, or #f
  (build-system    package-build-system (default #f))
  (arguments       package-arguments (default '()) (thunked))
  (inputs          package-inputs (default '()) (thunked)
                   (sanitize maybe-add-input-labels))
  (propagated-inputs package-propagated-inputs (default '()) (thunked)
                   (sanitize maybe-add-input-labels))
  (native-inputs   package-native-inputs (default '()) (thunked)
                   (sanitize maybe-add-input-labels))
  (outputs         package-outputs (default '("out")))
  (native-search-paths package-native-search-paths (default '()))
  (search-paths    package-search-paths (default '()))
  (replacement     package-replacement (default #f))
  (synopsis        package-synopsis)              ; one line, no final period
  (description     package-description)           ; a paragraph
  (license         package-license)               ; a license symbol, or a list of them
  (home-page       package-home-page)             ; URL string
  (supported-systems package-supported-systems (default %supported-systems))
  (properties      package-properties (default '()))

  ;; schemy's own fields: the host programs that stand for this package.
  ;; Each entry is "sbin/NAME" or ("sbin/NAME" PROGRAM [DEBIAN-PACKAGE]) or
  ;; ("sbin/NAME" . PROGRAM); PROGRAM is a name looked up on the host's
  ;; PATH and usual directories, an absolute file name, or a list of those
  ;; tried in order.
  (programs        package-programs (default '()))
  (debian-package  package-debian-package (default #f)) ; string or #f

  (location        package-location
                   (default (%construction-location)) (innate)))

(define-syntax this-package
  (lambda (s)
    (syntax-violation 'this-package
                      "this-package used outside of a package field definition" s)))

(set-record-type-printer! <package>
  (lambda (package port)
    (let ((loc (package-location package)))
      (format port "#<package ~a@~a~a>"
              (package-name package) (package-version package)
              (if loc
                  (string-append " " (%package-location-string loc))
                  "")))))

(define-syntax package/inherit
  (syntax-rules ()
    "Like (package (inherit P) ...): there are no grafts to carry over in schemy."
    ((_ base fields ...)
     (package (inherit base) fields ...))))

(define* (package-full-name package #:optional (delimiter "@"))
  "Return the full name of PACKAGE, NAME@VERSION (or NAME DELIMITER VERSION)."
  (string-append (package-name package) delimiter (package-version package)))

(define (package-direct-inputs package)
  "All the inputs of PACKAGE: inputs, propagated inputs and native inputs."
  (append (package-native-inputs package)
          (package-inputs package)
          (package-propagated-inputs package)))

(define* (host-programs directory names #:optional (debian #f))
  "Program entries for the `programs' field: DIRECTORY/NAME linked to the host's
NAME for each of NAMES, provided by the Debian package DEBIAN (when given)."
  (map (lambda (name)
         (if debian
             (list (string-append directory "/" name) name debian)
             (cons (string-append directory "/" name) name)))
       names))

(define (package-program-names package)
  "The store-relative names (\"sbin/libvirtd\"...) of the programs PACKAGE provides."
  (map (lambda (entry)
         (if (string? entry) entry (car entry)))
       (package-programs package)))

(define (package-missing-programs package)
  "The programs of PACKAGE that this host lacks, as (NAME PROGRAM DEBIAN-PACKAGE) lists."
  (%package-missing-programs package))

(define (supported-package? package . system)
  "True when PACKAGE is meant to work on SYSTEM (default: the current system)."
  (let ((system (if (pair? system) (car system) (%current-system))))
    (and (member system (package-supported-systems package)) #t)))

(define (package-superseded package)
  "The package that replaces PACKAGE, or #f."
  (let ((p (assq 'superseded (package-properties package))))
    (and p (cdr p))))

(define (deprecated-package old-name p)
  "A package named OLD-NAME that is P under its former name."
  (package
    (inherit p)
    (name old-name)
    (properties `((superseded . ,p)))))

(define (%catalogue-package name version outputs programs debian properties location)
  "A package of the catalogue (index.json + host-programs.sexp): the facts Guix
gives about it, and the host programs that stand for it.  Not exported: the
module maker of schemy/guix/catalogue.py calls it."
  (package
    (name name)
    (version version)
    (outputs outputs)
    (synopsis "")
    (description "")
    (license #f)
    (home-page "")
    (programs programs)
    (debian-package debian)
    (properties properties)
    (location location)))

(define (hidden-package p)
  "P, hidden from command-line searches but still usable by name in code."
  (package
    (inherit p)
    (properties `((hidden? . #t) ,@(package-properties p)))))

(define (hidden-package? package)
  (let ((p (assq 'hidden? (package-properties package))))
    (and p (cdr p) #t)))

;;; Looking inputs up, changing them

(define (lookup-input inputs name)
  (match (assoc-ref inputs name)
    ((thing) thing)
    ((thing _) thing)
    (_ #f)))

(define (lookup-package-input package name)
  "The input of PACKAGE named NAME, or #f."
  (lookup-input (package-inputs package) name))

(define (lookup-package-native-input package name)
  "The native input of PACKAGE named NAME, or #f."
  (lookup-input (package-native-inputs package) name))

(define (lookup-package-propagated-input package name)
  "The propagated input of PACKAGE named NAME, or #f."
  (lookup-input (package-propagated-inputs package) name))

(define (lookup-package-direct-input package name)
  "The direct input (native, regular or propagated) of PACKAGE named NAME, or #f."
  (lookup-input (package-direct-inputs package) name))

;; `this-package' as the caller wrote it, so that it names the package whose
;; field is being computed (the record binds the caller's identifier).
(define-syntax define-this-package-lookup
  (syntax-rules ()
    ((_ name lookup)
     (define-syntax name
       (lambda (s)
         (syntax-case s ()
           ((k input-name)
            (with-syntax ((this (datum->syntax #'k 'this-package)))
              #'(lookup this input-name)))))))))

(define-this-package-lookup this-package-input lookup-package-input)
(define-this-package-lookup this-package-native-input lookup-package-native-input)
(define-this-package-lookup this-package-propagated-input lookup-package-propagated-input)

(define (replace-input name replacement inputs)
  ;; REPLACEMENT is a package or (PACKAGE OUTPUT); the input keeps its label.
  (map (lambda (input)
         (match input
           (((? string? label) _ . outputs)
            (if (string=? label name)
                (match replacement
                  ((_ _) (cons label replacement))
                  (_ (cons* label replacement outputs)))
                input))))
       inputs))

(define-syntax prepend
  (lambda (s)
    (syntax-violation 'prepend "'prepend' may only be used within 'modify-inputs'" s)))

(define-syntax replace
  (lambda (s)
    (syntax-violation 'replace "'replace' may only be used within 'modify-inputs'" s)))

(define-syntax modify-inputs
  (syntax-rules (delete prepend append replace)
    "INPUTS (as package-inputs & co. give them) changed by each clause in turn:
(delete NAME ...), (prepend INPUT ...), (append INPUT ...), (replace NAME NEW)."
    ((_ inputs (delete name ...) clause ...)
     (modify-inputs (let ((names (list name ...)))
                      (remove (lambda (input) (member (car input) names))
                              (maybe-add-input-labels inputs)))
                    clause ...))
    ((_ inputs (prepend input ...) clause ...)
     (modify-inputs (append (map add-input-label (list input ...))
                            (maybe-add-input-labels inputs))
                    clause ...))
    ((_ inputs (append input ...) clause ...)
     (modify-inputs (append (maybe-add-input-labels inputs)
                            (map add-input-label (list input ...)))
                    clause ...))
    ((_ inputs (replace name replacement) clause ...)
     (modify-inputs (replace-input name replacement (maybe-add-input-labels inputs))
                    clause ...))
    ((_ inputs)
     inputs)))

;;; Closures over inputs

(define (transitive-inputs inputs)
  ;; INPUTS, then the propagated inputs of their packages, breadth first; a
  ;; propagated input already seen (same package, same outputs) only once.
  (let loop ((inputs inputs) (result '()) (propagated '()) (first? #t) (seen '()))
    (match inputs
      (()
       (if (null? propagated)
           (reverse result)
           (loop (concatenate (reverse propagated)) result '() #f seen)))
      (((and input (label (? package? package) . outputs)) . rest)
       (if (and (not first?)
                (any (lambda (s) (and (eq? (car s) package) (equal? (cdr s) outputs))) seen))
           (loop rest result propagated first? seen)
           (loop rest (cons input result)
                 (cons (package-propagated-inputs package) propagated)
                 first? (cons (cons package outputs) seen))))
      ((input . rest)
       (loop rest (cons input result) propagated first? seen)))))

(define (package-transitive-inputs package)
  "PACKAGE's direct inputs and, recursively, their propagated inputs."
  (transitive-inputs (package-direct-inputs package)))

(define (package-transitive-target-inputs package)
  "Like package-transitive-inputs, without the native inputs."
  (transitive-inputs (append (package-inputs package) (package-propagated-inputs package))))

(define (package-transitive-native-inputs package)
  "PACKAGE's native inputs and, recursively, their propagated inputs."
  (transitive-inputs (package-native-inputs package)))

(define (package-transitive-propagated-inputs package)
  "PACKAGE's propagated inputs and, recursively, theirs."
  (transitive-inputs (package-propagated-inputs package)))

(define (package-development-inputs package . _)
  "What a development environment of PACKAGE holds: its transitive inputs
(schemy's build systems add no implicit inputs)."
  (package-transitive-inputs package))

(define* (package-closure packages #:key (system (%current-system)))
  "PACKAGES and every package reachable from them through their inputs, each once."
  (let loop ((pending packages) (seen '()))
    (match pending
      (() (reverse seen))
      ((p . rest)
       (if (memq p seen)
           (loop rest seen)
           (loop (append (filter-map (match-lambda
                                       ((_ (? package? dep) . _) dep)
                                       (_ #f))
                                     (package-direct-inputs p))
                         rest)
                 (cons p seen)))))))

(define (package-direct-sources package)
  "PACKAGE's source origin, the origins among its patches and its direct inputs."
  (append (match (package-source package)
            ((? origin? o) (cons o (filter origin? (origin-patches o))))
            (_ '()))
          (filter-map (match-lambda ((_ (? origin? o) . _) o) (_ #f))
                      (package-direct-inputs package))))

(define (package-transitive-sources package)
  "The direct sources of PACKAGE and of every package in its closure."
  (delete-duplicates (append-map package-direct-sources (package-closure (list package)))))

;;; Rewriting a package graph

(define* (package-mapping proc #:optional (cut? (const #f)) #:key (deep? #f))
  "A procedure that, given a package, applies PROC to it and to each package it
depends on, rewriting their inputs, once per package.  A package for which CUT?
is true is given to PROC without its dependencies being rewritten.  (schemy
packages have no implicit inputs, so DEEP? changes nothing.)"
  (define done '())
  (define (rewrite-input input)
    (match input
      ((label (? package? p) . outputs) (cons* label (rewrite p) outputs))
      (_ input)))
  (define (rewrite p)
    (cond ((assq p done) => cdr)
          (else
           (let ((new (if (cut? p)
                          (proc p)
                          (proc (package
                                  (inherit p)
                                  (location (package-location p))
                                  (inputs (map rewrite-input (package-inputs p)))
                                  (native-inputs (map rewrite-input (package-native-inputs p)))
                                  (propagated-inputs (map rewrite-input (package-propagated-inputs p)))
                                  (replacement (and=> (package-replacement p) rewrite)))))))
             (set! done (cons (cons p new) done))
             new))))
  rewrite)

(define* (package-input-rewriting replacements #:optional (rewrite-name identity)
                                  #:key (deep? #t) (recursive? #f))
  "A procedure that, given a package, replaces its dependencies (recursively)
according to REPLACEMENTS, a list of (OLD . NEW) package pairs; each rewritten
package's name goes through REWRITE-NAME."
  (define replacement-of (lambda (p) (assq-ref replacements p)))
  (package-mapping (lambda (p)
                     (or (replacement-of p)
                         (if (eq? rewrite-name identity)
                             p
                             (package (inherit p) (location (package-location p))
                                      (name (rewrite-name (package-name p)))))))
                   (lambda (p) (and (replacement-of p) (not recursive?)))
                   #:deep? deep?))

(define (spec-matches? spec package)
  ;; "NAME" or "NAME@VERSION-PREFIX".
  (match (string-index spec #\@)
    (#f (string=? spec (package-name package)))
    (at (and (string=? (substring spec 0 at) (package-name package))
             (string-prefix? (substring spec (+ at 1)) (package-version package))))))

(define* (package-input-rewriting/spec replacements #:key (deep? #t) (replace-hidden? #t))
  "A procedure that, given a package, replaces each dependency matching a spec
of REPLACEMENTS, a list of (SPEC . PROC) pairs, by PROC applied to it."
  (define (replacement-proc p)
    (and (or replace-hidden? (not (hidden-package? p)))
         (any (match-lambda ((spec . proc) (and (spec-matches? spec p) proc)))
              replacements)))
  (define (top p)
    (package-mapping (lambda (dep)
                       (let ((proc (and (not (eq? dep p)) (replacement-proc dep))))
                         (if proc (proc dep) dep)))
                     (lambda (dep) (and (not (eq? dep p)) (replacement-proc dep) #t))
                     #:deep? deep?))
  (lambda (p) ((top p) p)))

(define (package-with-patches original patches)
  "ORIGINAL with PATCHES as the patches of its source."
  (package (inherit original)
           (source (origin (inherit (package-source original)) (patches patches)))
           (location (package-location original))))

(define (package-with-extra-patches original patches)
  "ORIGINAL with PATCHES added after the patches of its source."
  (package-with-patches original (append (origin-patches (package-source original)) patches)))

(define (package-upstream-name package)
  "The name of PACKAGE upstream: its upstream-name property, or its name."
  (or (assq-ref (package-properties package) 'upstream-name)
      (package-name package)))

(define (package-upstream-name* package)
  "Like package-upstream-name, also dropping the prefix Guix gives a language's
packages (emacs-, python-, ghc-...)."
  (or (assq-ref (package-properties package) 'upstream-name)
      (let* ((name (package-name package))
             (prefix (find (lambda (p) (string-prefix? p name))
                           '("cl-" "ecl-" "emacs-" "ghc-" "go-" "guile-" "java-" "julia-"
                             "lua-" "minetest-" "node-" "ocaml-" "perl-" "python-" "r-"
                             "ruby-" "rust-" "sbcl-" "texlive-"))))
        (if prefix (substring name (string-length prefix)) name))))

;; Names Guix's module exports too.
(export origin-patch-flags)
