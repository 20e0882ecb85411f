;; The manual's example of overriding settings of individual Ganeti daemons:
;; the remote API binds to interface eth1 and the watcher talks to it at
;; 10.0.0.1.
;;
;; Note: the manual's snippet is mis-parenthesized: it closes
;; ganeti-configuration right after (interface "eth1"), which leaves
;; watcher-configuration as a third argument of `service'.  Here one closing
;; parenthesis moved from after (interface "eth1") to the end of the
;; service form; nothing else changed.
(use-modules (gnu))
(use-service-modules ganeti)

(operating-system
  (host-name "node1")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device "/dev/sda1")
                        (type "ext4"))
                      %base-file-systems))
  (services
   (cons (service ganeti-service-type
                  (ganeti-configuration
                   (rapi-configuration
                    (ganeti-rapi-configuration
                     (interface "eth1")))
                   (watcher-configuration
                    (ganeti-watcher-configuration
                     (rapi-ip "10.0.0.1")))))
         %base-services)))
