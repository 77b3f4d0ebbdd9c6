"""``python -m jichitai_kg``: the same as the ``jichitai-kg`` command."""

import sys

from .cli import main

sys.exit(main())
