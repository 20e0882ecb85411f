;;; schemy --- (gnu services security-token): pcscd, the PC/SC smart card
;;; daemon (Guix manual, "PC/SC Smart Card Daemon Service").  pcscd runs in
;;; the foreground under the service manager; its USB drivers are found under
;;; /var/lib/pcsc, which activation points at the drivers' pcsc directories.

(define-module (gnu services security-token)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services dbus)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages security-token) #:select (pcsc-lite ccid))
  #:export (pcscd-configuration
            pcscd-configuration?
            pcscd-configuration-pcsc-lite
            pcscd-configuration-usb-drivers
            pcscd-service-type))

(define-record-type* <pcscd-configuration> pcscd-configuration
  make-pcscd-configuration pcscd-configuration?
  (pcsc-lite   pcscd-configuration-pcsc-lite (default pcsc-lite))
  (usb-drivers pcscd-configuration-usb-drivers (default (list ccid))))

(define (pcscd-shepherd-service config)
  (shepherd-service
   (documentation "PC/SC Smart Card Daemon")
   (provision '(pcscd))
   (requirement '(user-processes syslogd))
   (start #~(lambda _
              ;; A socket left by a previous run would make pcscd refuse to start.
              (let ((socket "/run/pcscd/pcscd.comm"))
                (when (file-exists? socket)
                  (delete-file socket)))
              (fork+exec-command
               (list #$(file-append (pcscd-configuration-pcsc-lite config) "/sbin/pcscd")
                     "--foreground")
               #:log-file "/var/log/pcscd.log")))
   (stop #~(make-kill-destructor))))

(define (pcscd-activation config)
  ;; As Guix: /var/lib/pcsc is the union of the drivers' pcsc directories.  With one
  ;; driver (the default, ccid) that union is the driver's own directory; with several,
  ;; a directory holding each driver's bundles.
  (let ((drivers (map (lambda (p) (file-append p "/pcsc")) (pcscd-configuration-usb-drivers config))))
    #~(begin
        (mkdir-p "/var/lib")
        (let ((dirs (list #$@drivers)))
          (if (= 1 (length dirs))
              (switch-symlinks "/var/lib/pcsc" (car dirs))
              (begin
                (mkdir-p "/var/lib/pcsc/drivers")
                (for-each (lambda (dir)
                            (let ((bundles (string-append dir "/drivers")))
                              (when (file-exists? bundles)
                                (for-each (lambda (bundle)
                                            (unless (member bundle '("." ".."))
                                              (switch-symlinks
                                               (string-append "/var/lib/pcsc/drivers/" bundle)
                                               (string-append bundles "/" bundle))))
                                          (scandir bundles)))))
                          dirs)))))))

(define pcscd-service-type
  (service-type
   (name 'pcscd)
   (description "Run @command{pcscd}, the PC/SC smart card daemon.")
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (pcscd-shepherd-service config))))
          (service-extension activation-service-type pcscd-activation)
          (service-extension polkit-service-type
                             (lambda (config) (list (pcscd-configuration-pcsc-lite config))))))
   (default-value (pcscd-configuration))))
