;;; schemy --- Networking tools.

(define-module (gnu packages networking)
  #:use-module (guix packages)
  #:export (socat
            iputils
            nmap
            iperf
            openvswitch
            ndisc6
            traceroute
            wireguard-tools
            vde2))

(define socat
  (package
    (name "socat")
    (version "1.7.4.4")
    (home-page "http://www.dest-unreach.org/socat/")
    (synopsis "Open bidirectional communication channels from the command line")
    (description
     "socat connects two byte streams -- files, pipes, devices, TCP, UDP or
Unix sockets, SSL -- and relays data between them.")
    (license 'gpl2)
    (debian-package "socat")
    (programs '("bin/socat"))))

(define iputils
  (package
    (name "iputils")
    (version "20240117")
    (home-page "https://github.com/iputils/iputils")
    (synopsis "Collection of network utilities")
    (description "ping, arping, tracepath and clockdiff: small tools to test
IP networks.")
    (license 'bsd-3)
    (debian-package "iputils-ping")
    (programs '(("bin/ping" "ping" "iputils-ping")
                ("bin/arping" "arping" "iputils-arping")
                ("bin/tracepath" "tracepath" "iputils-tracepath")))))

(define nmap
  (package
    (name "nmap")
    (version "7.93")
    (home-page "https://nmap.org/")
    (synopsis "Network discovery and security auditing tool")
    (description "Nmap scans networks for hosts and open ports and
identifies the services and systems behind them.")
    (license 'gpl2)
    (debian-package "nmap")
    (programs '("bin/nmap" ("bin/ncat" "ncat" "ncat")))))

(define iperf
  (package
    (name "iperf")
    (version "3.16")
    (home-page "https://software.es.net/iperf/")
    (synopsis "TCP, UDP and SCTP bandwidth measurement tool")
    (description "iperf measures the throughput of a network path between
two machines.")
    (license 'bsd-3)
    (debian-package "iperf3")
    (programs '(("bin/iperf3" "iperf3")))))

(define openvswitch
  (package
    (name "openvswitch")
    (version "3.3.0")
    (home-page "https://www.openvswitch.org/")
    (synopsis "Virtual network switch")
    (description
     "Open vSwitch is a multilayer virtual switch for connecting virtual
machines and containers, programmable with OpenFlow.")
    (license 'asl2.0)
    (debian-package "openvswitch-switch")
    (programs '("sbin/ovs-vswitchd" "sbin/ovsdb-server"
                ("bin/ovs-vsctl" "ovs-vsctl" "openvswitch-common")
                ("bin/ovs-ofctl" "ovs-ofctl" "openvswitch-common")))))

(define ndisc6
  (package
    (name "ndisc6")
    (version "1.0.7")
    (home-page "https://www.remlab.net/ndisc6/")
    (synopsis "IPv6 diagnostic tools")
    (description "Tools to send IPv6 neighbor and router solicitations and
trace IPv6 routes.")
    (license 'gpl2)
    (debian-package "ndisc6")
    (programs '("bin/ndisc6" "bin/rdisc6"))))

(define traceroute
  (package
    (name "traceroute")
    (version "2.1.5")
    (home-page "https://traceroute.sourceforge.net/")
    (synopsis "Tracks the route taken by packets over an IP network")
    (description "traceroute prints the routers a packet crosses on its
way to a host.")
    (license 'gpl2+)
    (debian-package "traceroute")
    (programs '("bin/traceroute"))))

(define wireguard-tools
  (package
    (name "wireguard-tools")
    (version "1.0.20210914")
    (home-page "https://www.wireguard.com/")
    (synopsis "Tools for configuring WireGuard tunnels")
    (description "wg configures WireGuard interfaces; wg-quick brings them
up from a configuration file.")
    (license '(lgpl2.1+ gpl2))
    (debian-package "wireguard-tools")
    (programs '("bin/wg" "bin/wg-quick"))))

(define vde2
  (package
    (name "vde2")
    (version "2.3.3")
    (home-page "https://github.com/virtualsquare/vde-2")
    (synopsis "Virtual Distributed Ethernet")
    (description "VDE is a virtual Ethernet switch that connects virtual
machines and real hosts.")
    (license '(gpl2 lgpl2.1 bsd-3))
    (debian-package "vde2")
    (programs '("bin/vde_switch" "bin/vde_plug"))))
