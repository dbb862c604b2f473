"""``python -m paas_stacks.cost``: a stack's monthly estimate (``cli.main``)."""

from __future__ import annotations

import sys

from paas_stacks.cost.cli import main

sys.exit(main())
