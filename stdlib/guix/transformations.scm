;;; schemy --- (guix transformations): package transformation options
;;; (--with-source, --with-input, --tune...).  schemy builds nothing: the
;;; transformations that change how a package is built leave the package as
;;; it stands on the host; --with-input replaces inputs by name, which does
;;; not change the host programs either.  Unknown options are reported, as
;;; in Guix.

(define-module (guix transformations)
  #:use-module (srfi srfi-1)
  #:export (options->transformation
            %transformation-options
            show-transformation-options-help))

(define %transformation-options
  '(with-source with-input with-graft with-branch with-commit with-git-url
    with-c-toolchain tune with-debug-info without-tests with-patch
    with-latest with-version with-configure-flag))

(define (options->transformation options)
  "A procedure transforming a package or other object according to OPTIONS,
an alist of (OPTION . VALUE)."
  (for-each (lambda (option)
              (unless (memq (car option) %transformation-options)
                (error "options->transformation: unknown transformation option" (car option))))
            options)
  (lambda (obj) obj))

(define (show-transformation-options-help) #t)
