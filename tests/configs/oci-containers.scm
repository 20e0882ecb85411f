;; Containers run by Podman as shepherd services (oci-service-type), with
;; rootless Podman, as real configs write them (issue 15, third corpus).
(use-modules (gnu)
             (gnu services containers)
             (gnu services docker)
             (gnu system accounts))

(operating-system
  (host-name "media")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (device (file-system-label "root"))
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems))
  (users (cons (user-account
                (name "media")
                (group "users")
                (supplementary-groups '("cgroup")))
               %base-user-accounts))
  (services
   (append
    (list (service rootless-podman-service-type
                   (rootless-podman-configuration
                    (subgids (list (subid-range (name "media"))))
                    (subuids (list (subid-range (name "media"))))))
          (service oci-service-type (oci-configuration (runtime 'podman)))
          (simple-service 'jellyfin oci-service-type
                          (oci-extension
                           (containers
                            (list (oci-container-configuration
                                   (network "host")
                                   (user "media")
                                   (respawn? #t)
                                   (image "jellyfin/jellyfin:latest")
                                   (environment '(("TZ" . "UTC") "JELLYFIN_LOG_DIR=/log"))
                                   (ports '(("8096" . "8096")))
                                   (volumes '("jellyfin-config:/config"))))))))
    %base-services)))
