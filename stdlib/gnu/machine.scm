;;; schemy --- Machines: an operating system and where it is deployed.
;;;
;;; A deployment file (`schemy deploy FILE') evaluates to a list of
;;; `machine' records.  Each pairs an operating-system with an environment
;;; type, which says how the machine is reached and provisioned, and that
;;; environment's configuration (for a managed host: how to log in over SSH,
;;; see (gnu machine ssh)).  The deploying itself is done by schemy's
;;; `deploy' layer, which reads these records.

(define-module (gnu machine)
  #:use-module (guix records)
  #:use-module ((gnu services configuration) #:select (field-checker))
  #:use-module (gnu system)
  #:export (environment-type
            environment-type?
            environment-type-name
            environment-type-description

            machine
            machine?
            machine-operating-system
            machine-environment
            machine-configuration
            machine-display-name))

;;; An environment type: what kind of machine it is (a managed host already
;;; running, or one to be provisioned), named so that tools can dispatch on it.
(define-record-type* <environment-type> environment-type
  make-environment-type environment-type?
  (name        environment-type-name)               ;symbol
  (description environment-type-description         ;string
               (default #f)))

(define-record-type* <machine> machine make-machine
  machine?
  (operating-system machine-operating-system         ;<operating-system>
                    (sanitize (field-checker operating-system?
                                             "machine: operating-system must be an operating-system record, not ~s")))
  (environment      machine-environment              ;<environment-type>
                    (sanitize (field-checker environment-type?
                                             "machine: environment must be an environment type such as managed-host-environment-type, not ~s")))
  (configuration    machine-configuration            ;specific to the environment
                    (default #f)))

(define (machine-display-name machine)
  "The name under which MACHINE is shown: its operating system's host name."
  (operating-system-host-name (machine-operating-system machine)))
