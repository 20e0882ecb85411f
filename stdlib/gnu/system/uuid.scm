;;; schemy --- File system UUIDs.
;;;
;;; A UUID names a file system or a LUKS volume independently of the disk it
;;; lives on.  Its printed form depends on the file system: the DCE form
;;; ("6b700d61-5550-48a1-874c-a3d86998990e") for ext4, btrfs, xfs, LUKS...,
;;; "ABCD-1234" for FAT, 16 hex digits for NTFS and a time stamp for ISO-9660.
;;; `(uuid "..." 'ext4)' parses the string once, when the record is built.

(define-module (gnu system uuid)
  #:export (uuid
            uuid?
            uuid-type
            uuid-bytevector
            uuid=?
            make-uuid
            string->uuid
            uuid->string
            bytevector->uuid
            %uuid-type-names))

;;; The record.

(define-record-type <uuid>
  (make-uuid type bytevector)
  uuid?
  (type       uuid-type)            ;one of 'dce 'fat 'iso9660 'ntfs
  (bytevector uuid-bytevector))

(set-record-type-printer! <uuid>
  (lambda (u port)
    (display "#<uuid " port)
    (display (uuid-type u) port)
    (display " " port)
    (display (uuid->string u) port)
    (display ">" port)))

(define (uuid=? a b)
  "Whether the UUIDs A and B denote the same bytes (the type may differ)."
  (equal? (uuid-bytevector a) (uuid-bytevector b)))

;;; File system names and UUID formats.

(define %uuid-type-names
  ;; File system (or volume) name -> UUID format.
  '((dce . dce) (ext2 . dce) (ext3 . dce) (ext4 . dce) (btrfs . dce)
    (bcachefs . dce) (xfs . dce) (f2fs . dce) (jfs . dce) (luks . dce)
    (swap . dce) (linux-swap . dce)
    (fat . fat) (fat12 . fat) (fat16 . fat) (fat32 . fat) (vfat . fat)
    (iso9660 . iso9660)
    (ntfs . ntfs)))

(define (uuid-format type)
  (let ((entry (assq type %uuid-type-names)))
    (and entry (cdr entry))))

;;; Parsing.

(define (hex-string->bytes str)
  "The list of bytes written as hex pairs in STR, or #f."
  (and (even? (string-length str))
       (string-every char-set:hex-digit str)
       (let loop ((i 0) (acc '()))
         (if (= i (string-length str))
             (reverse acc)
             (loop (+ i 2)
                   (cons (string->number (substring str i (+ i 2)) 16) acc))))))

(define (split-fields str lengths)
  "Split STR at dashes into fields of LENGTHS characters each, or #f."
  (let ((fields (string-split str #\-)))
    (and (= (length fields) (length lengths))
         (every (lambda (f n) (= (string-length f) n)) fields lengths)
         fields)))

(define (parse-dce str)
  (let ((fields (split-fields str '(8 4 4 4 12))))
    (and fields
         (let ((bytes (hex-string->bytes (string-concatenate fields))))
           (and bytes (u8-list->bytevector bytes))))))

(define (parse-fat str)
  ;; FAT volume ids are stored little-endian: "ABCD-1234" is 34 12 CD AB.
  (let ((fields (split-fields str '(4 4))))
    (and fields
         (let ((bytes (hex-string->bytes (string-concatenate fields))))
           (and bytes (u8-list->bytevector (reverse bytes)))))))

(define (parse-ntfs str)
  ;; 16 hex digits, stored little-endian.
  (and (= (string-length str) 16)
       (let ((bytes (hex-string->bytes str)))
         (and bytes (u8-list->bytevector (reverse bytes))))))

(define (parse-iso9660 str)
  ;; "YYYY-MM-DD-HH-MM-SS-cc": the volume creation time, kept as its digits.
  (let ((fields (split-fields str '(4 2 2 2 2 2 2))))
    (and fields
         (let ((digits (string-concatenate fields)))
           (and (string-every char-set:digit digits)
                (u8-list->bytevector
                 (map char->integer (string->list digits))))))))

(define* (string->uuid str #:optional (type 'dce))
  "Parse STR as a UUID of TYPE (a file system name such as 'ext4 or 'fat32, or a
format name: 'dce, 'fat, 'iso9660, 'ntfs).  Return a UUID record or #f."
  (let* ((format (uuid-format type))
         (bv (and (string? str)
                  (case format
                    ((dce) (parse-dce (string-downcase str)))
                    ((fat) (parse-fat (string-upcase str)))
                    ((ntfs) (parse-ntfs (string-upcase str)))
                    ((iso9660) (parse-iso9660 str))
                    (else #f)))))
    (and bv (make-uuid format bv))))

(define* (bytevector->uuid bv #:optional (type 'dce))
  (make-uuid (or (uuid-format type) type) bv))

;;; Printing.

(define (byte->hex b)
  (string-pad (number->string b 16) 2 #\0))

(define (bytes->hex bytes)
  (string-concatenate (map byte->hex bytes)))

(define (uuid->string u)
  "The conventional printed form of the UUID U."
  (let ((bytes (bytevector->u8-list (uuid-bytevector u))))
    (case (uuid-type u)
      ((dce)
       (let ((hex (bytes->hex bytes)))
         (string-append (substring hex 0 8) "-" (substring hex 8 12) "-"
                        (substring hex 12 16) "-" (substring hex 16 20) "-"
                        (substring hex 20 32))))
      ((fat)
       (let ((hex (string-upcase (bytes->hex (reverse bytes)))))
         (string-append (substring hex 0 4) "-" (substring hex 4 8))))
      ((ntfs)
       (string-upcase (bytes->hex (reverse bytes))))
      ((iso9660)
       (let ((d (list->string (map integer->char bytes))))
         (string-join (list (substring d 0 4) (substring d 4 6) (substring d 6 8)
                            (substring d 8 10) (substring d 10 12) (substring d 12 14)
                            (substring d 14 16))
                      "-")))
      (else (bytes->hex bytes)))))

;;; The user-facing constructor.

(define (%uuid str type location)
  (unless (uuid-format type)
    (%raise-located location
                    (format #f "uuid: unknown UUID type '~a' (expected a file system name such as ext4 or fat32)"
                            type)))
  (or (string->uuid str type)
      (%raise-located location
                      (if (eq? type 'dce)
                          (format #f "invalid UUID: ~s" str)
                          (format #f "invalid UUID for a ~a file system: ~s" type str)))))

(define-syntax uuid
  (lambda (x)
    "(uuid STRING [TYPE]): the UUID written as STRING for a file system of TYPE
(default: the DCE format of ext4, btrfs, LUKS...)."
    (syntax-case x ()
      ((_ str)
       #`(%uuid str 'dce '#,(%syntax-location x)))
      ((_ str type)
       #`(%uuid str type '#,(%syntax-location x)))
      (id (identifier? #'id)
          #'(lambda* (str #:optional (type 'dce)) (%uuid str type #f))))))
