;;; schemy --- Sway (Guix manual, "Sway window manager"): ~/.config/sway/config
;;; written from a sway-configuration (variables, outputs, inputs, bar,
;;; key and mouse bindings, gestures, modes, programs to start), and sway's
;;; packages in the home profile.
;;;
;;; The file is a list of lines; a block ("output * { ... }") indents its lines
;;; by four spaces.  A value may be a string, a gexp or a file-like object (its
;;; file name), as in Guix.

(define-module (gnu home services sway)
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu home services)
  #:use-module (gnu system keyboard)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module ((gnu packages wm) #:select (sway swayidle swaylock wmenu))
  #:use-module ((gnu packages terminals) #:select (foot))
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 match)
  #:export (%ev-code-mouse-left
            %ev-code-mouse-right
            %ev-code-mouse-scroll-click

            sway-configuration
            sway-configuration-keybindings
            sway-configuration-gestures
            sway-configuration-packages
            sway-configuration-variables
            sway-configuration-inputs
            sway-configuration-outputs
            sway-configuration-bar
            sway-configuration-modes
            sway-configuration-startup+reload-programs
            sway-configuration-startup-programs
            sway-configuration-extra-content
            sway-bar sway-bar-identifier sway-bar-position sway-bar-hidden-state
            sway-bar-binding-mode-indicator sway-bar-colors sway-bar-status-command
            sway-bar-mouse-bindings sway-bar-extra-content
            sway-output sway-output-identifier sway-output-resolution sway-output-position
            sway-output-background sway-output-extra-content
            sway-input sway-input-identifier sway-input-layout sway-input-disable-while-typing
            sway-input-disable-while-trackpointing sway-input-tap sway-input-extra-content
            sway-color sway-color-background sway-color-statusline sway-color-focused-background
            sway-color-focused-statusline sway-color-focused-workspace sway-color-active-workspace
            sway-color-inactive-workspace sway-color-urgent-workspace sway-color-binding-mode
            sway-border-color sway-border-color-border sway-border-color-background
            sway-border-color-text
            sway-mode sway-mode-mode-name sway-mode-keybindings sway-mode-mouse-bindings
            point

            home-sway-service-type
            sway-configuration->file

            %sway-default-variables
            %sway-default-gestures
            %sway-default-modes
            %sway-default-keybindings
            %sway-default-startup-programs
            %sway-default-packages

            %empty-sway-configuration))

;;; Field types.

