"""``python -m textwash`` runs the command line, as the ``textwash`` script does."""

import sys

from .cli import main

sys.exit(main())
