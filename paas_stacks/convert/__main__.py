"""``python -m paas_stacks.convert`` (``cli.main``)."""

from __future__ import annotations

import sys

from paas_stacks.convert.cli import main

sys.exit(main())
