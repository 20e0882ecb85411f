"""The ``schemy`` command line.

Importing this package (the ``schemy`` command does so first) loads schemy's own modules
through a byte-code cache of schemy's when Python would otherwise compile them from source
on every start (``PYTHONDONTWRITEBYTECODE`` and a source tree): see schemy.cli.bytecode.
"""

from schemy.cli import bytecode

bytecode.install()
