;;; schemy --- Operating systems run in Linux containers, (gnu system
;;; linux-container).  `containerized-operating-system' turns a system
;;; declaration into the one Guix runs in a container: no console, getty,
;;; firmware or swap, networking provided by the host (a dummy service
;;; provides loopback, and networking too when the network is shared), the
;;; mappings bind-mounted.  `container-script' is the "run-container" program
;;; of `guix system container': schemy writes it into its store like any
;;; program-file, but does not run a whole system in a container itself.
;;; %namespaces and %writable-/tmp are (gnu build linux-container)'s, as in Guix.

(define-module (gnu system linux-container)
  #:use-module (guix gexp)
  #:use-module (gnu services)
  #:use-module (gnu services base)
  #:use-module (gnu services networking)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system)
  #:use-module (gnu system file-systems)
  #:use-module (gnu build linux-container)
  #:use-module (srfi srfi-1)
  #:re-export (%namespaces %writable-/tmp)
  #:export (containerized-operating-system
            container-script))

(define dummy-networking-service-type
  (shepherd-service-type
   'dummy-networking
   (lambda (provision)
     (shepherd-service
      (documentation "Provide loopback and networking without doing anything: the host does.")
      (provision provision)
      (start #~(const #t))))
   '(loopback networking)
   #:description "Provide loopback and networking in a container, where the host
provides them."))

(define (nscd-container-caches)
  ;; nscd's caches, each at most 256 KiB.
  (map (lambda (cache)
         (nscd-cache (inherit cache) (max-database-size (expt 2 18))))
       %nscd-default-caches))

(define* (container-essential-services os #:key shared-network?)
  "The essential services of OS without those only bare metal needs (firmware),
and, when the network is shared, without the host's network files."
  (define dropped
    (cons firmware-service-type (if shared-network? (list hosts-service-type) '())))
  (filter-map
   (lambda (s)
     (let ((kind (service-kind s)))
       (cond ((memq kind dropped) #f)
             ((and shared-network? (eq? kind etc-service-type))
              (service etc-service-type
                       (remove (lambda (entry)
                                 (member (car entry)
                                         (map basename %network-configuration-files)))
                               (service-value s))))
             (else s))))
   (operating-system-essential-services os)))

(define* (containerized-operating-system os mappings
                                         #:key shared-network?
                                         (extra-file-systems '()))
  "OS for a Linux container: MAPPINGS (file-system-mapping records) bind-mounted,
EXTRA-FILE-SYSTEMS added, the host's devices, store and root not mounted again,
no swap, and the services bare metal needs replaced by the host's."
  (define user-file-systems
    (remove (lambda (fs)
              (let ((target (file-system-mount-point fs))
                    (source (file-system-device fs)))
                (or (string=? target "/gnu/store")
                    (string=? target "/")
                    (and (string? source) (string-prefix? "/dev/" source))
                    (string-prefix? "/dev/" target)
                    (string-prefix? "/sys/" target))))
            (operating-system-file-systems os)))
  (define (mapping->fs mapping)
    (file-system (inherit (file-system-mapping->bind-mount mapping))
                 (needed-for-boot? #t)))
  (define dropped
    (append (list console-font-service-type mingetty-service-type agetty-service-type
                  static-networking-service-type)
            (if shared-network?
                (list dhcpcd-service-type network-manager-service-type connman-service-type)
                '())))
  (define base
    (operating-system
      (inherit os)
      (swap-devices '())
      (services
       (cons (service dummy-networking-service-type
                      (if shared-network? '(loopback networking) '(loopback)))
             (filter-map
              (lambda (s)
                (let ((kind (service-kind s))
                      (value (service-value s)))
                  (cond ((memq kind dropped) #f)
                        ((eq? kind nscd-service-type)
                         (service nscd-service-type
                                  (nscd-configuration (inherit value)
                                                      (caches (nscd-container-caches)))))
                        ((and (eq? kind guix-service-type)
                              (eq? (guix-configuration-chroot? value) 'default))
                         (service guix-service-type
                                  (guix-configuration (inherit value) (chroot? #f))))
                        (else s))))
              (operating-system-user-services os))))
      (file-systems
       (append (map mapping->fs (if shared-network?
                                    (append %network-file-mappings mappings)
                                    mappings))
               extra-file-systems
               user-file-systems
               (list (file-system (mount-point "/") (device "nothing") (type "dummy")))))))
  (operating-system
    (inherit base)
    (essential-services (container-essential-services base #:shared-network? shared-network?))))

(define* (container-script os #:key (mappings '()) shared-network?)
  "The \"run-container\" program that runs OS in a container: OS containerized
with the store and MAPPINGS shared, its file systems (besides the root) mounted
in new namespaces (the network namespace kept when the network is shared), and
the system's boot script run as its first process."
  (let* ((os (containerized-operating-system
              os (cons %store-mapping mappings)
              #:shared-network? shared-network?
              #:extra-file-systems %container-file-systems))
         (mounts (map (lambda (fs)
                        (list (file-system-device fs) (file-system-mount-point fs)
                              (file-system-type fs) (file-system-flags fs)))
                      (filter (lambda (fs)
                                (and (not (string=? "/" (file-system-mount-point fs)))
                                     (file-system-needed-for-boot? fs)))
                              (operating-system-file-systems os)))))
    (program-file
     "run-container"
     #~(begin
         (use-modules (gnu build linux-container) (gnu system file-systems))
         (call-with-container (map spec->file-system '#$mounts)
           (lambda ()
             (setenv "HOME" "/root")
             (setenv "TMPDIR" "/tmp")
             (primitive-load (string-append #$os "/boot")))
           #:namespaces '#$(if shared-network? (delq 'net %namespaces) %namespaces)
           #:writable-root? #t)))))
