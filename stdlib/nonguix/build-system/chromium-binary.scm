;;; schemy --- (nonguix build-system chromium-binary): nonguix's build system
;;; for Chromium-based programs distributed as binaries.  schemy never builds
;;; packages: the build system only names how nonguix would.

(define-module (nonguix build-system chromium-binary)
  #:use-module (guix build-system)
  #:export (chromium-binary-build-system))

(define chromium-binary-build-system
  (build-system
   (name 'chromium-binary)
   (description "The build system nonguix calls 'chromium-binary'.")))
