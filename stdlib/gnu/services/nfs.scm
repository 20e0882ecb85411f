;;; schemy --- Network File System (Guix manual, "Network File System"): the
;;; NFS server (nfs-service-type: /etc/exports, rpc.statd, rpc.mountd, rpc.nfsd,
;;; exportfs), the RPC services it extends (rpcbind, pipefs, idmapd with the
;;; idmapd.conf Guix writes, gssd), and autofs with its autofs.conf and maps.
;;;
;;; The daemons are the host's programs (Debian: rpcbind, nfs-common,
;;; nfs-kernel-server, autofs); the rpc_pipefs and nfsd pseudo file systems are
;;; the host kernel's mounts, so those two services are shown as provided by
;;; the host.

(define-module (gnu services nfs)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module ((guix packages) #:select (package?))
  #:use-module ((guix utils) #:select (string-replace-substring))
  #:use-module (gnu services)
  #:use-module (gnu services configuration)
  #:use-module (gnu services shepherd)
  #:use-module ((gnu packages nfs) #:select (nfs-utils))
  #:use-module ((gnu packages onc-rpc) #:select (rpcbind))
  #:use-module ((gnu packages file-systems) #:select (autofs))
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-26)
  #:use-module (ice-9 match)
  #:export (rpcbind-service-type
            rpcbind-configuration
            rpcbind-configuration?

            pipefs-service-type
            pipefs-configuration
            pipefs-configuration?

            idmap-service-type
            idmap-configuration
            idmap-configuration?

            gss-service-type
            gss-configuration
            gss-configuration?

            nfs-service-type
            nfs-configuration
            nfs-configuration?

            autofs-service-type
            autofs-configuration
            autofs-configuration?

            autofs-indirect-map
            autofs-indirect-map?

            autofs-map-entry
            autofs-map-entry?

            idmapd-conf-text
            nfs-exports-text
            autofs-conf-text
            autofs-master-map-text))

(define default-pipefs-directory "/var/lib/nfs/rpc_pipefs")

(define (first-or-config config values)
  ;; These services are extended by nfs-service-type: one value wins, the extender's.
  (match values
    ((first . _) first)
    (_ config)))

;;; rpcbind.

