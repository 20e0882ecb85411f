;;; schemy --- Sending secrets to a virtual machine when it boots.
;;;
;;; Build VMs and childhurds are volatile: their SSH host keys, Guix signing
;;; key and authorizations live on the host, under a "secret root", and are
;;; sent to the guest's secret service when it starts, over the TCP port QEMU
;;; forwards to the guest's port 1004.  The exchange is Guix's: the guest
;;; greets with (secret-service-server (version ...)); the host answers with
;;; (secrets (version 0) (files ((NAME SIZE MODE) ...))) followed by the
;;; contents of the files, one after the other.

(define-module (gnu build secret-service)
  #:use-module (ice-9 binary-ports)
  #:use-module (guix build utils)
  #:use-module (ice-9 match)
  #:export (secret-service-send-secrets))

(define (log fmt . args)
  ;; Shepherd's output goes to the system log; say what happens on stderr.
  (apply format (current-error-port) (string-append "secret service: " fmt) args)
  (force-output (current-error-port)))

(define (address->string address)
  (if (= (sockaddr:fam address) AF_UNIX)
      (sockaddr:path address)
      (string-append (inet-ntop (sockaddr:fam address) (sockaddr:addr address))
                     ":" (number->string (sockaddr:port address)))))

(define (readable? port seconds)
  "Whether PORT has data to read within SECONDS."
  (match (select (list port) '() '() seconds)
    (((_ . _) _ _) #t)
    (_ #f)))

(define* (secret-service-send-secrets address secret-root
                                      #:key (retry 60) (handshake-timeout 180))
  "Send every file under SECRET-ROOT (#f: none) to the secret service at
ADDRESS, a socket address.  Connecting is tried RETRY more times, a second
apart (QEMU may not listen yet); the guest then has HANDSHAKE-TIMEOUT seconds
to greet.  Return SECRET-ROOT once sent, #f when the guest did not greet
properly; a connection that never succeeds raises the last system-error."
  (define files
    (if (and secret-root (file-exists? secret-root))
        (find-files secret-root)
        '()))

  (define (describe file)
    ;; NAME (relative to the root, with its leading slash), SIZE and MODE.
    (let ((st (stat file)))
      (list (substring file (string-length secret-root)) (stat:size st) (stat:mode st))))

  (define (send sock)
    (write `(secrets (version 0) (files ,(map describe files))) sock)
    (for-each (lambda (file)
                (put-bytevector sock (call-with-input-file file get-bytevector-all #:binary #t)))
              files)
    (force-output sock))

  (log "sending secrets to ~a~%" (address->string address))
  (let ((sock (socket (sockaddr:fam address) (logior SOCK_CLOEXEC SOCK_STREAM) 0)))
    (let loop ((retry retry))
      (catch 'system-error
        (lambda () (connect sock address))
        (lambda (key . args)
          (when (zero? retry)
            (close-port sock)
            (apply throw key args))
          (log "retrying connection [~a attempts left]~%" (- retry 1))
          (sleep 1)
          (loop (- retry 1)))))
    (log "connected; waiting for handshake...~%")
    (let ((result
           (if (readable? sock handshake-timeout)
               (match (read sock)
                 (('secret-service-server ('version _ ...))
                  (log "sending files from ~s...~%" secret-root)
                  (send sock)
                  (log "done sending files to ~a~%" (address->string address))
                  secret-root)
                 (other
                  (log "invalid handshake ~s~%" other)
                  #f))
               (begin
                 (log "timeout while sending files to ~a~%" (address->string address))
                 #f))))
      (close-port sock)
      result)))
