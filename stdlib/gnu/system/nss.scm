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
            %compat
            %dns
            %default-nss
            mdns-host-lookup-nss
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
    ((_ ((not status) => action) rest ...)         ;Guix's spelling
     (cons (lookup-reaction 'status 'action #t) (lookup-specification rest ...)))
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

;; The `files' service: /etc/passwd, /etc/hosts...
(define %files
  (name-service (name "files")))

;; The `compat' service of old libcs (none since glibc 2.26), authoritative for
;; what it does not find.
(define %compat
  (name-service
   (name "compat")
   (reaction (lookup-specification (not-found => return)))))

;; DNS, authoritative unless unavailable.
(define %dns
  (name-service
   (name "dns")
   (reaction (lookup-specification ((not unavailable) => return)))))

;; Guix's defaults: the databases libc configures by default, files before
;; DNS; an empty list leaves a database out of nsswitch.conf.
(define-record-type* <name-service-switch> name-service-switch
  make-name-service-switch name-service-switch?
  (aliases    name-service-switch-aliases (default '()))
  (ethers     name-service-switch-ethers (default '()))
  (group      name-service-switch-group (default (list %files)))
  (gshadow    name-service-switch-gshadow (default '()))
  (hosts      name-service-switch-hosts (default (list %files %dns)))
  (initgroups name-service-switch-initgroups (default '()))
  (netgroup   name-service-switch-netgroup (default '()))
  (networks   name-service-switch-networks (default (list %files %dns)))
  (password   name-service-switch-password (default (list %files)))
  (public-key name-service-switch-public-key (default '()))
  (rpc        name-service-switch-rpc (default '()))
  (services   name-service-switch-services (default '()))
  (shadow     name-service-switch-shadow (default (list %files))))

(define %default-nss
  (name-service-switch))

(define* (mdns-host-lookup-nss #:key (ipv6? #t) (ipv4? #t))
  "A name service switch that also resolves .local names with multicast DNS
(Avahi's nss-mdns) over IPV6? and IPV4?: /etc/hosts, then the minimal mdns
module (authoritative for .local), then DNS, then the full mdns module."
  (let ((flavour (cond ((and ipv6? ipv4?) "mdns")
                       (ipv6? "mdns6")
                       (ipv4? "mdns4")
                       (else (error "No protocols enabled for mDNS lookups.")))))
    (name-service-switch
     (hosts (list %files
                  (name-service
                   (name (string-append flavour "_minimal"))
                   (reaction (lookup-specification (not-found => return))))
                  (name-service (name "dns"))
                  (name-service (name flavour)))))))

(define %mdns-host-lookup-nss (mdns-host-lookup-nss))

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
            (if (null? services)          ;libc's default for that database
                ""
                (string-append (car entry) ":\t"
                               (string-join (map name-service->string services) " ")
                               "\n"))))
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
