;;; schemy --- The name service switch (/etc/nsswitch.conf).
;;;
;;; `name-service-switch' says, for each database (hosts, passwd...), which
;;; name services the C library asks, in order, and how it reacts to each
;;; answer.  The operating system's `name-service-switch' field becomes
;;; /etc/nsswitch.conf.

(define-module (gnu system nss)
  #:use-module (guix records)
  #:export (name-service-switch
            name-service-switch?
            name-service-switch-aliases
            name-service-switch-ethers
            name-service-switch-group
            name-service-switch-gshadow
            name-service-switch-hosts
            name-service-switch-initgroups
            name-service-switch-netgroup
            name-service-switch-networks
            name-service-switch-password
            name-service-switch-public-key
            name-service-switch-rpc
            name-service-switch-services
            name-service-switch-shadow

            name-service
            name-service?
            name-service-name
            name-service-reaction

            lookup-specification
            lookup-reaction
            lookup-reaction?

            %files
            %default-nss
            %mdns-host-lookup-nss
            name-service-switch->string))

;;; Reactions: what to do when a service answers with a given status.

(define-record-type <lookup-reaction>
  (make-lookup-reaction negated? status action)
  lookup-reaction?
  (negated? lookup-reaction-negated?)
  (status   lookup-reaction-status)        ;success not-found unavailable try-again
  (action   lookup-reaction-action))       ;return continue merge

(define (lookup-reaction status action . negated)
  (unless (memq status '(success not-found unavailable try-again))
    (error "lookup-specification: unknown status (expected success, not-found, unavailable or try-again)"
           status))
  (unless (memq action '(return continue merge))
    (error "lookup-specification: unknown action (expected return, continue or merge)" action))
  (make-lookup-reaction (and (pair? negated) (car negated)) status action))

(define-syntax lookup-specification
  (syntax-rules (not =>)
    "A list of reactions: (lookup-specification (not-found => return)
(not success => continue))."
    ((_) '())
    ((_ (not status => action) rest ...)
     (cons (lookup-reaction 'status 'action #t) (lookup-specification rest ...)))
    ((_ (status => action) rest ...)
     (cons (lookup-reaction 'status 'action) (lookup-specification rest ...)))))

(define (reaction->string reaction)
  (string-append (if (lookup-reaction-negated? reaction) "!" "")
                 (case (lookup-reaction-status reaction)
                   ((success) "SUCCESS")
                   ((not-found) "NOTFOUND")
                   ((unavailable) "UNAVAIL")
                   ((try-again) "TRYAGAIN"))
                 "="
                 (symbol->string (lookup-reaction-action reaction))))

;;; Name services.

(define-record-type* <name-service> name-service make-name-service
  name-service?
  (name     name-service-name)                      ;string: "files", "dns", "mdns"...
  (reaction name-service-reaction (default '())))   ;list of lookup reactions

(define %files
  (list (name-service (name "files"))))

(define-record-type* <name-service-switch> name-service-switch
  make-name-service-switch name-service-switch?
  (aliases    name-service-switch-aliases (default %files))
  (ethers     name-service-switch-ethers (default %files))
  (group      name-service-switch-group (default %files))
  (gshadow    name-service-switch-gshadow (default %files))
  (hosts      name-service-switch-hosts (default %files))
  (initgroups name-service-switch-initgroups (default %files))
  (netgroup   name-service-switch-netgroup (default %files))
  (networks   name-service-switch-networks (default %files))
  (password   name-service-switch-password (default %files))
  (public-key name-service-switch-public-key (default %files))
  (rpc        name-service-switch-rpc (default %files))
  (services   name-service-switch-services (default %files))
  (shadow     name-service-switch-shadow (default %files)))

(define %default-nss
  ;; Look up host names in /etc/hosts, then ask DNS.
  (name-service-switch
   (hosts (list (name-service (name "files"))
                (name-service (name "dns"))))))

(define %mdns-host-lookup-nss
  ;; Also resolve .local names with multicast DNS (Avahi's nss-mdns).
  (name-service-switch
   (hosts (list (name-service (name "files"))
                (name-service (name "mdns_minimal")
                              (reaction (lookup-specification (not-found => return))))
                (name-service (name "dns"))
                (name-service (name "mdns"))))))

;;; Serialization.

(define (name-service->string service)
  (let ((reactions (name-service-reaction service)))
    (if (null? reactions)
        (name-service-name service)
        (string-append (name-service-name service) " ["
                       (string-join (map reaction->string reactions) " ")
                       "]"))))

(define (name-service-switch->string nss)
  "The contents of /etc/nsswitch.conf for NSS."
  (string-concatenate
   (map (lambda (entry)
          (let ((services ((cdr entry) nss)))
            (string-append (car entry) ":\t"
                           (string-join (map name-service->string services) " ")
                           "\n")))
        (list (cons "aliases" name-service-switch-aliases)
              (cons "ethers" name-service-switch-ethers)
              (cons "group" name-service-switch-group)
              (cons "gshadow" name-service-switch-gshadow)
              (cons "hosts" name-service-switch-hosts)
              (cons "initgroups" name-service-switch-initgroups)
              (cons "netgroup" name-service-switch-netgroup)
              (cons "networks" name-service-switch-networks)
              (cons "passwd" name-service-switch-password)
              (cons "publickey" name-service-switch-public-key)
              (cons "rpc" name-service-switch-rpc)
              (cons "services" name-service-switch-services)
              (cons "shadow" name-service-switch-shadow)))))
