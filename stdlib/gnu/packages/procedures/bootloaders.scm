;;; schemy --- Procedures of (gnu packages bootloaders) that configs call;
;;; loaded into the catalogue module.  schemy builds no U-Boot: a board's
;;; U-Boot is Guix's u-boot package under the name Guix gives it.

;; Guix's U-Boot package, which its module keeps private: the version of its tools.
(define %u-boot (package (inherit u-boot-tools) (name "u-boot")))

(define* (make-u-boot-package board triplet #:key defconfig configs name-suffix
                              append-description (u-boot %u-boot))
  "U-Boot for BOARD, cross-compiled for TRIPLET (recorded, not built): named
u-boot-BOARD as Guix names it (lower case, underscores as dashes), then NAME-SUFFIX."
  (package
    (inherit u-boot)
    (name (string-append "u-boot-"
                         (string-map (lambda (c) (if (char=? c #\_) #\- c))
                                     (string-downcase board))
                         (or name-suffix "")))
    (properties `((board . ,board) (triplet . ,triplet)
                  (defconfig . ,defconfig) (configs . ,configs)
                  ,@(package-properties u-boot)))))

(export make-u-boot-package)
