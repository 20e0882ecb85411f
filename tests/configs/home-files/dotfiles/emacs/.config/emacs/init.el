;; emacs init, from the dotfiles
(setq inhibit-startup-screen t)
