;;; schemy --- Procedures of (gnu packages package-management) that configs
;;; call; loaded into the catalogue module.

(define-public (current-guix)
  "The Guix package of the running Guix: on a foreign host, the guix package
standing for the host's guix."
  guix)
