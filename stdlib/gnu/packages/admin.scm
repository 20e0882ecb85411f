;;; schemy --- System administration tools.

(define-module (gnu packages admin)
  #:use-module (guix packages)
  #:export (shadow
            sudo
            opendoas
            inetutils
            isc-dhcp
            dhcpcd
            shepherd
            htop
            dmidecode
            wpa-supplicant
            tcpdump
            netcat
            logrotate
            fail2ban))

(define shadow
  (package
    (name "shadow")
    (version "4.14.3")
    (home-page "https://github.com/shadow-maint/shadow")
    (synopsis "Authentication-related tools, such as passwd, su, and login")
    (description
     "The Shadow tools manage user accounts and groups and their passwords:
useradd, usermod, groupadd, passwd, chpasswd and friends, along with login,
su and newgrp.")
    (license 'bsd-3)
    (debian-package "passwd")
    (programs
     `(,@(host-programs "sbin" '("useradd" "userdel" "usermod" "groupadd"
                                 "groupdel" "groupmod" "chpasswd" "newusers"
                                 "pwck" "grpck" "vipw"))
       ,@(host-programs "bin" '("passwd" "chage" "chfn" "chsh" "gpasswd"
                                "expiry"))
       ,@(host-programs "bin" '("newgrp" "sg" "faillog" "lastlog") "login")
       ("sbin/nologin" "nologin" "login")
       ("bin/login" "login" "login")
       ("bin/su" "su" "util-linux")))))

(define sudo
  (package
    (name "sudo")
    (version "1.9.15p5")
    (home-page "https://www.sudo.ws/")
    (synopsis "Run commands as root")
    (description
     "Sudo lets the users listed in the sudoers file run commands as root
or as another user, logging what they do.")
    (license 'isc)
    (debian-package "sudo")
    (programs '("bin/sudo" "bin/sudoedit" "sbin/visudo"))))

(define opendoas
  (package
    (name "opendoas")
    (version "6.8.2")
    (home-page "https://github.com/Duncaen/OpenDoas")
    (synopsis "Portable version of OpenBSD's doas command")
    (description
     "doas runs a command as another user, following a short configuration
file; a much smaller alternative to sudo.")
    (license 'isc)
    (debian-package "doas")
    (programs '("bin/doas"))))

(define inetutils
  (package
    (name "inetutils")
    (version "2.5")
    (home-page "https://www.gnu.org/software/inetutils/")
    (synopsis "Basic networking utilities")
    (description
     "GNU Inetutils are the classic networking clients and servers: ping,
traceroute, ftp, telnet, hostname, ifconfig, logger, whois and more.")
    (license 'gpl3+)
    (debian-package "inetutils-tools")
    (programs
     `(("bin/hostname" "hostname" "hostname")
       ("bin/ping" "ping" "iputils-ping")
       ("bin/ping6" ("ping6" "ping") "iputils-ping")
       ("bin/traceroute" "traceroute" "inetutils-traceroute")
       ("bin/ftp" "ftp" "inetutils-ftp")
       ("bin/telnet" "telnet" "inetutils-telnet")
       ("bin/ifconfig" "ifconfig" "net-tools")
       ("bin/logger" "logger" "bsdutils")
       ("bin/whois" "whois" "whois")))))

(define isc-dhcp
  (package
    (name "isc-dhcp")
    (version "4.4.3-P1")
    (home-page "https://www.isc.org/dhcp/")
    (synopsis "Dynamic Host Configuration Protocol (DHCP) tools")
    (description
     "ISC's DHCP distribution: the dhclient client that obtains an address
for a network interface, and the dhcpd server and relay.")
    (license 'isc)
    (debian-package "isc-dhcp-client")
    (programs
     '(("sbin/dhclient" "dhclient" "isc-dhcp-client")
       ("sbin/dhcpd" "dhcpd" "isc-dhcp-server")
       ("sbin/dhcrelay" "dhcrelay" "isc-dhcp-relay")))))

(define dhcpcd
  (package
    (name "dhcpcd")
    (version "10.0.6")
    (home-page "https://roy.marples.name/projects/dhcpcd/")
    (synopsis "Feature-rich DHCP and DHCPv6 client")
    (description
     "dhcpcd configures network interfaces with DHCP, DHCPv6, IPv6 router
advertisements and IPv4 link-local addresses.")
    (license 'bsd-2)
    (debian-package "dhcpcd-base")
    (programs '("sbin/dhcpcd"))))

(define shepherd
  (package
    (name "shepherd")
    (version "0.10.4")
    (home-page "https://www.gnu.org/software/shepherd/")
    (synopsis "System service manager")
    (description
     "The GNU Shepherd starts, stops and supervises the services of a
system or of a user, in order of their dependencies; it is configured in
Scheme and controlled with the herd command.  In schemy, schemy's own
service manager plays this role.")
    (license 'gpl3+)
    (programs '("bin/herd" "bin/shepherd" "sbin/halt" "sbin/reboot"))))

(define htop
  (package
    (name "htop")
    (version "3.3.0")
    (home-page "https://htop.dev")
    (synopsis "Interactive process viewer")
    (description
     "htop shows the running processes with their CPU and memory use,
updated live, and lets you sort, search, renice and signal them.")
    (license 'gpl2)
    (debian-package "htop")
    (programs '("bin/htop"))))

(define dmidecode
  (package
    (name "dmidecode")
    (version "3.5")
    (home-page "https://www.nongnu.org/dmidecode/")
    (synopsis "Read hardware information from the BIOS")
    (description
     "dmidecode prints the machine's SMBIOS/DMI table: the system, board,
processor and memory descriptions the firmware provides.")
    (license 'gpl2+)
    (debian-package "dmidecode")
    (programs '("sbin/dmidecode"))))

(define wpa-supplicant
  (package
    (name "wpa-supplicant")
    (version "2.10")
    (home-page "https://w1.fi/wpa_supplicant/")
    (synopsis "Connecting to WPA and WPA2-protected wireless networks")
    (description
     "wpa_supplicant negotiates keys with WPA/WPA2/WPA3 access points and
handles roaming between them; wpa_cli controls it.")
    (license 'bsd-3)
    (debian-package "wpasupplicant")
    (programs '("sbin/wpa_supplicant" "sbin/wpa_cli" "sbin/wpa_passphrase"))))

(define tcpdump
  (package
    (name "tcpdump")
    (version "4.99.4")
    (home-page "https://www.tcpdump.org/")
    (synopsis "Network packet analyzer")
    (description
     "tcpdump captures the packets crossing a network interface and prints
them, decoded, according to a filter expression.")
    (license 'bsd-3)
    (debian-package "tcpdump")
    (programs '("sbin/tcpdump"))))

(define netcat
  (package
    (name "netcat")
    (version "0.7.1")
    (home-page "https://netcat.sourceforge.net")
    (synopsis "Read and write data over TCP/IP")
    (description
     "netcat opens TCP or UDP connections, or listens for them, and copies
data between them and its standard input and output.")
    (license 'gpl2+)
    (debian-package "netcat-openbsd")
    (programs '(("bin/netcat" ("netcat" "nc")) ("bin/nc" "nc")))))

(define logrotate
  (package
    (name "logrotate")
    (version "3.21.0")
    (home-page "https://github.com/logrotate/logrotate")
    (synopsis "Rotate and compress system logs")
    (description
     "logrotate renames, compresses and removes log files on a schedule or
when they grow too large, so that logs don't fill the disk.")
    (license 'gpl2+)
    (debian-package "logrotate")
    (programs '("sbin/logrotate"))))

(define fail2ban
  (package
    (name "fail2ban")
    (version "1.0.2")
    (home-page "http://www.fail2ban.org")
    (synopsis "Daemon to ban hosts that cause multiple authentication errors")
    (description
     "fail2ban watches log files for repeated failed logins and bans the
offending addresses with firewall rules for a while.")
    (license 'gpl2+)
    (debian-package "fail2ban")
    (programs '("bin/fail2ban-server" "bin/fail2ban-client"))))
