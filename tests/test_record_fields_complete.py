"""Every field of a Guix service/system/home/bootloader record is a field of schemy's record
of the same constructor in the same module, and has a default where Guix's has one: a real
config that sets (or omits) such a field must not fail on schemy only.  The Guix facts are
tests/data/guix-record-fields.json, derived by tools/derive_record_fields.py."""

from __future__ import annotations

import pytest
from record_fields import different_defaults, guix_records, missing_fields, schemy_module_exists, star_types

from schemy.app import Interpreter
from schemy.lang.datum import Symbol

# Fields of Guix records that cannot apply to schemy, each with the reason.  Keep it short.
ALLOWLIST: dict[tuple[str, str], set[str]] = {}

# Literal defaults of Guix's source that schemy's records deliberately differ from, each with
# the reason.  Keep it short.
DEFAULTS_ALLOWLIST: dict[tuple[str, str], set[str]] = {
    # The virtualization chapter the project implements (spec/virtualization-services.txt,
    # an older manual) documents "3:stderr" and 512 MiB; Guix has since changed them.
    ("gnu services virtualization", "libvirt-configuration"): {"log-outputs"},
    ("gnu services virtualization", "virtlog-configuration"): {"log-outputs"},
    ("gnu services virtualization", "hurd-vm-configuration"): {"memory-size"},
    # Guix's manual documents #f and %default-ganeti-os, which schemy follows; Guix's source
    # then turns them into the same commands.
    ("gnu services ganeti", "debootstrap-configuration"): {"components"},
    ("gnu services ganeti", "ganeti-configuration"): {"os"},
    # The same every-five-minutes schedule, as the mcron time expression schemy's job takes.
    ("gnu services ganeti", "ganeti-watcher-configuration"): {"schedule"},
}

MODULES = sorted(m for m in guix_records() if schemy_module_exists(m))


@pytest.fixture(scope="module")
def interp() -> Interpreter:
    return Interpreter()


@pytest.fixture(scope="module")
def comparison(interp):
    return missing_fields(interp, ALLOWLIST)


def test_the_comparison_covers_the_records_configs_use(comparison):
    compared, _ = comparison
    assert compared >= 370


@pytest.mark.parametrize("module", MODULES)
def test_schemy_records_have_every_guix_field(comparison, module):
    _, gaps = comparison
    lacking = {ctor: fields for (m, ctor), fields in gaps.items() if m == module}
    assert lacking == {}, f"({module}) records lack Guix's fields: {lacking}"


@pytest.mark.parametrize("module", MODULES)
def test_fields_with_a_guix_default_have_one_in_schemy(interp, module):
    mod = interp.resolve_module(interp.eval_string(f"'({module})", "record-fields.scm"))
    wrong = {}
    for ctor, facts in guix_records()[module].items():
        binding = mod.lookup(Symbol(ctor))
        if binding is None:
            continue
        home = mod if mod.table.get(Symbol(ctor)) is binding else next(
            (m for m in list(interp.modules.values()) if m.table.get(Symbol(ctor)) is binding), mod)
        for rtd in star_types(home):
            if rtd.properties["star"].ctor_name in (ctor, "%" + ctor) or rtd.name == facts["type"]:
                names = [f.name for f in rtd.fields]
                defaults = rtd.properties["star"].defaults
                bad = [f for f in facts["fields"]
                       if f not in facts["required"] and f in names and names.index(f) not in defaults]
                if bad:
                    wrong[ctor] = bad
                break
    assert wrong == {}, f"({module}) fields Guix defaults but schemy requires: {wrong}"


@pytest.mark.parametrize("module, ctor", [("gnu system", "operating-system"),
                                          ("gnu system file-systems", "file-system"),
                                          ("gnu system accounts", "user-account"),
                                          ("gnu bootloader", "bootloader-configuration"),
                                          ("gnu services desktop", "bluetooth-configuration")])
def test_wrapped_and_reexported_records_are_compared(interp, module, ctor):
    from record_fields import schemy_fields
    facts = guix_records()[module][ctor]
    assert schemy_fields(interp, module, ctor, facts["type"]) is not None


@pytest.mark.parametrize("module", MODULES)
def test_literal_defaults_are_guixs(interp, module):
    differ = {ctor: {f: v for f, v in fields.items() if f not in DEFAULTS_ALLOWLIST.get((module, ctor), set())}
              for ctor, fields in different_defaults(interp, module).items()}
    differ = {ctor: fields for ctor, fields in differ.items() if fields}
    assert differ == {}, f"({module}) defaults other than Guix's (Guix's, schemy's): {differ}"
