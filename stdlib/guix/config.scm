;;; schemy --- (guix config): the facts of the Guix installation that configs
;;; read (its version, where its store and state live).  They describe the
;;; Guix schemy follows: the version of its `guix' package, Guix's standard
;;; directories (schemy's own store and state live under its state root).

(define-module (guix config)
  #:use-module ((gnu packages package-management) #:select (guix))
  #:use-module ((guix packages) #:select (package-version))
  #:export (%guix-package-name
            %guix-version
            %guix-bug-report-address
            %guix-home-page-url
            %channel-metadata
            %storedir
            %localstatedir
            %sysconfdir
            %store-directory
            %state-directory
            %store-database-directory
            %config-directory
            %system
            %git
            %gzip
            %bzip2
            %xz))

(define %guix-package-name "GNU Guix")
(define %guix-version (package-version guix))
(define %guix-bug-report-address "bug-guix@gnu.org")
(define %guix-home-page-url "https://www.gnu.org/software/guix/")
(define %channel-metadata #f)

(define %storedir "/gnu/store")
(define %localstatedir "/var")
(define %sysconfdir "/etc")

(define %store-directory %storedir)
(define %state-directory (string-append %localstatedir "/guix"))
(define %store-database-directory (string-append %state-directory "/db"))
(define %config-directory (string-append %sysconfdir "/guix"))

(define %system
  (let ((machine (vector-ref (uname) 4)))
    (string-append (if (string=? machine "amd64") "x86_64" machine) "-linux")))

;; The compression and version-control programs, found on the host's PATH.
(define %git "git")
(define %gzip "gzip")
(define %bzip2 "bzip2")
(define %xz "xz")
