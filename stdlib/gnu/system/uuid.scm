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
            bytevector->uuid

            uuid->string
            dce-uuid->string
            iso9660-uuid->string
            string->uuid
            string->dce-uuid
            string->iso9660-uuid
            string->ext2-uuid
            string->ext3-uuid
            string->ext4-uuid
            string->bcachefs-uuid
            string->btrfs-uuid
            string->fat-uuid
            string->jfs-uuid
            string->ntfs-uuid
            string->xfs-uuid
            sub-bytevector
            latin1->string
            %uuid-type-names))

;;; The record.  As in Guix, the type is the one given (ext4, fat32...); the
;;; format it is read and printed in follows from it.

(define-record-type <uuid>
  (make-uuid type bytevector)
  uuid?
  (type       uuid-type)            ;'dce, a file system name or 'luks
  (bytevector uuid-bytevector))

(set-record-type-printer! <uuid>
  (lambda (u port)
    (display "#<uuid " port)
    (display (uuid-type u) port)
    (display " " port)
    (display (uuid->string u) port)
    (display ">" port)))

(define (uuid-bytes x)
  (if (uuid? x) (uuid-bytevector x) x))

(define (uuid=? a b)
  "Whether A and B, UUIDs or bytevectors, denote the same bytes (the type may differ)."
  (equal? (uuid-bytes a) (uuid-bytes b)))

;;; File system names and UUID formats.

(define %uuid-type-names
  ;; File system (or volume) name -> UUID format: the names Guix knows.
  '((dce . dce) (ext2 . dce) (ext3 . dce) (ext4 . dce) (bcachefs . dce) (btrfs . dce)
    (f2fs . dce) (jfs . dce) (xfs . dce) (luks . dce)
    (exfat . fat) (fat32 . fat) (fat16 . fat) (fat . fat)
    (iso9660 . iso9660)
    (ntfs . ntfs)))

(define (uuid-format type)
  (let ((entry (assq type %uuid-type-names)))
    (and entry (cdr entry))))

;;; Helpers Guix exports from here.

(define (sub-bytevector bv start size)
  "A copy of the SIZE bytes of BV from offset START."
  (let ((result (make-bytevector size)))
    (bytevector-copy! bv start result 0 size)
    result))

(define (latin1->string bv terminator)
  "The string of the latin1 bytes of BV before the first for which TERMINATOR
holds, or #f when there are none."
  (let loop ((bytes (bytevector->u8-list bv)) (acc '()))
    (if (or (null? bytes) (terminator (car bytes)))
        (and (pair? acc) (list->string (map integer->char (reverse acc))))
        (loop (cdr bytes) (cons (car bytes) acc)))))

;;; Parsing: each parser returns the bytevector of a string, or #f.

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

(define (string->dce-uuid str)
  "The 16 bytes of STR, a DCE UUID such as \"6b700d61-5550-48a1-874c-a3d86998990e\", or #f."
  (let ((fields (and (string? str) (split-fields str '(8 4 4 4 12)))))
    (and fields
         (let ((bytes (hex-string->bytes (string-concatenate fields))))
           (and bytes (u8-list->bytevector bytes))))))

(define (string->fat-uuid str)
  ;; FAT volume ids are stored little-endian: "ABCD-1234" is 34 12 CD AB.
  "The 4 bytes of STR, a FAT volume id such as \"ABCD-1234\", or #f."
  (let ((fields (and (string? str) (split-fields str '(4 4)))))
    (and fields
         (let ((bytes (hex-string->bytes (string-concatenate fields))))
           (and bytes (u8-list->bytevector (reverse bytes)))))))

(define (string->ntfs-uuid str)
  "The 8 bytes of STR, 16 hex digits stored little-endian, or #f."
  (and (string? str) (= (string-length str) 16)
       (let ((bytes (hex-string->bytes str)))
         (and bytes (u8-list->bytevector (reverse bytes))))))

(define (string->iso9660-uuid str)
  "The 16 bytes of STR, an ISO-9660 creation time \"YYYY-MM-DD-HH-MM-SS-cc\"
kept as its digits, or #f."
  (let ((fields (and (string? str) (split-fields str '(4 2 2 2 2 2 2)))))
    (and fields
         (let ((digits (string-concatenate fields)))
           (and (string-every char-set:digit digits)
                (string->utf8 digits))))))

(define string->ext2-uuid string->dce-uuid)
(define string->ext3-uuid string->dce-uuid)
(define string->ext4-uuid string->dce-uuid)
(define string->bcachefs-uuid string->dce-uuid)
(define string->btrfs-uuid string->dce-uuid)
(define string->jfs-uuid string->dce-uuid)
(define string->xfs-uuid string->dce-uuid)

(define* (string->uuid str #:optional (type 'dce))
  "The bytevector of STR read as a UUID of TYPE (a file system name such as
'ext4 or 'fat32, or 'dce), or #f when STR is not one or TYPE is unknown."
  (case (uuid-format type)
    ((dce) (string->dce-uuid str))
    ((fat) (string->fat-uuid str))
    ((ntfs) (string->ntfs-uuid str))
    ((iso9660) (string->iso9660-uuid str))
    (else #f)))

(define* (bytevector->uuid bv #:optional (type 'dce))
  (make-uuid type bv))

;;; Printing.

(define (byte->hex b)
  (string-pad (number->string b 16) 2 #\0))

(define (bytes->hex bytes)
  (string-concatenate (map byte->hex bytes)))

(define (dce-uuid->string bv)
  "The DCE form of the 16 bytes of BV, lower-case hex with dashes."
  (let ((hex (bytes->hex (bytevector->u8-list bv))))
    (string-append (substring hex 0 8) "-" (substring hex 8 12) "-"
                   (substring hex 12 16) "-" (substring hex 16 20) "-"
                   (substring hex 20 32))))

(define (iso9660-uuid->string bv)
  "The creation time of the ISO-9660 UUID bytes BV, \"YYYY-MM-DD-HH-MM-SS-cc\"."
  (string-join (map (lambda (start size)
                      (latin1->string (sub-bytevector bv start size) (const #f)))
                    '(0 4 6 8 10 12 14) '(4 2 2 2 2 2 2))
               "-"))

(define (fat-uuid->string bv)
  (let ((hex (string-upcase (bytes->hex (reverse (bytevector->u8-list bv))))))
    (string-append (substring hex 0 4) "-" (substring hex 4 8))))

(define (ntfs-uuid->string bv)
  (string-upcase (bytes->hex (reverse (bytevector->u8-list bv)))))

(define* (uuid->string u #:optional type)
  "The conventional printed form of U, a UUID or a bytevector (of TYPE, by
default 'dce); #f for a TYPE Guix does not know."
  (if (uuid? u)
      (uuid->string (uuid-bytevector u) (uuid-type u))
      (case (uuid-format (or type 'dce))
        ((dce) (dce-uuid->string u))
        ((fat) (fat-uuid->string u))
        ((ntfs) (ntfs-uuid->string u))
        ((iso9660) (iso9660-uuid->string u))
        (else #f))))

;;; The user-facing constructor.

(define (%uuid str type location)
  (unless (uuid-format type)
    (%raise-located location
                    (format #f "uuid: unknown UUID type '~a' (expected a file system name such as ext4 or fat32)"
                            type)))
  (or (let ((bv (string->uuid str type)))
        (and bv (make-uuid type bv)))
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
