;;; schemy --- (gnu services lightdm): LightDM has its own module in Guix; the
;;; service itself is defined with the other login managers in (gnu services xorg).

(define-module (gnu services lightdm)
  #:use-module (gnu services xorg)
  #:re-export (lightdm-configuration
               lightdm-configuration?
               lightdm-service-type
               lightdm-seat-configuration
               lightdm-gtk-greeter-configuration))
