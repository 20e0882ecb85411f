;;; schemy --- Samba services (Guix manual, "Samba Services"): samba-service-type, which
;;; runs the Samba daemons enabled in its configuration with the smb.conf given, and
;;; wsdd-service-type, the Web Service Discovery host daemon.
;;; The defaults are those of Guix's code (gnu/services/samba.scm): smbd, nmbd and
;;; winbindd are enabled unless disabled (the manual says #f for them).

(define-module (gnu services samba)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages samba) #:select (samba wsdd))
  #:use-module ((gnu packages admin) #:select (shadow))
  #:export (samba-service-type
            samba-configuration
            samba-configuration?
            wsdd-service-type
            wsdd-configuration
            wsdd-configuration?))

;;; ---------------------------------------------------------------- Samba

(define-record-type* <samba-configuration>
  samba-configuration make-samba-configuration samba-configuration?
  (package          samba-configuration-package (default samba))
  (config-file      samba-configuration-config-file (default #f))
  (enable-samba?    samba-configuration-enable-samba? (default #f))
  (enable-smbd?     samba-configuration-enable-smbd? (default #t))
  (enable-nmbd?     samba-configuration-enable-nmbd? (default #t))
  (enable-winbindd? samba-configuration-enable-winbindd? (default #t)))

(define %samba-smb.conf "/etc/samba/smb.conf")

(define (samba-activation config)
  ;; The directories the daemons use, and smb.conf copied to /etc/samba, as Guix does.
  (let ((config-file (samba-configuration-config-file config)))
    #~(begin
        (use-modules (guix build utils))
        (for-each mkdir-p '("/etc/samba" "/var/lib/samba" "/var/log/samba" "/var/run/samba"
                            "/var/lock/samba" "/var/cache/samba"))
        (mkdir-p "/var/lib/samba/private")
        (chmod "/var/lib/samba/private" #o700)
        #$@(if config-file
               (list #~(copy-file #$config-file #$%samba-smb.conf))
               '()))))

(define (samba-daemon config program provision documentation)
  (let ((package (samba-configuration-package config))
        (config-file (samba-configuration-config-file config)))
    (shepherd-service
     (documentation documentation)
     (provision (list provision))
     (requirement '(user-processes networking))
     (start #~(make-forkexec-constructor
               (list #$(file-append package program)
                     (string-append "--configfile=" #$(or config-file %samba-smb.conf))
                     "--foreground"
                     "--no-process-group")))
     (stop #~(make-kill-destructor)))))

(define (samba-shepherd-services config)
  (append (if (samba-configuration-enable-samba? config)
              (list (samba-daemon config "/sbin/samba" 'samba-samba "Run Samba"))
              '())
          (if (samba-configuration-enable-nmbd? config)
              (list (samba-daemon config "/sbin/nmbd" 'samba-nmbd "Run NMBD"))
              '())
          (if (samba-configuration-enable-smbd? config)
              (list (samba-daemon config "/sbin/smbd" 'samba-smbd "Run SMBD"))
              '())
          (if (samba-configuration-enable-winbindd? config)
              (list (samba-daemon config "/sbin/winbindd" 'samba-winbindd
                                  "Run Winbindd for Name Service Switch"))
              '())))

(define samba-service-type
  (service-type
   (name 'samba)
   (extensions
    (list (service-extension shepherd-root-service-type samba-shepherd-services)
          (service-extension activation-service-type samba-activation)
          (service-extension profile-service-type
                             (lambda (config) (list (samba-configuration-package config))))))
   (default-value (samba-configuration))
   (description "Run Samba, the SMB/CIFS file and print server: the daemons enabled in the
configuration, with its smb.conf.")))

;;; ---------------------------------------------------------------- WSDD

(define-record-type* <wsdd-configuration>
  wsdd-configuration make-wsdd-configuration wsdd-configuration?
  (package        wsdd-configuration-package (default wsdd))
  (ipv4only?      wsdd-configuration-ipv4only? (default #f))
  (ipv6only?      wsdd-configuration-ipv6only? (default #f))
  (chroot         wsdd-configuration-chroot (default #f))
  (hop-limit      wsdd-configuration-hop-limit (default 1))
  (interfaces     wsdd-configuration-interfaces (default '()))
  (uuid-device    wsdd-configuration-uuid-device (default #f))
  (domain         wsdd-configuration-domain (default #f))
  (host-name      wsdd-configuration-host-name (default #f))
  (preserve-case? wsdd-configuration-preserve-case? (default #f))
  (workgroup      wsdd-configuration-workgroup (default "WORKGROUP")))

(define (wsdd-arguments config)
  ;; The command line Guix gives wsdd, option by option.
  (let ((c config))
    (append (if (wsdd-configuration-ipv4only? c) '("--ipv4only") '())
            (if (wsdd-configuration-ipv6only? c) '("--ipv6only") '())
            (if (wsdd-configuration-chroot c) (list "--chroot" (wsdd-configuration-chroot c)) '())
            (if (wsdd-configuration-hop-limit c)
                (list "--hoplimit" (number->string (wsdd-configuration-hop-limit c)))
                '())
            (map (lambda (i) (string-append "--interface=" i)) (wsdd-configuration-interfaces c))
            (if (wsdd-configuration-uuid-device c) (list "--uuid" (wsdd-configuration-uuid-device c)) '())
            (if (wsdd-configuration-domain c) (list "--domain" (wsdd-configuration-domain c)) '())
            (if (wsdd-configuration-host-name c) (list "--hostname" (wsdd-configuration-host-name c)) '())
            (if (wsdd-configuration-preserve-case? c) '("--preserve-case") '())
            (if (wsdd-configuration-workgroup c) (list "--workgroup" (wsdd-configuration-workgroup c)) '()))))

(define (wsdd-shepherd-service config)
  (list (shepherd-service
         (documentation "Make this host (a Samba server) visible to Web Service Discovery
clients such as Windows.")
         (provision '(wsdd))
         (requirement '(user-processes networking))
         (start #~(make-forkexec-constructor
                   (list #$(file-append (wsdd-configuration-package config) "/bin/wsdd")
                         #$@(wsdd-arguments config))
                   #:user "wsdd"
                   #:group "wsdd"
                   #:log-file "/var/log/wsdd.log"))
         (stop #~(make-kill-destructor)))))

(define %wsdd-accounts
  (list (user-group (name "wsdd"))
        (user-account (name "wsdd")
                      (group "wsdd")
                      (comment "Web Service Discovery user")
                      (home-directory "/var/empty")
                      (shell (file-append shadow "/sbin/nologin")))))

(define wsdd-service-type
  (service-type
   (name 'wsdd)
   (extensions
    (list (service-extension shepherd-root-service-type wsdd-shepherd-service)
          (service-extension account-service-type (const %wsdd-accounts))
          (service-extension profile-service-type
                             (lambda (config) (list (wsdd-configuration-package config))))))
   (default-value (wsdd-configuration))
   (description "Run wsdd, the Web Service Discovery host daemon.")))
