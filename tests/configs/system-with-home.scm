;; A server whose user alice gets her home environment from the system
;; configuration itself (guix-home-service-type), activated at boot.
;; The project's own test configuration.
(use-modules (gnu)
             (gnu home)
             (gnu home services shells)
             (gnu services guix))

(define alice-home
  (home-environment
    (services (list (service home-bash-service-type
                             (home-bash-configuration
                              (aliases '(("ll" . "ls -alF")))))))))

(operating-system
  (host-name "withhome")
  (bootloader (bootloader-configuration
                (bootloader grub-bootloader)
                (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "root"))
                        (type "ext4"))
                      %base-file-systems))
  (users (cons (user-account
                 (name "alice")
                 (group "users")
                 (home-directory "/home/alice"))
               %base-user-accounts))
  (services (cons (service guix-home-service-type `(("alice" ,alice-home)))
                  %base-services)))