(define (string-ish? x) (or (string? x) (gexp? x) (file-like? x)))
(define (string-or-gexp? x) (or (string? x) (gexp? x)))
(define (string-or-symbol? x) (or (string? x) (symbol? x)))
(define (bar-position? x) (and (memq x '(top bottom)) #t))
(define (hidden-state? x) (and (memq x '(hide show)) #t))
(define (extra-content? x) (and (list? x) (every string-or-gexp? x)))
(define (list-of-string-ish? x) (and (list? x) (every string-ish? x)))
(define (list-of-packages? x) (and (list? x) (every (lambda (p) (or (package? p) (file-like? p) (pair? p))) x)))

(define (binding-list? key?)
  ;; ((KEY . COMMAND) ...) or ((KEY COMMAND OPTION ...) ...)
  (lambda (x)
    (and (list? x)
         (every (match-lambda
                  ((key (? string-or-gexp?) (? string?) ...) (key? key))
                  ((key . (? string-or-gexp?)) (key? key))
                  (_ #f))
                x))))

(define key-bindings? (binding-list? symbol?))
(define gestures? (binding-list? symbol?))
(define mouse-bindings? (binding-list? integer?))
(define (variables? x)
  (and (list? x) (every (match-lambda ((name . value) (and (symbol? name) (string-ish? value))) (_ #f)) x)))

(define-maybe/no-serialization string)
(define-maybe/no-serialization boolean)
(define-maybe/no-serialization keyboard-layout)

(define-configuration/no-serialization sway-input
  (identifier (string-or-symbol '*) "The input device: '* or its identifier.")
  (layout maybe-keyboard-layout "Its keyboard layout.")
  (disable-while-typing maybe-boolean "Disable the device while typing.")
  (disable-while-trackpointing maybe-boolean "Disable the device while using the trackpoint.")
  (tap maybe-boolean "Tap to click.")
  (extra-content (extra-content '()) "More lines of the block."))

(define (sway-inputs? x) (and (list? x) (every sway-input? x)))

(define-configuration/no-serialization sway-border-color
  (border string "Border color.")
  (background string "Background color.")
  (text string "Text color."))

(define-maybe/no-serialization sway-border-color)

(define-configuration/no-serialization sway-color
  (background maybe-string "Bar background.")
  (statusline maybe-string "Status line text.")
  (focused-background maybe-string "Background on the focused output.")
  (focused-statusline maybe-string "Status line on the focused output.")
  (focused-workspace maybe-sway-border-color "Focused workspace button.")
  (active-workspace maybe-sway-border-color "Active workspace button.")
  (inactive-workspace maybe-sway-border-color "Inactive workspace button.")
  (urgent-workspace maybe-sway-border-color "Urgent workspace button.")
  (binding-mode maybe-sway-border-color "Binding mode indicator."))

(define-maybe/no-serialization sway-color)
(define (status-command? x) (string-ish? x))
(define-maybe/no-serialization bar-position)
(define-maybe/no-serialization hidden-state)
(define-maybe/no-serialization status-command)

(define-configuration/no-serialization sway-bar
  (identifier (symbol 'bar0) "The bar's identifier.")
  (position maybe-bar-position "'top or 'bottom.")
  (hidden-state maybe-hidden-state "'hide or 'show.")
  (binding-mode-indicator maybe-boolean "Show the binding mode.")
  (colors maybe-sway-color "Its colors.")
  (status-command maybe-status-command "The command producing the status line.")
  (mouse-bindings (mouse-bindings '()) "Mouse bindings.")
  (extra-content (extra-content '()) "More lines of the block."))

(define-maybe/no-serialization sway-bar)

(define-configuration/no-serialization point
  (x integer "X coordinate.")
  (y integer "Y coordinate."))

(define-maybe/no-serialization point)

(define (background? x)
  (or (string-ish? x)
      (and (pair? x) (string-ish? (car x))
           (memq (cdr x) '(stretch fill fit center tile)) #t)))
(define-maybe/no-serialization background)

(define-configuration/no-serialization sway-output
  (identifier (string-or-symbol '*) "The output: '* or its name.")
  (resolution maybe-string "Its resolution, such as \"1920x1080\".")
  (position maybe-point "Its position.")
  (background maybe-background "A background image, or (IMAGE . MODE).")
  (extra-content (extra-content '()) "More lines of the block."))

(define (sway-outputs? x) (and (list? x) (every sway-output? x)))

(define-configuration/no-serialization sway-mode
  (mode-name (string "default") "The mode's name.")
  (keybindings (key-bindings '()) "Key bindings in the mode.")
  (mouse-bindings (mouse-bindings '()) "Mouse bindings in the mode."))

(define (sway-modes? x) (and (list? x) (every sway-mode? x)))

;;; Defaults.

(define sway-menu
  ;; Offer the programs of the home profile in wmenu; run the one picked.
  (program-file
   "sway-menu"
   #~(let* ((bin (string-append (getenv "HOME") "/.guix-home/profile/bin"))
            (programs (or (scandir bin (lambda (f) (not (string-prefix? "." f)))) '()))
            (port ((@ (ice-9 popen) open-pipe*) OPEN_BOTH #$(file-append wmenu "/bin/wmenu"))))
       (for-each (lambda (p) (display p port) (newline port)) programs)
       (force-output port)
       (let ((choice ((@ (ice-9 rdelim) read-line) port)))
         ((@ (ice-9 popen) close-pipe) port)
         (when (string? choice)
           (execl #$(file-append sway "/bin/swaymsg") "swaymsg" "exec" "--" choice))))))

(define %ev-code-mouse-left 272)
(define %ev-code-mouse-right 273)
(define %ev-code-mouse-scroll-click 274)

(define (directions prefix command)
  ;; (PREFIX$left . "COMMAND left") ... then the same with the arrow keys.
  (map (lambda (key direction)
         (cons (symbol-append prefix key) (string-append command " " direction)))
       '($left $down $up $right Left Down Up Right)
       '("left" "down" "up" "right" "left" "down" "up" "right")))

(define %sway-default-modes
  (list (sway-mode
         (mode-name "resize")
         (keybindings
          (append
           (map (lambda (key command) (cons key command))
                '($left $down $up $right Left Down Up Right)
                '("resize shrink width 10px" "resize grow height 10px"
                  "resize shrink height 10px" "resize grow width 10px"
                  "resize shrink width 10px" "resize grow height 10px"
                  "resize shrink height 10px" "resize grow width 10px"))
           '((Return . "mode \"default\"")
             (Escape . "mode \"default\"")))))))

(define %sway-default-packages (list sway))

(define %sway-default-variables
  `((mod . "Mod4") (left . "h") (down . "j") (up . "k") (right . "l")
    (term . ,(file-append foot "/bin/foot"))
    (menu . ,sway-menu)))

(define %sway-default-gestures
  '((swipe:3:right . "workspace next_on_output")
    (swipe:3:left . "workspace prev_on_output")
    (swipe:3:down . "move to scratchpad")
    (swipe:3:up . "scratchpad show")))

(define (workspace-key prefix n)
  (symbol-append prefix (string->symbol (number->string (modulo n 10)))))

(define %sway-default-keybindings
  (append
   `(($mod+Return . "exec $term")
     ($mod+Shift+q . "kill")
     ($mod+d . "exec $menu")
     ($mod+Shift+c . "reload")
     ($mod+Shift+e
      . ,#~(string-append
            "exec " #$sway "/bin/swaynag -t warning -m \\\n    "
            "'You pressed the exit shortcut.  Do you really want to exit sway?"
            " This will end your Wayland session.' \\\n    "
            "-B 'Yes, exit sway' \\\n    '" #$sway "/bin/swaymsg exit'")))
   ;; Focus, then move, in the four directions.
   (directions '$mod+ "focus")
   (directions '$mod+Shift+ "move")
   (map (lambda (n) (cons (workspace-key '$mod+ n) (format #f "workspace number ~a" n)))
        (iota 10 1))
   (map (lambda (n) (cons (workspace-key '$mod+Shift+ n)
                          (format #f "move container to workspace number ~a" n)))
        (iota 10 1))
   '(($mod+b . "splith")
     ($mod+v . "splitv")
     ($mod+s . "layout stacking")
     ($mod+w . "layout tabbed")
     ($mod+e . "layout toggle split")
     ($mod+f . "fullscreen")
     ($mod+Shift+space . "floating toggle")
     ($mod+space . "focus mode_toggle")
     ($mod+a . "focus parent")
     ($mod+Shift+minus . "move scratchpad")
     ($mod+minus . "scratchpad show")
     ($mod+r . "mode \"resize\""))))

(define %sway-default-startup-programs
  (list #~(string-append
           #$swayidle "/bin/swayidle -w \\\n    "
           "timeout 300 '" #$swaylock "/bin/swaylock --indicator-radius 75 \\\n    "
           "-i " #$sway "/share/backgrounds/sway/Sway_Wallpaper_Blue_1920x1080.png \\\n    "
           "-f -c 000000' \\\n    "
           "timeout 600 '" #$sway "/bin/swaymsg \"output * power off\"' \\\n    "
           "resume '" #$sway "/bin/swaymsg \"output * power on\"' \\\n    "
           "before-sleep '" #$swaylock "/bin/swaylock -f -c 000000'")))

(define-configuration/no-serialization sway-configuration
  (keybindings (key-bindings %sway-default-keybindings) "Key bindings.")
  (gestures (gestures %sway-default-gestures) "Gesture bindings.")
  (packages (list-of-packages %sway-default-packages) "Packages added to the home profile.")
  (variables (variables %sway-default-variables) "Variables ($name) of the configuration.")
  (inputs (sway-inputs '()) "Input devices.")
  (outputs (sway-outputs '()) "Outputs.")
  (bar maybe-sway-bar "The bar.")
  (modes (sway-modes %sway-default-modes) "Binding modes.")
  (startup+reload-programs (list-of-string-ish '()) "Programs run at startup and on reload.")
  (startup-programs (list-of-string-ish %sway-default-startup-programs) "Programs run at startup.")
  (extra-content (extra-content '()) "Lines added at the end."))

;;; Serialization: a list of items, each a line (a list of parts), or
;;; (begin-block . NAME) / end-block.

(define (set? x) (not (eq? x %unset-value)))

(define* (line-if field value #:key (serializer identity) (suffix ""))
  (if (set? value) (list field " " (serializer value) suffix) %unset-value))

(define (block name items)
  (let ((items (filter set? items)))
    (if (null? items) '() (append (list (cons 'begin-block name)) items (list 'end-block)))))

(define (heading title items)
  (if (null? items)
      '()
      (cons* '("") (list (string-append "# " title))
             (list (make-string (+ 2 (string-length title)) #\#))
             items)))

(define (binding binder key command options)
  (list binder (string-join options " --" 'prefix) " " key " " command))

(define (serialize-binding binder key->string)
  (match-lambda
    ((key (? string-or-gexp? command) options ...) (binding binder (key->string key) command options))
    ((key . command) (binding binder (key->string key) command '()))))

(define serialize-keybinding (serialize-binding "bindsym" symbol->string))
(define serialize-gesture (serialize-binding "bindgesture" symbol->string))
(define serialize-mouse-binding (serialize-binding "bindcode" number->string))

(define (identifier->string id)
  (if (symbol? id) (symbol->string id) (string-append "\"" id "\"")))

(define (yes-no b) (if b "yes" "no"))
(define (enable-disable b) (if b "enable" "disable"))

(define (serialize-output out)
  (let ((bg (sway-output-background out)))
    (block (string-append "output " (identifier->string (sway-output-identifier out)))
           (append
            (list (if (set? bg)
                      (let ((bg (if (pair? bg) bg (cons bg 'fill))))
                        (list "bg " (car bg) " " (symbol->string (cdr bg))))
                      %unset-value)
                  (line-if "resolution" (sway-output-resolution out))
                  (line-if "position" (sway-output-position out)
                           #:serializer (lambda (p) (format #f "~a ~a" (point-x p) (point-y p)))))
            (map list (sway-output-extra-content out))))))

(define (serialize-input input)
  (let* ((layout (sway-input-layout input))
         (from-layout (lambda (get)
                        (if (set? layout)
                            (let ((v (get layout))) (if (or (not v) (null? v)) %unset-value v))
                            %unset-value))))
    (block (string-append "input " (identifier->string (sway-input-identifier input)))
           (append
            (list (line-if "xkb_layout" (from-layout keyboard-layout-name))
                  (line-if "xkb_model" (from-layout keyboard-layout-model))
                  (line-if "xkb_variant" (from-layout keyboard-layout-variant))
                  (line-if "xkb_options" (from-layout keyboard-layout-options)
                           #:serializer (lambda (l) (string-join l ",")))
                  (line-if "dwt" (sway-input-disable-while-typing input) #:serializer enable-disable)
                  (line-if "dwtp" (sway-input-disable-while-trackpointing input)
                           #:serializer enable-disable)
                  (line-if "tap" (sway-input-tap input) #:serializer enable-disable))
            (map list (sway-input-extra-content input))))))

(define (serialize-colors colors)
  (define (border c)
    (string-append (sway-border-color-border c) " " (sway-border-color-background c)
                   " " (sway-border-color-text c)))
  (if (set? colors)
      (block "colors"
             (list (line-if "background" (sway-color-background colors))
                   (line-if "statusline" (sway-color-statusline colors))
                   (line-if "focused_background" (sway-color-focused-background colors))
                   (line-if "focused_statusline" (sway-color-focused-statusline colors))
                   (line-if "focused_workspace" (sway-color-focused-workspace colors) #:serializer border)
                   (line-if "active_workspace" (sway-color-active-workspace colors) #:serializer border)
                   (line-if "inactive_workspace" (sway-color-inactive-workspace colors) #:serializer border)
                   (line-if "urgent_workspace" (sway-color-urgent-workspace colors) #:serializer border)
                   (line-if "binding_mode" (sway-color-binding-mode colors) #:serializer border)))
      '()))

(define (serialize-mode mode)
  (block (string-append "mode \"" (sway-mode-mode-name mode) "\"")
         (append (map serialize-keybinding (sway-mode-keybindings mode))
                 (map serialize-mouse-binding (sway-mode-mouse-bindings mode)))))

(define (serialize-bar bar)
  (block (string-append "bar " (symbol->string (sway-bar-identifier bar)))
         (append (serialize-colors (sway-bar-colors bar))
                 (list (line-if "position" (sway-bar-position bar) #:serializer symbol->string)
                       (line-if "hidden_state" (sway-bar-hidden-state bar) #:serializer symbol->string)
                       (line-if "status_command" (sway-bar-status-command bar))
                       (line-if "binding_mode_indicator" (sway-bar-binding-mode-indicator bar)
                                #:serializer yes-no))
                 (map serialize-mouse-binding (sway-bar-mouse-bindings bar))
                 (map list (sway-bar-extra-content bar)))))

(define (configuration-items conf)
  (let ((title "Auto-generated configuration")
        (bar (sway-configuration-bar conf)))
    (append
     (let ((rule (make-string (+ 8 (string-length title)) #\#)))
       (list (list rule) (list (string-append "### " title " ###")) (list rule)))
     '(("# DO NOT EDIT MANUALLY."))
     (heading "Variables."
              (map (match-lambda ((name . value) (list "set $" (symbol->string name) " " value)))
                   (sway-configuration-variables conf)))
     (heading "Outputs." (append-map serialize-output (sway-configuration-outputs conf)))
     (heading "Inputs." (append-map serialize-input (sway-configuration-inputs conf)))
     (if (set? bar) (heading "Bar configuration." (serialize-bar bar)) '())
     (heading "Keybindings." (map serialize-keybinding (sway-configuration-keybindings conf)))
     (heading "Gestures." (map serialize-gesture (sway-configuration-gestures conf)))
     (heading "Modes." (append-map serialize-mode (sway-configuration-modes conf)))
     (heading "Programs to execute (at startup)."
              (map (lambda (p) (list "exec " p)) (sway-configuration-startup-programs conf)))
     (heading "Programs to execute (at startup & after reload)."
              (map (lambda (p) (list "exec_always " p))
                   (sway-configuration-startup+reload-programs conf)))
     (heading "Extra-content" (map list (sway-configuration-extra-content conf))))))

(define (sway-configuration->file conf)
  "~/.config/sway/config for CONF, a file-like object."
  (let loop ((items (configuration-items conf)) (indent "") (parts '()))
    (match items
      (() (apply mixed-text-file "sway-config" (reverse parts)))
      ((('begin-block . name) rest ...)
       (loop rest (string-append indent "    ")
             (cons* "\n" " {" name indent parts)))
      (('end-block rest ...)
       (let ((indent (string-drop indent 4)))
         (loop rest indent (cons* "}\n" indent parts))))
      ((line rest ...)
       (loop rest indent (append (list "\n") (reverse line) (list indent) parts))))))

;;; The service.

(define %empty-sway-configuration
  (sway-configuration
   (variables '()) (keybindings '()) (gestures '()) (packages '()) (inputs '())
   (outputs '()) (modes '()) (startup+reload-programs '()) (startup-programs '())))

(define (sway-combine a b)
  (define (both get) (append (get a) (get b)))
  (sway-configuration
   (keybindings (both sway-configuration-keybindings))
   (gestures (both sway-configuration-gestures))
   (packages (both sway-configuration-packages))
   (variables (both sway-configuration-variables))
   (inputs (both sway-configuration-inputs))
   (outputs (both sway-configuration-outputs))
   (bar (let ((bar-a (sway-configuration-bar a)) (bar-b (sway-configuration-bar b)))
          (cond ((not (set? bar-a)) bar-b)
                ((not (set? bar-b)) bar-a)
                (else (error "[Sway configuration] Too many bar configurations have been found.")))))
   (modes (both sway-configuration-modes))
   (startup+reload-programs (both sway-configuration-startup+reload-programs))
   (startup-programs (both sway-configuration-startup-programs))
   (extra-content (both sway-configuration-extra-content))))

(define (sway-compose configurations)
  (match configurations
    (() %unset-value)
    ((one) one)
    ((first rest ...) (fold sway-combine first rest))))

(define home-sway-service-type
  (service-type
   (name 'home-sway-config)
   (extensions
    (list (service-extension home-files-service-type
                             (lambda (conf) `((".config/sway/config" ,(sway-configuration->file conf)))))
          (service-extension home-profile-service-type sway-configuration-packages)))
   (compose sway-compose)
   (extend (lambda (config extension)
             (if (set? extension) (sway-combine config extension) config)))
   (default-value (sway-configuration))
   (description "Configure Sway with ~/.config/sway/config.")))
