;;; schemy --- Docker (Guix manual, "Miscellaneous Services"): containerd and dockerd.

(define-module (gnu services docker)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages docker) #:select (docker docker-cli containerd docker-libnetwork-cmd-proxy))
  #:use-module ((gnu packages linux) #:select (singularity))
  #:use-module ((gnu system privilege) #:select (file-like->setuid-program))
  #:use-module (srfi srfi-1)
  #:export (containerd-configuration
            containerd-configuration?
            containerd-service-type
            docker-configuration
            docker-configuration?
            docker-service-type
            singularity-service-type
            oci-container-configuration
            oci-container-configuration?
            oci-container-configuration-host-environment
            oci-container-configuration-log-file
            oci-container-configuration-auto-start?
            oci-container-configuration-respawn?
            oci-container-configuration-shepherd-actions
            oci-container-configuration-user
            oci-container-configuration-group
            oci-container-configuration-command
            oci-container-configuration-entrypoint
            oci-container-configuration-environment
            oci-container-configuration-image
            oci-container-configuration-provision
            oci-container-configuration-requirement
            oci-container-configuration-network
            oci-container-configuration-ports
            oci-container-configuration-volumes
            oci-container-configuration-container-user
            oci-container-configuration-workdir
            oci-container-configuration-extra-arguments
            oci-container-service-type))

