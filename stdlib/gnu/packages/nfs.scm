;;; schemy --- The Network File System.

(define-module (gnu packages nfs)
  #:use-module (guix packages)
  #:export (nfs-utils))

(define nfs-utils
  (package
    (name "nfs-utils")
    (version "2.6.4")
    (home-page "https://www.kernel.org/pub/linux/utils/nfs-utils/")
    (synopsis "Tools for loading and managing Linux NFS mounts")
    (description
     "The user-space side of NFS on Linux: the mount helpers, the status
and ID-mapping daemons, and for servers exportfs and rpc.mountd.")
    (license 'gpl2)
    (debian-package "nfs-common")
    (programs
     `(,@(host-programs "sbin" '("mount.nfs" "umount.nfs" "showmount"
                                 "rpc.statd" "rpc.idmapd" "sm-notify")
                        "nfs-common")
       ,@(host-programs "sbin" '("exportfs" "rpc.mountd" "rpc.nfsd")
                        "nfs-kernel-server")))))
