"""The JSON Schema of a whole stack file (``stacks/Pulumi.<stack>.yaml``), for editors and CI.

The rule that matters here: the schema is pydantic's own JSON Schema of ``EnvironmentSpec``
(every key, type, allowed value and pattern as the loader checks it), with each field's ``#:``
comment as its description, placed where Pulumi puts it: under ``config:`` as
``paas-stacks:environment``, beside the stack's other config keys. A file that ``extends`` another
may leave out anything the base sets and ``null`` out what it must not inherit, so it is checked
against a partial copy of the same definitions; whole-stack rules (links by name, production
policy) stay the loader's, which names the file and the line.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from paas_stacks.components.spec import EnvironmentSpec
from paas_stacks.components.spec.release import RELEASE_KEY, Release
from paas_stacks.reference.sources import documented

__all__ = ["ENV_KEY", "RELEASE_KEY", "SCHEMA_FILE", "stack_file_schema"]

ENV_KEY = "paas-stacks:environment"
#: Where the schema is written, relative to the repository root.
SCHEMA_FILE = "stack.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
PARTIAL = "Partial"
Json = dict[str, Any]


class DescribedSchema(GenerateJsonSchema):
    """Pydantic's schema, plus each field's ``#:`` comment as its ``description``."""

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        return self._described(super().model_schema(schema), schema["cls"])

    def dataclass_schema(self, schema: core_schema.DataclassSchema) -> JsonSchemaValue:
        return self._described(super().dataclass_schema(schema), schema["cls"])

    def _described(self, generated: JsonSchemaValue, cls: type) -> JsonSchemaValue:
        target = generated
        if "$ref" in generated and "properties" not in generated:
            target = self.definitions.get(generated["$ref"].split("/")[-1], generated)
        comments = documented(cls)
        for name, prop in target.get("properties", {}).items():
            if name in comments and "description" not in prop:
                prop["description"] = comments[name]
        return generated


def model_schema(model: type[BaseModel]) -> Json:
    """A model's schema as the loader reads it: definitions under ``$defs``."""
    strict: Json = _named_keys_only(model.model_json_schema(schema_generator=DescribedSchema))
    return strict


def _named_keys_only(node: Any) -> Any:
    """A mapping whose keys must match a pattern (env var names, component names) allows no
    other key, as the model refuses them; pydantic's schema leaves the rest open."""
    if isinstance(node, list):
        return [_named_keys_only(item) for item in node]
    if not isinstance(node, dict):
        return node
    strict = {key: _named_keys_only(value) for key, value in node.items()}
    if "patternProperties" in strict and "additionalProperties" not in strict:
        strict["additionalProperties"] = False
    return strict


def stack_file_schema() -> Json:
    """The schema of a Pulumi stack file whose ``config`` holds ``paas-stacks:environment``."""
    environment = model_schema(EnvironmentSpec)
    release = model_schema(Release)
    defs: Json = {**environment.pop("$defs", {}), **release.pop("$defs", {}), "Release": release}
    # The loader defaults ``name`` to the stack's name and resolves ``extends`` before the
    # model sees the file: both are the file's words, not the model's.
    environment["required"] = [key for key in environment.get("required", []) if key != "name"]
    environment["properties"] = {
        "extends": {
            "type": "string",
            "description": "Start from stacks/Pulumi.<extends>.yaml: mappings merge, lists and "
            "scalars replace, null removes a key; name is never inherited.",
        },
        **environment["properties"],
    }
    defs["EnvironmentSpec"] = environment
    defs.update(_partial(defs))
    file_env = {
        "description": environment.get("description", ""),
        "if": {"type": "object", "required": ["extends"]},
        "then": {"$ref": f"#/$defs/{PARTIAL}EnvironmentSpec"},
        "else": {"$ref": "#/$defs/EnvironmentSpec"},
    }
    return {
        "$schema": DIALECT,
        "title": "paas-stacks stack file (stacks/Pulumi.<stack>.yaml)",
        "description": "A Pulumi stack settings file whose config key paas-stacks:environment "
        "is one environment of paas-stacks (docs/stack-reference.md lists every key).",
        "type": "object",
        "properties": {
            "config": {
                "type": "object",
                "description": "The stack's configuration: paas-stacks:environment, plus any "
                "other key (secrets set with pulumi config set --secret, vendor settings).",
                "properties": {ENV_KEY: file_env, RELEASE_KEY: {"$ref": "#/$defs/Release"}},
                "additionalProperties": True,
            },
            # The other keys of Pulumi's stack settings file (workspace.ProjectStack).
            "secretsprovider": {"type": "string"},
            "encryptedkey": {"type": "string"},
            "encryptionsalt": {"type": "string"},
            "environment": {
                "description": "Pulumi ESC environments the stack imports.",
                "type": ["array", "object"],
            },
        },
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def _partial(defs: Json) -> Json:
    """A copy of every definition where nothing is required and any key may be ``null``."""
    return {f"{PARTIAL}{name}": _loosen(copy.deepcopy(body)) for name, body in defs.items()}


def _loosen(node: Any) -> Any:
    if isinstance(node, list):
        return [_loosen(item) for item in node]
    if not isinstance(node, dict):
        return node
    loose: Json = {}
    for key, value in node.items():
        if key in ("required", "discriminator"):
            continue  # a base may set it; the platform may come from the base too
        if key == "$ref":
            loose[key] = value.replace("#/$defs/", f"#/$defs/{PARTIAL}")
        elif key == "oneOf":
            loose["anyOf"] = _loosen(value)  # without its discriminator, several may match
        elif key in ("properties", "patternProperties"):
            loose[key] = {name: _nullable(_loosen(prop)) for name, prop in value.items()}
        elif key == "additionalProperties" and isinstance(value, dict):
            loose[key] = _nullable(_loosen(value))
        else:
            loose[key] = _loosen(value)
    return loose


def _nullable(schema: Json) -> Json:
    return {"anyOf": [schema, {"type": "null"}]}
