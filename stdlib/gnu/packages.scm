;;; schemy --- Finding packages by name.
;;;
;;; Packages are defined in the (gnu packages ...) modules found on the load
;;; path.  Looking a package up by name must not load all of them: an index
;;; built from the modules' text (the `(name "...")' fields) says which
;;; modules to load; only when that fails, or to fold over every package, are
;;; all the modules loaded.

(define-module (gnu packages)
  #:use-module (schemy packages)
  #:use-module (guix packages)
  #:use-module ((guix profiles) #:select (manifest package->manifest-entry))
  #:export (specification->package
            specifications->manifest
            specification->package+output
            specifications->packages
            package-name->name+version
            find-packages-by-name
            find-best-packages-by-name
            fold-packages
            all-package-modules
            %package-module-names))

;;; Package modules

(define (all-package-modules)
  "Every (gnu packages ...) module on the load path, loaded."
  (map resolve-module (%package-module-names)))

(define (module-packages module)
  "The packages exported by MODULE."
  (filter package? (%module-public-values module #t)))

(define* (fold-packages proc init #:optional (modules (all-package-modules))
                        #:key (select? (negate hidden-package?)))
  "Call (PROC PACKAGE RESULT) for each package exported by MODULES that
SELECT? accepts, starting with INIT; each package is visited once."
  (let loop ((packages (append-map module-packages modules))
             (seen '())
             (result init))
    (cond ((null? packages) result)
          ((or (memq (car packages) seen) (not (select? (car packages))))
           (loop (cdr packages) seen result))
          (else
           (loop (cdr packages) (cons (car packages) seen)
                 (proc (car packages) result))))))

;;; Finding packages by name and version

(define (version>? a b)
  (eq? (%version-compare a b) '>))

(define (sort-by-version packages)
  "PACKAGES, the most recent version first."
  (sort packages
        (lambda (a b) (version>? (package-version a) (package-version b)))))

(define (packages-named name modules)
  (fold-packages (lambda (package result)
                   (if (string=? (package-name package) name)
                       (cons package result)
                       result))
                 '()
                 modules
                 #:select? (const #t)))

(define* (find-packages-by-name name #:optional version)
  "The packages called NAME, most recent first; when VERSION is given, only
those whose version starts with it (\"8\" matches 8.2.2)."
  ;; The index names every package, those made by procedures too (by their variable, or
  ;; the package they are made from), so the modules it names are the only ones to search:
  ;; loading every package module for a name nobody has took minutes.
  (let ((candidates (packages-named name (map resolve-module
                                              (%package-modules-for-name name)))))
    (sort-by-version
     (if version
         (filter (lambda (package) (%version-prefix? version (package-version package)))
                 candidates)
         candidates))))

(define* (find-best-packages-by-name name #:optional version)
  "The packages called NAME (and matching VERSION) with the highest version."
  (let ((packages (find-packages-by-name name version)))
    (if (null? packages)
        '()
        (let ((best (car packages)))
          (cons best
                (filter (lambda (p)
                          (string=? (package-version p) (package-version best)))
                        (cdr packages)))))))

(define (package-name->name+version spec)
  "Split \"NAME@VERSION\" into NAME and VERSION (#f when there is no @)."
  (let ((at (string-rindex spec #\@)))
    (if (and at (> at 0))
        (values (substring spec 0 at) (substring spec (+ at 1)))
        (values spec #f))))

(define (spec->name+version+output spec)
  (let* ((colon (string-rindex spec #\:))
         (output (and colon (substring spec (+ colon 1))))
         (spec (if colon (substring spec 0 colon) spec)))
    (call-with-values (lambda () (package-name->name+version spec))
      (lambda (name version)
        (values name version output)))))

(define (close-names-hint name)
  (let ((close (%package-close-names name)))
    (cond ((null? close) #f)
          ((null? (cdr close)) (format #f "Did you mean '~a'?" (car close)))
          (else
           (format #f "Did you mean one of: ~a?"
                   (string-join (map (lambda (n) (string-append "'" n "'")) close)
                                ", "))))))

(define (%find-package spec name version)
  (let ((best (find-best-packages-by-name name version)))
    (cond
     ((pair? best)
      (let ((package (car best)))
        (unless (null? (cdr best))
          (format (current-warning-port)
                  "warning: ambiguous package specification '~a'~%" spec)
          (format (current-warning-port) "warning: choosing ~a from ~a~%"
                  (package-full-name package)
                  (%package-location-string (package-location package))))
        (let ((new (package-superseded package)))
          (if new
              (begin
                (format (current-warning-port)
                        "warning: package '~a' was superseded by '~a'~%"
                        (package-full-name package) (package-name new))
                new)
              package))))
     (else
      (let ((others (find-packages-by-name name)))
        (if (null? others)
            (%package-error (format #f "package '~a' not found" name)
                            ;; The catalogue is all of Guix's and nonguix's packages.
                            (or (%package-removed-hint name)
                                (let ((close (close-names-hint name))
                                      (nobody (string-append
                                               "neither Guix nor nonguix has a package of that name"
                                               " (one of another channel needs that channel's"
                                               " checkout, with -L)")))
                                  (if close
                                      (string-append close " N" (substring nobody 1))
                                      nobody))))
            (%package-error
             (format #f "package '~a' not found for version ~a" name version)
             (format #f "available: ~a"
                     (string-join (map package-full-name others) ", ")))))))))

(define (specification->package spec)
  "The package SPEC designates: \"NAME\" or \"NAME@VERSION\" (a version
prefix), the most recent version when several match."
  (call-with-values (lambda () (package-name->name+version spec))
    (lambda (name version)
      (%find-package spec name version))))

(define* (specification->package+output spec #:optional (output "out"))
  "Return two values: the package SPEC designates and its output, OUTPUT
unless SPEC ends in \":OUTPUT\" (\"qemu:static\")."
  (call-with-values (lambda () (spec->name+version+output spec))
    (lambda (name version sub)
      (let* ((package (%find-package spec name version))
             (output (or sub output)))
        (if (member output (package-outputs package))
            (values package output)
            (%package-error
             (format #f "package '~a' lacks output '~a'"
                     (package-full-name package) output)
             (format #f "its outputs are: ~a"
                     (string-join (package-outputs package) ", "))))))))

(define (specifications->packages specs)
  "Map SPECS to (PACKAGE OUTPUT) lists, for the `packages' field of an
operating system."
  (map (lambda (spec)
         (call-with-values (lambda () (specification->package+output spec))
           list))
       specs))

(define (specifications->manifest specs)
  "The manifest of the package outputs SPECS designate (\"NAME[@VERSION][:OUTPUT]\")."
  (manifest
   (map (lambda (spec)
          (call-with-values (lambda () (specification->package+output spec))
            package->manifest-entry))
        specs)))
