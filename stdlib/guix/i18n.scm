;;; schemy --- (guix i18n): the message-translation markers of Guix's code.
;;; schemy has no message catalogs: a message is its own translation.

(define-module (guix i18n)
  #:export (G_ N_ P_
            %gettext-domain
            %package-text-domain))

(define %gettext-domain "guix")
(define %package-text-domain "guix-packages")

(define (G_ message) message)
(define (N_ singular plural n) (if (= n 1) singular plural))
(define (P_ message) message)
