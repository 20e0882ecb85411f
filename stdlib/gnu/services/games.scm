;;; schemy --- Game servers (Guix manual, "Game Services"): joycond for
;;; Nintendo Joy-Cons, the Luanti voxel game server and the Battle for
;;; Wesnoth server, with the command lines and environment Guix gives them.

(define-module (gnu services games)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu services base) #:select (udev-service-type))
  #:use-module (gnu system shadow)
  #:use-module ((gnu packages games) #:select (joycond wesnoth-server))
  #:use-module ((gnu packages luanti) #:select (luanti-server luanti-mineclonia))
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 match)
  #:export (joycond-configuration
            joycond-configuration?
            joycond-service-type

            luanti-configuration
            luanti-configuration?
            luanti-configuration-game-configuration
            luanti-configuration-game
            luanti-configuration-mods
            luanti-configuration-log-file
            luanti-configuration-luanti
            luanti-configuration-port
            luanti-configuration-verbose?
            luanti-configuration-world
            luanti-service-type
            luanti-arguments

            wesnothd-configuration
            wesnothd-configuration?
            wesnothd-service-type))

;;; joycond: pairs Joy-Cons over Bluetooth; its udev rules let users use them.

(define-configuration/no-serialization joycond-configuration
  (package (package joycond) "The joycond package."))

