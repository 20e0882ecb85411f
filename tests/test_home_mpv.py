"""(gnu home services mpv): ~/.config/mpv/mpv.conf as Guix's serializer writes it (options sorted
by name, flags as yes/no without their question mark, floats with a decimal point, lists joined
by commas, one [section] per profile, the extra text last ending in a newline), and the checks
of the option table derived by tools/derive_mpv_options.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ev
from service_modules import home_build, missing_exports

from schemy.app import Interpreter
from schemy.lang.errors import SchemeError
from schemy.lang.printer import write_string

MODULES = "(gnu home services mpv)"


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    i = Interpreter()
    ev(i, "(use-modules (gnu home services mpv) (gnu services configuration))")
    return i


def mpv_conf(interp, tmp_path, config: str) -> str:
    built = home_build(interp, tmp_path, MODULES, f"(service home-mpv-service-type {config})")
    return Path(built.files[".config/mpv/mpv.conf"]).read_text()


def test_home_mpv_module_exports_every_guix_name(interp):
    assert missing_exports(interp, "gnu home services mpv") == []


def test_the_manuals_example_writes_mpv_conf(interp, tmp_path):
    assert mpv_conf(interp, tmp_path, """(make-home-mpv-configuration
          #:global (make-mpv-profile-configuration
                    #:fullscreen? #t
                    #:alang '("jpn" "eng")))""") == "alang=jpn,eng\nfullscreen=yes\n"


def test_profiles_follow_the_global_options_and_extra_config_ends_the_file(interp, tmp_path):
    text = mpv_conf(interp, tmp_path, """(make-home-mpv-configuration
        #:global (make-mpv-profile-configuration #:volume 70 #:save-position-on-quit? #f
                                                 #:osd-color '(1 0.5 0) #:hwdec '("vaapi" "auto"))
        #:profiles `((fullscreen . ,(make-mpv-profile-configuration #:fullscreen? #t
                                                                     #:ab-loop-count 'inf))
                     (loud . ,(make-mpv-profile-configuration #:volume 130 #:audio 2)))
        #:extra-config "include=~/.config/mpv/local.conf")""")
    assert text == ("hwdec=vaapi,auto\nosd-color=1/0.5/0\nsave-position-on-quit=no\nvolume=70.0\n"
                    "[fullscreen]\nab-loop-count=inf\nfullscreen=yes\n"
                    "[loud]\naudio=2\nvolume=130.0\n"
                    "include=~/.config/mpv/local.conf\n")


def test_file_options_name_the_store_file(interp, tmp_path):
    text = mpv_conf(interp, tmp_path, """(make-home-mpv-configuration
        #:global (make-mpv-profile-configuration
                  #:input-conf (plain-file "input.conf" "q quit\\n")))""")
    (line,) = text.splitlines()
    name, value = line.split("=")
    assert name == "input-conf" and value.endswith("-input.conf")
    assert Path(value).read_text() == "q quit\n"


def test_inherit_keeps_options_and_unset_removes_one(interp):
    assert write_string(ev(interp, """(let* ((base (make-mpv-profile-configuration #:volume 50 #:mute? #t))
               (child (make-mpv-profile-configuration #:inherit base #:mute? %unset-value)))
          (list (mpv-profile-configuration-volume child)
                (maybe-value-set? (mpv-profile-configuration-mute? child))
                (mpv-profile-configuration-mute? base)))""")) == "(50 #f #t)"
    assert write_string(ev(interp, """(let* ((a (make-home-mpv-configuration #:extra-config "x=1"))
               (b (make-home-mpv-configuration #:inherit a)))
          (list (home-mpv-configuration-extra-config b) (home-mpv-configuration-profiles b)))""")) == \
        '("x=1" ())'


@pytest.mark.parametrize("args, message", [
    ("#:no-such-option 1", "option no-such-option not found"),
    ("#:volume \"loud\"", "invalid mpv configuration for volume"),
    ("#:ad-lavc-threads 17", "invalid mpv configuration for ad-lavc-threads"),
    ("#:ab-loop-count 'sometimes", "invalid mpv configuration for ab-loop-count"),
    ("#:ab-loop-count -1", "invalid mpv configuration for ab-loop-count"),
    ("#:osd-color \"red\"", "invalid mpv configuration for osd-color"),
    ("#:autofit \"50%x50%+3\"", "invalid mpv configuration for autofit"),
])
def test_invalid_options_are_refused(interp, args, message):
    with pytest.raises(SchemeError, match=message):
        ev(interp, f"(make-mpv-profile-configuration {args})")


def test_limits_accept_values_inside_them(interp):
    ev(interp, "(make-mpv-profile-configuration #:ad-lavc-threads 16 #:ab-loop-count 3 "
               "#:osd-color \"#80FF0000\" #:autofit \"50%x50%\" #:geometry \"50%:50%\")")


def test_bad_profiles_are_refused(interp):
    with pytest.raises(SchemeError, match="profiles must be an alist"):
        ev(interp, "(make-home-mpv-configuration #:profiles '((\"name\" . 1)))")
