"""Where a user's state finds each dynamic provider: a public module path, chosen once.

The rule that matters here: dill pickles a provider by reference to its class's ``__module__``
and ``__qualname__``, and the engine unpickles the STORED reference for ``read`` and ``delete``
(a resource an ``up`` leaves unchanged keeps it), so that path is part of the state format. It
names the vendor's public package (``paas_stacks.providers.render``), never the file the class
happens to live in, so code can move without breaking ``refresh`` or ``destroy`` of any stack.
``tests/unit/test_pickle_paths.py`` freezes every path.
"""

from __future__ import annotations

import sys

__all__ = ["pin"]


def pin(module: str, *classes: type) -> None:
    """Make each class pickle as ``<module>.<its name>``; ``module`` must export it already."""
    public = sys.modules[module]
    for cls in classes:
        if cls.__qualname__ != cls.__name__ or getattr(public, cls.__name__, None) is not cls:
            raise RuntimeError(f"{module} must export the top-level class {cls.__qualname__}")
        cls.__module__ = module
