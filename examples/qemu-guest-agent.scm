;; A guest running the QEMU guest agent, so that the host can control it
;; through the socket it opens with:
;;
;;   qemu-system-x86_64 \
;;     -chardev socket,path=/tmp/qga.sock,server=on,wait=off,id=qga0 \
;;     -device virtio-serial \
;;     -device virtserialport,chardev=qga0,name=org.qemu.guest_agent.0 ...
(use-modules (gnu))
(use-service-modules virtualization)

(operating-system
  (host-name "guix")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/vda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device "/dev/vda1")
                        (type "ext4"))
                      %base-file-systems))
  (services (cons (service qemu-guest-agent-service-type)
                  %base-services)))
