;;; schemy --- (gnu build linux-container): running code in a container, a
;;; child process with its own Linux namespaces and root file system (Guix's
;;; `guix shell --container', `containerized-operating-system' and services
;;; that confine their daemon use it).  The system calls are schemy's
;;; (schemy container); the procedures here are Guix's interface.

(define-module (gnu build linux-container)
  #:use-module (gnu system file-systems)
  #:use-module (schemy container)
  #:use-module (ice-9 match)
  #:export (user-namespace-supported?
            unprivileged-user-namespace-supported?
            setgroups-supported?
            %namespaces
            %writable-/tmp
            run-container
            call-with-container
            container-excursion
            container-excursion*))

(define (user-namespace-supported?)
  "Whether this kernel has user namespaces."
  (file-exists? "/proc/self/ns/user"))

(define (unprivileged-user-namespace-supported?)
  "Whether users other than root may create user namespaces."
  (let ((knob "/proc/sys/kernel/unprivileged_userns_clone"))
    (if (file-exists? knob)
        (eqv? #\1 (call-with-input-file knob read-char))
        (user-namespace-supported?))))

(define (setgroups-supported?)
  "Whether /proc/PID/setgroups exists (Linux 3.19 and later)."
  (file-exists? "/proc/self/setgroups"))

(define %namespaces
  ;; Every namespace a container gets by default.
  '(cgroup mnt pid ipc uts user net))

(define %writable-/tmp
  ;; A writable and volatile /tmp.
  (file-system
    (device "none")
    (mount-point "/tmp")
    (type "tmpfs")
    (flags '(no-suid no-dev))
    (options "mode=755,size=10%")
    (check? #f)))

(define* (run-container root mounts namespaces host-uids thunk
                        #:key (guest-uid 0) (guest-gid 0) (lock-mounts? #t)
                        (populate-file-system (const #t))
                        (loopback-network? #t) writable-root?)
  "Run THUNK in a new process whose root is ROOT (a directory), with MOUNTS
(file-system records) mounted under it and the NAMESPACES (symbols among
cgroup, mnt, pid, ipc, uts, user, net); HOST-UIDS ids are mapped from the
caller's, starting at GUEST-UID and GUEST-GID.  Return the PID of the child to
wait for, whose exit status is THUNK's.  (With a PID namespace, THUNK runs in
its child, PID 1 of the namespace: call-with-container gives that one to its
PROCESS-SPAWNED-HOOK.)"
  (car (%run-container root mounts namespaces host-uids
                       (lambda () (populate-file-system) (thunk))
                       guest-uid guest-gid writable-root? loopback-network?)))

(define (status->exit-status status)
  (or (status:exit-val status)
      (+ 128 (or (status:term-sig status) (status:stop-sig status)))))

(define* (call-with-container mounts thunk #:key (namespaces %namespaces)
                              (host-uids 1) (guest-uid 0) (guest-gid 0)
                              (lock-mounts? #t)
                              (relayed-signals (list SIGINT SIGTERM))
                              (child-is-pid1? #t)
                              (populate-file-system (const #t))
                              (loopback-network? #t)
                              writable-root?
                              (process-spawned-hook (const #t)))
  "Run THUNK in a new container process (see run-container) whose root is a
fresh temporary directory, and return its wait status.  The signals of
RELAYED-SIGNALS the caller receives meanwhile go to the container.  With a PID
namespace and CHILD-IS-PID1? false, THUNK runs in a child of the container's
PID 1, which reaps processes.  PROCESS-SPAWNED-HOOK gets the container's PID."
  (define thunk*
    (if (and (memq 'pid namespaces) (not child-is-pid1?))
        (lambda ()
          (match (primitive-fork)
            (0 (primitive-exit (let ((v (thunk))) (if (integer? v) v (if v 0 1)))))
            (pid (let loop ()
                   (match (waitpid -1)
                     ((child . status)
                      (if (= child pid)
                          (status->exit-status status)
                          (loop))))))))
        thunk))
  (let* ((root (mkdtemp (string-append (or (getenv "TMPDIR") "/tmp") "/guix-directory.XXXXXX")))
         (pids (%run-container root mounts namespaces host-uids
                               (lambda () (populate-file-system) (thunk*))
                               guest-uid guest-gid writable-root? loopback-network?))
         (_ (process-spawned-hook (cdr pids)))
         ;; Signals go to the container's PID 1; the status is that of its parent here.
         (status (cdr (%wait-container (car pids) (cdr pids) relayed-signals))))
    (false-if-exception (rmdir root))
    status))

(define (container-excursion pid thunk)
  "Run THUNK in a child process within the namespaces (and root) of process
PID; return its wait status."
  (%container-excursion pid thunk))

(define (container-excursion* pid thunk)
  "Like container-excursion, but return THUNK's value (written by the child and
read back, so it must be a value `write' and `read' agree on); #f when the
child fails."
  (%container-excursion* pid thunk))
