;;; schemy --- Procedures of (nongnu packages nvidia) that configs call; loaded
;;; into the catalogue module.

(define* (replace-mesa obj #:key (driver nvda))
  "OBJ (a package, a list of them, a manifest entry's package...) with mesa and
nvidia-driver grafted onto DRIVER and ffmpeg onto its NVIDIA variant, as nonguix
does for programs that must use the proprietary driver."
  (with-transformation
   (package-input-grafting
    `((,(@ (gnu packages gl) mesa) . ,driver)
      (,nvidia-driver . ,driver)
      (,(@ (gnu packages video) ffmpeg) . ,ffmpeg/nvidia)))
   obj))

(export replace-mesa)
