(define-module (gnu bootloader u-boot)
  #:use-module (gnu bootloader)
  #:use-module (gnu bootloader extlinux)
  #:export (u-boot-bootloader
            u-boot-a20-olinuxino-lime-bootloader
            u-boot-a20-olinuxino-lime2-bootloader
            u-boot-a20-olinuxino-micro-bootloader
            u-boot-bananapi-m2-ultra-bootloader
            u-boot-beaglebone-black-bootloader
            u-boot-cubietruck-bootloader
            u-boot-firefly-rk3399-bootloader
            u-boot-mx6cuboxi-bootloader
            u-boot-nintendo-nes-classic-edition-bootloader
            u-boot-novena-bootloader
            u-boot-pine64-plus-bootloader
            u-boot-pine64-lts-bootloader
            u-boot-pinebook-bootloader
            u-boot-pinebook-pro-rk3399-bootloader
            u-boot-puma-rk3399-bootloader
            u-boot-qemu-riscv64-bootloader
            u-boot-rock64-rk3328-bootloader
            u-boot-rockpro64-rk3399-bootloader
            u-boot-sifive-unmatched-bootloader
            u-boot-starfive-visionfive2-bootloader
            u-boot-ts7970-q-2g-1000mhz-c-bootloader
            u-boot-wandboard-bootloader
            u-boot-rpi-arm64-bootloader))

;;; schemy --- U-Boot bootloaders (Guix manual, "Bootloader Configuration"):
;;; each board's U-Boot reads an extlinux.conf menu.  U-Boot is written to
;;; the board's storage only by `guix system init' on the target, never by
;;; schemy on a foreign host.

(define u-boot-bootloader
  (bootloader
   (inherit extlinux-bootloader)
   (name 'u-boot)
   (package #f)))

(define u-boot-a20-olinuxino-lime-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-a20-olinuxino-lime)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-a20-olinuxino-lime))))

(define u-boot-a20-olinuxino-lime2-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-a20-olinuxino-lime2)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-a20-olinuxino-lime2))))

(define u-boot-a20-olinuxino-micro-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-a20-olinuxino-micro)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-a20-olinuxino-micro))))

(define u-boot-bananapi-m2-ultra-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-bananapi-m2-ultra)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-bananapi-m2-ultra))))

(define u-boot-beaglebone-black-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-beaglebone-black)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-am335x-boneblack))))

(define u-boot-cubietruck-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-cubietruck)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-cubietruck))))

(define u-boot-firefly-rk3399-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-firefly-rk3399)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-firefly-rk3399))))

(define u-boot-mx6cuboxi-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-mx6cuboxi)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-mx6cuboxi))))

(define u-boot-nintendo-nes-classic-edition-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-nintendo-nes-classic-edition)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-nintendo-nes-classic-edition))))

(define u-boot-novena-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-novena)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-novena))))

(define u-boot-pine64-plus-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-pine64-plus)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-pine64-plus))))

(define u-boot-pine64-lts-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-pine64-lts)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-pine64-lts))))

(define u-boot-pinebook-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-pinebook)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-pinebook))))

(define u-boot-pinebook-pro-rk3399-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-pinebook-pro-rk3399)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-pinebook-pro-rk3399))))

(define u-boot-puma-rk3399-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-puma-rk3399)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-puma-rk3399))))

(define u-boot-qemu-riscv64-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-qemu-riscv64)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-qemu-riscv64))))

(define u-boot-rock64-rk3328-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-rock64-rk3328)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-rock64-rk3328))))

(define u-boot-rockpro64-rk3399-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-rockpro64-rk3399)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-rockpro64-rk3399))))

(define u-boot-sifive-unmatched-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-sifive-unmatched)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-sifive-unmatched))))

(define u-boot-starfive-visionfive2-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-starfive-visionfive2)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-starfive-visionfive2))))

(define u-boot-ts7970-q-2g-1000mhz-c-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-ts7970-q-2g-1000mhz-c)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-ts7970-q-2g-1000mhz-c))))

(define u-boot-wandboard-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-wandboard)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-wandboard))))

(define u-boot-rpi-arm64-bootloader
  (bootloader
   (inherit u-boot-bootloader)
   (name 'u-boot-rpi-arm64)
   (package (optional-package '(gnu packages bootloaders) 'u-boot-rpi-arm64))))
