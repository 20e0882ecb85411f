;;; schemy --- System images (Guix manual, "System Images"): the image and
;;; partition records and the predefined images and image types.  schemy
;;; builds no disk images; an image only describes one, so that configs
;;; written for `guix system image' load (and their operating system checks).

(define-module (gnu system image)
  #:use-module (guix records)
  #:use-module (gnu image)
  #:re-export (image
            image?
            image-name
            image-format
            image-platform
            image-size
            image-operating-system
            image-partition-table-type
            image-partitions
            image-compression?
            image-volatile-root?
            image-shared-store?
            image-shared-network?
            image-substitutable?
            partition
            partition?
            partition-size
            partition-offset
            partition-file-system
            partition-file-system-options
            partition-label
            partition-uuid
            partition-flags
            partition-initializer
            image-type
            image-type?
            image-type-name
            image-type-constructor
            os->image)
  #:export (root-offset
            root-label
            esp-partition
            esp32-partition
            root-partition
            mbr-disk-image
            mbr-hybrid-disk-image
            efi-disk-image
            efi32-disk-image
            iso9660-image
            docker-image
            mbr-raw-image-type
            mbr-hybrid-raw-image-type
            efi-raw-image-type
            efi32-raw-image-type
            qcow2-image-type
            qcow2-gpt-image-type
            iso-image-type
            uncompressed-iso-image-type
            docker-image-type
            raw-with-offset-image-type
            wsl2-image-type))

;; The predefined images describe a layout for any system: no operating system yet.
(define-syntax-rule (image-without-os fields ...)
  (image (operating-system #f) fields ...))

(define root-offset (* 512 2048))
(define root-label "Guix_image")

(define esp-partition
  (partition (size (* 40 (expt 2 20))) (offset root-offset) (label "GNU-ESP")
             (file-system "vfat") (flags '(esp))))

(define esp32-partition
  (partition (inherit esp-partition)))

(define root-partition
  (partition (size 'guess) (label root-label) (file-system "ext4") (flags '(boot))))

(define mbr-disk-image
  (image-without-os (format 'disk-image) (partition-table-type 'mbr)
         (partitions (list (partition (inherit root-partition) (offset root-offset))))))

(define mbr-hybrid-disk-image
  (image (inherit mbr-disk-image) (partitions (list esp-partition root-partition))))

(define efi-disk-image
  (image-without-os (format 'disk-image) (partition-table-type 'gpt)
         (partitions (list esp-partition root-partition))))

(define efi32-disk-image
  (image (inherit efi-disk-image) (partitions (list esp32-partition root-partition))))

(define iso9660-image
  (image-without-os (format 'iso9660)
         (partitions (list (partition (size 'guess) (label "GUIX_IMAGE") (flags '(boot)))))))

(define docker-image
  (image-without-os (format 'docker)))

(define (image-type-of name base)
  (image-type (name name)
              (constructor (lambda (os) (image (inherit base) (operating-system os))))))

(define mbr-raw-image-type (image-type-of 'mbr-raw mbr-disk-image))
(define mbr-hybrid-raw-image-type (image-type-of 'mbr-hybrid-raw mbr-hybrid-disk-image))
(define efi-raw-image-type (image-type-of 'efi-raw efi-disk-image))
(define efi32-raw-image-type (image-type-of 'efi32-raw efi32-disk-image))
(define qcow2-image-type
  (image-type (name 'qcow2)
              (constructor (lambda (os)
                             (image (inherit mbr-hybrid-disk-image) (format 'compressed-qcow2)
                                    (operating-system os))))))
(define qcow2-gpt-image-type
  (image-type (name 'qcow2-gpt)
              (constructor (lambda (os)
                             (image (inherit efi-disk-image) (format 'compressed-qcow2)
                                    (operating-system os))))))
(define iso-image-type (image-type-of 'iso9660 iso9660-image))
(define uncompressed-iso-image-type
  (image-type (name 'uncompressed-iso9660)
              (constructor (lambda (os)
                             (image (inherit iso9660-image) (compression? #f) (operating-system os))))))
(define docker-image-type (image-type-of 'docker docker-image))
(define raw-with-offset-image-type
  (image-type (name 'raw-with-offset)
              (constructor (lambda (os)
                             (image (format 'disk-image) (operating-system os)
                                    (partitions (list (partition (inherit root-partition)
                                                                 (offset root-offset)))))))))
(define wsl2-image-type
  (image-type (name 'wsl2)
              (constructor (lambda (os) (image (format 'wsl2) (operating-system os))))))

;; Names Guix's module exports too.
(export image-without-os)