(define joycond-service-type
  (service-type
   (name 'joycond)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config)
                               (list (shepherd-service
                                      (documentation "Run joycond.")
                                      (provision '(joycond))
                                      (requirement '(user-processes bluetooth))
                                      (start #~(make-forkexec-constructor
                                                (list #$(file-append
                                                         (joycond-configuration-package config)
                                                         "/bin/joycond"))))
                                      (stop #~(make-kill-destructor))))))
          (service-extension udev-service-type (compose list joycond-configuration-package))))
   (default-value (joycond-configuration))
   (description "Run joycond, which pairs Nintendo Joy-Cons over Bluetooth, and
install the udev rules that let users use them.")))

;;; Luanti.

(define list-of-file-likes? (list-of file-like?))
(define-maybe/no-serialization list-of-file-likes)
(define-maybe/no-serialization file-like)
(define-maybe/no-serialization string)
(define (port? x) (and (integer? x) (<= 0 x 65535)))

(define-configuration/no-serialization luanti-configuration
  (luanti (file-like luanti-server) "The Luanti server package.")
  (game (file-like luanti-mineclonia) "The game package served.")
  (game-configuration maybe-file-like "The game's configuration file (minetest.conf).")
  (mods maybe-list-of-file-likes
        "Mod packages (each also enabled in the world's world.mt and trusted in the game configuration).")
  (log-file (maybe-string "/var/log/luanti.log") "The log file; %unset-value for none.")
  (verbose? (boolean #f) "Print more details.")
  (port (port 30000) "The UDP port served.")
  (world maybe-string "The world served: an absolute directory, or the name of one under
/var/lib/luanti/.minetest/worlds/; unset, a new world there."))

(define %luanti-account
  (list (user-group (name "luanti") (system? #t))
        (user-account (name "luanti") (group "luanti") (system? #t)
                      (comment "Luanti server user")
                      (home-directory "/var/lib/luanti"))))

(define (transitive-mods mods)
  "MODS and, for packages, what they propagate, recursively."
  (append-map (lambda (m)
                (if (package? m)
                    (cons m (transitive-mods
                             (filter-map (match-lambda
                                           ((label (? package? p) . _) p)
                                           ((? package? p) p)
                                           (_ #f))
                                         (package-propagated-inputs m))))
                    (list m)))
              (if (maybe-value-set? mods) mods '())))

(define (luanti-arguments config)
  "The luantiserver options of CONFIG after the program: port, configuration, verbosity, world."
  (let ((conf (luanti-configuration-game-configuration config))
        (world (luanti-configuration-world config)))
    (append (list "--port" (number->string (luanti-configuration-port config)))
            (if (maybe-value-set? conf) (list "--config" conf) '())
            (if (luanti-configuration-verbose? config) '("--verbose") '())
            (cond ((not (maybe-value-set? world)) '())
                  ((string-prefix? "/" world) (list "--world" world))
                  (else (list "--worldname" world))))))

(define (luanti-activation config)
  (let ((world (luanti-configuration-world config)))
    #~(begin
        (use-modules (guix build utils))
        (let ((user (getpwnam "luanti")))
          (mkdir-p "/var/lib/luanti")
          (chown "/var/lib/luanti" (passwd:uid user) (passwd:gid user))
          (chmod "/var/lib/luanti" #o755)
          ;; A world of its own directory becomes the server's (read-only).
          (when #$(and (maybe-value-set? world) (string-prefix? "/" world))
            (for-each (lambda (file)
                        (false-if-exception
                         (begin (chown file (passwd:uid user) (passwd:gid user))
                                (chmod file #o400))))
                      (find-files #$world #:directories? #t)))))))

(define (luanti-shepherd-service config)
  ;; Guix wraps luantiserver in a least-authority container; here it runs as
  ;; the luanti user.
  (let ((mods (transitive-mods (luanti-configuration-mods config)))
        (log-file (luanti-configuration-log-file config)))
    (list (shepherd-service
           (provision '(luanti))
           (requirement '(user-processes))
           (start #~(make-forkexec-constructor
                     (cons #$(file-append (luanti-configuration-luanti config) "/bin/luantiserver")
                           (list #$@(luanti-arguments config)))
                     #:user "luanti" #:group "luanti"
                     #:environment-variables
                     (list "HOME=/var/lib/luanti"
                           (string-append "LUANTI_GAME_PATH="
                                          #$(luanti-configuration-game config) "/share/luanti/games")
                           (string-append
                            "LUANTI_MOD_PATH="
                            (string-join (filter file-exists?
                                                 (list #$@(map (lambda (m)
                                                                 (file-append m "/share/luanti/mods"))
                                                               mods)))
                                         ":")))
                     #:log-file #$(and (maybe-value-set? log-file) log-file)))
           (stop #~(make-kill-destructor))))))

(define luanti-service-type
  (service-type
   (name 'luanti)
   (extensions
    (list (service-extension shepherd-root-service-type luanti-shepherd-service)
          (service-extension profile-service-type
                             (lambda (config)
                               (list (luanti-configuration-luanti config)
                                     (luanti-configuration-game config))))
          (service-extension account-service-type (const %luanti-account))
          (service-extension activation-service-type luanti-activation)))
   (default-value (luanti-configuration))
   (description "Run a Luanti (voxel game engine) server.")))

;;; The Battle for Wesnoth server.

(define-record-type* <wesnothd-configuration> wesnothd-configuration
  make-wesnothd-configuration wesnothd-configuration?
  (package wesnothd-configuration-package (default wesnoth-server))
  (port    wesnothd-configuration-port (default 15000)))

(define %wesnothd-accounts
  (list (user-account (name "wesnothd") (group "wesnothd") (system? #t)
                      (comment "Wesnoth daemon user")
                      (home-directory "/var/empty")
                      (shell "/sbin/nologin"))
        (user-group (name "wesnothd") (system? #t))))

(define %wesnothd-activation
  #~(begin
      (use-modules (guix build utils))
      (let ((user (getpwnam "wesnothd")))
        (mkdir-p "/var/run/wesnothd")
        (chown "/var/run/wesnothd" (passwd:uid user) (passwd:gid user)))))

(define (wesnothd-shepherd-service config)
  (shepherd-service
   (documentation "Run the Battle for Wesnoth server.")
   (provision '(wesnoth-daemon))
   (requirement '(user-processes networking))
   (start #~(make-forkexec-constructor
             (list #$(file-append (wesnothd-configuration-package config) "/bin/wesnothd")
                   "-p" #$(number->string (wesnothd-configuration-port config)))
             #:user "wesnothd" #:group "wesnothd"))
   (stop #~(make-kill-destructor))))

(define wesnothd-service-type
  (service-type
   (name 'wesnothd)
   (extensions
    (list (service-extension account-service-type (const %wesnothd-accounts))
          (service-extension activation-service-type (const %wesnothd-activation))
          (service-extension shepherd-root-service-type (compose list wesnothd-shepherd-service))))
   (default-value (wesnothd-configuration))
   (description "Run wesnothd, the Battle for Wesnoth server.")))
