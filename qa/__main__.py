"""``python -m qa ...``: the same as the ``qa`` command."""

import sys

from .cli import main

if __name__ == "__main__":  # importing it (pydoc, doctest collection) must not run the CLI
    sys.exit(main())
