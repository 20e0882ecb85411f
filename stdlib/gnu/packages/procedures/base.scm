;;; schemy --- Procedures of (gnu packages base) that configs call; loaded
;;; into the catalogue module.

(define-public (canonical-package package)
  "PACKAGE as built by the final toolchain of the bootstrap (what Guix's
canonical-package returns for the packages of its base set): schemy builds
no toolchain, so this is PACKAGE itself, same name, version and outputs."
  package)
