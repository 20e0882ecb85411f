;; schemy deploy examples/deploy.scm
;;
;; Two Ganeti nodes sharing one operating-system definition (the node daemon on
;; both, the master's role on node1) and a web server, each a managed host
;; reached with the local OpenSSH client.  host-key is the target's
;; /etc/ssh/ssh_host_ed25519_key.pub; with #f, ~/.ssh/known_hosts is used.
(use-modules (gnu) (gnu machine) (gnu machine ssh))
(use-service-modules ganeti shepherd)

(define (ganeti-node name)
  (operating-system
    (host-name name)
    (bootloader (bootloader-configuration
                 (bootloader grub-bootloader)
                 (targets '("/dev/sda"))))
    (file-systems (cons (file-system
                          (mount-point "/")
                          (device "/dev/sda1")
                          (type "ext4"))
                        %base-file-systems))
    (services (append (list (service ganeti-service-type
                                     (ganeti-configuration
                                      (file-storage-paths '("/srv/ganeti/file-storage"))
                                      (os %default-ganeti-os))))
                      %base-services))))

(define web-server
  (operating-system
    (inherit (ganeti-node "www"))
    (services (append (list (simple-service 'web shepherd-root-service-type
                             (list (shepherd-service
                                    (provision '(web))
                                    (start #~(make-forkexec-constructor
                                              (list "python3" "-m" "http.server" "8080"
                                                    "--directory" "/srv/www")))
                                    (stop #~(make-kill-destructor))))))
                      %base-services))))

(define (managed-host os address host-key)
  (machine
   (operating-system os)
   (environment managed-host-environment-type)
   (configuration (machine-ssh-configuration
                   (host-name address)
                   (system "x86_64-linux")
                   (user "root")
                   (identity "~/.ssh/id_ed25519")
                   (host-key host-key)))))

(list (managed-host (ganeti-node "node1") "192.168.1.201" "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0V0n7cFk3b0sVmZxGz0m5vQkq2K0m1Jm5W9c0kAbCd")
      (managed-host (ganeti-node "node2") "192.168.1.202" #f)
      (managed-host web-server "192.168.1.210" #f))
