;;; schemy --- Container services (Guix manual, "Miscellaneous Services"):
;;; rootless Podman's configuration files and the cgroup group.

(define-module (gnu services containers)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services docker)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages containers) #:select (podman))
  #:re-export (oci-container-configuration oci-container-service-type)
  #:export (rootless-podman-configuration
            rootless-podman-configuration?
            rootless-podman-service-type
            %rootless-podman-registries))

(define %rootless-podman-registries
  (plain-file "registries.conf"
              "unqualified-search-registries = ['docker.io', 'registry.fedoraproject.org', 'registry.access.redhat.com', 'registry.centos.org', 'quay.io']\n"))

(define-record-type* <rootless-podman-configuration> rootless-podman-configuration
  make-rootless-podman-configuration rootless-podman-configuration?
  (podman rootless-podman-configuration-podman (default podman))
  (group-name rootless-podman-configuration-group-name (default "cgroup"))
  (containers-registries rootless-podman-configuration-containers-registries
                         (default %rootless-podman-registries))
  (containers-storage rootless-podman-configuration-containers-storage
                      (default (plain-file "storage.conf"
                                           "[storage]\ndriver = \"overlay\"\n")))
  (containers-policy rootless-podman-configuration-containers-policy
                     (default (plain-file "policy.json"
                                          "{\"default\": [{\"type\": \"insecureAcceptAnything\"}]}\n")))
  (pam-limits rootless-podman-configuration-pam-limits (default '()))
  (subgids rootless-podman-configuration-subgids (default '()))
  (subuids rootless-podman-configuration-subuids (default '())))

(define rootless-podman-service-type
  (service-type
   (name 'rootless-podman)
   (extensions
    (list (service-extension etc-service-type
                             (lambda (config)
                               (list (list "containers/registries.conf"
                                           (rootless-podman-configuration-containers-registries config))
                                     (list "containers/storage.conf"
                                           (rootless-podman-configuration-containers-storage config))
                                     (list "containers/policy.json"
                                           (rootless-podman-configuration-containers-policy config)))))
          (service-extension account-service-type
                             (lambda (config)
                               (list (user-group (name (rootless-podman-configuration-group-name config))
                                                 (system? #t)))))
          (service-extension profile-service-type
                             (lambda (config)
                               (let ((p (rootless-podman-configuration-podman config)))
                                 (if p (list p) '()))))))
   (default-value (rootless-podman-configuration))
   (description "Set up rootless Podman: its configuration files and the
group whose members may use cgroups.")))
