"""Each vendor's words, defined once: plans, regions, sizes, runtimes, limits, defaults and the
pages they come from.

The rule that matters here: the stack spec, the components, the providers, the cost tables and
the preview downgrades all import these, so a word has one spelling, one allowed set and one
default everywhere. The sandbox keeps its own copy on purpose: it is the independent oracle.
"""
