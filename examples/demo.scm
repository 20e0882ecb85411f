;; schemy's demo system: the chapter's libvirt and virtlog daemons, plus a small web
;; server any Linux host can run.  `make run` reconfigures it into ./demo-root.
(use-modules (gnu))
(use-service-modules virtualization shepherd)

(define demo-root
  ;; Where the daemons keep their sockets and logs: inside the demo's state root.
  (string-append (getcwd) "/demo-root"))

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
                (name "demo")
                (group "users")
                (supplementary-groups '("libvirt")))
               %base-user-accounts))
  (services
   (append (list (service libvirt-service-type
                          (libvirt-configuration
                           (unix-sock-dir (string-append demo-root "/run/libvirt"))
                           (unix-sock-group "root")))
                 (service virtlog-service-type)
                 hello-web-service)
           %base-services))))

demo-operating-system
