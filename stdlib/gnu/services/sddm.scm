;;; schemy --- (gnu services sddm): SDDM has its own module in Guix; the
;;; service itself is defined with the other login managers in (gnu services xorg).

(define-module (gnu services sddm)
  #:use-module (gnu services xorg)
  #:re-export (sddm-configuration
               sddm-configuration?
               sddm-service-type
               sddm-service))
