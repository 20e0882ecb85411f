;;; schemy --- Fonts of the home profile (Guix manual, "Fonts Home
;;; Services"): ~/.config/fontconfig/fonts.conf names the profile's font
;;; directory, and the font cache is rebuilt when the fonts change.

(define-module (gnu home services fontutils)
  #:use-module (gnu services)
  #:use-module (gnu home services)
  #:use-module (guix gexp)
  #:use-module ((gnu packages fontutils) #:select (fontconfig))
  #:use-module (ice-9 match)
  #:export (home-fontconfig-service-type))

(define (xml-escape text)
  (string-concatenate
   (map (lambda (c)
          (case c
            ((#\<) "&lt;") ((#\>) "&gt;") ((#\&) "&amp;")
            (else (string c))))
        (string->list text))))

(define (sxml->string tree)
  ;; The small part of SXML fonts.conf snippets use: (TAG (@ (ATTR VALUE) ...) CHILD ...).
  (match tree
    ((? string? text) (xml-escape text))
    (((? symbol? tag) ('@ (attrs values) ...) children ...)
     (string-append "<" (symbol->string tag)
                    (string-concatenate
                     (map (lambda (a v) (format #f " ~a=\"~a\"" a (xml-escape v))) attrs values))
                    ">" (string-concatenate (map sxml->string children))
                    "</" (symbol->string tag) ">"))
    (((? symbol? tag) children ...)
     (string-append "<" (symbol->string tag) ">"
                    (string-concatenate (map sxml->string children))
                    "</" (symbol->string tag) ">"))
    ((? number? n) (number->string n))))

(define (fonts-conf-entries snippets)
  `(("fontconfig/fonts.conf"
     ,(apply mixed-text-file "fonts.conf"
             "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
             (append
              (map (match-lambda
                     ((? string? dir) (string-append "<dir>" (xml-escape dir) "</dir>"))
                     ((? gexp? dir) #~(string-append "<dir>" #$dir "</dir>"))
                     ((? list? sxml) (sxml->string sxml)))
                   snippets)
              (list "</fontconfig>"))))))

(define (regenerate-font-cache _)
  `(("profile/share/fonts"
     ,#~(system* #$(file-append fontconfig "/bin/fc-cache") "-fv"))))

(define home-fontconfig-service-type
  (service-type
   (name 'home-fontconfig)
   (extensions (list (service-extension home-xdg-configuration-files-service-type
                                        fonts-conf-entries)
                     (service-extension home-run-on-change-service-type
                                        regenerate-font-cache)))
   (compose concatenate)
   (extend append)
   (default-value '("~/.guix-home/profile/share/fonts"))
   (description "Write fontconfig's fonts.conf so that fc-* tools find the
fonts of the home profile; extended with directories (strings) or SXML
snippets.")))
