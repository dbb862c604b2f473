"""The orphan search over HTTP against the sandbox, one marked kind at a time (no engine).

Per kind, objects are made on the sandbox directly through the provider: two with this preview
stack's marker (one in its state, one an orphan), one with another stack's marker, one with
none. Cleaning deletes the orphan only; the three others keep existing, with their markers.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from paas_stacks.preview.orphans import SOURCES, StateView, Vendors
from paas_stacks.providers._ownership import Marker
from sandbox import Sandbox
from tests.against_sandbox.test_ownership import MARKED, Kind, connect, unique


def marker(stack: str) -> Marker:
    return Marker(uuid.uuid4().hex[:12], f"organization/paas-stacks/{stack}")


def tags(provider: Any, object_id: str) -> list[str] | None:
    found = provider.owners_at(object_id, {})
    return None if found is None else sorted(m.tag for m in found)


@pytest.mark.parametrize("kind", MARKED, ids=lambda k: k.provider.__name__)
def test_only_the_stacks_own_object_missing_from_its_state_is_deleted(
    kind: Kind, sandbox: Sandbox
) -> None:
    ours, theirs = marker("pr-77"), marker("pr-78")
    provider = connect(kind, sandbox)

    def make(prefix: str, owner: Marker | None) -> str:
        declared = kind.declare(sandbox, unique(prefix))
        made = provider.create({**declared, **({"owner": str(owner)} if owner else {})})
        return str(made.id)

    kept, orphan = make("kept", ours), make("orphan", ours)
    foreign, unmarked = make("theirs", theirs), make("nobody", None)
    (source,) = [s for s in SOURCES if s.provider is kind.provider]
    vendors = Vendors(sources=(source,), clients={source.vendor: kind.client(sandbox)})

    listed = StateView("pr-77", ours, frozenset({kept})).clean(vendors, delete=False)
    found = [line for line in listed if line.startswith("orphan found")]
    assert len(found) == 1, listed
    assert f" {orphan} " in found[0]
    assert tags(provider, orphan) == [ours.tag]  # listing wrote nothing

    lines = StateView("pr-77", ours, frozenset({kept})).clean(vendors, delete=True)
    deleted = [line for line in lines if line.startswith("orphan deleted")]
    assert len(deleted) == 1, lines
    assert f" {orphan} " in deleted[0]
    assert tags(provider, orphan) is None
    assert tags(provider, kept) == [ours.tag]
    assert tags(provider, foreign) == [theirs.tag]
    assert tags(provider, unmarked) == []

    for object_id, owner in ((kept, ours), (foreign, theirs)):
        provider.delete(object_id, {"owner": str(owner)})
    provider.delete(unmarked, {})
