;;; schemy --- Partitioning and file system creation.

(define-module (gnu packages disk)
  #:use-module (guix packages)
  #:export (parted
            gptfdisk
            dosfstools
            mtools
            smartmontools
            ddrescue))

(define parted
  (package
    (name "parted")
    (version "3.6")
    (home-page "https://www.gnu.org/software/parted/")
    (synopsis "Disk partition editor")
    (description "GNU Parted creates, deletes, resizes and moves the
partitions of a disk.")
    (license 'gpl3+)
    (debian-package "parted")
    (programs '("sbin/parted" "sbin/partprobe"))))

(define gptfdisk
  (package
    (name "gptfdisk")
    (version "1.0.10")
    (home-page "https://www.rodsbooks.com/gdisk/")
    (synopsis "Low-level GPT disk partitioning and formatting")
    (description "gdisk, sgdisk and cgdisk edit GUID partition tables.")
    (license 'gpl2)
    (debian-package "gdisk")
    (programs '("sbin/gdisk" "sbin/sgdisk" "sbin/cgdisk"))))

(define dosfstools
  (package
    (name "dosfstools")
    (version "4.2")
    (home-page "https://github.com/dosfstools/dosfstools")
    (synopsis "Utilities for making and checking MS-DOS FAT file systems")
    (description "mkfs.fat creates FAT file systems (such as EFI system
partitions) and fsck.fat checks them.")
    (license 'gpl3+)
    (debian-package "dosfstools")
    (programs '("sbin/mkfs.fat" "sbin/fsck.fat" "sbin/fatlabel"
                ("sbin/mkfs.vfat" "mkfs.vfat") ("sbin/fsck.vfat" "fsck.vfat")))))

(define mtools
  (package
    (name "mtools")
    (version "4.0.43")
    (home-page "https://www.gnu.org/software/mtools/")
    (synopsis "Access MS-DOS disks without mounting them")
    (description "GNU Mtools read and write files on FAT file systems
without mounting them.")
    (license 'gpl3+)
    (debian-package "mtools")
    (programs '("bin/mtools" "bin/mcopy" "bin/mdir"))))

(define smartmontools
  (package
    (name "smartmontools")
    (version "7.4")
    (home-page "https://www.smartmontools.org/")
    (synopsis "S.M.A.R.T. harddisk control and monitoring tools")
    (description "smartctl reads the health records of disks; smartd
watches them and warns of failures.")
    (license 'gpl2+)
    (debian-package "smartmontools")
    (programs '("sbin/smartctl" "sbin/smartd"))))

(define ddrescue
  (package
    (name "ddrescue")
    (version "1.28")
    (home-page "https://www.gnu.org/software/ddrescue/ddrescue.html")
    (synopsis "Data recovery utility")
    (description "GNU ddrescue copies data from a failing disk, reading the
good parts first and retrying the bad ones.")
    (license 'gpl3+)
    (debian-package "gddrescue")
    (programs '("bin/ddrescue"))))
