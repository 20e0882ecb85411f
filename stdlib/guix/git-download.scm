;;; schemy --- (guix git-download): git origins (named, never fetched).

(define-module (guix git-download)
  #:use-module (guix records)
  #:export (git-reference git-reference? git-reference-url git-reference-commit
            git-reference-recursive? git-fetch git-version git-file-name))

(define-record-type* <git-reference> git-reference make-git-reference git-reference?
  (url        git-reference-url)
  (commit     git-reference-commit)
  (recursive? git-reference-recursive? (default #f)))

(define (git-fetch . args) (cons 'git-fetch args))

(define (git-version version revision commit)
  "VERSION-REVISION.COMMIT (seven characters), as Guix names git snapshots."
  (string-append version "-" revision "." (string-take commit 7)))

(define (git-file-name name version)
  (string-append name "-" version "-checkout"))
