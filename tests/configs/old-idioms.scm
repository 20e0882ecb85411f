;; A small office router written years ago and kept working: the configuration
;; syntax of older Guix releases that current Guix still accepts (with
;; deprecation warnings), and a few procedures configs use.
(use-modules (gnu) (ice-9 match))
(use-service-modules admin networking ssh)

(define (first-name names)
  ;; `and' with a dotted tail is no `and' pattern but a list pattern whose first
  ;; element is bound to a variable named `and' (as in Guix's devel-hurd template).
  (match names
    ((and second . rest) and)
    (_ #f)))

(operating-system
  (host-name (first-name '("office" "spare")))
  (timezone "Europe/Prague")
  (bootloader (grub-configuration (targets '("/dev/sda")) (timeout 1.5)))
  (mapped-devices
   (list (mapped-device
          (source "/dev/sda3")
          (target "data")
          (type (luks-device-mapping-with-options #:key-file "/root/data.key"
                                                  #:allow-discards? #t)))))
  (file-systems (cons* (file-system
                         (device "/dev/sda2")
                         (mount-point "/")
                         (type "ext4"))
                       (file-system
                         (device "/dev/mapper/data")
                         (mount-point "/srv")
                         (type "ext4")
                         (dependencies mapped-devices))
                       %base-file-systems))
  (swap-devices (list (swap-space
                       (target "/swapfile")
                       (dependencies (filter (file-system-mount-point-predicate "/")
                                             file-systems)))))
  (services (cons* (static-networking-service "eth0" "192.168.7.2"
                                              #:netmask "255.255.255.0"
                                              #:gateway "192.168.7.1"
                                              #:name-servers '("192.168.7.1"))
                   (service dhcpd-service-type
                            (dhcpd-configuration
                             (config-file (plain-file "dhcpd.conf"
                                                      "subnet 10.7.0.0 netmask 255.255.255.0 {}\n"))
                             (interfaces '("eth1"))))
                   (service pam-limits-service-type
                            (list (pam-limits-entry "@audio" 'both 'rtprio 95)
                                  (pam-limits-entry "*" 'soft 'nofile 65536)))
                   (pam-limits-service (list (pam-limits-entry "@audio" 'hard 'memlock 'unlimited)))
                   (service openssh-service-type)
                   (service file-database-service-type)
                   (service package-database-service-type
                            (package-database-configuration (method 'manifests)))
                   %base-services)))
