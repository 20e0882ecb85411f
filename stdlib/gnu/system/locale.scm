;;; schemy --- Locale definitions.
;;;
;;; A locale definition names a locale ("fr_FR.utf8") and says how to
;;; compile it: from which source ("fr_FR") and with which character set.
;;; The operating system's `locale-definitions' field lists the locales
;;; available on the system; its `locale' field picks the default one.

(define-module (gnu system locale)
  #:use-module (guix records)
  #:use-module (guix gexp)
  #:use-module ((guix packages) #:select (package-version))
  #:use-module ((gnu packages base) #:select (glibc glibc-2.39))
  #:export (%default-locale-libcs
            locale-directory
            glibc-supported-locales
            locale-definition
            locale-definition?
            locale-definition-name
            locale-definition-source
            locale-definition-charset
            locale-name->definition
            %default-locale-definitions))

(define-record-type* <locale-definition> locale-definition
  make-locale-definition locale-definition?
  (name    locale-definition-name)                ;"fr_FR.utf8"
  (source  locale-definition-source)              ;"fr_FR"
  (charset locale-definition-charset (default "UTF-8")))

(set-record-type-printer! <locale-definition>
  (lambda (def port)
    (display "#<locale-definition " port)
    (display (locale-definition-name def) port)
    (display ">" port)))

(define (locale-name->definition name)
  "The locale definition for NAME, such as \"en_US.utf8\" or \"ja_JP.eucjp\",
or #f when NAME is not of the form SOURCE.CHARSET."
  (let ((dot (string-index name #\.)))
    (and dot
         (let ((source (substring name 0 dot))
               (charset (substring name (+ dot 1))))
           (locale-definition
            (name name)
            (source source)
            (charset (cond ((member (string-downcase charset) '("utf8" "utf-8")) "UTF-8")
                           ((string=? (string-downcase charset) "eucjp") "EUC-JP")
                           (else (string-upcase charset)))))))))

(define %default-locale-definitions
  ;; The UTF-8 locales of the most common languages.
  (map locale-name->definition
       '("de_DE.utf8" "en_CA.utf8" "en_GB.utf8" "en_US.utf8" "es_AR.utf8"
         "es_ES.utf8" "fi_FI.utf8" "fr_BE.utf8" "fr_CA.utf8" "fr_CH.utf8"
         "fr_FR.utf8" "ga_IE.utf8" "it_IT.utf8" "ja_JP.utf8" "ko_KR.utf8"
         "nb_NO.utf8" "nl_NL.utf8" "pl_PL.utf8" "pt_BR.utf8" "pt_PT.utf8"
         "ru_RU.utf8" "sv_SE.utf8" "tr_TR.utf8" "uk_UA.utf8" "vi_VN.utf8"
         "zh_CN.utf8")))

(define %default-locale-libcs
  ;; The libcs Guix builds locales for by default.
  (list glibc glibc-2.39))

(define (libc-locale-version libc)
  ;; Locale data formats change between libc versions: the data goes to a
  ;; subdirectory named after LIBC's major.minor version.
  (let ((parts (string-split (package-version libc) #\.)))
    (string-join (list-head parts (min 2 (length parts))) ".")))

(define* (single-locale-directory locales #:key (libc glibc))
  (define version (libc-locale-version libc))
  (computed-file (string-append "locale-" version)
                 #~(begin
                     (use-modules (guix build utils))
                     (let ((directory (string-append #$output "/" #$version)))
                       (mkdir-p directory)
                       (for-each (lambda (source codeset name)
                                   (invoke "localedef" "--no-archive" "--prefix" directory
                                           "-i" source "-f" codeset
                                           (string-append directory "/" name)))
                                 '#$(map locale-definition-source locales)
                                 '#$(map locale-definition-charset locales)
                                 '#$(map locale-definition-name locales))))))

(define* (locale-directory locales #:key (libcs %default-locale-libcs))
  "A directory of LOCALES compiled (by the host's localedef) for each of
LIBCS, in one subdirectory per libc version."
  (if (= 1 (length libcs))
      (single-locale-directory locales #:libc (car libcs))
      (let ((directories (map (lambda (libc)
                                (list (libc-locale-version libc)
                                      (single-locale-directory locales #:libc libc)))
                              libcs)))
        (computed-file "locale-multiple-versions"
                       #~(begin
                           (mkdir #$output)
                           (for-each (lambda (version directory)
                                       (symlink (string-append directory "/" version)
                                                (string-append #$output "/" version)))
                                     '#$(map car directories)
                                     (list #$@(map cadr directories))))))))

(define* (glibc-supported-locales #:optional (glibc glibc))
  "A file holding the list of (NAME . CODESET) pairs, such as (\"oc_FR.UTF-8\"
. \"UTF-8\"), of the locales the libc supports: the host's
/usr/share/i18n/SUPPORTED (Debian's locales package) stands for GLIBC's."
  (computed-file "glibc-supported-locales.scm"
                 #~(begin
                     (use-modules (ice-9 rdelim) (ice-9 pretty-print))
                     (define (read-locales port)
                       (let loop ((acc '()))
                         (let ((line (read-line port)))
                           (if (eof-object? line)
                               (reverse acc)
                               (let ((fields (string-tokenize
                                              line (char-set-complement
                                                    (char-set #\space #\/ #\\ #\tab)))))
                                 (if (and (= 2 (length fields))
                                          (not (string-prefix? "#" line)))
                                     (loop (cons (cons (car fields) (cadr fields)) acc))
                                     (loop acc)))))))
                     (let ((locales (call-with-input-file "/usr/share/i18n/SUPPORTED"
                                      read-locales)))
                       (call-with-output-file #$output
                         (lambda (port) (pretty-print locales port)))))))
