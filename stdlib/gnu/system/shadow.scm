;;; schemy --- User accounts and groups.
;;;
;;; `user-account' and `user-group' records describe the entries of
;;; /etc/passwd, /etc/shadow and /etc/group.  The operating system's `users'
;;; and `groups' fields, plus what services add, become the value of
;;; `account-service-type'; the backend writes the account files from it.

(define-module (gnu system shadow)
  #:use-module (guix gexp)
  #:use-module (guix records)
  #:use-module (gnu services)
  #:use-module ((gnu services configuration) #:select (field-checker))
  #:use-module (schemy subid-ranges)
  #:use-module (srfi srfi-1)
  #:export (user-account
            user-account?
            user-account-name
            user-account-password
            user-account-uid
            user-account-group
            user-account-supplementary-groups
            user-account-comment
            user-account-home-directory
            user-account-create-home-directory?
            user-account-home-directory-permissions
            user-account-shell
            user-account-system?
            user-account-location

            user-group
            user-group?
            user-group-name
            user-group-password
            user-group-id
            user-group-system?
            user-group-location

            %default-shell
            default-shell
            %nologin-shell
            root-account
            %base-groups
            %base-user-accounts

            default-skeletons
            skeleton-directory
            %default-bashrc
            %default-bash-profile
            %default-zprofile
            %default-xdefaults
            %default-gdbinit
            %default-nanorc
            %default-dotguile
            %default-skeleton-home-config

            account-service-type
            account-service
            accounts->user-accounts
            accounts->user-groups

            subids-configuration
            subids-configuration?
            subids-configuration-add-root?
            subids-configuration-subgids
            subids-configuration-subuids
            subids-extension
            subids-extension?
            subids-extension-subgids
            subids-extension-subuids
            subids-service-type))

;;; Accounts and groups.

(define %default-shell
  ;; The login shell of accounts that do not choose one.
  "/bin/bash")

