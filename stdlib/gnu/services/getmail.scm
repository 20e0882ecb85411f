;;; schemy --- getmail (Guix manual, "Mail Services"): one getmail daemon
;;; per configuration, each with the getmailrc Guix writes ([retriever],
;;; [destination] and [options] sections), its own directory and user.

(define-module (gnu services getmail)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((guix packages) #:select (package?))
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages mail) #:select (getmail6))
  #:use-module (ice-9 match)
  #:use-module (srfi srfi-1)
  #:export (getmail-retriever-configuration
            getmail-retriever-configuration-extra-parameters
            getmail-destination-configuration
            getmail-options-configuration
            getmail-configuration-file
            getmail-configuration
            getmail-service-type

            getmailrc-text))

;;; Each setting is "name = value": dashes as underscores, no trailing `?';
;;; a list is written as a Python tuple ("a", "b", ); empty strings are left
;;; out.  A file-like value stands for its file name.

(define (uglify-field-name field-name)
  (let ((str (symbol->string field-name)))
    (string-join (string-split (if (string-suffix? "?" str)
                                   (substring str 0 (- (string-length str) 1))
                                   str)
                               #\-)
                 "_")))

(define (serialize-field field-name val)
  (let ((name (uglify-field-name field-name)))
    (cond ((list? val)
           (format #f "~a = (~a)\n" name
                   (string-concatenate (map (lambda (v) (format #f "\"~a\", " v)) val))))
          ((file-like? val) (list (string-append name " = ") val "\n"))
          (else (format #f "~a = ~a\n" name val)))))

(define (serialize-string field-name val)
  (if (string=? val "") "" (serialize-field field-name val)))

(define (string-or-filelike? val)
  (or (string? val) (file-like? val)))
(define (serialize-string-or-filelike field-name val)
  (if (equal? val "") "" (serialize-field field-name val)))

(define (serialize-boolean field-name val)
  (serialize-field field-name (if val "true" "false")))

(define (non-negative-integer? val)
  (and (exact-integer? val) (not (negative? val))))
(define (serialize-non-negative-integer field-name val)
  (serialize-field field-name val))

(define serialize-list serialize-field)

(define parameter-alist? list?)
(define (serialize-parameter-alist field-name val)
  (append-map (match-lambda
                ((key . value)
                 (let ((text (serialize-field key value)))
                   (if (list? text) text (list text)))))
              val))

(define-configuration getmail-retriever-configuration
  (type (string "SimpleIMAPSSLRetriever") "Retriever type (SimpleIMAPSSLRetriever, SimplePOP3Retriever...).")
  (server string "Mail server name or address.")
  (username string "User name on the server.")
  (port (non-negative-integer #f) "Port to connect to.")
  (password (string "") "Password.")
  (password-command (list '()) "Command printing the password.")
  (keyfile (string "") "PEM key file for TLS.")
  (certfile (string "") "PEM certificate file for TLS.")
  (ca-certs (string "") "CA certificates.")
  (extra-parameters (parameter-alist '()) "Extra retriever parameters."))

(define (serialize-getmail-retriever-configuration field-name val)
  (serialize-configuration val getmail-retriever-configuration-fields))

(define-configuration getmail-destination-configuration
  (type string "Destination type (Maildir, Mboxrd, MDA_external).")
  (path (string-or-filelike "") "Path (or program) of the destination.")
  (extra-parameters (parameter-alist '()) "Extra destination parameters."))

(define (serialize-getmail-destination-configuration field-name val)
  (serialize-configuration val getmail-destination-configuration-fields))

(define-configuration getmail-options-configuration
  (verbose (non-negative-integer 1) "Verbosity (0, 1 or 2).")
  (read-all (boolean #t) "Retrieve all messages, not only unseen ones.")
  (delete (boolean #f) "Delete messages once retrieved.")
  (delete-after (non-negative-integer 0) "Delete messages after this many days (0: never).")
  (delete-bigger-than (non-negative-integer 0) "Delete messages bigger than this (0: never).")
  (max-bytes-per-session (non-negative-integer 0) "Bytes retrieved per session (0: no limit).")
  (max-message-size (non-negative-integer 0) "Largest message retrieved (0: no limit).")
  (delivered-to (boolean #t) "Add a Delivered-To header.")
  (received (boolean #t) "Add a Received header.")
  (message-log (string "") "Log file of messages (\"\": none).")
  (message-log-syslog (boolean #f) "Log messages to syslog.")
  (message-log-verbose (boolean #f) "Log more about each message.")
  (extra-parameters (parameter-alist '()) "Extra options."))

(define (serialize-getmail-options-configuration field-name val)
  (serialize-configuration val getmail-options-configuration-fields))

(define-configuration getmail-configuration-file
  (retriever (getmail-retriever-configuration (getmail-retriever-configuration))
             "The account to retrieve mail from, and how.")
  (destination (getmail-destination-configuration (getmail-destination-configuration))
               "What to do with retrieved messages.")
  (options (getmail-options-configuration (getmail-options-configuration)) "getmail's options."))

(define (as-list x) (if (list? x) x (list x)))

(define (getmailrc-pieces rcfile)
  (append (list "[retriever]\n")
          (as-list (serialize-getmail-retriever-configuration
                    #f (getmail-configuration-file-retriever rcfile)))
          (list "\n[destination]\n")
          (as-list (serialize-getmail-destination-configuration
                    #f (getmail-configuration-file-destination rcfile)))
          (list "\n[options]\n")
          (as-list (serialize-getmail-options-configuration
                    #f (getmail-configuration-file-options rcfile)))))

(define (getmailrc-text rcfile)
  "The getmailrc Guix writes for RCFILE, when no value is a file-like object."
  (string-concatenate (getmailrc-pieces rcfile)))

(define (serialize-getmail-configuration-file field-name val) "")
(define (serialize-symbol field-name val) "")

(define-configuration getmail-configuration
  (name (symbol "unset") "Symbol identifying this getmail service.")
  (package (file-like getmail6) "The getmail package.")
  (user (string "getmail") "User running getmail.")
  (group (string "getmail") "Group running getmail.")
  (directory (string "/var/lib/getmail/default") "getmail's directory.")
  (rcfile (getmail-configuration-file (getmail-configuration-file)) "The getmailrc.")
  (idle (list '()) "Mailboxes watched with IMAP IDLE.")
  (environment-variables (list '()) "Environment variables for getmail."))

(define (getmail-accounts configs)
  (let ((users (delete-duplicates (map getmail-configuration-user configs)))
        (groups (delete-duplicates (map getmail-configuration-group configs))))
    (append (map (lambda (group) (user-group (name group) (system? #t))) groups)
            (map (lambda (user)
                   (user-account
                    (name user)
                    (group (getmail-configuration-group
                            (find (lambda (config) (string=? user (getmail-configuration-user config)))
                                  configs)))
                    (system? #t)
                    (comment "Getmail user")
                    (home-directory "/var/empty")
                    (shell "/sbin/nologin")))
                 users))))

(define (getmail-activation configs)
  #~(begin
      (use-modules (guix build utils))
      #$@(map (lambda (config)
                #~(let* ((pw (getpw #$(getmail-configuration-user config)))
                         (getmaildir #$(getmail-configuration-directory config)))
                    (mkdir-p getmaildir)
                    (chown getmaildir (passwd:uid pw) (passwd:gid pw))))
              configs)))

(define (getmail-shepherd-services configs)
  (map (lambda (config)
         (match-record config <getmail-configuration>
           (name package user group directory rcfile idle environment-variables)
           (shepherd-service
            (documentation "Run getmail.")
            (provision (list (symbol-append 'getmail- name)))
            (requirement '(networking))
            (start #~(make-forkexec-constructor
                      (list #$(file-append package "/bin/getmail")
                            #$(string-append "--getmaildir=" directory)
                            #$@(map (lambda (mailbox) (string-append "--idle=" mailbox)) idle)
                            (string-append "--rcfile="
                                           #$(apply mixed-text-file "getmailrc"
                                                    (getmailrc-pieces rcfile))))
                      #:user #$user
                      #:group #$group
                      #:environment-variables (list #$@environment-variables)
                      #:log-file #$(string-append "/var/log/getmail-" (symbol->string name))))
            (stop #~(make-kill-destructor)))))
       configs))

(define getmail-service-type
  (service-type
   (name 'getmail)
   (extensions
    (list (service-extension shepherd-root-service-type getmail-shepherd-services)
          (service-extension activation-service-type getmail-activation)
          (service-extension account-service-type getmail-accounts)))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Run getmail, a mail retriever.")))
