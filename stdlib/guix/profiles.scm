;;; schemy --- Manifests (Guix's (guix profiles)): the lists of packages
;;; and outputs a profile holds.  Configs build them with packages->manifest
;;; or specifications->manifest ((gnu packages)) and read them back with
;;; manifest-entries; schemy realizes a system's profile from its packages,
;;; so profile derivations themselves are not here.

(define-module (guix profiles)
  #:use-module (srfi srfi-1)
  #:use-module (guix records)
  #:use-module (guix packages)
  #:export (manifest make-manifest
            manifest?
            manifest-entries
            manifest-transitive-entries

            manifest-entry
            manifest-entry?
            manifest-entry-name
            manifest-entry-version
            manifest-entry-output
            manifest-entry-item
            manifest-entry-dependencies
            manifest-entry-search-paths
            manifest-entry-parent
            manifest-entry-properties
            manifest-entry=?

            manifest-pattern
            manifest-pattern?
            manifest-pattern-name
            manifest-pattern-version
            manifest-pattern-output

            concatenate-manifests
            map-manifest-entries
            manifest-remove
            manifest-add
            manifest-lookup
            manifest-installed?
            manifest-matching-entries

            package->manifest-entry
            packages->manifest))

(define-record-type <manifest>
  (manifest entries)
  manifest?
  (entries manifest-entries))

(define make-manifest manifest)

(define-record-type* <manifest-entry> manifest-entry
  make-manifest-entry manifest-entry?
  (name         manifest-entry-name)
  (version      manifest-entry-version)
  (output       manifest-entry-output (default "out"))
  (item         manifest-entry-item)
  (dependencies manifest-entry-dependencies (default '()))
  (search-paths manifest-entry-search-paths (default '()))
  (parent       manifest-entry-parent (default (delay #f)))
  (properties   manifest-entry-properties (default '())))

(define-record-type* <manifest-pattern> manifest-pattern
  make-manifest-pattern manifest-pattern?
  (name    manifest-pattern-name)
  (version manifest-pattern-version (default #f))
  (output  manifest-pattern-output (default "out")))

(define (manifest-entry=? a b)
  (and (equal? (manifest-entry-name a) (manifest-entry-name b))
       (equal? (manifest-entry-version a) (manifest-entry-version b))
       (equal? (manifest-entry-output a) (manifest-entry-output b))
       (eq? (manifest-entry-item a) (manifest-entry-item b))))

(define* (package->manifest-entry package #:optional (output "out") #:key (properties '()))
  "The manifest entry of OUTPUT of PACKAGE."
  (manifest-entry
    (name (package-name package))
    (version (package-version package))
    (output output)
    (item package)
    (properties properties)))

(define (packages->manifest packages)
  "A manifest of PACKAGES, each a package or a (PACKAGE OUTPUT) list."
  (manifest
   (map (lambda (p)
          (if (pair? p)
              (package->manifest-entry (car p) (cadr p))
              (package->manifest-entry p)))
        packages)))

(define (manifest-transitive-entries m)
  "M's entries and, after them, their dependencies, each once."
  (let loop ((todo (manifest-entries m)) (seen '()))
    (cond ((null? todo) (reverse seen))
          ((any (lambda (e) (manifest-entry=? e (car todo))) seen) (loop (cdr todo) seen))
          (else (loop (append (cdr todo) (manifest-entry-dependencies (car todo)))
                      (cons (car todo) seen))))))

(define (concatenate-manifests manifests)
  (manifest (append-map manifest-entries manifests)))

(define (map-manifest-entries proc m)
  (manifest (map proc (manifest-entries m))))

(define (entry-matches? pattern entry)
  (and (equal? (manifest-pattern-name pattern) (manifest-entry-name entry))
       (let ((v (manifest-pattern-version pattern)))
         (or (not v) (equal? v (manifest-entry-version entry))))
       (let ((o (manifest-pattern-output pattern)))
         (or (not o) (equal? o (manifest-entry-output entry))))))

(define (manifest-matching-entries m patterns)
  (filter (lambda (e) (any (lambda (p) (entry-matches? p e)) patterns))
          (manifest-entries m)))

(define (manifest-lookup m pattern)
  (find (lambda (e) (entry-matches? pattern e)) (manifest-entries m)))

(define (manifest-installed? m pattern)
  (if (manifest-lookup m pattern) #t #f))

(define (manifest-remove m patterns)
  (manifest (remove (lambda (e) (any (lambda (p) (entry-matches? p e)) patterns))
                    (manifest-entries m))))

(define (manifest-add m entries)
  "M with ENTRIES, which replace those of M with the same name and output."
  (define (same? a b)
    (and (equal? (manifest-entry-name a) (manifest-entry-name b))
         (equal? (manifest-entry-output a) (manifest-entry-output b))))
  (manifest (append entries
                    (remove (lambda (e) (any (lambda (n) (same? n e)) entries))
                            (manifest-entries m)))))

;; Names Guix's module exports too.
(export <manifest-entry>)
