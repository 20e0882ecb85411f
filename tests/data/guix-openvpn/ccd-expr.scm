(openvpn-ccd-configuration
 (name "bob")
 (iroute "192.168.7.0 255.255.255.0")
 (ifconfig-push "10.9.0.5 255.255.0.0"))
