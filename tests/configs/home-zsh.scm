;; A home environment with Zsh (its files directly in ~), Fish, readline,
;; XDG user directories and MIME applications, and dotfiles taken from a
;; directory next to this file, laid out as GNU Stow does.
;; The project's own test configuration.
(use-modules (gnu home)
             (gnu home services)
             (gnu home services shells)
             (gnu home services xdg)
             (gnu home services dotfiles)
             (gnu services)
             (guix gexp))

(home-environment
  (services
   (list (service home-zsh-service-type
                  (home-zsh-configuration
                   (xdg-flavor? #f)
                   (environment-variables '(("LESS" . "-R")))
                   (zshrc (list "bindkey -e" "autoload -U compinit && compinit"))
                   (zlogout (list "echo bye"))))
         (service home-fish-service-type
                  (home-fish-configuration
                   (config (list "set -g fish_greeting"))
                   (environment-variables '(("EDITOR" . "vi")))
                   (aliases '(("l" . "ls -l")))
                   (abbreviations '(("gco" . "git checkout")))))
         (service home-inputrc-service-type
                  (home-inputrc-configuration
                   (key-bindings '(("Control-l" . "clear-screen")))
                   (variables '(("bell-style" . "visible")
                                ("colored-completion-prefix" . #t)
                                ("editing-mode" . #f)))))
         (service home-xdg-user-directories-service-type
                  (home-xdg-user-directories-configuration
                   (download "$HOME/dl")))
         (service home-xdg-mime-applications-service-type
                  (home-xdg-mime-applications-configuration
                   (default '((text/html . firefox.desktop)
                              (inode/directory . file.desktop)))
                   (added '((x-scheme-handler/magnet . torrent.desktop)))
                   (desktop-entries
                    (list (xdg-desktop-entry
                           (file "file")
                           (name "File manager")
                           (type 'application)
                           (config '((exec . "emacsclient -c -a emacs %u")
                                     (terminal? . #f))))))))
         (service home-dotfiles-service-type
                  (home-dotfiles-configuration
                   (layout 'stow)
                   (directories '("home-files/dotfiles")))))))
