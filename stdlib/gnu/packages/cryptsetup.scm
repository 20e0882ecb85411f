;;; schemy --- Disk encryption.

(define-module (gnu packages cryptsetup)
  #:use-module (guix packages)
  #:export (cryptsetup
            cryptsetup-static))

(define cryptsetup
  (package
    (name "cryptsetup")
    (version "2.6.1")
    (home-page "https://gitlab.com/cryptsetup/cryptsetup")
    (synopsis "Set up transparent encryption of block devices using dm-crypt")
    (description
     "cryptsetup creates and opens encrypted block devices with the kernel's
dm-crypt, in the LUKS format or others.")
    (license 'gpl2)
    (debian-package "cryptsetup-bin")
    (programs '("sbin/cryptsetup" "sbin/veritysetup" "sbin/integritysetup"))))

(define cryptsetup-static
  (package
    (inherit cryptsetup)
    (name "cryptsetup-static")))
