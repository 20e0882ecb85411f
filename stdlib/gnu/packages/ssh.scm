;;; schemy --- Secure shell clients and servers.

(define-module (gnu packages ssh)
  #:use-module (guix packages)
  #:export (openssh
            openssh-sans-x
            dropbear
            autossh))

(define openssh
  (package
    (name "openssh")
    (version "9.8p1")
    (home-page "https://www.openssh.com/")
    (synopsis "Client and server for the secure shell (ssh) protocol")
    (description
     "OpenSSH implements the SSH protocol: encrypted remote logins and
command execution (ssh, sshd), file transfers (scp, sftp) and key
management (ssh-keygen, ssh-agent, ssh-add, ssh-keyscan).")
    (license 'bsd-2)
    (debian-package "openssh-server")
    (programs
     `(("sbin/sshd" "sshd" "openssh-server")
       ,@(host-programs "bin" '("ssh" "scp" "sftp" "ssh-keygen" "ssh-agent"
                                "ssh-add" "ssh-keyscan" "ssh-copy-id")
                        "openssh-client")
       ("libexec/sftp-server" ("/usr/lib/openssh/sftp-server" "sftp-server")
        "openssh-sftp-server")))))

(define openssh-sans-x
  (package
    (inherit openssh)
    (name "openssh-sans-x")
    (synopsis "OpenSSH client and server without X11 support")))

(define dropbear
  (package
    (name "dropbear")
    (version "2022.83")
    (home-page "https://matt.ucc.asn.au/dropbear/dropbear.html")
    (synopsis "Small SSH server and client")
    (description
     "Dropbear is a small SSH server and client, suited to machines with
little memory or storage.")
    (license 'x11)
    (debian-package "dropbear-bin")
    (programs '("sbin/dropbear" "bin/dbclient" "bin/dropbearkey"
                "bin/dropbearconvert"))))

(define autossh
  (package
    (name "autossh")
    (version "1.4g")
    (home-page "https://www.harding.motd.ca/autossh/")
    (synopsis "Automatically restart SSH sessions and tunnels")
    (description
     "autossh starts ssh and restarts it when the connection breaks,
keeping tunnels up.")
    (license 'bsd-1)
    (debian-package "autossh")
    (programs '("bin/autossh"))))
