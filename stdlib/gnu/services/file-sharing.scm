;;; schemy --- File-sharing services (Guix manual, "File-Sharing Services"):
;;; the Transmission BitTorrent daemon.
;;;
;;; Every field of `transmission-daemon-configuration' is a setting of
;;; Transmission's settings.json (same name, without the trailing `?');
;;; enumerations are written as the numbers or strings Transmission reads.
;;; The daemon runs as the `transmission' user with its state (settings.json
;;; included) under /var/lib/transmission-daemon.

(define-module (gnu services file-sharing)
  #:use-module (srfi srfi-1)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services configuration)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages bittorrent) #:select (transmission))
  #:use-module ((gnu packages admin) #:select (shadow))
  #:use-module ((rnrs bytevectors) #:select (string->utf8 bytevector->u8-list))
  #:use-module (guix base16)
  #:use-module ((gcrypt hash) #:select (sha1))
  #:use-module ((gcrypt random) #:select (gen-random-bv %gcry-strong-random))
  #:export (transmission-daemon-service-type
            transmission-daemon-configuration
            transmission-daemon-configuration?
            transmission-daemon-configuration-package
            transmission-daemon-configuration-download-dir
            transmission-daemon-configuration-rpc-port
            transmission-daemon-configuration->settings-json
            transmission-daemon-configuration-fields
            transmission-password-hash
            transmission-random-salt))

;;; Field types.

(define (non-negative-integer? x) (and (exact-integer? x) (>= x 0)))
(define (non-negative-rational? x) (and (rational? x) (>= x 0)))
(define (port-number? x) (and (exact-integer? x) (<= 0 x 65535)))
(define (umask? x) (and (exact-integer? x) (<= 0 x #o777)))
(define (string-list? x) (and (list? x) (every string? x)))
(define (file-object? x) (or (string? x) (file-like? x)))

(define %preallocation-modes '((none . 0) (fast . 1) (sparse . 1) (full . 2)))
(define (preallocation-mode? x) (and (assq x %preallocation-modes) #t))

(define %encryption-modes
  '((prefer-unencrypted-connections . 0)
    (prefer-encrypted-connections . 1)
    (require-encrypted-connections . 2)))
(define (encryption-mode? x) (and (assq x %encryption-modes) #t))

(define %message-levels '((none . 0) (error . 1) (info . 2) (debug . 3)))
(define (message-level? x) (and (assq x %message-levels) #t))

(define %tcp-types-of-service
  '((default . "default") (low-cost . "lowcost") (throughput . "throughput")
    (low-delay . "lowdelay") (reliability . "reliability")))
(define (tcp-type-of-service? x) (and (assq x %tcp-types-of-service) #t))

;; Transmission's day mask: Sunday is bit 0, Saturday bit 6.
(define %days '(sunday monday tuesday wednesday thursday friday saturday))
(define (day-list? x)
  (or (memq x '(all weekdays weekends))
      (and (list? x) (every (lambda (d) (memq d %days)) x))))

(define (day-list->mask days)
  (case days
    ((all) 127)
    ((weekdays) 62)
    ((weekends) 65)
    (else (fold (lambda (day mask)
                  (logior mask (ash 1 (list-index (lambda (d) (eq? d day)) %days))))
                0 days))))

(define-maybe/no-serialization string)
(define-maybe/no-serialization file-object)

;; A password hash as Transmission writes it: `{' then 40 hex digits and a salt.
(define (transmission-password-hash? x)
  (and (string? x) (string-prefix? "{" x) (= (string-length x) 49)
       (string-every char-set:hex-digit x 1 41)))

(define %transmission-salt-length 8)

(define (transmission-password-hash password salt)
  "The `rpc-password' value Transmission's clients write for PASSWORD: `{', the
SHA-1 of PASSWORD followed by SALT in hexadecimal, then SALT (eight characters)."
  (unless (and (string? salt) (= (string-length salt) %transmission-salt-length))
    (error (format #f "salt value must be a string of ~d characters"
                   %transmission-salt-length)))
  (string-append "{"
                 (bytevector->base16-string
                  (sha1 (string->utf8 (string-append password salt))))
                 salt))

(define (transmission-random-salt)
  "Eight random characters of the alphabet Transmission draws its salts from."
  (let ((alphabet "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ./"))
    (list->string
     (map (lambda (byte)
            (string-ref alphabet (modulo byte (string-length alphabet))))
          (bytevector->u8-list
           (gen-random-bv %transmission-salt-length %gcry-strong-random))))))
(define-maybe/no-serialization transmission-password-hash)

(define-configuration/no-serialization transmission-daemon-configuration
  (transmission (file-like transmission) "The Transmission package to use (Guix's field name).")
  (stop-wait-period (non-negative-integer 10)
   "Seconds to wait for the daemon to exit when stopping the service.")
  (download-dir (string "/var/lib/transmission-daemon/downloads")
   "The directory to which torrent files are downloaded.")
  (incomplete-dir-enabled? (boolean #f)
   "Keep files in incomplete-dir while they are downloaded.")
  (incomplete-dir maybe-string "Where files are kept while they are downloaded.")
  (umask (umask 18) "The file mode creation mask of downloaded files.")
  (rename-partial-files? (boolean #t) "Append `.part' to the names of partial files.")
  (preallocation (preallocation-mode 'fast)
   "How space is preallocated: none, fast (or sparse) or full.")
  (watch-dir-enabled? (boolean #f) "Add the torrent files put in watch-dir.")
  (watch-dir maybe-string "The directory watched for torrent files.")
  (trash-original-torrent-files? (boolean #f) "Delete torrent files once added.")
  (speed-limit-down-enabled? (boolean #f) "Limit the download speed.")
  (speed-limit-down (non-negative-integer 100) "The download speed limit, in kB/s.")
  (speed-limit-up-enabled? (boolean #f) "Limit the upload speed.")
  (speed-limit-up (non-negative-integer 100) "The upload speed limit, in kB/s.")
  (alt-speed-enabled? (boolean #f) "Use the alternate speed limits.")
  (alt-speed-down (non-negative-integer 50) "The alternate download limit, in kB/s.")
  (alt-speed-up (non-negative-integer 50) "The alternate upload limit, in kB/s.")
  (alt-speed-time-enabled? (boolean #f) "Use the alternate limits on a schedule.")
  (alt-speed-time-day (day-list 'all)
   "The days of the schedule: a list of days, or weekdays, weekends or all.")
  (alt-speed-time-begin (non-negative-integer 540) "Start of the schedule, minutes after midnight.")
  (alt-speed-time-end (non-negative-integer 1020) "End of the schedule, minutes after midnight.")
  (bind-address-ipv4 (string "0.0.0.0") "The IPv4 address peers connect to.")
  (bind-address-ipv6 (string "::") "The IPv6 address peers connect to.")
  (peer-port-random-on-start? (boolean #f) "Pick a random peer port at each start.")
  (peer-port-random-low (port-number 49152) "Lowest random peer port.")
  (peer-port-random-high (port-number 65535) "Highest random peer port.")
  (peer-port (port-number 51413) "The port peers connect to.")
  (port-forwarding-enabled? (boolean #t) "Ask the router to forward the peer port (UPnP, NAT-PMP).")
  (encryption (encryption-mode 'prefer-encrypted-connections)
   "prefer-unencrypted-connections, prefer-encrypted-connections or require-encrypted-connections.")
  (peer-congestion-algorithm maybe-string "The TCP congestion-control algorithm for peers.")
  (peer-socket-tos (tcp-type-of-service 'default)
   "TCP type of service: default, low-cost, throughput, low-delay or reliability.")
  (peer-limit-global (non-negative-integer 200) "Most peers at once.")
  (peer-limit-per-torrent (non-negative-integer 50) "Most peers at once per torrent.")
  (upload-slots-per-torrent (non-negative-integer 14) "Most peers uploaded to per torrent.")
  (peer-id-ttl-hours (non-negative-integer 6) "Hours before a peer id is regenerated.")
  (blocklist-enabled? (boolean #f) "Refuse the peers of the blocklist.")
  (blocklist-url maybe-string "Where the blocklist is downloaded from.")
  (download-queue-enabled? (boolean #t) "Download at most download-queue-size torrents at once.")
  (download-queue-size (non-negative-integer 5) "Torrents downloaded at once.")
  (seed-queue-enabled? (boolean #f) "Seed at most seed-queue-size torrents at once.")
  (seed-queue-size (non-negative-integer 10) "Torrents seeded at once.")
  (queue-stalled-enabled? (boolean #t) "Torrents without activity leave the queue.")
  (queue-stalled-minutes (non-negative-integer 30) "Minutes without activity before that.")
  (ratio-limit-enabled? (boolean #f) "Stop seeding at ratio-limit.")
  (ratio-limit (non-negative-rational 2.0) "The upload/download ratio to stop at.")
  (idle-seeding-limit-enabled? (boolean #f) "Stop seeding idle torrents.")
  (idle-seeding-limit (non-negative-integer 30) "Minutes idle before that.")
  (dht-enabled? (boolean #t) "Use the distributed hash table (DHT).")
  (lpd-enabled? (boolean #f) "Use local peer discovery.")
  (pex-enabled? (boolean #t) "Use peer exchange.")
  (utp-enabled? (boolean #t) "Use the micro transport protocol (uTP).")
  (rpc-enabled? (boolean #t) "Offer the RPC (control) interface.")
  (rpc-bind-address (string "0.0.0.0") "The address of the RPC interface.")
  (rpc-port (port-number 9091) "The port of the RPC interface.")
  (rpc-url (string "/transmission/") "The path of the RPC interface.")
  (rpc-authentication-required? (boolean #f) "RPC clients must authenticate.")
  (rpc-username maybe-string "The RPC user name.")
  (rpc-password maybe-transmission-password-hash
   "The RPC password, as a hash from an existing settings.json.")
  (rpc-whitelist-enabled? (boolean #t) "Accept RPC clients of rpc-whitelist only.")
  (rpc-whitelist (string-list '("127.0.0.1" "::1"))
   "Addresses (with `*' wildcards) of the RPC clients accepted.")
  (rpc-host-whitelist-enabled? (boolean #t) "Accept RPC requests for rpc-host-whitelist hosts only.")
  (rpc-host-whitelist (string-list '()) "Host names the RPC interface answers to.")
  (message-level (message-level 'info) "Logging: none, error, info or debug.")
  (start-added-torrents? (boolean #t) "Start torrents as soon as they are added.")
  (script-torrent-done-enabled? (boolean #f) "Run script-torrent-done-filename when a torrent is done.")
  (script-torrent-done-filename maybe-file-object "The script run when a torrent is done.")
  (scrape-paused-torrents-enabled? (boolean #t) "Ask trackers about paused torrents.")
  (cache-size-mb (non-negative-integer 4) "The memory cache, in MiB.")
  (prefetch-enabled? (boolean #t) "Tell the OS which file parts will be read next."))

;;; settings.json

(define (json-string s)
  (string-append
   "\""
   (string-concatenate
    (map (lambda (c)
           (case c
             ((#\") "\\\"")
             ((#\\) "\\\\")
             ((#\newline) "\\n")
             (else (string c))))
         (string->list s)))
   "\""))

(define (json-number n)
  (if (and (exact? n) (not (integer? n)))
      (number->string (exact->inexact n))
      (number->string n)))

(define (field-json-value name value)
  "VALUE of field NAME as JSON text, or #f for an unset maybe- field."
  (cond ((unset-value? value) #f)
        ((eq? name 'preallocation) (number->string (assq-ref %preallocation-modes value)))
        ((eq? name 'encryption) (number->string (assq-ref %encryption-modes value)))
        ((eq? name 'message-level) (number->string (assq-ref %message-levels value)))
        ((eq? name 'peer-socket-tos) (json-string (assq-ref %tcp-types-of-service value)))
        ((eq? name 'alt-speed-time-day) (number->string (day-list->mask value)))
        ((memq name '(rpc-whitelist rpc-host-whitelist)) (json-string (string-join value ",")))
        ((boolean? value) (if value "true" "false"))
        ((number? value) (json-number value))
        ((string? value) (json-string value))
        (else value)))                  ;a file-like object: its store file name

(define (json-key name)
  (let ((s (symbol->string name)))
    (if (string-suffix? "?" s) (string-drop-right s 1) s)))

(define (transmission-daemon-configuration-package config)
  ;; schemy's earlier name of the transmission field's accessor.
  (transmission-daemon-configuration-transmission config))

(define (transmission-daemon-configuration->settings-json config)
  "settings.json of CONFIG: a file-like object (a field may be a file-like object)."
  (let* ((fields (remove (lambda (f) (memq (configuration-field-name f) '(transmission stop-wait-period)))
                         transmission-daemon-configuration-fields))
         (entries (filter-map
                   (lambda (f)
                     (let ((value (field-json-value (configuration-field-name f)
                                                    ((configuration-field-getter f) config))))
                       (and value
                            (list (json-string (json-key (configuration-field-name f))) ": " value))))
                   fields)))
    (apply mixed-text-file "settings.json"
           (append (list "{\n")
                   (append-map (lambda (entry rest)
                                 (append (list "  ") entry (list (if (null? rest) "\n" ",\n"))))
                               entries
                               (append (cdr (map list entries)) '(())))
                   (list "}\n")))))

;;; The service.

(define %transmission-daemon-state "/var/lib/transmission-daemon")

(define (transmission-daemon-accounts config)
  (list (user-group (name "transmission") (system? #t))
        (user-account
         (name "transmission")
         (group "transmission")
         (system? #t)
         (comment "Transmission Daemon service account")
         (home-directory %transmission-daemon-state)
         (shell (file-append shadow "/sbin/nologin")))))

(define (transmission-daemon-activation config)
  (let ((settings (transmission-daemon-configuration->settings-json config))
        (dirs (filter string?
                      (list (transmission-daemon-configuration-download-dir config)
                            (maybe-value (transmission-daemon-configuration-incomplete-dir config))
                            (maybe-value (transmission-daemon-configuration-watch-dir config))))))
    #~(begin
        (use-modules (guix build utils))
        (let ((user (getpwnam "transmission"))
              (config-dir #$(string-append %transmission-daemon-state "/config")))
          (for-each (lambda (dir)
                      (mkdir-p dir)
                      (chown dir (passwd:uid user) (passwd:gid user)))
                    (cons config-dir '#$dirs))
          (copy-file #$settings (string-append config-dir "/settings.json"))
          (chown (string-append config-dir "/settings.json") (passwd:uid user) (passwd:gid user))
          (chmod (string-append config-dir "/settings.json") #o600)))))

(define (transmission-daemon-shepherd-service config)
  (list (shepherd-service
         (provision '(transmission-daemon transmission bittorrent))
         (requirement '(user-processes networking))
         (documentation "Share files using the BitTorrent protocol (Transmission).")
         (start #~(make-forkexec-constructor
                   (list #$(file-append (transmission-daemon-configuration-transmission config)
                                        "/bin/transmission-daemon")
                         "--config-dir" #$(string-append %transmission-daemon-state "/config")
                         "--foreground")
                   #:user "transmission"
                   #:group "transmission"
                   #:log-file "/var/log/transmission.log"))
         (stop #~(make-kill-destructor)))))

(define transmission-daemon-service-type
  (service-type
   (name 'transmission)
   (extensions
    (list (service-extension shepherd-root-service-type transmission-daemon-shepherd-service)
          (service-extension account-service-type transmission-daemon-accounts)
          (service-extension activation-service-type transmission-daemon-activation)
          (service-extension profile-service-type
                             (lambda (config)
                               (list (transmission-daemon-configuration-transmission config))))))
   (default-value (transmission-daemon-configuration))
   (description "Share files using the BitTorrent protocol with the Transmission daemon,
controlled through its RPC interface.")))
