"""Pulumi components that model a whole application environment (one public component per
module or package)."""
