"""Where an environment runs: five places where Render, Fly.io, Supabase, Upstash and AWS all
have a site, so one line puts every component of an environment close together (the guides say
"Region: same as Supabase").

The rule that matters here: a component's default region is its vendor's code for the
environment's place, and ``DEFAULT_PLACE`` is the same whether a stack file or Python code
builds it, so both get the same region.
"""

from __future__ import annotations

from typing import Literal, cast, get_args

__all__ = ["DEFAULT_PLACE", "FLY_NEAREST", "PLACES", "Place", "Vendor", "place_of", "region_of"]

Place = Literal["oregon", "ohio", "virginia", "frankfurt", "singapore"]
Vendor = Literal["render", "fly", "supabase", "upstash", "aws"]
DEFAULT_PLACE: Place = "oregon"

PLACES: dict[Place, dict[Vendor, str]] = {
    "oregon": {
        "render": "oregon",
        "fly": "sjc",
        "supabase": "us-west-2",
        "upstash": "us-west-2",
        "aws": "us-west-2",
    },
    "ohio": {
        "render": "ohio",
        "fly": "ord",
        "supabase": "us-east-2",
        "upstash": "us-east-2",
        "aws": "us-east-2",
    },
    "virginia": {
        "render": "virginia",
        "fly": "iad",
        "supabase": "us-east-1",
        "upstash": "us-east-1",
        "aws": "us-east-1",
    },
    "frankfurt": {
        "render": "frankfurt",
        "fly": "fra",
        "supabase": "eu-central-1",
        "upstash": "eu-central-1",
        "aws": "eu-central-1",
    },
    "singapore": {
        "render": "singapore",
        "fly": "sin",
        "supabase": "ap-southeast-1",
        "upstash": "ap-southeast-1",
        "aws": "ap-southeast-1",
    },
}
assert set(PLACES) == set(get_args(Place))  # noqa: S101 - a table that must cover its Literal


#: An environment may name any Fly region instead of a place: Fly gets that region, every other
#: vendor the region of the nearest place (the five places are where all five vendors are).
FLY_NEAREST: dict[str, Place] = {
    "ams": "frankfurt",
    "arn": "frankfurt",
    "bom": "singapore",
    "cdg": "frankfurt",
    "dfw": "ohio",
    "ewr": "virginia",
    "fra": "frankfurt",
    "gru": "virginia",
    "iad": "virginia",
    "jnb": "frankfurt",
    "lax": "oregon",
    "lhr": "frankfurt",
    "nrt": "singapore",
    "ord": "ohio",
    "sin": "singapore",
    "sjc": "oregon",
    "syd": "singapore",
    "yyz": "ohio",
}


def place_of(where: str) -> Place:
    """The place an environment's ``region`` (a place or a Fly region) stands for."""
    nearest = FLY_NEAREST.get(where)
    return nearest if nearest is not None else cast("Place", where)


def region_of(vendor: Vendor, place: str = DEFAULT_PLACE) -> str:
    """The vendor's region code for ``place`` (a place, or a Fly region: Fly gets it as is)."""
    if place in FLY_NEAREST and vendor == "fly":
        return place
    return PLACES[place_of(place)][vendor]
