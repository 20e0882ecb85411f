;;; schemy --- Messaging services (Guix manual, "Messaging Services").
;;;
;;; BitlBee, the gateway between IRC and chat networks: Guix's record and
;;; bitlbee.conf.  Guix starts it from Shepherd's inetd constructor (one
;;; bitlbee -I per connection); schemy's service manager has no inetd
;;; constructor, so the daemon runs as BitlBee's own forking daemon on the
;;; same address and port (bitlbee -F -n: one process per client, as with
;;; inetd), as the bitlbee account.  Prosody, ngircd, pounce, quassel and the
;;; other services of Guix's module are not written yet.

(define-module (gnu services messaging)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages messaging) #:select (bitlbee))
  #:export (bitlbee-configuration
            bitlbee-configuration?
            bitlbee-service-type))

(define-record-type* <bitlbee-configuration> bitlbee-configuration
  make-bitlbee-configuration bitlbee-configuration?
  (bitlbee        bitlbee-configuration-bitlbee (default bitlbee))
  (interface      bitlbee-configuration-interface (default "127.0.0.1"))
  (port           bitlbee-configuration-port (default 6667))
  (plugins        bitlbee-plugins (default '()))
  (extra-settings bitlbee-configuration-extra-settings (default "")))

(define (bitlbee.conf config)
  ;; As Guix writes it (its [settings] section, indented).  PluginDir names the union of the
  ;; plugins' lib/bitlbee, here the first plugin's (or the daemon's own) directory.
  (let ((plugins (bitlbee-plugins config)))
    (mixed-text-file "bitlbee.conf"
                     "
  [settings]
  User = bitlbee
  ConfigDir = /var/lib/bitlbee
  DaemonInterface = " (bitlbee-configuration-interface config) "
  DaemonPort = " (number->string (bitlbee-configuration-port config)) "
  PluginDir = " (if (null? plugins) (bitlbee-configuration-bitlbee config) (car plugins)) "/lib/bitlbee
" (bitlbee-configuration-extra-settings config))))

(define (bitlbee-shepherd-service config)
  (list (shepherd-service
         (provision '(bitlbee))
         (requirement '(user-processes networking))
         (documentation "Run BitlBee, the gateway between IRC and chat networks.")
         (start #~(make-forkexec-constructor
                   (list #$(file-append (bitlbee-configuration-bitlbee config) "/sbin/bitlbee")
                         "-F" "-n" "-c" #$(bitlbee.conf config))
                   #:user "bitlbee" #:group "bitlbee"
                   #:log-file "/var/log/bitlbee.log"))
         (stop #~(make-kill-destructor)))))

(define %bitlbee-accounts
  (list (user-group (name "bitlbee") (system? #t))
        (user-account (name "bitlbee") (group "bitlbee") (system? #t)
                      (comment "BitlBee daemon user")
                      (home-directory "/var/empty")
                      (shell "/sbin/nologin"))))

(define %bitlbee-activation
  ;; Where BitlBee keeps its users' accounts and OTR data, owned by bitlbee.
  #~(begin
      (use-modules (guix build utils))
      (mkdir-p "/var/lib/bitlbee")
      (let ((user (getpwnam "bitlbee")))
        (chown "/var/lib/bitlbee" (passwd:uid user) (passwd:gid user)))))

(define bitlbee-service-type
  (service-type
   (name 'bitlbee)
   (extensions
    (list (service-extension shepherd-root-service-type bitlbee-shepherd-service)
          (service-extension account-service-type (const %bitlbee-accounts))
          (service-extension activation-service-type (const %bitlbee-activation))))
   (default-value (bitlbee-configuration))
   (description "Run BitlBee, a daemon that acts as a gateway between IRC and chat networks.")))
