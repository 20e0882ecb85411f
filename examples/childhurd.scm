;; The childhurd example of the manual: a GNU/Hurd virtual machine with an
;; account for charlie, who logs in (as himself or as root) with his SSH key.
;; (The manual names the system both `childhurd-os' and `%childhurd-os'; it is
;; `%childhurd-os' here, and the key is the one shipped beside this file.)
(use-modules (gnu))
(use-service-modules ssh virtualization)

(define %childhurd-os
  ;; Definition of my GNU/Hurd system, derived from the default one.
  (operating-system
    (inherit %hurd-vm-operating-system)

    ;; Add a user account.
    (users (cons (user-account
                  (name "charlie")
                  (comment "This is me!")
                  (group "users")
                  (supplementary-groups '("wheel"))) ;for 'sudo'
                 %base-user-accounts))

    (services
     ;; Modify the SSH configuration to allow login as "root"
     ;; and as "charlie" using public key authentication.
     (modify-services (operating-system-user-services
                       %hurd-vm-operating-system)
       (openssh-service-type
        config => (openssh-configuration
                   (inherit config)
                   (authorized-keys
                    `(("root"
                       ,(local-file
                         "id_rsa.pub"))
                      ("charlie"
                       ,(local-file
                         "id_rsa.pub"))))))))))

(operating-system
  ;; …
  ;; (The manual elides these fields; they are the minimum an
  ;; operating-system needs.)
  (host-name "hurd-host")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device "/dev/sda1")
                        (type "ext4"))
                      %base-file-systems))
  (services
    ;; Add the 'hurd-vm' service, configured to use the
    ;; operating system configuration above.
    (append (list (service hurd-vm-service-type
                           (hurd-vm-configuration
                             (os %childhurd-os))))
            %base-services)))
