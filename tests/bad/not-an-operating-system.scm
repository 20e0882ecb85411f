(use-modules (gnu))
(define x 1)
'(operating-system)
