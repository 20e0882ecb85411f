"""schemy.system.plain: the build's records behave as the dataclasses they replaced (which
cost every build the import of ``dataclasses`` and ``inspect``)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from schemy.system.plain import Factory, PlainRecord


class Point(PlainRecord):
    x: int
    y: int = 0
    tags: list = Factory(list)


def test_fields_positionally_by_name_and_by_default():
    p = Point(1, tags=["a"])
    assert (p.x, p.y, p.tags) == (1, 0, ["a"])
    assert Point(y=2, x=3)._values() == (3, 2, [])


def test_a_factory_default_is_fresh_for_each_instance():
    a, b = Point(1), Point(1)
    a.tags.append("t")
    assert b.tags == []


def test_equality_is_field_wise_and_only_within_the_class():
    class Other(PlainRecord):
        x: int
        y: int = 0
        tags: list = Factory(list)

    assert Point(1, 2) == Point(1, 2)
    assert Point(1, 2) != Point(1, 3)
    assert Point(1) != Other(1)
    with pytest.raises(TypeError):
        hash(Point(1))


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError):
        Point()
    with pytest.raises(TypeError):
        Point(1, 2, [], 4)
    with pytest.raises(TypeError):
        Point(1, z=2)


def test_repr_names_the_fields():
    assert repr(Point(1, 2)) == "Point(x=1, y=2, tags=[])"


def test_a_subclass_adds_its_fields_after_its_parents():
    class Point3(Point):
        z: int = 9

    assert Point3(1, 2, [], 3)._values() == (1, 2, [], 3)
    assert Point3(1).z == 9


def test_the_build_imports_none_of_the_modules_it_does_not_use():
    code = ("import sys\nimport schemy.system.reconfigure, schemy.cli.quick\n"
            "print(sorted(m for m in ('dataclasses', 'inspect', 'subprocess', 'difflib', 'click', 'shutil', 'tempfile')"
            " if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr
