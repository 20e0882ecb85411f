;; A rescue stick: Guix's installation image with a few more tools, a quieter
;; kernel and sysctl settings of its own.  The project's own test configuration.
(use-modules (gnu)
             (gnu system install)
             (gnu services sysctl)
             (gnu packages admin)
             (gnu packages rsync))

(operating-system
  (inherit installation-os)
  (host-name "rettung")
  (kernel-arguments (cons "loglevel=3" %default-kernel-arguments))
  (services
   (cons (service sysctl-service-type
                  (sysctl-configuration
                   (settings (append '(("kernel.sysrq" . "1"))
                                     %default-sysctl-settings))))
         (operating-system-user-services installation-os)))
  (packages (append (list htop rsync)
                    (operating-system-packages installation-os))))
