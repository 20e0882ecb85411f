;;; schemy --- Mapped devices: LUKS volumes, RAID arrays, LVM volumes.
;;;
;;; A mapped device turns a SOURCE device into one or more TARGET devices
;;; under /dev/mapper, using a mapping kind such as `luks-device-mapping'.
;;; File systems on a mapped device list it in their `dependencies'.

(define-module (gnu system mapped-devices)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module (gnu services shepherd)
  #:use-module (gnu system uuid)
  #:export (%mapped-device
            mapped-device
            mapped-device?
            mapped-device-source
            mapped-device-target
            mapped-device-targets
            mapped-device-type
            mapped-device-arguments
            mapped-device-location

            mapped-device-kind
            mapped-device-kind?
            mapped-device-kind-name
            mapped-device-kind-open
            mapped-device-kind-close
            mapped-device-kind-check
            mapped-device-kind-modules

            device-mapping-service-type
            device-mapping-service
            mapped-device-shepherd-service-name

            luks-device-mapping
            luks-device-mapping-with-options
            raid-device-mapping
            lvm-device-mapping))

;;; Kinds of mappings.

(define-record-type* <mapped-device-kind> mapped-device-kind
  make-mapped-device-kind mapped-device-kind?
  (name    mapped-device-kind-name (default 'mapping))
  (open    mapped-device-kind-open)            ;source targets -> gexp
  (close   mapped-device-kind-close            ;source targets -> gexp
           (default (const #~(const #f))))     ;as Guix: nothing to close
  (check   mapped-device-kind-check (default (const #t)))
  (modules mapped-device-kind-modules (default '())))

(set-record-type-printer! <mapped-device-kind>
  (lambda (kind port)
    (display "#<mapped-device-kind " port)
    (display (mapped-device-kind-name kind) port)
    (display ">" port)))

(define (source->string source)
  (cond ((string? source) source)
        ((uuid? source) (string-append "/dev/disk/by-uuid/" (uuid->string source)))
        ((list? source) (string-join (map source->string source) " "))
        (else (format #f "~a" source))))

(define luks-device-mapping
  ;; A LUKS-encrypted volume opened with cryptsetup.
  (mapped-device-kind
   (name 'luks)
   ;; The mapped device's `arguments' are passed to open and close as keywords.
   (open (lambda* (source targets #:key key-file allow-discards? (extra-options '()))
           #~(zero? (system* "cryptsetup" "open" "--type" "luks"
                             #$@(if key-file (list "--key-file" key-file) '())
                             #$@(if allow-discards? '("--allow-discards") '())
                             #$@extra-options
                             #$(source->string source) #$(car targets)))))
   (close (lambda (source targets . _)
            #~(zero? (system* "cryptsetup" "close" #$(car targets)))))
   (modules '("dm-crypt"))))

(define* (luks-device-mapping-with-options #:key key-file allow-discards?)
  "Deprecated: a LUKS mapping opened with KEY-FILE (a file name on the booted system)
instead of a passphrase, and with discards (TRIM) allowed if ALLOW-DISCARDS?."
  (format (current-error-port)
          "warning: 'luks-device-mapping-with-options' is deprecated; use the mapped-device arguments field~%")
  (mapped-device-kind
   (inherit luks-device-mapping)
   (open (lambda (source targets)
           #~(zero? (system* "cryptsetup" "open" "--type" "luks"
                             #$@(if key-file (list "--key-file" key-file) '())
                             #$@(if allow-discards? '("--allow-discards") '())
                             #$(source->string source) #$(car targets)))))))

(define raid-device-mapping
  ;; A software RAID array assembled with mdadm.
  (mapped-device-kind
   (name 'raid)
   (open (lambda (sources targets)
           #~(zero? (apply system* "mdadm" "--assemble" #$(car targets)
                           '#$(if (list? sources) sources (list sources))))))
   (close (lambda (sources targets)
            #~(zero? (system* "mdadm" "--stop" #$(car targets)))))
   (modules '("md-mod" "raid1" "raid456"))))

(define lvm-device-mapping
  ;; Logical volumes of an LVM volume group, activated with lvm.
  (mapped-device-kind
   (name 'lvm)
   (open (lambda (source targets)
           #~(zero? (system* "lvm" "vgchange" "--activate" "ay" #$source))))
   (close (lambda (source targets)
            #~(zero? (system* "lvm" "vgchange" "--activate" "n" #$source))))
   (modules '("dm-mod"))))

;;; Mapped devices.

(define-record-type* <mapped-device> mapped-device make-mapped-device
  mapped-device?
  (source   mapped-device-source)             ;string, uuid or list
  (target   %mapped-device-target (default #f))
  (targets  mapped-device-targets (thunked)
            (default (let ((target (%mapped-device-target this-record)))
                       (if target (list target) '()))))
  (type     mapped-device-type)               ;a mapped-device-kind
  (arguments mapped-device-arguments (default '())) ;given to the kind's open and close
  (location mapped-device-location
            (default (%construction-location)) (innate)))

(define-syntax-rule (%mapped-device fields ...)
  ;; Guix's raw constructor (its `mapped-device' also accepts `target').
  (mapped-device fields ...))

(define (mapped-device-target device)
  "The (first) target name of DEVICE, e.g. \"my-root\" for /dev/mapper/my-root."
  (let ((targets (mapped-device-targets device)))
    (and (pair? targets) (car targets))))

(define (mapped-device-shepherd-service-name device)
  (symbol-append 'device-mapping-
                 (string->symbol (string-join (mapped-device-targets device) "-"))))

;;; The service opening mapped devices.

(define (device-mapping-shepherd-service device)
  (let ((kind (mapped-device-type device))
        (source (mapped-device-source device))
        (targets (mapped-device-targets device))
        (arguments (mapped-device-arguments device)))
    (shepherd-service
     (provision (list (mapped-device-shepherd-service-name device)))
     (requirement '(udev))
     (documentation "Map a device node under /dev/mapper.")
     (start #~(lambda () #$(apply (mapped-device-kind-open kind) source targets arguments)))
     (stop #~(lambda _ (not #$(apply (mapped-device-kind-close kind) source targets arguments))))
     (respawn? #f))))

(define device-mapping-service-type
  (service-type
   (name 'device-mapping)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (device)
                               (list (device-mapping-shepherd-service device))))))
   (description "Open a mapped device (a LUKS volume, RAID array or LVM volume
group) so that the file systems on it can be mounted.")))

(define (device-mapping-service device)
  (service device-mapping-service-type device))
