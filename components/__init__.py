"""Pulumi components that model a whole application environment (one per module)."""
