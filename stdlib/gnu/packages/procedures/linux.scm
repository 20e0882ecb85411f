;;; schemy --- Procedures of (gnu packages linux) that configs call; loaded
;;; into the catalogue module.  schemy builds no kernel: a customized kernel
;;; is the base kernel package under the name the customization gives it.

(define* (customize-linux #:key name (linux linux-libre) source defconfig
                                 (configs '()) extra-version)
  "LINUX customized with SOURCE, DEFCONFIG, CONFIGS and EXTRA-VERSION (recorded
in the package's properties; nothing is built)."
  (package
    (inherit linux)
    (name (or name (package-name linux)))
    (version (if extra-version
                 (string-append (package-version linux) "-" extra-version)
                 (package-version linux)))
    (properties `((customized . ((defconfig . ,defconfig) (configs . ,configs)))
                  ,@(package-properties linux)))))

(export customize-linux)
