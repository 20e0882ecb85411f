;;; schemy --- RabbitMQ (Guix manual, "High Availability Services"):
;;; rabbitmq-server with the configuration file given (by default listening
;;; on the loopback addresses), its plugins file written on activation.

(define-module (gnu services high-availability)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages high-availability) #:select (rabbitmq))
  #:export (rabbitmq-configuration
            rabbitmq-configuration?
            rabbitmq-configuration-rabbitmq
            rabbitmq-configuration-config-file
            rabbitmq-configuration-data-directory
            rabbitmq-configuration-plugins
            rabbitmq-service-type
            rabbitmq-enabled-plugins))

;; AMQP on the loopback interfaces, IPv4 and IPv6, only.
(define %default-rabbitmq-config-file
  (plain-file "rabbitmq.conf"
              "\nlisteners.tcp.1 = 127.0.0.1:5672\nlisteners.tcp.2 = ::1:5672\n"))

(define-record-type* <rabbitmq-configuration> rabbitmq-configuration
  make-rabbitmq-configuration rabbitmq-configuration?
  (rabbitmq       rabbitmq-configuration-rabbitmq (default rabbitmq))
  (config-file    rabbitmq-configuration-config-file (default %default-rabbitmq-config-file))
  ;; Mnesia or Khepri: "data" rather than "mnesia".
  (data-directory rabbitmq-configuration-data-directory (default "/var/lib/rabbitmq/data"))
  (plugins        rabbitmq-configuration-plugins (default '())))

(define (rabbitmq-enabled-plugins config)
  "The text of the enabled_plugins file of CONFIG: an Erlang list of the plugins."
  (string-append "[" (string-join (rabbitmq-configuration-plugins config) ",") "]."))

(define %rabbitmq-accounts
  (list (user-group (name "rabbitmq") (system? #t))
        (user-account (name "rabbitmq") (group "rabbitmq") (system? #t)
                      (comment "RabbitMQ server user")
                      (home-directory "/var/lib/rabbitmq")
                      (shell "/sbin/nologin"))))

(define (rabbitmq-activation config)
  (let ((data (rabbitmq-configuration-data-directory config)))
    #~(begin
        (use-modules (guix build utils))
        (let ((user (getpwnam "rabbitmq"))
              (plugins (string-append #$data "/enabled_plugins")))
          (for-each (lambda (directory)
                      (mkdir-p directory)
                      (chown directory (passwd:uid user) (passwd:gid user)))
                    (list "/var/lib/rabbitmq" "/var/log/rabbitmq" "/var/run/rabbitmq" #$data))
          (call-with-output-file plugins
            (lambda (port) (display #$(rabbitmq-enabled-plugins config) port)))
          (chown plugins (passwd:uid user) (passwd:gid user))))))

(define (rabbitmq-shepherd-service config)
  (let ((data (rabbitmq-configuration-data-directory config)))
    (list (shepherd-service
           (provision '(rabbitmq))
           (documentation "Run the RabbitMQ daemon.")
           (requirement '(user-processes loopback))
           (start #~(make-forkexec-constructor
                     (list #$(file-append (rabbitmq-configuration-rabbitmq config)
                                          "/sbin/rabbitmq-server"))
                     #:pid-file "/var/run/rabbitmq/pid"
                     #:user "rabbitmq"
                     #:group "rabbitmq"
                     #:environment-variables
                     (append (list (string-append "RABBITMQ_CONFIG_FILE="
                                                  #$(rabbitmq-configuration-config-file config))
                                   "RABBITMQ_PID_FILE=/var/run/rabbitmq/pid"
                                   "RABBITMQ_CONF_ENV_FILE=/run/current-system/profile/etc/rabbitmq/rabbitmq-env.conf"
                                   (string-append "RABBITMQ_ENABLED_PLUGINS_FILE=" #$data
                                                  "/enabled_plugins")
                                   (string-append "RABBITMQ_MNESIA_BASE=" #$data)
                                   "RABBITMQ_LOG_BASE=/var/log/rabbitmq")
                             (environ))))
           (stop #~(make-kill-destructor))))))

(define rabbitmq-service-type
  (service-type
   (name 'rabbitmq)
   (extensions
    (list (service-extension shepherd-root-service-type rabbitmq-shepherd-service)
          (service-extension activation-service-type rabbitmq-activation)
          (service-extension account-service-type (const %rabbitmq-accounts))
          (service-extension profile-service-type (compose list rabbitmq-configuration-rabbitmq))))
   (default-value (rabbitmq-configuration))
   (description "Run the RabbitMQ message broker.")))
