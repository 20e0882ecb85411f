;;; schemy --- The user's Guix channels (Guix manual, "Guix Home Services"):
;;; ~/.config/guix/channels.scm, written from a list of channels.

(define-module (gnu home services guix)
  #:use-module (gnu services)
  #:use-module (gnu home services)
  #:use-module (guix channels)
  #:use-module (guix gexp)
  #:use-module (ice-9 pretty-print)
  #:use-module (srfi srfi-1)
  #:export (home-channels-service-type))

(define (add-channels initial more)
  ;; One channel per name, the first given winning.
  (delete-duplicates (append initial more)
                     (lambda (a b) (eq? (channel-name a) (channel-name b)))))

(define (channels-file channels)
  `(("guix/channels.scm"
     ,(plain-file "channels.scm"
                  (call-with-output-string
                    (lambda (port)
                      (pretty-print (cons 'list (map channel->code channels)) port)))))))

(define home-channels-service-type
  (service-type
   (name 'home-channels)
   (extensions (list (service-extension home-xdg-configuration-files-service-type
                                        channels-file)))
   (compose concatenate)
   (extend add-channels)
   (default-value %default-channels)
   (description "Write the user's ~/.config/guix/channels.scm.")))