(define-record-type* <containerd-configuration> containerd-configuration
  make-containerd-configuration containerd-configuration?
  (containerd containerd-configuration-containerd (default containerd))
  (debug? containerd-configuration-debug? (default #f))
  (environment-variables containerd-configuration-environment-variables (default '())))

(define (containerd-activation config)
  #~(begin
      (use-modules (guix build utils))
      (mkdir-p "/var/lib/containerd")))

(define (containerd-shepherd-service config)
  ;; As Guix, except the PID file: Guix waits for /run/containerd/containerd.pid, which
  ;; Debian's containerd never writes (it stays in the foreground, watched as it is).
  (let ((containerd (containerd-configuration-containerd config)))
    (shepherd-service
     (documentation "containerd daemon.")
     (provision '(containerd))
     (requirement '(user-processes))
     (start #~(make-forkexec-constructor
               (list #$(file-append containerd "/bin/containerd")
                     #$@(if (containerd-configuration-debug? config) '("--log-level=debug") '()))
               ;; For finding the containerd-shim programs.
               #:environment-variables
               (list #$@(containerd-configuration-environment-variables config)
                     (string-append "PATH=" #$containerd "/bin"))
               #:log-file "/var/log/containerd.log"))
     (stop #~(make-kill-destructor)))))

(define containerd-service-type
  (service-type
   (name 'containerd)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (containerd-shepherd-service config))))
          (service-extension activation-service-type containerd-activation)
          (service-extension profile-service-type
                             (lambda (config) (list (containerd-configuration-containerd config))))))
   (default-value (containerd-configuration))
   (description "Run containerd, the container runtime daemon.")))

(define-record-type* <docker-configuration> docker-configuration
  make-docker-configuration docker-configuration?
  (docker docker-configuration-docker (default docker))
  (docker-cli docker-configuration-docker-cli (default docker-cli))
  (containerd docker-configuration-containerd (default containerd))
  (proxy docker-configuration-proxy (default docker-libnetwork-cmd-proxy))
  (enable-proxy? docker-configuration-enable-proxy? (default #t))
  (debug? docker-configuration-debug? (default #f))
  (enable-iptables? docker-configuration-enable-iptables? (default #t))
  (environment-variables docker-configuration-environment-variables (default '()))
  (config-file docker-configuration-config-file (default #f)))

(define %docker-accounts
  (list (user-group (name "docker") (system? #t))))

(define (docker-activation config)
  #~(begin
      (use-modules (guix build utils))
      (mkdir-p "/var/lib/docker")))

(define (docker-shepherd-service config)
  ;; As Guix: dockerd with its PID file, the userland proxy and iptables as configured, the
  ;; configuration file given, and containerd's socket.
  (let ((config-file (docker-configuration-config-file config)))
    (shepherd-service
     (documentation "Docker daemon.")
     (provision '(dockerd))
     (requirement '(user-processes containerd dbus-system elogind file-system-/sys/fs/cgroup
                    networking udev))
     (start #~(make-forkexec-constructor
               (list #$(file-append (docker-configuration-docker config) "/bin/dockerd")
                     "-p" "/var/run/docker.pid"
                     #$@(if config-file (list #~(string-append "--config-file=" #$config-file)) '())
                     #$@(if (docker-configuration-debug? config) '("--debug" "--log-level=debug") '())
                     #$@(if (docker-configuration-enable-proxy? config)
                            (list "--userland-proxy=true"
                                  #~(string-append "--userland-proxy-path="
                                                   #$(docker-configuration-proxy config) "/bin/proxy"))
                            '("--userland-proxy=false"))
                     #$(if (docker-configuration-enable-iptables? config) "--iptables" "--iptables=false")
                     "--containerd" "/run/containerd/containerd.sock")
               #:environment-variables (list #$@(docker-configuration-environment-variables config))
               #:pid-file "/var/run/docker.pid"
               #:log-file "/var/log/docker.log"))
     (stop #~(make-kill-destructor)))))

(define docker-service-type
  (service-type
   (name 'docker)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (docker-shepherd-service config))))
          (service-extension activation-service-type docker-activation)
          (service-extension account-service-type (const %docker-accounts))
          (service-extension profile-service-type
                             (lambda (config) (list (docker-configuration-docker-cli config))))))
   (default-value (docker-configuration))
   (description "Run the Docker daemon (dockerd); it needs containerd-service-type.")))

(define-record-type* <oci-container-configuration> oci-container-configuration
  make-oci-container-configuration oci-container-configuration?
  ;; Unset (#f): those of the oci-configuration, as in Guix.
  (user oci-container-configuration-user (default #f))
  (group oci-container-configuration-group (default #f))
  (command oci-container-configuration-command (default '()))
  (entrypoint oci-container-configuration-entrypoint (default #f))
  (host-environment oci-container-configuration-host-environment (default '()))
  (environment oci-container-configuration-environment (default '()))
  (image oci-container-configuration-image)
  (provision oci-container-configuration-provision (default #f))
  (requirement oci-container-configuration-requirement (default '()))
  (log-file oci-container-configuration-log-file (default #f))
  (auto-start? oci-container-configuration-auto-start? (default #t))
  (respawn? oci-container-configuration-respawn? (default #f))
  (shepherd-actions oci-container-configuration-shepherd-actions (default '()))
  (network oci-container-configuration-network (default #f))
  (ports oci-container-configuration-ports (default '()))
  (volumes oci-container-configuration-volumes (default '()))
  (container-user oci-container-configuration-container-user (default #f))
  (workdir oci-container-configuration-workdir (default #f))
  (extra-arguments oci-container-configuration-extra-arguments (default '())))

(define oci-container-service-type
  (service-type
   (name 'oci-container)
   (extensions (list (service-extension profile-service-type (const '()))))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Run OCI containers as shepherd services.")))

;;; Singularity (Guix manual, "Miscellaneous Services"): the directories it
;;; mounts containers under, and its three helpers as setuid programs.

(define %singularity-activation
  #~(begin
      (use-modules (guix build utils))
      (for-each (lambda (directory)
                  (let ((directory (string-append "/var/singularity/mnt/" directory)))
                    (mkdir-p directory)
                    (chmod directory #o755)))
                '("container" "final" "overlay" "session"))
      (chmod "/var/singularity/mnt/" #o755)))

(define (singularity-privileged-programs singularity)
  ;; The helpers under meaningful names: singularity-{action,mount,start}-helper.
  (let ((helpers (computed-file
                  "singularity-privileged-helpers"
                  #~(begin
                      (mkdir #$output)
                      (for-each (lambda (program)
                                  (symlink (string-append #$singularity "/libexec/singularity/bin/"
                                                          program "-suid")
                                           (string-append #$output "/singularity-" program "-helper")))
                                '("action" "mount" "start"))))))
    (map (lambda (program)
           (file-like->setuid-program (file-append helpers "/singularity-" program "-helper")))
         '("action" "mount" "start"))))

(define singularity-service-type
  (service-type
   (name 'singularity)
   (extensions
    (list (service-extension privileged-program-service-type singularity-privileged-programs)
          (service-extension activation-service-type (const %singularity-activation))))
   (default-value singularity)
   (description "Install the Singularity application bundle tool.")))
