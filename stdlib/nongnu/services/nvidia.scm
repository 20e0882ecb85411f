;;; schemy --- nonguix's NVIDIA service, (nongnu services nvidia): the
;;; proprietary driver's kernel module, firmware and udev rules.  Loading
;;; kernel modules is the host's business: realized, shown as provided by
;;; the host.

(define-module (nongnu services nvidia)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services base)
  #:use-module (gnu services linux)
  #:use-module (gnu services shepherd)
  #:use-module ((nongnu packages nvidia)
                #:select (nvda nvidia-firmware nvidia-module nvidia-modprobe))
  #:export (nvidia-configuration
            nvidia-configuration?
            nvidia-configuration-record?
            nvidia-service-type))

(define-record-type* <nvidia-configuration> nvidia-configuration
  make-nvidia-configuration nvidia-configuration?
  (driver   nvidia-configuration-driver (default nvda))
  (firmware nvidia-configuration-firmware (default nvidia-firmware))
  (module   nvidia-configuration-module (default nvidia-module))
  (modprobe nvidia-configuration-modprobe (default nvidia-modprobe))
  (settings nvidia-configuration-settings (default #f))
  (powerd   nvidia-configuration-powerd (default #t)))

(define nvidia-configuration-record? nvidia-configuration?)

(define nvidia-service-type
  (service-type
   (name 'nvidia)
   (extensions
    (list (service-extension kernel-module-loader-service-type
                             (const '("nvidia" "nvidia_modeset" "nvidia_uvm")))
          (service-extension profile-service-type
                             (lambda (config)
                               (filter identity
                                       (list (nvidia-configuration-driver config)
                                             (nvidia-configuration-settings config)))))))
   (default-value (nvidia-configuration))
   (description "Load the NVIDIA proprietary driver's kernel modules and make
its user-space part available.")))
