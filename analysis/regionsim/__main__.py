"""``python3 -m regionsim COMMAND …``: the command line lives in :mod:`regionsim.cli`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
