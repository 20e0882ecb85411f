;; A Wayland laptop logging in with greetd on three terminals, seatd for the
;; seat, a user in seatd's group, and the idioms of the configs that needed
;; them (issue 15, third corpus): greetd's terminals and sessions, a host name
;; with an underscore, (gnu services herd) in an activation gexp,
;; (lambda* (. rest) ...), privileged-program-service-type, X for xinit.
(use-modules (gnu)
             (gnu services base)
             (gnu services desktop)
             (gnu services docker)
             (gnu services herd)
             (gnu packages admin)
             (gnu packages bash)
             (gnu packages linux)
             (gnu services xorg)
             (gnu system setuid))

(define log-args
  (lambda* (. rest) rest))

(operating-system
  (host-name "wayland_laptop")
  (bootloader (bootloader-configuration
               (bootloader grub-efi-bootloader)
               (targets '("/boot/efi"))))
  (file-systems (cons* (file-system
                         (device (file-system-label "root"))
                         (mount-point "/")
                         (type "ext4"))
                       %base-file-systems))
  (users (cons (user-account
                (name "ada")
                (group "users")
                (supplementary-groups '("wheel" "audio" "video" "input" "seat")))
               %base-user-accounts))
  (services
   (append
    (list (service seatd-service-type)
          (service greetd-service-type
                   (greetd-configuration
                    (greeter-supplementary-groups (list "video" "input"))
                    (terminals
                     (list (greetd-terminal-configuration
                            (terminal-vt "1")
                            (terminal-switch #t)
                            (default-session-command
                              (greetd-agreety-session
                               (command (greetd-user-session
                                         (command (file-append bash "/bin/bash"))
                                         (extra-env '(("EDITOR" . "nano"))))))))
                           (greetd-terminal-configuration
                            (terminal-vt "2")
                            (default-session-command (greetd-wlgreet-sway-session)))
                           (greetd-terminal-configuration
                            (terminal-vt "3")
                            (initial-session-user "ada"))))))
          (simple-service 'mount-setuid-helpers privileged-program-service-type
                          (map file-like->setuid-program
                               (list (file-append ntfs-3g "/sbin/mount.ntfs-3g"))))
          (service xorg-server-service-type
                   (xorg-configuration (keyboard-layout (keyboard-layout "us"))))
          (simple-service 'show-services activation-service-type
                          #~(begin
                              (use-modules (gnu services herd))
                              (apply list #$@(log-args "activation" "done")))))
    (modify-services %base-services
      (delete login-service-type)
      (delete mingetty-service-type)))))
