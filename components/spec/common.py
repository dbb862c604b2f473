"""Building blocks every section of the stack spec shares: the strict base model, env vars and
links.

The rule that matters here: every model forbids unknown keys and is frozen, so a typo in a stack
file is an error with a did-you-mean, never a silently ignored setting.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from paas_stacks.components._fields import EnvName, Name

__all__ = ["EnvVars", "LinkSpec", "Links", "Spec"]


def _scalar_to_str(value: Any) -> Any:
    # YAML reads `PORT: 3000` as an int and `DEBUG: true` as a bool; env values are strings.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


#: The schema says what a file may hold (YAML scalars); the model keeps strings.
EnvValue = Annotated[
    str, BeforeValidator(_scalar_to_str, json_schema_input_type=str | int | float | bool)
]
EnvVars = dict[EnvName, EnvValue]


class Spec(BaseModel):
    """Base of every stack-spec model: unknown keys are errors and values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


#: A property a link can name: ``host``, ``connection_string``, a service's ``url``, or
#: ``env.<KEY>`` (a variable the target service receives).
PropertyName = Annotated[str, Field(pattern=r"^([a-z_]+|env\.[A-Z_][A-Z0-9_]*)$")]


class LinkSpec(Spec):
    """``links: [db]``, ``links: [{to: db, only: [DATABASE_URL], rename: {...}}]`` or
    ``links: [{to: search, properties: {SEARCH_ADDR: hostport}}]``."""

    #: The name of the component whose values are injected (the service itself for its own
    #: ``url``/``host``/``port``/``hostport`` under ``properties``).
    to: Name
    #: Inject only these of the target's variables (names before renaming).
    only: tuple[EnvName, ...] | None = None
    #: Target variable name -> the name the consumer expects.
    rename: dict[EnvName, EnvName] = Field(default_factory=dict)
    #: Instead of the target's variables: the consumer's name -> the target's property.
    properties: dict[EnvName, PropertyName] | None = None


def _shorthand(data: Any) -> Any:
    return {"to": data} if isinstance(data, str) else data


#: A link as a file writes it: a component's name is short for ``{to: <name>}``.
Link = Annotated[LinkSpec, BeforeValidator(_shorthand, json_schema_input_type=Name | LinkSpec)]
Links = tuple[Link, ...]
