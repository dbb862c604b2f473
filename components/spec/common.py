"""Building blocks every section of the stack spec shares: the strict base model, names, env
vars, links and regions.

The rule that matters here: every model forbids unknown keys and is frozen, so a typo in a stack
file is an error with a did-you-mean, never a silently ignored setting.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

#: Component names are also the link targets and the suffix of every vendor-side name
#: (``<environment>-<component>``), so they are short DNS-safe labels.
NAME_PATTERN = r"^[a-z][a-z0-9-]{0,23}$"
ENV_NAME_PATTERN = r"^[A-Z_][A-Z0-9_]*$"
#: Keys of ``pulumi config set --secret paas-stacks:<key>``; the namespace is implied.
CONFIG_KEY_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"

Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
EnvName = Annotated[str, StringConstraints(pattern=ENV_NAME_PATTERN)]
ConfigKey = Annotated[str, StringConstraints(pattern=CONFIG_KEY_PATTERN)]


def _scalar_to_str(value: Any) -> Any:
    # YAML reads `PORT: 3000` as an int and `DEBUG: true` as a bool; env values are strings.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


EnvValue = Annotated[str, BeforeValidator(_scalar_to_str)]
EnvVars = dict[EnvName, EnvValue]


class Spec(BaseModel):
    """Base of every stack-spec model: unknown keys are errors and values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LinkSpec(Spec):
    """``links: [db]`` or ``links: [{to: db, only: [DATABASE_URL], rename: {...}}]``."""

    #: The name of the component whose values are injected.
    to: Name
    #: Inject only these of the target's variables (names before renaming).
    only: tuple[EnvName, ...] | None = None
    #: Target variable name -> the name the consumer expects.
    rename: dict[EnvName, EnvName] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"to": data} if isinstance(data, str) else data


Links = tuple[LinkSpec, ...]

#: Where a stack runs: the five places where Render, Fly.io, Supabase, Upstash and AWS all have
#: a site, so one line puts every component of an environment close together (the seeds say
#: "Region: Same as Supabase"). A component may still name its vendor's own region code.
Place = Literal["oregon", "ohio", "virginia", "frankfurt", "singapore"]
Vendor = Literal["render", "fly", "supabase", "upstash", "aws"]
PLACES: dict[str, dict[str, str]] = {
    "oregon": {"render": "oregon", "fly": "sjc", "supabase": "us-west-2", "upstash": "us-west-2",
               "aws": "us-west-2"},
    "ohio": {"render": "ohio", "fly": "ord", "supabase": "us-east-2", "upstash": "us-east-2",
             "aws": "us-east-2"},
    "virginia": {"render": "virginia", "fly": "iad", "supabase": "us-east-1",
                 "upstash": "us-east-1", "aws": "us-east-1"},
    "frankfurt": {"render": "frankfurt", "fly": "fra", "supabase": "eu-central-1",
                  "upstash": "eu-central-1", "aws": "eu-central-1"},
    "singapore": {"render": "singapore", "fly": "sin", "supabase": "ap-southeast-1",
                  "upstash": "ap-southeast-1", "aws": "ap-southeast-1"},
}  # fmt: skip

RenderRegion = Literal["frankfurt", "oregon", "ohio", "singapore", "virginia"]
#: Fly.io's regions after its 2025 consolidation (fly.io/docs/reference/regions/).
FlyRegion = Literal[
    "ams", "arn", "bom", "cdg", "dfw", "ewr", "fra", "gru", "iad", "jnb", "lax", "lhr", "nrt",
    "ord", "sin", "sjc", "syd", "yyz",
]  # fmt: skip
#: The region enum of the Supabase Management API's V1CreateProjectBody.
SupabaseRegion = Literal[
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ap-east-1", "ap-southeast-1",
    "ap-northeast-1", "ap-northeast-2", "ap-southeast-2", "eu-west-1", "eu-west-2", "eu-west-3",
    "eu-north-1", "eu-central-1", "eu-central-2", "ca-central-1", "ap-south-1", "sa-east-1",
]  # fmt: skip
#: Upstash's primary regions (AWS and GCP), as in its developer API.
UpstashRegion = Literal[
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-central-1",
    "eu-west-1", "eu-west-2", "sa-east-1", "ap-south-1", "ap-northeast-1", "ap-southeast-1",
    "ap-southeast-2", "af-south-1", "us-central1", "us-east4", "europe-west1", "asia-northeast1",
]  # fmt: skip


def vendor_region(vendor: Vendor, place: Place, override: str | None = None) -> str:
    """The vendor's region code: the component's own override, else the stack's place."""
    return override if override is not None else PLACES[place][vendor]
