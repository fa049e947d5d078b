"""`python -m model.cli`: the zjai command."""

import sys

from . import main

sys.exit(main())
