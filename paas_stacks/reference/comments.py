"""The ``#:`` comments above the fields of a model class: the descriptions of stack-file keys.

The rule that matters here: a field is documented once, where it is declared, by the ``#:``
comment lines right above it (the form Sphinx autodoc reads), so the reference and the schema
can never say something the code does not. Only the source is read (``ast``), never executed;
Sphinx's ``ModuleAnalyzer`` reads the same comments but would bring all of Sphinx for one walk.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from functools import cache

__all__ = ["field_comments"]

MARK = "#:"


def field_comments(cls: type) -> dict[str, str]:
    """Field name -> its ``#:`` comment, for ``cls`` and the classes it inherits fields from."""
    found: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        found.update(_own(klass))
    return found


@cache
def _own(cls: type) -> dict[str, str]:
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}  # a builtin or a class made at run time: nothing to read
    lines = source.splitlines()
    tree = ast.parse(source)
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    comments: dict[str, str] = {}
    for node in body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            text = _comment_above(lines, node.lineno - 1)
            if text:
                comments[node.target.id] = text
    return comments


def _comment_above(lines: list[str], index: int) -> str:
    """The ``#:`` lines directly above line ``index`` (0-based), joined into one paragraph."""
    parts: list[str] = []
    row = index - 1
    while row >= 0 and lines[row].strip().startswith(MARK):
        parts.insert(0, lines[row].strip()[len(MARK) :].strip())
        row -= 1
    return " ".join(part for part in parts if part)
