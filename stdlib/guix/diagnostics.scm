;;; schemy --- (guix diagnostics): Guix's messages to the user (warnings,
;;; errors with a location, hints) and the conditions that carry them.

(define-module (guix diagnostics)
  #:use-module (srfi srfi-35)
  #:use-module (guix i18n)
  #:export (warning
            info
            report-error
            leave

            location
            location?
            location-file
            location-line
            location-column
            absolute-location
            source-properties->location
            location->source-properties
            location->string
            location->hyperlink

            &error-location
            error-location?
            error-location

            &formatted-message
            formatted-message
            formatted-message?
            formatted-message-string
            formatted-message-arguments

            &fix-hint
            fix-hint?
            condition-fix-hint

            guix-warning-port
            program-name))

(define-record-type <location>
  (location file line column)
  location?
  (file   location-file)                        ; string or #f
  (line   location-line)                        ; 1-based
  (column location-column))                     ; 0-based

(define (source-properties->location properties)
  "The location that source PROPERTIES (filename, 0-based line, column) say, or #f."
  (let ((file (assq-ref properties 'filename))
        (line (assq-ref properties 'line))
        (column (assq-ref properties 'column)))
    (and (or file line)
         (location file (and line (+ line 1)) column))))

(define (location->source-properties loc)
  `((line . ,(and (location-line loc) (- (location-line loc) 1)))
    (column . ,(location-column loc))
    (filename . ,(location-file loc))))

(define (absolute-location loc)
  "LOC with its file name made absolute."
  (let ((file (location-file loc)))
    (if (and file (not (absolute-file-name? file)))
        (location (canonicalize-path file) (location-line loc) (location-column loc))
        loc)))

(define (location->string loc)
  "FILE:LINE:COLUMN, or \"<unknown location>\"."
  (if loc
      (format #f "~a:~a:~a" (or (location-file loc) "<unknown location>")
              (location-line loc) (location-column loc))
      "<unknown location>"))

(define (location->hyperlink loc)
  (location->string loc))

(define guix-warning-port (make-parameter (current-warning-port)))
(define program-name (make-parameter "guix"))

(define (say prefix args)
  ;; ARGS: [LOCATION] FORMAT-STRING ARGUMENT...
  (let* ((loc (and (pair? args) (location? (car args)) (car args)))
         (args (if loc (cdr args) args))
         (port (guix-warning-port)))
    (if loc
        (format port "~a: " (location->string loc))
        (format port "~a: " (program-name)))
    (display prefix port)
    (apply format port args)))

(define (warning . args)
  "Print a warning: (warning [LOCATION] FORMAT ARGUMENT...)."
  (say (G_ "warning: ") args))

(define (info . args)
  "Print a piece of information: (info [LOCATION] FORMAT ARGUMENT...)."
  (say "" args))

(define (report-error . args)
  "Print an error: (report-error [LOCATION] FORMAT ARGUMENT...)."
  (say (G_ "error: ") args))

(define (leave . args)
  "Print an error, as report-error, and exit with status 1."
  (apply report-error args)
  (exit 1))

(define-condition-type &error-location &error
  error-location?
  (location error-location))

(define-condition-type &formatted-message &error
  formatted-message?
  (format    formatted-message-string)
  (arguments formatted-message-arguments))

(define (formatted-message fmt . arguments)
  "An error condition whose message is FMT formatted with ARGUMENTS."
  (make-condition &formatted-message 'format fmt 'arguments arguments))

(define-condition-type &fix-hint &condition
  fix-hint?
  (hint condition-fix-hint))

;; Names Guix's module exports too.
(export <location>)
