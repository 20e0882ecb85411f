;;; schemy --- Vim.

(define-module (gnu packages vim)
  #:use-module (guix packages)
  #:export (vim
            neovim))

(define vim
  (package
    (name "vim")
    (version "9.1.0146")
    (home-page "https://www.vim.org/")
    (synopsis "Text editor based on vi")
    (description
     "Vim is a highly configurable modal text editor descended from vi,
with syntax highlighting, multiple windows, a scripting language and many
plugins.")
    (license 'vim)
    (debian-package "vim")
    (programs '("bin/vim" "bin/vimdiff" ("bin/xxd" "xxd" "xxd")))))

(define neovim
  (package
    (name "neovim")
    (version "0.9.5")
    (home-page "https://neovim.io")
    (synopsis "Fork of vim focused on extensibility and agility")
    (description "Neovim is a refactored Vim with an embedded Lua runtime
and a remote plugin API.")
    (license '(asl2.0 vim))
    (debian-package "neovim")
    (programs '("bin/nvim"))))