;; The shell of new `user-account' records that name none: a parameter, as
;; Guix's (gnu system accounts) has it, whose value is bash as its shadow module sets.
(define default-shell (make-parameter %default-shell))

(define %nologin-shell
  ;; The shell of accounts nobody logs into.
  "/usr/sbin/nologin")

(define (default-home-directory account)
  (string-append "/home/" (user-account-name account)))

(define (sanitize-name kind)
  (field-checker (lambda (value)
                   (and (string? value) (not (string-null? value))
                        (not (string-index value #\:)) (not (string-index value #\newline))))
                 (lambda (value)
                   (format #f "~a: invalid name ~s (expected a non-empty string without colons)"
                           kind value))))

(define sanitize-supplementary-groups
  (field-checker (lambda (value) (and (list? value) (every string? value)))
                 "user-account: supplementary-groups must be a list of group names, not ~s"))

(define (sanitize-id kind field)
  (field-checker (lambda (value) (or (not value) (and (exact-integer? value) (>= value 0))))
                 (lambda (value)
                   (format #f "~a: ~a must be #f or a non-negative integer, not ~s"
                           kind field value))))

(define-record-type* <user-account> user-account make-user-account
  user-account?
  this-user-account
  (name            user-account-name (sanitize (sanitize-name "user-account")))
  (password        user-account-password (default #f))     ;#f or crypt(3) hash
  (uid             user-account-uid (default #f)
                   (sanitize (sanitize-id "user-account" "uid")))
  (group           user-account-group (default "users"))    ;group name
  (supplementary-groups user-account-supplementary-groups (default '())
                   (sanitize sanitize-supplementary-groups))
  (comment         user-account-comment (default ""))
  (home-directory  user-account-home-directory (thunked)
                   (default (default-home-directory this-user-account)))
  (create-home-directory? user-account-create-home-directory? (default #t))
  (home-directory-permissions user-account-home-directory-permissions (default #o700))
  (shell           user-account-shell (default (default-shell))) ;string or file-like
  (system?         user-account-system? (default #f))
  (location        user-account-location
                   (default (%construction-location)) (innate)))

(set-record-type-printer! <user-account>
  (lambda (account port)
    (display "#<user-account " port)
    (display (user-account-name account) port)
    (display ">" port)))

(define-record-type* <user-group> user-group make-user-group
  user-group?
  (name     user-group-name (sanitize (sanitize-name "user-group")))
  (password user-group-password (default #f))
  (id       user-group-id (default #f) (sanitize (sanitize-id "user-group" "id")))
  (system?  user-group-system? (default #f))
  (location user-group-location
            (default (%construction-location)) (innate)))

(set-record-type-printer! <user-group>
  (lambda (group port)
    (display "#<user-group " port)
    (display (user-group-name group) port)
    (display ">" port)))

;;; The base accounts.

(define root-account
  ;; The system administrator, always present.
  (user-account
   (name "root")
   (password "")
   (uid 0)
   (group "root")
   (comment "System administrator")
   (home-directory "/root")
   (create-home-directory? #f)
   (shell %default-shell)
   (system? #t)))

(define %base-groups
  ;; The groups every system has; all are system groups.
  (let-syntax ((system-group
                (syntax-rules ()
                  ((_ group-name) (user-group (name group-name) (system? #t)))
                  ((_ group-name gid) (user-group (name group-name) (id gid) (system? #t))))))
    (list (system-group "root" 0)
          (system-group "wheel")                ;sudoers
          (system-group "users" 100)
          (system-group "nogroup" 65534)
          (system-group "tty")
          (system-group "dialout")
          (system-group "kmem")
          (system-group "input")                ;input devices, from udev
          (system-group "video")
          (system-group "audio")
          (system-group "netdev")               ;used in avahi-dbus.conf
          (system-group "lp")
          (system-group "disk")
          (system-group "floppy")
          (system-group "cdrom")
          (system-group "tape")
          (system-group "kvm"))))

(define %base-user-accounts
  ;; The accounts every system has besides root.
  (list (user-account
         (name "nobody")
         (uid 65534)
         (group "nogroup")
         (shell %nologin-shell)
         (home-directory "/nonexistent")
         (create-home-directory? #f)
         (system? #t))))

;;; Skeletons: the files copied into new home directories.

(define %default-bash-profile
  (plain-file "bash_profile" "# Honor per-interactive-shell startup file.
if [ -f ~/.bashrc ]; then . ~/.bashrc; fi
"))

(define %default-bashrc
  (plain-file "bashrc" "# Bash initialization for interactive non-login shells and
# for remote shells.

# Source the system-wide file.
if [ -f /etc/bashrc ]; then . /etc/bashrc; fi

if [[ $- != *i* ]]
then
    # We are being invoked from a non-interactive shell.  If this
    # is an SSH session (as in \"ssh host command\"), source
    # /etc/profile so we get PATH and other essential variables.
    [[ -n \"$SSH_CLIENT\" ]] && source /etc/profile

    # Don't do anything else.
    return
fi

PS1='\\u@\\h \\w$ '
alias ls='ls -p --color=auto'
alias ll='ls -l'
alias grep='grep --color=auto'
"))

(define %default-zprofile
  (plain-file "zprofile" "\
# Set up the system, user profile, and related variables.
source /etc/profile
# Set up the home environment profile.
source ~/.profile
"))

(define %default-xdefaults
  (plain-file "Xdefaults" "\
XTerm*utf8: always
XTerm*metaSendsEscape: true\n"))

(define %default-gdbinit
  ;; GDB's history in ~/.cache, debugging files from the profiles, and the
  ;; store's pretty-printers allowed.
  (plain-file "gdbinit" "\
# Record command history.
set history filename ~/.cache/gdb/history
set history save on
set history size 50000

# Tell GDB where to look for separate debugging files.
guile
(use-modules (gdb))
(execute (string-append \"set debug-file-directory \"
                        (string-join
                          (append
                            (if (getenv \"GDB_DEBUG_FILE_DIRECTORY\")
                              (list (getenv \"GDB_DEBUG_FILE_DIRECTORY\"))
                              '())
                            ;; Note: GDB performs tilde expansion.
                            (list \"~/.guix-home/profile/lib/debug\"
                                  \"~/.guix-profile/lib/debug\"
                                  \"/run/current-system/profile/lib/debug\"))
                          \":\")))
end

# Authorize extensions found in the store, such as the
# pretty-printers of libstdc++.
set auto-load safe-path /gnu/store/*/lib\n"))

(define %default-nanorc
  (plain-file "nanorc" "# Include all the syntax highlighting modules.
include /run/current-system/profile/share/nano/*.nanorc\n"))

;; ~/.guile: line editing and history at the REPL when guile-readline is there.
(define %default-dotguile
  (plain-file "dot-guile" "\
(let ((readline (false-if-exception (resolve-interface '(ice-9 readline)))))
  (if readline
      ((module-ref readline 'activate-readline))
      (display \"Install guile-readline for line editing and history at the REPL.\\n\")))
"))

;; A starting point for the user's own Guix Home configuration.
(define %default-skeleton-home-config
  (plain-file "default-home-config" "\
;; A Guix Home configuration: `guix home reconfigure' this file.
(use-modules (gnu home) (gnu home services) (gnu home services shells)
             (gnu services) (gnu system shadow))

