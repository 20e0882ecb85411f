;;; schemy --- Locale definitions.
;;;
;;; A locale definition names a locale ("fr_FR.utf8") and says how to
;;; compile it: from which source ("fr_FR") and with which character set.
;;; The operating system's `locale-definitions' field lists the locales
;;; available on the system; its `locale' field picks the default one.

(define-module (gnu system locale)
  #:use-module (guix records)
  #:export (locale-definition
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
