;;; schemy --- pam_mount (Guix manual, "PAM Mount Service"): the
;;; /etc/security/pam_mount.conf.xml Guix writes from SXML rules (volumes
;;; added by pam-mount-volume-service-type), and pam_mount.so added to the
;;; auth and session stacks of the login programs.

(define-module (gnu services pam-mount)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu system pam)
  #:use-module ((gnu packages admin) #:select (pam-mount))
  #:use-module (ice-9 match)
  #:use-module (srfi srfi-1)
  #:export (pam-mount-configuration
            pam-mount-configuration?
            pam-mount-service-type

            pam-mount-volume
            pam-mount-volume?
            pam-mount-volume-service-type))

(define %pam-mount-default-configuration
  `((debug (@ (enable "0")))
    (mntoptions (@ (allow ,(string-join '("nosuid" "nodev" "loop" "encryption" "fsck"
                                          "nonempty" "allow_root" "allow_other")
                                        ","))))
    (mntoptions (@ (require "nosuid,nodev")))
    (logout (@ (wait "0") (hup "0") (term "no") (kill "no")))
    (mkmountpoint (@ (enable "1") (remove "true")))))

;;; SXML to XML text, as Guile's (sxml simple) writes it: no added white
;;; space, empty elements as <tag />, < > & and " escaped.

(define (escape-xml str)
  (string-concatenate
   (map (lambda (c)
          (case c
            ((#\<) "&lt;") ((#\>) "&gt;") ((#\&) "&amp;") ((#\") "&quot;")
            (else (string c))))
        (string->list str))))

(define (sxml->pieces node)
  ;; Strings and file-like objects (which stand for their file names).
  (match node
    ((? string?) (list (escape-xml node)))
    (('*TOP* children ...) (append-map sxml->pieces children))
    (('*PI* target text) (list (format #f "<?~a ~a?>" target text)))
    (((? symbol? tag) ('@ attributes ...) children ...)
     (element tag attributes children))
    (((? symbol? tag) children ...)
     (element tag '() children))
    (_ (list node))))

(define (element tag attributes children)
  (append (list (format #f "<~a" tag))
          (append-map (match-lambda
                        ((name value) (list (format #f " ~a=\"" name) (escape-xml value) "\"")))
                      attributes)
          (if (null? children)
              (list " />")
              (append (list ">") (append-map sxml->pieces children) (list (format #f "</~a>" tag))))))

(define-record-type* <pam-mount-configuration> pam-mount-configuration
  make-pam-mount-configuration pam-mount-configuration?
  (rules pam-mount-configuration-rules (default %pam-mount-default-configuration)))

(define (make-pam-mount-configuration-file config)
  (apply mixed-text-file "pam_mount.conf.xml"
         (sxml->pieces
          `(*TOP*
            (*PI* xml "version='1.0' encoding='utf-8'")
            (pam_mount
             ,@(pam-mount-configuration-rules config)
             (pmvarrun ,(file-append pam-mount "/sbin/pmvarrun -u '%(USER)' -o '%(OPERATION)'"))
             (cryptmount
              ,(file-append pam-mount
                            (string-append "/sbin/mount.crypt"
                                           " '%(if %(CIPHER),-ocipher=%(CIPHER))'"
                                           " '%(if %(FSKEYCIPHER),-ofsk_cipher=%(FSKEYCIPHER))'"
                                           " '%(if %(FSKEYHASH),-ofsk_hash=%(FSKEYHASH))'"
                                           " '%(if %(FSKEYPATH),-okeyfile=%(FSKEYPATH))'"
                                           " '%(if %(OPTIONS),-o%(OPTIONS))'"
                                           " '%(VOLUME)' '%(MNTPT)'")))
             (cryptumount ,(file-append pam-mount "/sbin/umount.crypt '%(MNTPT)'")))))))

