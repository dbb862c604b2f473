"""``python -m paas_stacks.release``: pin, build, resolve and read the release a stack runs."""
