;;; schemy --- (guix channels): channel records, as written in channels.scm
;;; files and in configurations that pin their channels.

(define-module (guix channels)
  #:use-module (guix records)
  #:export (channel
            channel?
            channel-name
            channel-url
            channel-branch
            channel-commit
            channel-introduction
            channel-location
            guix-channel?
            make-channel-introduction
            channel-introduction?
            openpgp-fingerprint
            %default-guix-channel
            %default-channels
            channel->code))

(define-record-type* <channel> channel make-channel channel?
  (name         channel-name)
  (url          channel-url)
  (branch       channel-branch (default "master"))
  (commit       channel-commit (default #f))
  (introduction channel-introduction (default #f))
  (location     channel-location (default #f)))

(define (guix-channel? channel)
  "Whether CHANNEL is the Guix channel itself (its name is guix)."
  (eq? (channel-name channel) 'guix))

(define-record-type <channel-introduction>
  (%make-channel-introduction first-signed-commit first-commit-signer)
  channel-introduction?
  (first-signed-commit channel-introduction-first-signed-commit)
  (first-commit-signer channel-introduction-first-commit-signer))

(define (make-channel-introduction commit signer)
  "The introduction of a channel: its first signed COMMIT and its SIGNER."
  (%make-channel-introduction commit signer))

(define (openpgp-fingerprint str)
  "STR, an OpenPGP fingerprint written in hexadecimal (spaces allowed)."
  (list->string (filter (lambda (c) (not (char=? c #\space))) (string->list str))))

(define %default-guix-channel
  (channel
   (name 'guix)
   (url "https://git.guix.gnu.org/guix.git")
   (branch "master")
   (introduction
    (make-channel-introduction
     "9edb3f66fd807b096b48283debdcddccfea34bad"
     (openpgp-fingerprint "BBB0 2DDF 2CEA F6A8 0D1D  E643 A2A0 6DF2 A33A 54FA")))))

(define %default-channels (list %default-guix-channel))

(define (format-fingerprint fingerprint)
  ;; "BBB02DDF..." => "BBB0 2DDF 2CEA F6A8 0D1D  E643 A2A0 6DF2 A33A 54FA", as Guix writes it.
  (let loop ((i 0) (out '()))
    (if (>= i (string-length fingerprint))
        (string-concatenate (reverse out))
        (loop (+ i 4)
              (cons (string-append (cond ((= i 0) "") ((= i 20) "  ") (else " "))
                                   (substring fingerprint i (min (+ i 4) (string-length fingerprint))))
                    out)))))

(define* (channel->code channel #:key (include-introduction? #t))
  "The code of a (channel ...) form that makes CHANNEL, as written in channels.scm."
  (let ((intro (and include-introduction? (channel-introduction channel))))
    `(channel
      (name ',(channel-name channel))
      (url ,(channel-url channel))
      (branch ,(channel-branch channel))
      ,@(if (channel-commit channel) `((commit ,(channel-commit channel))) '())
      ,@(if intro
            `((introduction
               (make-channel-introduction
                ,(channel-introduction-first-signed-commit intro)
                (openpgp-fingerprint
                 ,(format-fingerprint (channel-introduction-first-commit-signer intro))))))
            '()))))

;; Names Guix's module exports too.
(export channel-introduction-first-commit-signer
        channel-introduction-first-signed-commit)
