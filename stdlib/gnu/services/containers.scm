;;; schemy --- Container services (Guix manual, "Miscellaneous Services"):
;;; rootless Podman's configuration files and the cgroup group.

(define-module (gnu services containers)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services docker)
  #:use-module (gnu system shadow)
  #:use-module (srfi srfi-1)
  #:use-module ((gnu packages containers) #:select (podman))
  #:use-module ((gnu packages docker) #:select (docker-cli))
  #:use-module ((gnu packages admin) #:select (shadow))
  #:use-module ((gnu packages bash) #:select (bash-minimal))
  #:re-export (oci-container-configuration oci-container-service-type)
  #:export (rootless-podman-configuration
            rootless-podman-configuration?
            rootless-podman-service-type
            %rootless-podman-registries

            oci-configuration
            oci-configuration?
            oci-configuration-runtime
            oci-configuration-runtime-cli
            oci-configuration-user
            oci-configuration-group
            oci-configuration-containers
            oci-configuration-networks
            oci-configuration-volumes
            oci-configuration-verbose?
            oci-extension
            oci-extension?
            oci-extension-containers
            oci-extension-networks
            oci-extension-volumes
            oci-service-type))

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

;;; What rootless Podman needs of the host, as one-shot services (on a
;;; foreign host they are the host's business: listed in
;;; %host-provided-services, they are shown as provided by the host).

