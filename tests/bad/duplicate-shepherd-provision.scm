(use-modules (gnu) (gnu services shepherd))
(operating-system
  (host-name "bad")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device "/dev/sda1")
                        (type "ext4"))
                      %base-file-systems))
  (services (append (list (simple-service 'one shepherd-root-service-type
                                     (list (shepherd-service (provision '(web)) (start #~(const #t)))))
                      (simple-service 'two shepherd-root-service-type
                                     (list (shepherd-service (provision '(web)) (start #~(const #t))))))
              %base-services)))
