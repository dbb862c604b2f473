"""Cost of stacks: ``python -m paas_stacks.cost`` (``cli``), live vendor prices (``live``) and
the budget checks (``budget``) the preview command and the Pulumi program apply.

The estimate itself is ``paas_stacks.components.spec.cost``: these modules only feed it prices
and show or judge what it returns, so the command, the PR comment and the gate agree.
"""
