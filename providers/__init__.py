"""Thin Pulumi dynamic providers, one package per vendor API.

A provider is generic code for one vendor API: which account, token and base URL to use are read
from stack configuration or the environment inside the provider process (``configure``), never
taken as inputs, so no credential is ever pickled into the state.
"""
