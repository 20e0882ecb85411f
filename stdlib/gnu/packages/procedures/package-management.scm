;;; schemy --- Procedures of (gnu packages package-management) that configs
;;; call; loaded into the catalogue module.

(define-public (current-guix)
  "The Guix package of the running Guix: on a foreign host, the guix package
standing for the host's guix."
  guix)

(use-modules ((guix channels) #:select (guix-channel?))
             ((srfi srfi-1) #:select (find remove)))

(define-public (guix-for-channels channels)
  "The guix package built from CHANNELS, as Guix's own guix-for-channels makes
it: its source is the guix channel among CHANNELS, its #:channels argument the
others; it has no inputs of its own."
  (package
    (inherit guix)
    (source (find guix-channel? channels))
    (arguments `(#:channels ,(remove guix-channel? channels)))
    (inputs '())
    (native-inputs '())
    (propagated-inputs '())))
