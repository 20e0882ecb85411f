;;; schemy --- (gnu artwork): where Guix's artwork (logos, GRUB and SLiM
;;; themes) comes from; schemy never fetches it.

(define-module (gnu artwork)
  #:use-module (guix packages)
  #:use-module (guix git-download)
  #:export (%artwork-repository))

(define %artwork-repository
  (let ((commit "8b0fd7cadc8d3a55f9fa9a4b0cb89e7eb4d8d0f7"))
    (origin
      (method git-fetch)
      (uri (git-reference
            (url "https://git.guix.gnu.org/guix-artwork.git")
            (commit commit)))
      (file-name (git-file-name "guix-artwork" (string-take commit 7))))))
