"""The stack file's field reference (``docs/stack-reference.md``) and JSON Schema
(``stack.schema.json``), both generated from the pydantic models of ``components/spec/``.

The rule that matters here: both files are outputs, never edited by hand; ``python -m
paas_stacks.reference`` writes them and ``--check`` (run by ``make lint`` and the unit tests)
fails when a model changed and they were not written again.
"""

from paas_stacks.reference.markdown import DOCS_FILE, reference
from paas_stacks.reference.schema import SCHEMA_FILE, stack_file_schema

__all__ = ["DOCS_FILE", "SCHEMA_FILE", "reference", "rendered", "stack_file_schema"]


def rendered() -> dict[str, str]:
    """Each generated file's path (relative to the repository root) and its content."""
    import json  # noqa: PLC0415

    schema = json.dumps(stack_file_schema(), indent=2, ensure_ascii=False) + "\n"
    return {DOCS_FILE: reference(), SCHEMA_FILE: schema}