(define (host-shell-step name command)
  (program-file name #~(system* #$(file-append bash-minimal "/bin/bash") "-c" #$command)))

(define (rootless-podman-shepherd-services config)
  (let ((group (rootless-podman-configuration-group-name config)))
    (list (shepherd-service
           (provision '(rootless-podman-shared-root-fs))
           (requirement '(user-processes))
           (one-shot? #t)
           (documentation "Make / a shared mount, as rootless Podman expects.")
           (start #~(make-forkexec-constructor
                     (list #$(program-file "rootless-podman-shared-root-fs-entrypoint"
                                           #~(system* "mount" "--make-shared" "/")))))
           (stop #~(make-kill-destructor)))
          (shepherd-service
           (provision '(cgroups2-limits))
           (requirement '(user-processes rootless-podman-shared-root-fs))
           (one-shot? #t)
           (documentation "Let containers set cgroup limits: cpu, cpuset, io, memory, pids.")
           (start #~(make-forkexec-constructor
                     (list #$(host-shell-step
                              "cgroups2-limits-entrypoint"
                              "echo +cpu +cpuset +io +memory +pids >> /sys/fs/cgroup/cgroup.subtree_control"))))
           (stop #~(make-kill-destructor)))
          (shepherd-service
           (provision '(cgroups2-fs-owner))
           (requirement '(user-processes cgroups2-limits))
           (one-shot? #t)
           (documentation "Give the cgroup group /sys/fs/cgroup.")
           (start #~(make-forkexec-constructor
                     (list #$(host-shell-step
                              "cgroups2-fs-owner-entrypoint"
                              (string-append
                               "chown root:" group " /sys/fs/cgroup && chmod 775 /sys/fs/cgroup && "
                               "chown root:" group " /sys/fs/cgroup/cgroup.{procs,subtree_control,threads} && "
                               "chmod 664 /sys/fs/cgroup/cgroup.{procs,subtree_control,threads}")))))
           (stop #~(make-kill-destructor))))))

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
                                 (if p (list p) '()))))
          (service-extension shepherd-root-service-type rootless-podman-shepherd-services)))
   (default-value (rootless-podman-configuration))
   (description "Set up rootless Podman: its configuration files and the
group whose members may use cgroups.")))
;;;
;;; oci-service-type: OCI containers (Docker or Podman) as shepherd services.
;;; Each container runs in the foreground with `RUNTIME run --rm --name NAME
;;; OPTIONS... IMAGE COMMAND...' as the configured user; services extend it
;;; with oci-extension records.
;;;

(define-record-type* <oci-configuration> oci-configuration
  make-oci-configuration oci-configuration?
  (runtime                 oci-configuration-runtime (default 'docker))
  (runtime-cli             oci-configuration-runtime-cli (default #f))
  (runtime-extra-arguments oci-configuration-runtime-extra-arguments (default '()))
  (user                    oci-configuration-user (default "oci-container"))
  (group                   oci-configuration-group (default #f))
  (subuids-range           oci-configuration-subuids-range (default #f))
  (subgids-range           oci-configuration-subgids-range (default #f))
  (containers              oci-configuration-containers (default '()))
  (networks                oci-configuration-networks (default '()))
  (volumes                 oci-configuration-volumes (default '()))
  (verbose?                oci-configuration-verbose? (default #f))
  (home-service?           oci-configuration-home-service? (default (for-home?))))

(define-record-type* <oci-extension> oci-extension
  make-oci-extension oci-extension?
  (containers oci-extension-containers (default '()))
  (networks   oci-extension-networks (default '()))
  (volumes    oci-extension-volumes (default '())))

(define (oci-runtime-check runtime)
  (unless (memq runtime '(docker podman))
    (error "oci-configuration: the runtime must be 'docker or 'podman, not" runtime))
  runtime)

(define (oci-group config)
  (or (oci-configuration-group config)
      (if (eq? (oci-configuration-runtime config) 'podman) "cgroup" "docker")))

(define (oci-cli config)
  (let ((cli (oci-configuration-runtime-cli config))
        (runtime (oci-configuration-runtime config)))
    (cond ((string? cli) cli)
          (cli (file-append cli (if (eq? runtime 'podman) "/bin/podman" "/bin/docker")))
          ((eq? runtime 'podman) (file-append podman "/bin/podman"))
          (else (file-append docker-cli "/bin/docker")))))

(define (joined separator)
  (lambda (spec)
    (if (pair? spec) (string-append (car spec) separator (cdr spec)) spec)))

(define (oci-container-name runtime container)
  (or (oci-container-configuration-provision container)
      (let ((image (oci-container-configuration-image container)))
        (string-append (symbol->string runtime) "-"
                       (basename (car (string-split image #\:)))))))

(define (oci-container-arguments container)
  (let ((entrypoint (oci-container-configuration-entrypoint container))
        (network (oci-container-configuration-network container))
        (user (oci-container-configuration-container-user container))
        (workdir (oci-container-configuration-workdir container)))
    (append (if entrypoint
                (list "--entrypoint" (if (list? entrypoint) (string-join entrypoint " ") entrypoint))
                '())
            (append-map (lambda (e) (list "--env" ((joined "=") e)))
                        (oci-container-configuration-environment container))
            (if network (list "--network" network) '())
            (if user (list "--user" user) '())
            (if workdir (list "--workdir" workdir) '())
            (append-map (lambda (p) (list "-p" ((joined ":") p)))
                        (oci-container-configuration-ports container))
            (append-map (lambda (v) (list "-v" ((joined ":") v)))
                        (oci-container-configuration-volumes container))
            (oci-container-configuration-extra-arguments container))))

(define (oci-container-shepherd-service config container)
  (let* ((runtime (oci-configuration-runtime config))
         (name (oci-container-name runtime container))
         ;; A home's containers are the user's own processes, needing no daemon of the system.
         (home? (oci-configuration-home-service? config))
         (user (or (oci-container-configuration-user container) (oci-configuration-user config)))
         (log-file (oci-container-configuration-log-file container)))
    (shepherd-service
     (provision (list (string->symbol name)))
     (requirement (append (oci-container-configuration-requirement container)
                          (cond
                           (home? '())
                           ((eq? runtime 'podman)
                            '(cgroups2-fs-owner cgroups2-limits rootless-podman-shared-root-fs
                              user-processes))
                           (else '(dockerd user-processes)))))
     (respawn? (oci-container-configuration-respawn? container))
     (auto-start? (oci-container-configuration-auto-start? container))
     (documentation (string-append (if (eq? runtime 'podman) "Podman" "Docker")
                                   " backed Shepherd service for "
                                   (oci-container-configuration-image container) "."))
     (start #~(make-forkexec-constructor
               (append (list #$(oci-cli config))
                       '#$(oci-configuration-runtime-extra-arguments config)
                       (list "run" "--rm" "--name" #$name)
                       '#$(oci-container-arguments container)
                       (list #$(oci-container-configuration-image container))
                       '#$(oci-container-configuration-command container))
               #:user #$(and (not home?) user)
               #:group #$(cond (home? #f)
                               ((oci-container-configuration-group container) => identity)
                               ((eq? runtime 'podman)
                                ;; Podman runs as the user's own group, as in Guix.
                                #~(group:name (getgrgid (passwd:gid (getpwnam #$user)))))
                               (else (oci-group config)))
               #$@(if log-file (list #:log-file log-file) '())
               #:environment-variables
               (list #$@(map (joined "=") (oci-container-configuration-host-environment container)))))
     (stop #~(make-kill-destructor)))))

(define (oci-shepherd-services config)
  (oci-runtime-check (oci-configuration-runtime config))
  (unless (and (null? (oci-configuration-networks config)) (null? (oci-configuration-volumes config)))
    (error "oci-service-type: networks and volumes are not supported by schemy yet; \
the containers' own -v and --network options are"))
  (map (lambda (c) (oci-container-shepherd-service config c))
       (oci-configuration-containers config)))

(define (oci-accounts config)
  (let ((runtime (oci-configuration-runtime config))
        (user (oci-configuration-user config)))
    (list (user-account
           (name user)
           (comment "OCI services account")
           (group "users")
           (supplementary-groups (list (oci-group config)))
           (system? (eq? runtime 'docker))
           (home-directory (if (eq? runtime 'podman) (string-append "/home/" user) "/var/empty"))
           (create-home-directory? (eq? runtime 'podman))
           (shell (file-append shadow "/sbin/nologin"))))))

(define oci-service-type
  (service-type
   (name 'oci)
   (extensions
    (list (service-extension profile-service-type
                             (lambda (config)
                               (let ((cli (oci-configuration-runtime-cli config)))
                                 (cond ((string? cli) '())
                                       (cli (list cli))
                                       ((eq? (oci-configuration-runtime config) 'podman) (list podman))
                                       (else (list docker-cli))))))
          (service-extension account-service-type oci-accounts)
          (service-extension shepherd-root-service-type oci-shepherd-services)))
   (compose (lambda (extensions)
              (oci-extension
               (containers (append-map oci-extension-containers extensions))
               (networks (append-map oci-extension-networks extensions))
               (volumes (append-map oci-extension-volumes extensions)))))
   (extend (lambda (config extension)
             (oci-configuration
              (inherit config)
              (containers (append (oci-configuration-containers config)
                                  (oci-extension-containers extension)))
              (networks (append (oci-configuration-networks config)
                                (oci-extension-networks extension)))
              (volumes (append (oci-configuration-volumes config)
                               (oci-extension-volumes extension))))))
   (default-value (oci-configuration))
   (description "Run OCI containers (Docker or Podman) as Shepherd services.")))

;; Names Guix's module exports too.
(export oci-configuration-runtime-extra-arguments oci-container-shepherd-service
        rootless-podman-configuration-containers-policy
        rootless-podman-configuration-containers-registries
        rootless-podman-configuration-containers-storage
        rootless-podman-configuration-group-name
        rootless-podman-configuration-pam-limits rootless-podman-configuration-podman
        rootless-podman-configuration-subgids rootless-podman-configuration-subuids
        rootless-podman-shepherd-services)
