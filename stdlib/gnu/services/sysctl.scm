;;; schemy --- Kernel parameters (sysctl).
;;;
;;; `sysctl-service-type' sets kernel parameters at boot, such as
;;; "net.ipv4.ip_forward".  Its value is a `sysctl-configuration' (or simply
;;; an alist of settings); other services extend it with alists of
;;; (PARAMETER . VALUE) strings.  The settings are written to /etc/sysctl.conf.

(define-module (gnu services sysctl)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu services configuration) #:select (field-checker))
  #:use-module (gnu packages linux)
  #:export (sysctl-configuration
            sysctl-configuration?
            sysctl-configuration-sysctl
            sysctl-configuration-settings
            %default-sysctl-settings
            sysctl-settings->string
            sysctl-service-type))

(define %default-sysctl-settings
  ;; Protections against links in world-writable sticky directories.
  '(("fs.protected_hardlinks" . "1")
    ("fs.protected_symlinks" . "1")))

(define sanitize-settings
  (field-checker (lambda (value)
                   (and (list? value)
                        (every (lambda (x) (and (pair? x) (string? (car x)))) value)))
                 "sysctl-configuration: settings must be an alist of (\"PARAMETER\" . \"VALUE\"), not ~s"))

(define-record-type* <sysctl-configuration> sysctl-configuration
  make-sysctl-configuration sysctl-configuration?
  (sysctl   sysctl-configuration-sysctl (default (file-append procps "/sbin/sysctl")))
  (settings sysctl-configuration-settings (default %default-sysctl-settings)
            (sanitize sanitize-settings)))

(define (->configuration value)
  (if (sysctl-configuration? value)
      value
      (sysctl-configuration (settings value))))

(define (setting-value->string value)
  (cond ((string? value) value)
        ((number? value) (number->string value))
        ((symbol? value) (symbol->string value))
        (else (format #f "~a" value))))

(define (sysctl-settings->string settings)
  (string-concatenate
   (map (lambda (setting)
          (string-append (car setting) " = " (setting-value->string (cdr setting)) "\n"))
        settings)))

(define (sysctl.conf config)
  (plain-file "sysctl.conf"
              (string-append "# Kernel parameters, from the system configuration.\n"
                             (sysctl-settings->string (sysctl-configuration-settings config)))))

(define (sysctl-shepherd-service config)
  (shepherd-service
   (provision '(sysctl))
   (requirement '())
   (documentation "Set the kernel parameters listed in /etc/sysctl.conf.")
   (start #~(lambda _
              (zero? (system* #$(sysctl-configuration-sysctl config)
                              "--load" #$(sysctl.conf config)))))
   (one-shot? #t)
   (respawn? #f)))

(define sysctl-service-type
  (service-type
   (name 'sysctl)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (value)
                               (list (sysctl-shepherd-service (->configuration value)))))
          (service-extension etc-service-type
                             (lambda (value)
                               (list (list "sysctl.conf"
                                           (sysctl.conf (->configuration value))))))))
   (compose (lambda (lists) (apply append lists)))
   (extend (lambda (value settings)
             (let ((config (->configuration value)))
               (sysctl-configuration
                (inherit config)
                (settings (append (sysctl-configuration-settings config) settings))))))
   (default-value (sysctl-configuration))
   (description "Set kernel parameters at boot and write /etc/sysctl.conf.  Other
services extend it with alists of (\"PARAMETER\" . \"VALUE\") settings.")))
