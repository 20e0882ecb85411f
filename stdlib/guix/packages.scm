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

(define %supported-systems
  ;; The systems a package builds for unless it says otherwise.
  '("x86_64-linux" "i686-linux" "armhf-linux" "aarch64-linux"
    "powerpc64le-linux" "riscv64-linux" "mips64el-linux"
    "i586-gnu" "x86_64-gnu"))

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

;;; Packages

(define-record-type* <package> package make-package package?
  this-package
  (name            package-name)                  ; string
  (version         package-version)               ; string
  (source          package-source (default #f))   ; origin, file-like, or #f
  (build-system    package-build-system (default #f))
  (arguments       package-arguments (default '()) (thunked))
  (inputs          package-inputs (default '()) (thunked))
  (propagated-inputs package-propagated-inputs (default '()) (thunked))
  (native-inputs   package-native-inputs (default '()) (thunked))
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

(define (deprecated-package old-name package)
  "A package named OLD-NAME that is PACKAGE under its former name."
  (package
    (inherit package)
    (name old-name)
    (properties `((superseded . ,package)))))

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

(define (hidden-package package)
  "PACKAGE, hidden from command-line searches but still usable by name in code."
  (package
    (inherit package)
    (properties `((hidden? . #t) ,@(package-properties package)))))

(define (hidden-package? package)
  (let ((p (assq 'hidden? (package-properties package))))
    (and p (cdr p) #t)))
