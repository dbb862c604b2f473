"""``python -m paas_stacks.release``: the release command (``cli.main``)."""

from __future__ import annotations

import sys

from paas_stacks.release.cli import main

sys.exit(main())
