;;; schemy --- Helpers of the Guix Home service modules: names of
;;; configuration fields turned into the spellings configuration files use.

(define-module (gnu home services utils)
  #:use-module (srfi srfi-1)
  #:export (maybe-object->string
            object->snake-case-string
            object->camel-case-string
            list->human-readable-list))

(define (maybe-object->string object)
  "OBJECT as a string when it is a symbol, OBJECT itself otherwise."
  (if (symbol? object) (symbol->string object) object))

(define* (object->snake-case-string object #:optional (style 'lower))
  "The symbol or string OBJECT with dashes as underscores, a trailing ? dropped,
in lower case or, with STYLE 'upper, upper case: 'log-home => \"LOG_HOME\"."
  (let* ((text (maybe-object->string object))
         (text (if (string-suffix? "?" text)
                   (string-drop-right text 1)
                   text))
         (text (string-map (lambda (c) (if (char=? c #\-) #\_ c)) text)))
    (if (eq? style 'upper) (string-upcase text) (string-downcase text))))

(define* (object->camel-case-string object #:optional (style 'lower))
  "The symbol or string OBJECT in camel case: 'add-keys-to-agent =>
\"addKeysToAgent\", or with STYLE 'upper \"AddKeysToAgent\"."
  (let* ((words (string-split (maybe-object->string object) #\-))
         (capitalize (lambda (w)
                       (if (string-null? w) w
                           (string-append (string (char-upcase (string-ref w 0)))
                                          (substring w 1))))))
    (apply string-append
           (if (eq? style 'upper) (capitalize (car words)) (car words))
           (map capitalize (cdr words)))))

(define* (list->human-readable-list lst #:key (cumulative? #f) (proc identity))
  "LST as English: \"a, b and c\", or \"a, b or c\" unless CUMULATIVE?."
  (let ((items (map (lambda (x) (format #f "~a" (proc x))) lst)))
    (cond ((null? items) "")
          ((null? (cdr items)) (car items))
          (else (string-append (string-join (drop-right items 1) ", ")
                               (if cumulative? " and " " or ")
                               (last items))))))
