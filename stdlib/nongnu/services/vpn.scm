;;; schemy --- nonguix's VPN services, (nongnu services vpn): the ZeroTier
;;; One daemon, with `join' and `leave' actions for networks.

(define-module (nongnu services vpn)
  #:use-module (guix deprecation)
  #:use-module (guix gexp)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (nongnu packages vpn)
  #:export (zerotier-service-type
            zerotier-one-service-type
            zerotier-one-service))

(define (zerotier-cli-action name verb documentation)
  ;; An action that runs `zerotier-cli VERB NETWORK' and shows what it says.
  (shepherd-action
   (name name)
   (documentation documentation)
   (procedure #~(lambda (running network)
                  (let* ((command (list #$(file-append zerotier "/sbin/zerotier-cli") #$verb network))
                         (port (apply open-pipe* OPEN_READ command))
                         (output (get-string-all port)))
                    (display output)
                    (status:exit-val (close-pipe port)))))))

(define (zerotier-shepherd-services config)
  (list (shepherd-service
         (documentation "ZeroTier One daemon.")
         (provision '(zerotier-one))
         (requirement '(networking))
         (modules '((ice-9 popen) (ice-9 textual-ports)))
         (actions (list (zerotier-cli-action 'join "join" "Join a network")
                        (zerotier-cli-action 'leave "leave" "Leave a network")))
         (start #~(make-forkexec-constructor
                   (list #$(file-append zerotier "/sbin/zerotier-one"))))
         (stop #~(make-kill-destructor)))))

(define zerotier-service-type
  (service-type
   (name 'zerotier)
   (description "Run the ZeroTier One daemon.")
   (extensions
    (list (service-extension shepherd-root-service-type zerotier-shepherd-services)))
   (default-value '())))

(define-deprecated/alias zerotier-one-service-type zerotier-service-type)

(define-deprecated (zerotier-one-service #:key (config '()))
  zerotier-service-type
  (service zerotier-service-type config))
