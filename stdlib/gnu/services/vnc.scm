;;; schemy --- Xvnc, a virtual X server served over VNC (Guix manual, "VNC
;;; Services"): TigerVNC's Xvnc with the command line Guix derives from the
;;; configuration, as the xvnc user.

(define-module (gnu services vnc)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((gnu services) #:hide (delete))
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages xorg) #:select (tigervnc-server))
  #:export (xvnc-configuration
            xvnc-configuration?
            xvnc-configuration-xvnc
            xvnc-configuration-display-number
            xvnc-configuration-geometry
            xvnc-configuration-depth
            xvnc-configuration-port
            xvnc-configuration-ipv4?
            xvnc-configuration-ipv6?
            xvnc-configuration-password-file
            xvnc-configuration-xdmcp?
            xvnc-configuration-inetd?
            xvnc-configuration-frame-rate
            xvnc-configuration-security-types
            xvnc-configuration-localhost?
            xvnc-configuration-log-level
            xvnc-configuration-extra-options
            xvnc-configuration->command-line-arguments

            xvnc-service-type))

(define (color-depth? x) (and (memv x '(16 24 32)) #t))
(define (port? x) (and (integer? x) (exact? x) (<= 0 x 65535)))
(define-maybe/no-serialization port)
(define-maybe/no-serialization string)

(define %security-types
  '("None" "VncAuth" "Plain" "TLSNone" "TLSVnc" "TLSPlain" "X509None" "X509Vnc"))
(define (security-types? x) (and (list? x) (every (lambda (t) (member t %security-types)) x)))
(define (log-level? x) (and (integer? x) (<= 0 x 100)))
(define (strings? x) (and (list? x) (every string? x)))

(define-configuration/no-serialization xvnc-configuration
  (xvnc (file-like tigervnc-server) "The package providing Xvnc.")
  (display-number (number 0) "The display number of Xvnc (not one an Xorg server uses).")
  (geometry (string "1024x768") "The size of the desktop.")
  (depth (color-depth 24) "The pixel depth of the desktop: 16, 24 or 32.")
  (port maybe-port "The port viewers connect to; unset, 5900 plus the display number.")
  (ipv4? (boolean #t) "Use IPv4.")
  (ipv6? (boolean #t) "Use IPv6.")
  (password-file maybe-string "The password file (see vncpasswd(1)), if any.")
  (xdmcp? (boolean #f) "Ask the XDMCP server (the display manager) for a session.")
  (inetd? (boolean #f) "Start an Xvnc per connection, inetd-style.")
  (frame-rate (number 60) "The most updates per second sent to a client.")
  (security-types (security-types (list "None"))
                  "The security schemes allowed, among None, VncAuth, Plain, TLSNone, TLSVnc,
TLSPlain, X509None and X509Vnc.")
  (localhost? (boolean #t) "Accept connections from this machine only.")
  (log-level (log-level 30) "The log level, 0 to 100 (most verbose); logs go to syslog.")
  (extra-options (strings '()) "More Xvnc options."))

(define (xvnc-configuration->command-line-arguments config)
  "The Xvnc command line Guix derives from CONFIG (a gexp of a list)."
  (let ((inetd? (xvnc-configuration-inetd? config))
        (port (xvnc-configuration-port config))
        (password-file (xvnc-configuration-password-file config)))
    #~(list #$(file-append (xvnc-configuration-xvnc config) "/bin/Xvnc")
            #$@(if inetd? '() (list (format #f ":~a" (xvnc-configuration-display-number config))))
            "-geometry" #$(xvnc-configuration-geometry config)
            "-depth" #$(number->string (xvnc-configuration-depth config))
            #$@(if inetd? '("-inetd") '())
            #$@(if (and (not inetd?) (maybe-value-set? port))
                   (list "-rfbport" (number->string port))
                   '())
            #$@(if (and (not inetd?) (xvnc-configuration-ipv4? config)) '("-UseIPv4") '())
            #$@(if (and (not inetd?) (xvnc-configuration-ipv6? config)) '("-UseIPv6") '())
            #$@(if (maybe-value-set? password-file) (list "-PasswordFile" password-file) '())
            "-FrameRate" #$(number->string (xvnc-configuration-frame-rate config))
            "-SecurityTypes" #$(string-join (xvnc-configuration-security-types config) ",")
            #$@(if (xvnc-configuration-localhost? config) '("-localhost") '())
            "-Log" #$(format #f "*:syslog:~a" (xvnc-configuration-log-level config))
            #$@(if (xvnc-configuration-xdmcp? config) '("-query" "localhost" "-once") '())
            #$@(xvnc-configuration-extra-options config))))

(define %xvnc-accounts
  (list (user-group (name "xvnc") (system? #t))
        (user-account (name "xvnc") (group "xvnc") (system? #t)
                      (comment "User for Xvnc server")
                      (home-directory "/var/empty")
                      (shell "/sbin/nologin"))))

(define (xvnc-shepherd-service config)
  ;; One Xvnc server, or with inetd? an Xvnc per connection on the VNC port
  ;; (the service manager listens, as the Shepherd's inetd constructor does).
  (let* ((port (xvnc-configuration-port config))
         (port* (if (maybe-value-set? port)
                    port
                    (+ 5900 (xvnc-configuration-display-number config)))))
    (shepherd-service
     (provision '(xvnc vncserver))
     (documentation "Run the Xvnc server.")
     (requirement '(user-processes networking syslogd))
     (start (if (xvnc-configuration-inetd? config)
                #~(let* ((inaddr (if #$(xvnc-configuration-localhost? config) INADDR_LOOPBACK INADDR_ANY))
                         (in6addr (if #$(xvnc-configuration-localhost? config) IN6ADDR_LOOPBACK IN6ADDR_ANY))
                         (ipv4 (and #$(xvnc-configuration-ipv4? config)
                                    (make-socket-address AF_INET inaddr #$port*)))
                         (ipv6 (and #$(xvnc-configuration-ipv6? config)
                                    (make-socket-address AF_INET6 in6addr #$port*))))
                    (make-inetd-constructor
                     #$(xvnc-configuration->command-line-arguments config)
                     (append (if ipv4 (list (endpoint ipv4)) '())
                             (if ipv6 (list (endpoint ipv6)) '()))
                     #:user "xvnc" #:group "xvnc"))
                #~(make-forkexec-constructor #$(xvnc-configuration->command-line-arguments config)
                                             #:user "xvnc" #:group "xvnc")))
     (stop (if (xvnc-configuration-inetd? config)
               #~(make-inetd-destructor)
               #~(make-kill-destructor))))))

(define xvnc-service-type
  (service-type
   (name 'xvnc)
   (extensions
    (list (service-extension shepherd-root-service-type (compose list xvnc-shepherd-service))
          (service-extension account-service-type (const %xvnc-accounts))))
   (default-value (xvnc-configuration))
   (description "Run Xvnc, a virtual X11 session that remote clients reach over VNC (RFB).")))
