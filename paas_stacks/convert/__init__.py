"""``python -m paas_stacks.convert render.yaml``: a Render Blueprint as a stack file."""
