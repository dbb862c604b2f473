"""``python -m paas_stacks.preview``: the preview-environment command (``commands.main``)."""

from __future__ import annotations

import sys

from paas_stacks.preview.commands import main

sys.exit(main())