(define-record-type* <rpcbind-configuration> rpcbind-configuration
  make-rpcbind-configuration rpcbind-configuration?
  (rpcbind     rpcbind-configuration-rpcbind (default rpcbind))
  (warm-start? rpcbind-configuration-warm-start? (default #t)))

(define (rpcbind-shepherd-service config)
  (shepherd-service
   (documentation "Start the RPC bind daemon.")
   (requirement '(user-processes networking))
   (provision '(rpcbind-daemon))
   (start #~(make-forkexec-constructor
             (list #$(file-append (rpcbind-configuration-rpcbind config) "/sbin/rpcbind") "-f"
                   #$@(if (rpcbind-configuration-warm-start? config) '("-w") '()))))
   (stop #~(make-kill-destructor))))

(define rpcbind-service-type
  (service-type
   (name 'rpcbind)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (rpcbind-shepherd-service config))))))
   (compose identity)
   (extend first-or-config)
   (default-value (rpcbind-configuration))
   (description "Run rpcbind, which maps ONC RPC program numbers to addresses.")))

;;; pipefs.

(define-record-type* <pipefs-configuration> pipefs-configuration
  make-pipefs-configuration pipefs-configuration?
  (mount-point pipefs-configuration-mount-point (default default-pipefs-directory)))

(define (pipefs-shepherd-service config)
  (let ((directory (pipefs-configuration-mount-point config)))
    (shepherd-service
     (documentation "Mount the pipefs pseudo file system (the host kernel's).")
     (provision '(rpc-pipefs))
     (start #~(lambda ()
                (mkdir-p #$directory)
                (mount "rpc_pipefs" #$directory "rpc_pipefs")
                (member #$directory (mount-points))))
     (stop #~(lambda (pid . args)
               (umount #$directory MNT_DETACH)
               (not (member #$directory (mount-points))))))))

(define pipefs-service-type
  (service-type
   (name 'pipefs)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (pipefs-shepherd-service config))))))
   (compose identity)
   (extend first-or-config)
   (default-value (pipefs-configuration))
   (description "Mount rpc_pipefs, through which the kernel and the NFS daemons talk.")))

;;; gssd.

(define-record-type* <gss-configuration> gss-configuration
  make-gss-configuration gss-configuration?
  (pipefs-directory gss-configuration-pipefs-directory (default default-pipefs-directory))
  (nfs-utils        gss-configuration-gss (default nfs-utils)))

(define (gss-shepherd-service config)
  (shepherd-service
   (documentation "Start the RPC GSS daemon.")
   (requirement '(user-processes rpcbind-daemon rpc-pipefs))
   (provision '(gss-daemon))
   (start #~(make-forkexec-constructor
             (list #$(file-append (gss-configuration-gss config) "/sbin/rpc.gssd") "-f"
                   "-p" #$(gss-configuration-pipefs-directory config))))
   (stop #~(make-kill-destructor))))

(define gss-service-type
  (service-type
   (name 'gss)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (gss-shepherd-service config))))))
   (compose identity)
   (extend first-or-config)
   (default-value (gss-configuration))
   (description "Run rpc.gssd, the GSS security daemon for ONC RPC protocols.")))

;;; idmapd.

(define-record-type* <idmap-configuration> idmap-configuration
  make-idmap-configuration idmap-configuration?
  (pipefs-directory idmap-configuration-pipefs-directory (default default-pipefs-directory))
  (domain           idmap-configuration-domain (default #f))
  (nfs-utils        idmap-configuration-nfs-utils (default nfs-utils))
  (verbosity        idmap-configuration-verbosity (default 0)))

(define (idmapd-conf-text config)
  "The idmapd.conf Guix writes: General (verbosity, domain if any), then Mapping to nobody."
  (let ((domain (idmap-configuration-domain config)))
    (string-append "\n[General]\n"
                   "Verbosity = " (number->string (idmap-configuration-verbosity config)) "\n"
                   (if domain (format #f "Domain = ~a\n" domain) "")
                   "\n[Mapping]\n"
                   "Nobody-User = nobody\n"
                   "Nobody-Group = nogroup\n")))

(define (idmap-shepherd-service config)
  (shepherd-service
   (documentation "Start the RPC IDMAP daemon.")
   (requirement '(user-processes rpcbind-daemon rpc-pipefs))
   (provision '(idmap-daemon))
   (start #~(make-forkexec-constructor
             (list #$(file-append (idmap-configuration-nfs-utils config) "/sbin/rpc.idmapd") "-f"
                   "-p" #$(idmap-configuration-pipefs-directory config)
                   "-c" #$(plain-file "idmapd.conf" (idmapd-conf-text config)))))
   (stop #~(make-kill-destructor))))

(define idmap-service-type
  (service-type
   (name 'idmap)
   (extensions
    (list (service-extension shepherd-root-service-type
                             (lambda (config) (list (idmap-shepherd-service config))))))
   (compose identity)
   (extend (lambda (config values) (first values)))
   (default-value (idmap-configuration))
   (description "Run rpc.idmapd, which maps user IDs to names for NFSv4.")))

;;; The NFS server.

(define-record-type* <nfs-configuration> nfs-configuration
  make-nfs-configuration nfs-configuration?
  (nfs-utils        nfs-configuration-nfs-utils (default nfs-utils))
  (nfs-versions     nfs-configuration-nfs-versions (default '("4.2" "4.1" "4.0")))
  (exports          nfs-configuration-exports (default '()))
  (rpcmountd-port   nfs-configuration-rpcmountd-port (default #f))
  (rpcstatd-port    nfs-configuration-rpcstatd-port (default #f))
  (rpcbind          nfs-configuration-rpcbind (default rpcbind))
  (idmap-domain     nfs-configuration-idmap-domain (default "localdomain"))
  (nfsd-port        nfs-configuration-nfsd-port (default 2049))
  (nfsd-threads     nfs-configuration-nfsd-threads (default 8))
  (nfsd-tcp?        nfs-configuration-nfsd-tcp? (default #t))
  (nfsd-udp?        nfs-configuration-nfsd-udp? (default #f))
  (pipefs-directory nfs-configuration-pipefs-directory (default default-pipefs-directory))
  ;; Modules to debug: nfsd, nfs, rpc, idmap, statd, mountd.
  (debug            nfs-configuration-debug (default '())))

(define (nfs-exports-text config)
  "/etc/exports as Guix writes it: each export's words joined by spaces, one per line."
  (string-join (map string-join (nfs-configuration-exports config)) "\n"))

(define (rpcdebug-gexp nfs-utils debug flag)
  #~(let ((rpcdebug #$(file-append nfs-utils "/sbin/rpcdebug")))
      (cond ((member 'nfsd '#$debug) (system* rpcdebug "-m" "nfsd" #$flag "all"))
            ((member 'nfs '#$debug) (system* rpcdebug "-m" "nfs" #$flag "all"))
            ((member 'rpc '#$debug) (system* rpcdebug "-m" "rpc" #$flag "all")))))

(define (nfs-shepherd-services config)
  (match-record config <nfs-configuration>
    (nfs-utils nfs-versions rpcmountd-port rpcstatd-port nfsd-port nfsd-threads
               nfsd-tcp? nfsd-udp? debug)
    (list (shepherd-service
           (documentation "Mount the nfsd pseudo file system (the host kernel's).")
           (provision '(/proc/fs/nfsd))
           (start #~(lambda ()
                      (mount "nfsd" "/proc/fs/nfsd" "nfsd")
                      (member "/proc/fs/nfsd" (mount-points))))
           (stop #~(lambda (pid . args)
                     (umount "/proc/fs/nfsd" MNT_DETACH)
                     (not (member "/proc/fs/nfsd" (mount-points))))))
          (shepherd-service
           (documentation "Run the NFS statd daemon.")
           (provision '(rpc.statd))
           (requirement '(/proc/fs/nfsd rpcbind-daemon))
           (start #~(make-forkexec-constructor
                     (list #$(file-append nfs-utils "/sbin/rpc.statd")
                           "--no-notify"
                           #$@(if (member 'statd debug) '("--no-syslog") '())
                           "--foreground"
                           #$@(if rpcstatd-port
                                  (list "--port" (number->string rpcstatd-port))
                                  '()))
                     #:pid-file "/var/run/rpc.statd.pid"))
           (stop #~(make-kill-destructor)))
          (shepherd-service
           (documentation "Run the NFS mountd daemon.")
           (provision '(rpc.mountd))
           (requirement '(/proc/fs/nfsd rpc.statd))
           (start #~(make-forkexec-constructor
                     (list #$(file-append nfs-utils "/sbin/rpc.mountd")
                           "--foreground"
                           #$@(if (member 'mountd debug) '("--debug" "all") '())
                           #$@(if rpcmountd-port
                                  (list "--port" (number->string rpcmountd-port))
                                  '()))))
           (stop #~(make-kill-destructor)))
          (shepherd-service
           (documentation "Run the NFS daemon.")
           (provision '(rpc.nfsd))
           (requirement '(/proc/fs/nfsd rpc.statd networking))
           (start #~(lambda _
                      (zero? (apply system* #$(file-append nfs-utils "/sbin/rpc.nfsd")
                                    (list #$@(if (member 'nfsd debug) '("--debug") '())
                                          "--port" #$(number->string nfsd-port)
                                          #$@(map (cut string-append "--nfs-version=" <>)
                                                  nfs-versions)
                                          #$(number->string nfsd-threads)
                                          #$(if nfsd-tcp? "--tcp" "--no-tcp")
                                          #$(if nfsd-udp? "--udp" "--no-udp"))))))
           (stop #~(lambda _
                     (zero? (system* #$(file-append nfs-utils "/sbin/rpc.nfsd") "0")))))
          (shepherd-service
           (documentation "Run the NFS mountd daemon and refresh exports.")
           (provision '(nfs))
           (requirement '(/proc/fs/nfsd rpc.nfsd rpc.mountd rpc.statd rpcbind-daemon))
           (start #~(lambda _
                      #$(rpcdebug-gexp nfs-utils debug "-s")
                      (zero? (system* #$(file-append nfs-utils "/sbin/exportfs")
                                      "-r" "-a" "-v" "-d" "all"))))
           (stop #~(lambda _
                     #$(rpcdebug-gexp nfs-utils debug "-c")
                     #t))
           (respawn? #f)))))

(define %nfs-activation
  #~(begin
      (use-modules (guix build utils))
      (mkdir-p "/var/lib/nfs/sm")           ;the monitor list
      (mkdir-p "/var/lib/nfs/v4recovery")   ;client recovery tracking
      (let ((user (getpw "nobody")))
        (chown "/var/lib/nfs" (passwd:uid user) (passwd:gid user))
        (chown "/var/lib/nfs/v4recovery" (passwd:uid user) (passwd:gid user)))
      #t))

(define nfs-service-type
  (service-type
   (name 'nfs)
   (extensions
    (list (service-extension shepherd-root-service-type nfs-shepherd-services)
          (service-extension activation-service-type (const %nfs-activation))
          (service-extension etc-service-type
                             (lambda (config)
                               (list (list "exports"
                                           (plain-file "exports" (nfs-exports-text config))))))
          (service-extension idmap-service-type
                             (lambda (config)
                               (idmap-configuration
                                (domain (nfs-configuration-idmap-domain config))
                                (verbosity (if (member 'idmap (nfs-configuration-debug config)) 10 0))
                                (pipefs-directory (nfs-configuration-pipefs-directory config))
                                (nfs-utils (nfs-configuration-nfs-utils config)))))
          (service-extension pipefs-service-type
                             (lambda (config)
                               (pipefs-configuration
                                (mount-point (nfs-configuration-pipefs-directory config)))))
          (service-extension rpcbind-service-type
                             (lambda (config)
                               (rpcbind-configuration
                                (rpcbind (nfs-configuration-rpcbind config)))))))
   (description "Run all NFS daemons and refresh the list of exported file systems.")))

;;; autofs.

(define %autofs-pid-file "/var/run/autofs.pid")

(define (value->string _ value)
  (object->string value display))

(define (option-flag? value)
  (or (string? value) (symbol? value)))

(define (option-value? value)
  (or (option-flag? value) (integer? value)))

(define (option-pair? value)
  (match value
    (((? option-flag?) . (? option-value?)) #t)
    (_ #f)))

(define (file-system-option? value)
  (or (option-flag? value) (option-pair? value)))

(define file-system-options? (list-of file-system-option?))

(define (serialize-file-system-options name value)
  (string-join (map (lambda (option)
                      (match option
                        ((flag . value) (string-append (value->string name flag) "="
                                                       (value->string name value)))
                        (flag (value->string name flag))))
                    value)
               ","))

(define-configuration autofs-map-entry
  (type (string "auto") "The file system type." (serializer value->string))
  (device string "Device or remote host to mount (may use & from the mount point's *)."
          (serializer value->string))
  (mount-point string "Where to mount: absolute for a direct map entry, relative within
an indirect map (may use *)." (serializer value->string))
  (options (file-system-options '()) "Mount options: flags, or (option . value) pairs."))

(define (serialize-autofs-map-entry _ value)
  (string-join (list (autofs-map-entry-mount-point value)
                     (string-append "-" (serialize-file-system-options
                                         #f (cons (cons 'fstype (autofs-map-entry-type value))
                                                  (autofs-map-entry-options value))))
                     (value->string #f (autofs-map-entry-device value)))
               " "))

(define autofs-map-entries? (list-of autofs-map-entry?))

(define (serialize-autofs-map-entries name value)
  (string-concatenate (map (lambda (entry) (string-append (serialize-autofs-map-entry name entry) "\n"))
                           value)))

(define-configuration autofs-indirect-map
  (mount-point string "Where to mount the indirect map." (serializer value->string))
  (entries (autofs-map-entries '()) "Entries in this map."))

(define (autofs-direct-map? value)
  (and (autofs-map-entry? value)
       (string-prefix? "/" (autofs-map-entry-mount-point value))))

(define (mount-map? value)
  (or (autofs-direct-map? value) (autofs-indirect-map? value)))

(define mount-maps? (list-of mount-map?))

(define (log-level? value)
  (and (keyword? value) (memq value '(#:none #:verbose #:debug)) #t))

(define (scheme->autofs name)
  (string-replace-substring (string-replace-substring (symbol->string name) "-" "_") "?" ""))

(define (autofs-serialize-integer name value)
  (format #f "~a = ~a" (scheme->autofs name) value))

(define (autofs-serialize-boolean name value)
  (format #f "~a = ~a" (scheme->autofs name) (if value "yes" "no")))

(define (autofs-serialize-log-level name value)
  (format #f "~a = ~a" (scheme->autofs name) (symbol->string (keyword->symbol value))))

(define (autofs-serialize-package name value) "")

(define (autofs-serialize-mount-maps name value) "")

(define-configuration autofs-configuration
  (autofs (package autofs) "The autofs package." (serializer empty-serializer))
  (mounts (mount-maps '()) "Direct map entries and indirect maps to manage."
          (serializer empty-serializer))
  (timeout (integer 300) "Default mount timeout, in seconds.")
  (master-wait (integer 10) "Retries waiting for the master map at start.")
  (negative-timeout (integer 60) "Timeout for caching failed key lookups.")
  (mount-verbose? (boolean #f) "Run mount(8) verbosely.")
  (mount-wait (integer -1) "Time to wait for mount(8) before SIGTERM (-1: no limit).")
  (umount-wait (integer 12) "Time to wait for umount(8) before SIGTERM.")
  (browse-mode? (boolean #t) "Whether maps are browsable by default.")
  (mount-nfs-default-protocol (integer 3) "The NFS protocol mount.nfs(8) uses by default.")
  (append-options? (boolean #t) "Append global options to map entry options.")
  (logging (log-level #:none) "Log level: #:none, #:verbose or #:debug.")
  (force-standard-program-map-env? (boolean #f) "Standard environment for program maps.")
  (map-hash-table-size (integer 1024) "Slots of the map entry cache hash table.")
  (use-hostname-for-mounts? (boolean #f) "Mount NFS by host name, not probed address.")
  (disable-not-found-message? (boolean #f) "Silence the not-found log message.")
  (use-ignore-mount-option? (boolean #f) "Honour the \"disable\" pseudo option.")
  (sss-master-map-wait (integer 0) "Wait for sssd to provide the master map.")
  (use-mount-request-log-id? (boolean #f) "Tag log entries with a mount request id.")
  (prefix autofs-))

(define (autofs-setting-lines config)
  ;; One "name = value" line per serialized field (the package and mounts write nothing).
  (filter-map (lambda (field)
                (let ((text ((configuration-field-serializer field)
                             (configuration-field-name field)
                             ((configuration-field-getter field) config))))
                  (and (not (string-null? text)) text)))
              autofs-configuration-fields))

(define (autofs-conf-text config master-map)
  "autofs.conf as Guix writes it, naming MASTER-MAP (a file name) as the master map."
  (string-concatenate
   (map (lambda (line) (string-append line "\n"))
        (cons* "[ autofs ]" (string-append "master_map_name = " master-map)
               (autofs-setting-lines config)))))

(define (indirect-map->file-name indirect-map)
  (string-append (string-replace-substring
                  (substring (autofs-indirect-map-mount-point indirect-map) 1) "/" "-")
                 ".map"))

(define (autofs-master-map-text config directory)
  "auto.master as Guix writes it: the direct entries, then one line per indirect map
naming its file in DIRECTORY."
  (let ((mounts (autofs-configuration-mounts config)))
    (string-append
     (serialize-autofs-map-entries #f (filter autofs-direct-map? mounts))
     (string-concatenate
      (map (lambda (m)
             (format #f "~a ~a/~a\n" (autofs-indirect-map-mount-point m) directory
                     (indirect-map->file-name m)))
           (filter autofs-indirect-map? mounts))))))

(define (autofs-master-map config)
  ;; Guix writes the files into one directory; here each is its own store file (a
  ;; computed file's name is known only once built), with the same text.
  (apply mixed-text-file "auto.master"
         (serialize-autofs-map-entries
          #f (filter autofs-direct-map? (autofs-configuration-mounts config)))
         (append-map (lambda (m)
                       (list (autofs-indirect-map-mount-point m) " "
                             (plain-file (indirect-map->file-name m)
                                         (serialize-autofs-map-entries
                                          #f (autofs-indirect-map-entries m)))
                             "\n"))
                     (filter autofs-indirect-map? (autofs-configuration-mounts config)))))

(define (autofs-conf-file config)
  (mixed-text-file "autofs.conf"
                   "[ autofs ]\nmaster_map_name = " (autofs-master-map config) "\n"
                   (string-concatenate
                    (map (lambda (line) (string-append line "\n"))
                         (autofs-setting-lines config)))))

(define (autofs-configuration->requirements config)
  (let ((types (map autofs-map-entry-type
                    (append-map (lambda (m)
                                  (if (autofs-indirect-map? m) (autofs-indirect-map-entries m) (list m)))
                                (autofs-configuration-mounts config)))))
    (delete-duplicates
     (append (if (member "nfs" types) '(rpc.statd) '())
             (if (member "smb" types) '(samba-nmbd samba-winbindd) '())))))

(define (autofs-activation config)
  (let ((autofs-conf (autofs-conf-file config))
        (mount-points (map (lambda (m)
                             (if (autofs-map-entry? m)
                                 (autofs-map-entry-mount-point m)
                                 (autofs-indirect-map-mount-point m)))
                           (autofs-configuration-mounts config)))
        (no-mounts? (null? (autofs-configuration-mounts config))))
    #~(begin
        (use-modules (guix build utils))
        (for-each mkdir-p (cons "/var/lib/nfs/sm" '#$mount-points))
        (when (false-if-exception (lstat "/etc/autofs.conf"))
          (delete-file "/etc/autofs.conf"))
        (unless #$no-mounts?
          (symlink #$autofs-conf "/etc/autofs.conf")))))

(define (autofs-shepherd-service config)
  (list (shepherd-service
         (provision '(autofs automount))
         (documentation "Run the autofs daemon.")
         (requirement (autofs-configuration->requirements config))
         (start #~(make-forkexec-constructor
                   (list #$(file-append (autofs-configuration-autofs config) "/sbin/automount")
                         "-f" "-t" #$(number->string (autofs-configuration-timeout config))
                         "-p" #$%autofs-pid-file)
                   #:pid-file #$%autofs-pid-file))
         (stop #~(make-kill-destructor)))))

(define (autofs-configuration-merge a b)
  (autofs-configuration
   (inherit b)
   (mounts (append (autofs-configuration-mounts a) (autofs-configuration-mounts b)))))

(define autofs-service-type
  (service-type
   (name 'autofs)
   (extensions
    (list (service-extension activation-service-type autofs-activation)
          (service-extension shepherd-root-service-type autofs-shepherd-service)))
   (compose (cut reduce autofs-configuration-merge (autofs-configuration) <>))
   (default-value (autofs-configuration))
   (description "Run autofs, which mounts file systems on demand.")))
