;;; schemy --- (gnu image): the records that describe a system image (Guix
;;; manual, "System Images"): partitions, images and image types, with Guix's
;;; checks of sizes, offsets, flags, formats and partition table types.
;;; schemy builds no disk images; (gnu system image) defines the predefined
;;; images and image types on these records.

(define-module (gnu image)
  #:use-module (guix records)
  #:use-module ((gnu services configuration) #:select (field-checker))
  #:use-module (srfi srfi-1)
  #:export (partition
            partition?
            partition-size
            partition-offset
            partition-file-system
            partition-file-system-options
            partition-label
            partition-uuid
            partition-flags
            partition-initializer

            image
            image?
            image-name
            image-format
            image-platform
            image-size
            image-max-layers
            image-operating-system
            image-partition-table-type
            image-partitions
            image-compression?
            image-volatile-root?
            image-shared-store?
            image-shared-network?
            image-substitutable?

            image-type
            image-type?
            image-type-name
            image-type-constructor

            os->image
            os+platform->image))

(define validate-size
  ;; A size in bytes, or 'guess (Guix estimates it from the content).
  (field-checker (lambda (v) (or (eq? v 'guess) (integer? v)))
                 "size (~a) can only be 'guess or a numeric expression"))

(define validate-partition-offset
  (field-checker integer? "the partition offset (~a) can only be a numeric expression"))

(define validate-partition-flags
  (field-checker (lambda (v) (and (list? v) (null? (lset-difference eq? v '(boot esp)))))
                 (lambda (v)
                   (format #f "unsupported partition flag(s): ~a"
                           (if (list? v) (lset-difference eq? v '(boot esp)) v)))))

(define (set-checker field set)
  (field-checker (lambda (v) (memq v set))
                 (lambda (v) (format #f "~s: invalid '~a' value" v field))))

(define validate-image-format
  (set-checker 'format '(disk-image compressed-qcow2 docker iso9660 tarball wsl2)))

(define validate-partition-table-type
  (set-checker 'partition-table-type '(mbr gpt)))

(define-record-type* <partition> partition make-partition
  partition?
  (size                partition-size (default 'guess) (sanitize validate-size))
  (offset              partition-offset (default 0) (sanitize validate-partition-offset))
  (file-system         partition-file-system (default "ext4"))
  (file-system-options partition-file-system-options (default '()))
  (label               partition-label)
  (uuid                partition-uuid (default #f))
  (flags               partition-flags (default '()) (sanitize validate-partition-flags))
  (initializer         partition-initializer (default #f)))

(define-record-type* <image> image make-image
  image?
  (name                 image-name (default #f))                  ;symbol
  (format               image-format (sanitize validate-image-format))
  (platform             image-platform (default #f))              ;<platform>
  (size                 image-size (default 'guess) (sanitize validate-size))
  (max-layers           image-max-layers (default #f))
  (operating-system     image-operating-system)
  (partition-table-type image-partition-table-type (default 'mbr)
                        (sanitize validate-partition-table-type))
  (partitions           image-partitions (default '()))
  (compression?         image-compression? (default #t))
  (volatile-root?       image-volatile-root? (default #t))
  (shared-store?        image-shared-store? (default #f))
  (shared-network?      image-shared-network? (default #f))
  (substitutable?       image-substitutable? (default #t)))

(define-record-type* <image-type> image-type make-image-type
  image-type?
  (name        image-type-name)          ;symbol
  (constructor image-type-constructor))  ;operating-system -> image

(define* (os->image os #:key type)
  "The image of OS made by TYPE, an image type."
  ((image-type-constructor type) os))

(define* (os+platform->image os platform #:key type)
  "The image of OS made by TYPE, for PLATFORM (a platform record)."
  (image (inherit (os->image os #:type type))
         (platform platform)))
