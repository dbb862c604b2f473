"""Stack files (``Pulumi.<stack>.yaml``, one environment each) and the preview-environment command.

``python -m stacks.preview`` derives a ``pr-<number>`` stack from a base stack for each pull
request; the GitHub workflows in ``.github/workflows/`` call it, and so does the rehearsal test.
"""
