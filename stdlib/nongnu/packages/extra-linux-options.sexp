;;; Derived by tools/derive_nonguix_linux_options.py from nonguix caa8c0b4646b993537be13c9bc819b3df68ab9b2:
;;; (MINIMAL-KERNEL-VERSION . OPTION), in nonguix's order.
(
 ("3.10" . "CONFIG_MT76x2U=m")
 ("3.10" . "CONFIG_DRM_AMDGPU_CIK=y")
 ("3.10" . "CONFIG_DRM_AMDGPU_SI=y")
 ("5.15" . "CONFIG_MT7921E=m")
 ("6.12" . "CONFIG_SND_SOC_INTEL_USER_FRIENDLY_LONG_NAMES=y")
 ("6.12" . "CONFIG_SND_SOC_INTEL_SOUNDWIRE_SOF_MACH=m"))