(home-environment
  (services
   (append (list (service home-files-service-type
                          `((\".guile\" ,%default-dotguile)
                            (\".Xdefaults\" ,%default-xdefaults)))
                 (service home-xdg-configuration-files-service-type
                          `((\"gdb/gdbinit\" ,%default-gdbinit)
                            (\"nano/nanorc\" ,%default-nanorc))))
           %base-home-services)))
"))

(define (default-skeletons)
  "The default skeleton files, as a list of (NAME FILE-LIKE)."
  (list (list ".bash_profile" %default-bash-profile)
        (list ".bashrc" %default-bashrc)
        (list ".zlogin" (plain-file "zlogin" "# Honor the system-wide shell profile.\nsource /etc/profile\n"))
        (list ".nanorc" %default-nanorc)
        (list ".guile" %default-dotguile)))

(define (skeleton-directory skeletons)
  "A directory holding SKELETONS, a list of (NAME FILE-LIKE), for /etc/skel."
  (computed-file "skel"
                 #~(begin
                     (mkdir #$output)
                     (for-each (lambda (entry)
                                 (copy-file (cadr entry)
                                            (string-append #$output "/" (car entry))))
                               '#$skeletons))))

;;; The account service.

(define (accounts->user-accounts accounts)
  (filter user-account? accounts))

(define (accounts->user-groups accounts)
  (filter user-group? accounts))

(define (check-accounts accounts)
  (for-each (lambda (x)
              (unless (or (user-account? x) (user-group? x))
                (%raise-located #f
                                (format #f "account-service-type: ~s is neither a user-account nor a user-group"
                                        x))))
            accounts)
  (let ((groups (map user-group-name (accounts->user-groups accounts))))
    (for-each
     (lambda (user)
       (let ((group (user-account-group user)))
         (when (and (string? group) (not (member group groups)))
           (%raise-located (user-account-location user)
                           (format #f "primary group '~a' of user '~a' is undeclared"
                                   group (user-account-name user)))))
       (for-each
        (lambda (group)
          (unless (member group groups)
            (%raise-located (user-account-location user)
                            (format #f "supplementary group '~a' of user '~a' is undeclared"
                                    group (user-account-name user)))))
        (user-account-supplementary-groups user)))
     (accounts->user-accounts accounts)))
  accounts)

(define account-service-type
  (service-type
   (name 'account)
   (extensions
    (list (service-extension system-service-type
                             (lambda (accounts)
                               (list (cons 'accounts (check-accounts accounts)))))))
   (compose (lambda (lists) (apply append lists)))
   (extend append)
   (default-value '())
   (description "The system's user accounts and groups.  Its value is a list of
user-account and user-group records; services extend it with the accounts their
daemons run as.  The backend writes /etc/passwd, /etc/shadow and /etc/group
from the folded value.")))

(define (account-service accounts+groups)
  (service account-service-type accounts+groups))


;;; Subordinate ids: /etc/subuid and /etc/subgid.

;; shadow's limits (libmisc/find_new_sub_uids.c), as (gnu build accounts) has them.
(define %subordinate-id-min 100000)
(define %subordinate-id-max 600100000)
(define %subordinate-id-count 65536)

(define-record-type* <subids-configuration> subids-configuration
  make-subids-configuration subids-configuration?
  this-subids-configuration
  (add-root? subids-configuration-add-root? (default #t)) ;give root a range when none is
  (subgids   subids-configuration-subgids (default '()))  ;list of subid-range
  (subuids   subids-configuration-subuids (default '())))

(define-record-type* <subids-extension> subids-extension
  make-subids-extension subids-extension?
  this-subids-extension
  (subgids subids-extension-subgids (default '()))
  (subuids subids-extension-subuids (default '())))

(define (delete-duplicate-ranges ranges)
  ;; Guix's test compares the names of the whole list, not of the two ranges
  ;; compared: a list whose ranges all have one name keeps its first range, any
  ;; other list is kept whole.  Kept so, for the same /etc/subuid as Guix.
  (if (or (null? ranges)
          (every (lambda (r) (string=? (subid-range-name r) (subid-range-name (car ranges))))
                 ranges))
      (if (null? ranges) '() (list (car ranges)))
      ranges))

(define (append-subid-ranges . lists)
  (delete-duplicate-ranges (apply append lists)))

(define (subids-extension-merge a b)
  (subids-extension
   (subgids (append-subid-ranges (subids-extension-subgids a) (subids-extension-subgids b)))
   (subuids (append-subid-ranges (subids-extension-subuids a) (subids-extension-subuids b)))))

(define (check-subid-ranges ranges)
  ;; Guix's checks, each error at the range it is about.
  (define (fail range message)
    (%raise-located (and range (subid-range-location range))
                    (string-append "subids-service-type: " message)))
  (define (offending pred) (find pred ranges))
  (let ((total (- %subordinate-id-max %subordinate-id-min -1)))
    (cond ((>= (fold + 0 (map subid-range-count ranges)) total)
           (fail (and (pair? ranges) (car ranges))
                 (format #f "the configured ranges are more than the ~a max allowed" total)))
          ((offending (lambda (r) (let ((start (subid-range-start r)))
                                    (and start (< start %subordinate-id-min)))))
           => (lambda (r)
                (fail r (format #f "one subid-range starts before the minimum allowed sub id ~a"
                                %subordinate-id-min))))
          ((offending (lambda (r) (let ((end (subid-range-end r)))
                                    (and end (> end %subordinate-id-max)))))
           => (lambda (r)
                (fail r (format #f "one subid-range ends after the maximum allowed sub id ~a"
                                %subordinate-id-max))))
          ((offending (lambda (r) (not (string? (subid-range-name r)))))
           => (lambda (r) (fail r "one subid-range has a name that is not a string")))
          ((offending (lambda (r) (string-null? (subid-range-name r))))
           => (lambda (r) (fail r "one subid-range has a name equal to the empty string")))
          (else #t))))

(define (with-root-range config ranges)
  ;; RANGES sorted, with root's range in front unless root has one or the
  ;; configuration says not to: the ids below the first range with a start, or
  ;; the first 65536 when no range has one.
  (let* ((sorted (sort ranges subid-range-less))
         (first-start (and (pair? sorted) (subid-range-start (car sorted))))
         (root-start (if (number? first-start)
                         (and (> first-start %subordinate-id-min) %subordinate-id-min)
                         %subordinate-id-min))
         (root-count (if (number? first-start)
                         (- first-start %subordinate-id-min)
                         %subordinate-id-count)))
    (if (and (subids-configuration-add-root? config)
             (not (find (lambda (r) (string=? "root" (subid-range-name r))) sorted)))
        (cons (subid-range (name "root") (start root-start) (count root-count)) sorted)
        sorted)))

(define (subid-range->sexp range)
  ;; (NAME START COUNT); a count that is no positive number is shadow's default.
  (let ((count (subid-range-count range)))
    (list (subid-range-name range) (subid-range-start range)
          (if (and (number? count) (> count 0)) count %subordinate-id-count))))

(define (subids-activation config)
  (let ((subuids (delete-duplicate-ranges (subids-configuration-subuids config)))
        (subgids (delete-duplicate-ranges (subids-configuration-subgids config))))
    (check-subid-ranges subgids)
    (check-subid-ranges subuids)
    ;; Host files go through root-file-name: inside the root in prefix mode.
    #~(begin
        (use-modules (gnu build activation) (gnu system accounts))
        (let ((subuid (root-file-name "/etc/subuid"))
              (subgid (root-file-name "/etc/subgid")))
          (mkdir-p (dirname subuid))
          (activate-subuids+subgids
           (map sexp->subid-range '#$(map subid-range->sexp (with-root-range config subuids)))
           (map sexp->subid-range '#$(map subid-range->sexp (with-root-range config subgids)))
           #:subuid-file subuid #:subgid-file subgid)))))

(define subids-service-type
  (service-type
   (name 'subids)
   (compose (lambda (extensions) (fold subids-extension-merge (subids-extension) extensions)))
   (extend (lambda (config extension)
             (subids-configuration
              (inherit config)
              (subgids (append-subid-ranges (subids-configuration-subgids config)
                                            (subids-extension-subgids extension)))
              (subuids (append-subid-ranges (subids-configuration-subuids config)
                                            (subids-extension-subuids extension))))))
   (extensions
    (list (service-extension activation-service-type subids-activation)))
   (default-value (subids-configuration))
   (description "Ensure the specified sub UIDs and sub GIDs exist in
/etc/subuid and /etc/subgid.")))
