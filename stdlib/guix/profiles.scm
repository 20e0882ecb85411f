;;; schemy --- Manifests, (guix profiles): the list of packages (and outputs)
;;; a profile holds.  Configs build manifests to install packages
;;; (packages->manifest, manifest-entry); schemy keeps them as data, with
;;; Guix's records, fields and defaults.  Profiles themselves (the union
;;; directory built from a manifest) are not part of this module yet.

(define-module (guix profiles)
  #:use-module (guix records)
  #:use-module (guix packages)
  #:use-module (srfi srfi-1)
  #:export (manifest
            manifest?
            manifest-entries
            make-manifest
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
            manifest-pattern
            manifest-pattern?
            manifest-pattern-name
            manifest-pattern-version
            manifest-pattern-output
            package->manifest-entry
            packages->manifest
            concatenate-manifests
            manifest-add
            manifest-lookup
            manifest-installed?
            manifest-matching-entries))

(define-record-type <manifest>
  (make-manifest entries)
  manifest?
  (entries manifest-entries))

(define (manifest entries)
  "The manifest of ENTRIES, a list of manifest-entry records."
  (make-manifest entries))

(define-record-type* <manifest-entry> manifest-entry
  make-manifest-entry
  manifest-entry?
  (name         manifest-entry-name)
  (version      manifest-entry-version)
  (output       manifest-entry-output (default "out"))
  (item         manifest-entry-item)
  (dependencies manifest-entry-dependencies (default '()))
  (search-paths manifest-entry-search-paths (default '()))
  (parent       manifest-entry-parent (default (delay #f)))
  (properties   manifest-entry-properties (default '())))

(define-record-type* <manifest-pattern> manifest-pattern
  make-manifest-pattern
  manifest-pattern?
  (name    manifest-pattern-name)
  (version manifest-pattern-version (default #f))
  (output  manifest-pattern-output (default "out")))

(define* (package->manifest-entry package #:optional (output "out") #:key (properties '()))
  "The manifest entry of OUTPUT of PACKAGE."
  (manifest-entry
    (name (package-name package))
    (version (package-version package))
    (output output)
    (item package)
    (properties properties)))

(define (packages->manifest packages)
  "The manifest of PACKAGES, each a package or a (PACKAGE OUTPUT) list."
  (manifest
   (map (lambda (p)
          (if (pair? p)
              (package->manifest-entry (car p) (cadr p))
              (package->manifest-entry p)))
        packages)))

(define (concatenate-manifests manifests)
  "One manifest of the entries of MANIFESTS, in order."
  (manifest (append-map manifest-entries manifests)))

(define (entry-matches? entry pattern)
  (and (string=? (manifest-entry-name entry) (manifest-pattern-name pattern))
       (let ((v (manifest-pattern-version pattern)))
         (or (not v) (string=? v (manifest-entry-version entry))))
       (let ((o (manifest-pattern-output pattern)))
         (or (not o) (string=? o (manifest-entry-output entry))))))

(define (manifest-matching-entries manifest patterns)
  "The entries of MANIFEST that match one of PATTERNS."
  (filter (lambda (e) (any (lambda (p) (entry-matches? e p)) patterns))
          (manifest-entries manifest)))

(define (manifest-lookup manifest pattern)
  "The first entry of MANIFEST matching PATTERN, or #f."
  (find (lambda (e) (entry-matches? e pattern)) (manifest-entries manifest)))

(define (manifest-installed? manifest pattern)
  (and (manifest-lookup manifest pattern) #t))

(define (manifest-add manifest entries)
  "MANIFEST with ENTRIES added, replacing the entries of the same name and output."
  (define (same? a b)
    (and (string=? (manifest-entry-name a) (manifest-entry-name b))
         (string=? (manifest-entry-output a) (manifest-entry-output b))))
  (make-manifest
   (append (remove (lambda (e) (any (lambda (n) (same? e n)) entries))
                   (manifest-entries manifest))
           entries)))
