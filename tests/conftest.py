"""Suite-wide setup.

A shell starts a background job (``pytest ... &``) with SIGINT ignored, and programs inherit
that: the tests that interrupt a build, a REPL or a container with Ctrl-C would then see
schemy ignore it.  They test schemy, not how the suite was launched, so the suite gives its
children SIGINT's default disposition back."""

from __future__ import annotations

import signal

if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
