"""Benchmarks: scripts whose results are committed under bench/results/ (tests never time)."""
