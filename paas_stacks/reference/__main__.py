"""``python -m paas_stacks.reference [--check] [--root DIR]`` (``cli.main``)."""

from __future__ import annotations

import sys

from paas_stacks.reference.cli import main

sys.exit(main())
