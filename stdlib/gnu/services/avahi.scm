;;; schemy --- Avahi (Guix manual, "Networking Services"): the host's mDNS daemon, its avahi-daemon.conf written.

(define-module (gnu services avahi)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages avahi) #:select (avahi))
  #:export (avahi-configuration
            avahi-configuration?
            avahi-service-type
            avahi-daemon-conf))

(define-record-type* <avahi-configuration> avahi-configuration
  make-avahi-configuration avahi-configuration?
  (avahi avahi-configuration-avahi (default avahi))
  (debug? avahi-configuration-debug? (default #f))
  (host-name avahi-configuration-host-name (default #f))
  (publish? avahi-configuration-publish? (default #t))
  (publish-workstation? avahi-configuration-publish-workstation? (default #t))
  (public-workstation? avahi-configuration-public-workstation? (default #t))
  (wide-area? avahi-configuration-wide-area? (default #f))
  (ipv4? avahi-configuration-ipv4? (default #t))
  (ipv6? avahi-configuration-ipv6? (default #t))
  (domains-to-browse avahi-configuration-domains-to-browse (default '())))

(define (avahi-daemon-conf config)
  (define (bool b) (if b "yes" "no"))
  (string-append
   "[server]\n"
   (let ((h (avahi-configuration-host-name config))) (if h (string-append "host-name=" h "\n") ""))
   "browse-domains=" (string-join (avahi-configuration-domains-to-browse config) ", ") "\n"
   "use-ipv4=" (bool (avahi-configuration-ipv4? config)) "\n"
   "use-ipv6=" (bool (avahi-configuration-ipv6? config)) "\n"
   "\n[wide-area]\nenable-wide-area=" (bool (avahi-configuration-wide-area? config)) "\n"
   "\n[publish]\ndisable-publishing=" (bool (not (avahi-configuration-publish? config))) "\n"
   "publish-workstation=" (bool (avahi-configuration-publish-workstation? config)) "\n"))

(define avahi-service-type
  (service-type
   (name 'avahi)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (provision '(avahi-daemon))
                                      (requirement '(networking))
                                      (documentation "Run the Avahi mDNS/DNS-SD responder.")
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append (avahi-configuration-avahi config) "/sbin/avahi-daemon"))))
                                      (stop #~(make-kill-destructor))))))
          (service-extension profile-service-type
                             (lambda (config) (list (avahi-configuration-avahi config))))
          (service-extension etc-service-type
                             (lambda (config)
                               (list (list "avahi/avahi-daemon.conf" (plain-file "avahi-daemon.conf" (avahi-daemon-conf config))))))))
   (default-value (avahi-configuration))
   (description "Run the Avahi mDNS/DNS-SD responder.")))

;; Names Guix's module exports too.
(export avahi-configuration-avahi avahi-configuration-debug?
        avahi-configuration-domains-to-browse avahi-configuration-host-name
        avahi-configuration-ipv4? avahi-configuration-ipv6?
        avahi-configuration-publish-workstation? avahi-configuration-publish?
        avahi-configuration-wide-area?)
