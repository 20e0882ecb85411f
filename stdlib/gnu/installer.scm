;;; schemy --- (gnu installer): Guix's graphical installer, which configs for
;;; installation images import.  schemy does not build the installer: the
;;; program it gives says so when it is run, and the names configs use exist.

(define-module (gnu installer)
  #:use-module (guix gexp)
  #:export (installer-program
            installer-steps
            run-installer))

(define* (installer-steps #:key dry-run?)
  "The steps Guix's installer goes through (none here: schemy has no installer)."
  '())

(define* (run-installer #:key dry-run?)
  "A gexp that runs the installer: it explains that schemy has none."
  #~(begin
      (format (current-error-port)
              "error: Guix's installer is not part of schemy; install Guix System with Guix's own image~%")
      (exit 1)))

(define* (installer-program #:key dry-run?)
  "The installer's program (see run-installer)."
  (program-file "installer" (run-installer #:dry-run? dry-run?)))
