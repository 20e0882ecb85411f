;; A home environment in the manner of the Guix manual's examples: Bash with
;; variables, aliases and a block from a local file, environment variables,
;; files under ~/.config, the user's daemons (D-Bus, PipeWire, Redshift,
;; ssh-agent via gpg-agent), SSH client settings, channels and an mcron job.
;; The project's own test configuration.
(use-modules (gnu home)
             (gnu home services)
             (gnu home services shells)
             (gnu home services desktop)
             (gnu home services sound)
             (gnu home services ssh)
             (gnu home services gnupg)
             (gnu home services guix)
             (gnu home services mcron)
             (gnu home services shepherd)
             (gnu services)
             (gnu packages admin)
             (gnu packages version-control)
             (guix gexp)
             (guix channels))

(home-environment
  (packages (list htop git))
  (services
   (append
    (list (service home-bash-service-type
                   (home-bash-configuration
                    (guix-defaults? #t)
                    (environment-variables
                     `(("EDITOR" . "emacsclient")
                       ("PAGER" . ,(literal-string "less -R $1"))
                       ("LANG" . #t)
                       ("UNUSED" . #f)))
                    (variables
                     `(("HISTFILE" . "$XDG_CACHE_HOME/.bash_history")
                       ("HISTSIZE" . "50000")))
                    (aliases '(("gs" . "git status")
                               ("say" . "echo \"hi\"")))
                    (bashrc (list (local-file "home-files/bashrc-extra")))
                    (bash-logout (list "clear"))))
          (simple-service 'bash-extras home-bash-service-type
                          (home-bash-extension
                           (aliases '(("l" . "ls -l")))
                           (bashrc (list "# from an extension"))))
          (simple-service 'session-variables home-environment-variables-service-type
                          '(("MOZ_ENABLE_WAYLAND" . "1")))
          (simple-service 'test-config home-xdg-configuration-files-service-type
                          (list `("test.conf"
                                  ,(plain-file "tmp-file.txt" "the content of ~/.config/test.conf\n"))))
          (simple-service 'dot-files home-files-service-type
                          (list `(".sqliterc" ,(plain-file "sqliterc" ".headers on\n"))))
          (service home-dbus-service-type)
          (service home-pipewire-service-type)
          (service home-redshift-service-type
                   (home-redshift-configuration
                    (location-provider 'manual)
                    (latitude 35.81)
                    (longitude -0.80)))
          (service home-gpg-agent-service-type
                   (home-gpg-agent-configuration
                    (ssh-support? #t)
                    (default-cache-ttl 28800)))
          (service home-openssh-service-type
                   (home-openssh-configuration
                    (hosts (list (openssh-host (name "ci")
                                               (host-name "ci.example.org")
                                               (user "bob")
                                               (port 2222)
                                               (forward-agent? #t))
                                 (openssh-host (name "*.internal")
                                               (proxy (list (proxy-jump (host-name "bastion")))))))
                    (authorized-keys (list (plain-file "laptop.pub" "ssh-ed25519 AAAAC3 alice@laptop")))))
          (service home-channels-service-type
                   (cons (channel (name 'nonguix)
                                  (url "https://gitlab.com/nonguix/nonguix")
                                  (branch "master"))
                         %default-channels))
          (service home-mcron-service-type
                   (home-mcron-configuration
                    (jobs (list #~(job "0 * * * *" "guix pull")))))
          (simple-service 'hello home-shepherd-service-type
                          (list (shepherd-service
                                 (provision '(hello))
                                 (documentation "Say hello.")
                                 (start #~(make-forkexec-constructor '("echo" "hello")))
                                 (stop #~(make-kill-destructor))))))
    %base-home-services)))
