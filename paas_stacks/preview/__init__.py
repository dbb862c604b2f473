"""Preview environments: a ``pr-<number>`` stack per pull request, derived from a base stack.

``python -m paas_stacks.preview`` is what the GitHub workflows in ``.github/workflows/`` run
(``commands``); ``plan`` decides what a preview is without touching Pulumi, ``comment`` writes
the PR comment and ``pulumi_cli`` makes the few CLI calls.
"""