(define (pam-mount-pam-service config)
  (let ((optional-pam-mount (pam-entry (control "optional")
                                       (module (file-append pam-mount "/lib/security/pam_mount.so")))))
    (list (pam-extension
           (transformer
            (lambda (pam)
              (if (member (pam-service-name pam) '("login" "greetd" "su" "slim" "gdm-password" "sddm"))
                  (pam-service
                   (inherit pam)
                   (auth (append (pam-service-auth pam) (list optional-pam-mount)))
                   (session (append (pam-service-session pam) (list optional-pam-mount))))
                  pam)))))))

(define pam-mount-service-type
  (service-type
   (name 'pam-mount)
   (extensions
    (list (service-extension etc-service-type
                             (lambda (config)
                               (list (list "security/pam_mount.conf.xml"
                                           (make-pam-mount-configuration-file config)))))
          (service-extension pam-root-service-type pam-mount-pam-service)))
   (compose concatenate)
   (extend (lambda (initial extensions)
             (pam-mount-configuration
              (rules (append (pam-mount-configuration-rules initial) extensions)))))
   (default-value (pam-mount-configuration))
   (description "Mount volumes for users when they log in, with pam_mount.")))

;;; Volumes.

(define (field-name->tag field-name)
  (match field-name
    ('user-name 'user)
    ('user-id 'uid)
    ('primary-group 'pgrp)
    ('group-id 'gid)
    ('secondary-group 'sgrp)
    ('file-system-type 'fstype)
    ('no-mount-as-root? 'noroot)
    ('file-name 'path)
    ('mount-point 'mountpoint)
    ('ssh? 'ssh)
    ('file-system-key-cipher 'fskeycipher)
    ('file-system-key-hash 'fskeyhash)
    ('file-system-key-file-name 'fskeypath)
    (_ field-name)))

(define-maybe string)
(define (serialize-string field-name value)
  (list (field-name->tag field-name) value))

(define (integer-or-range? value)
  (match value
    ((start . end) (and (integer? start) (integer? end)))
    (_ (number? value))))
(define-maybe integer-or-range)
(define (integer-or-range->string value)
  (match value
    ((start . end) (format #f "~a-~a" start end))
    (_ (number->string value))))
(define (serialize-integer-or-range field-name value)
  (list (field-name->tag field-name) (integer-or-range->string value)))

(define-maybe boolean)
(define (serialize-boolean field-name value)
  (list (field-name->tag field-name) (if value "1" "0")))

(define-configuration pam-mount-volume
  (user-name maybe-string "User name to match.")
  (user-id maybe-integer-or-range "User ID, or (START . END) range of them, to match.")
  (primary-group maybe-string "Primary group name to match.")
  (group-id maybe-integer-or-range "Group ID, or (START . END) range of them, to match.")
  (secondary-group maybe-string "Group the user belongs to, primary or not.")
  (file-system-type maybe-string "File system type of the volume.")
  (no-mount-as-root? maybe-boolean "Mount without super user privileges.")
  (server maybe-string "Remote server of the volume.")
  (file-name maybe-string "Location of the volume.")
  (mount-point maybe-string "Where to mount the volume.")
  (options maybe-string "Options for the mount program.")
  (ssh? maybe-boolean "Pass the login password to SSH.")
  (cipher maybe-string "Cryptsetup cipher of the volume.")
  (file-system-key-cipher maybe-string "Cipher of the target volume's key.")
  (file-system-key-hash maybe-string "Hash of the target volume's key.")
  (file-system-key-file-name maybe-string "File holding the volume's key."))

(define (pam-mount-volume->sxml volume)
  ;; One <volume> element: an attribute per set field.  Guix puts the raw values in;
  ;; here numbers, ranges and booleans are written as the field serializers say
  ;; (Guile's sxml->xml accepts only strings).
  `(volume (@ ,@(filter-map (lambda (field)
                              (let ((value ((configuration-field-getter field) volume)))
                                (and (not (eq? value %unset-value))
                                     ((configuration-field-serializer field)
                                      (configuration-field-name field) value))))
                            pam-mount-volume-fields))))

(define pam-mount-volume-service-type
  (service-type
   (name 'pam-mount-volume)
   (extensions
    (list (service-extension pam-mount-service-type
                             (lambda (volumes) (map pam-mount-volume->sxml volumes)))))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "Mount the given volumes through pam_mount when their users log in.")))
