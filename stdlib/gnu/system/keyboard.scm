;;; schemy --- Keyboard layouts.
;;;
;;; A keyboard layout names an XKB layout, with an optional variant, model
;;; and options: `(keyboard-layout "us" "altgr-intl" #:options '("ctrl:nocaps"))'.
;;; The bootloader, the console and the X server all use the same record.

(define-module (gnu system keyboard)
  #:use-module (guix gexp)
  #:use-module ((gnu packages xorg) #:select (console-setup))
  #:export (keyboard-layout->console-keymap
            keyboard-layout
            keyboard-layout?
            keyboard-layout-name
            keyboard-layout-variant
            keyboard-layout-model
            keyboard-layout-options
            keyboard-layout->console-keymap-name
            keyboard-layout->xkb-options))

(define-record-type <keyboard-layout>
  (%keyboard-layout name variant model options)
  keyboard-layout?
  (name    keyboard-layout-name)         ;string, e.g. "us"
  (variant keyboard-layout-variant)      ;#f or string, e.g. "altgr-intl"
  (model   keyboard-layout-model)        ;#f or string, e.g. "thinkpad"
  (options keyboard-layout-options))     ;list of strings, e.g. ("ctrl:nocaps")

(set-record-type-printer! <keyboard-layout>
  (lambda (layout port)
    (display "#<keyboard-layout " port)
    (display (keyboard-layout-name layout) port)
    (when (keyboard-layout-variant layout)
      (display "-" port)
      (display (keyboard-layout-variant layout) port))
    (display ">" port)))

(define (keyboard-layout name . rest)
  "The keyboard layout NAME (an XKB layout such as \"us\" or \"fr\"), with an
optional VARIANT such as \"dvorak\", keyboard MODEL and list of XKB OPTIONS:
(keyboard-layout NAME [VARIANT] [#:model MODEL] [#:options OPTIONS])."
  ;; The optional VARIANT is parsed by hand: a keyword right after NAME
  ;; starts the keyword arguments, as Guile's define* does.
  (define variant
    (and (pair? rest) (not (keyword? (car rest))) (car rest)))
  (define keys
    (if (and (pair? rest) (not (keyword? (car rest)))) (cdr rest) rest))
  (define (key k default)
    (let loop ((l keys))
      (cond ((or (null? l) (null? (cdr l))) default)
            ((eq? (car l) k) (cadr l))
            (else (loop (cddr l))))))
  (define model (key #:model #f))
  (define options (key #:options '()))
  (let loop ((l keys))
    (unless (null? l)
      (unless (and (memq (car l) '(#:model #:options)) (pair? (cdr l)))
        (error "keyboard-layout: unknown or incomplete keyword argument" (car l)))
      (loop (cddr l))))
  (unless (string? name)
    (error "keyboard-layout: the layout name must be a string" name))
  (unless (or (not variant) (string? variant))
    (error "keyboard-layout: the variant must be a string or #f" variant))
  (unless (and (list? options) (every string? options))
    (error "keyboard-layout: options must be a list of strings" options))
  (%keyboard-layout name variant model options))

(define (keyboard-layout->console-keymap-name layout)
  "The name of the console keymap closest to LAYOUT (\"us\", \"fr-bepo\"...)."
  (if (keyboard-layout-variant layout)
      (string-append (keyboard-layout-name layout) "-" (keyboard-layout-variant layout))
      (keyboard-layout-name layout)))

(define (keyboard-layout->xkb-options layout)
  "The setxkbmap command-line arguments for LAYOUT."
  (append (list "-layout" (keyboard-layout-name layout))
          (if (keyboard-layout-variant layout)
              (list "-variant" (keyboard-layout-variant layout))
              '())
          (if (keyboard-layout-model layout)
              (list "-model" (keyboard-layout-model layout))
              '())
          (append-map (lambda (option) (list "-option" option))
                      (keyboard-layout-options layout))))

(define* (keyboard-layout->console-keymap layout #:key xkeyboard-config)
  "A Linux console keymap file for LAYOUT, compiled from its XKB layout by
console-setup's ckbcomp (the host's XKB data: XKEYBOARD-CONFIG is accepted for
Guix's signature)."
  (define arguments
    (append (list "-rules" "base")
            (if (keyboard-layout-model layout)
                (list "-model" (keyboard-layout-model layout))
                '())
            (list (keyboard-layout-name layout)
                  (or (keyboard-layout-variant layout) "")
                  (string-join (keyboard-layout-options layout) ","))))
  (computed-file (string-append "console-keymap."
                                (string-map (lambda (c) (if (char=? c #\,) #\- c))
                                            (keyboard-layout-name layout)))
                 #~(begin
                     (use-modules (ice-9 popen) (ice-9 textual-ports))
                     (let* ((pipe (apply open-pipe* OPEN_READ
                                         #+(file-append console-setup "/bin/ckbcomp")
                                         '#$arguments))
                            (keymap (get-string-all pipe)))
                       ;; ckbcomp fails on an unknown layout, warns on an unknown variant.
                       (unless (zero? (status:exit-val (close-pipe pipe)))
                         (error "failed to create console keymap for keyboard layout"
                                #$(keyboard-layout-name layout)))
                       (call-with-output-file #$output
                         (lambda (port) (display keymap port)))))))
