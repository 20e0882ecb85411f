;;; schemy --- Firmware.
;;;
;;; Firmware is loaded by the host's kernel; these packages only name it.

(define-module (gnu packages firmware)
  #:use-module (guix packages)
  #:export (ath9k-htc-ar7010-firmware
            ath9k-htc-ar9271-firmware
            openfwwf-firmware
            ovmf-x86-64
            seabios))

(define ath9k-htc-ar7010-firmware
  (package
    (name "ath9k-htc-ar7010-firmware")
    (version "1.4.0")
    (home-page "https://wireless.wiki.kernel.org/en/users/drivers/ath9k_htc")
    (synopsis "Firmware for the Atheros AR7010 USB 802.11n NICs")
    (description "Free firmware for USB wireless network cards built on
the Atheros AR7010 chip.")
    (license '(gpl2 bsd-3 isc))
    (debian-package "firmware-ath9k-htc")))

(define ath9k-htc-ar9271-firmware
  (package
    (inherit ath9k-htc-ar7010-firmware)
    (name "ath9k-htc-ar9271-firmware")
    (synopsis "Firmware for the Atheros AR9271 USB 802.11n NICs")
    (description "Free firmware for USB wireless network cards built on
the Atheros AR9271 chip.")))

(define openfwwf-firmware
  (package
    (name "openfwwf-firmware")
    (version "5.2")
    (home-page "http://netweb.ing.unibs.it/~openfwwf/")
    (synopsis "Firmware for BCM43xx devices")
    (description "Free firmware for some Broadcom 43xx wireless chips.")
    (license 'gpl2)))

(define ovmf-x86-64
  (package
    (name "ovmf-x86-64")
    (version "202402")
    (home-page "https://github.com/tianocore/tianocore.github.io/wiki/OVMF")
    (synopsis "UEFI firmware for QEMU")
    (description "OVMF is UEFI firmware for virtual machines, to boot them
in UEFI mode.")
    (license 'bsd-2)
    (debian-package "ovmf")
    (programs '(("share/firmware/ovmf_x64.bin" "/usr/share/ovmf/OVMF.fd")))))

(define seabios
  (package
    (name "seabios")
    (version "1.16.3")
    (home-page "https://www.seabios.org/SeaBIOS")
    (synopsis "x86 BIOS implementation")
    (description "SeaBIOS is the default BIOS of QEMU's x86 machines.")
    (license 'lgpl3+)
    (debian-package "seabios")))
