"""``python -m verify.cli``: the same as ``verify`` and ``python -m verify``."""

import sys

from . import main

sys.exit(main())
