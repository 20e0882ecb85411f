;; schemy's demo system: the chapter's libvirt example as the manual writes it (a user in
;; the "libvirt" group, libvirtd listening for TLS on port 16555), the virtlog daemon, and a
;; small web server any Linux host can run.  `make run` reconfigures it into ./demo-root; its
;; services run in that root's view, where /etc is this system's (the libvirt group exists
;; there) and /run is the root's own (the socket is demo-root/run/libvirt/libvirt-sock).
(use-modules (gnu))
(use-service-modules virtualization shepherd)

(define hello-page
  (plain-file "index.html" "<h1>Hello from schemy</h1>\n"))

(define hello-web-service
  (simple-service 'hello-web shepherd-root-service-type
                  (list (shepherd-service
                         (provision '(hello-web))
                         (documentation "Serve a tiny web page on 127.0.0.1:8431.")
                         (start #~(make-forkexec-constructor
                                   (list "python3" "-m" "http.server" "8431"
                                         "--bind" "127.0.0.1"
                                         "--directory" #$(file-append
                                                          (computed-file "hello-site"
                                                                         #~(begin
                                                                             (mkdir #$output)
                                                                             (copy-file #$hello-page
                                                                                        (string-append #$output "/index.html"))))
                                                          ""))))
                         (stop #~(make-kill-destructor))))))

(define demo-operating-system
 (operating-system
  (host-name "demo")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "root"))
                        (type "ext4"))
                      %base-file-systems))
  (users (cons (user-account
                (name "user")
                (group "users")
                (supplementary-groups '("libvirt"
                                        "audio" "video" "wheel")))
               %base-user-accounts))
  (services
   (append (list (service libvirt-service-type
                          (libvirt-configuration
                           (tls-port "16555")))
                 (service virtlog-service-type)
                 hello-web-service)
           %base-services))))

demo-operating-system
