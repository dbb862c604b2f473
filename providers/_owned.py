"""The ownership checks every vendor resource runs before it adopts, changes or deletes an object.

The rule that matters here (DESIGN.md section 3): ``create`` adopts an existing object only if
it carries this stack's marker, if this very run created it (a lost answer: it was absent just
before our create), or if ``adopt_id`` names it; ``update`` refuses an object another stack
marked (unless ``adopt_id`` names it) and marks one that has no marker yet (it is in this
stack's state, so it was made before markers existed); ``delete`` refuses an object whose marker
is no longer the one this stack recorded. Each check reads before anything is written.

A provider says where its kind keeps the marker (``ownership``) and, when it is ``MARKED``, how
to read (``owners``, ``owners_at``) and write (``claim``) it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from paas_stacks.providers._ownership import Marker, Ownership, Verdict, judge, refuse

__all__ = ["Owned"]

Live = dict[str, Any]


class Owned:
    """Mixed into ``VendorProvider``; the hooks below are what a vendor resource overrides."""

    #: Where this kind keeps its owner; see ``_ownership.Ownership``.
    ownership: ClassVar[Ownership] = Ownership.INHERITED

    # -- supplied by VendorProvider -------------------------------------------------------------
    def identify(self, live: Live) -> str:
        raise NotImplementedError

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        raise NotImplementedError

    def label(self, inputs: Mapping[str, Any], id_: str | None = None) -> str:
        raise NotImplementedError

    # -- hooks of a MARKED kind -------------------------------------------------------------------
    def owners(self, live: Live) -> list[Marker]:
        """The owner markers on a live object (may read more from the vendor)."""
        raise NotImplementedError

    def owners_at(self, id_: str, previous: Mapping[str, Any]) -> list[Marker] | None:
        """The markers on object ``id_``; ``None`` when it is gone. Override to read less."""
        live = self.fetch(id_, previous)
        return None if live is None else self.owners(live)

    def claim(self, id_: str, live: Live | None, ours: Marker, others: list[Marker]) -> None:
        """Write this stack's marker on the object and remove the ``others``."""
        raise NotImplementedError

    # -- the checks -------------------------------------------------------------------------------
    def admit(self, found: Live, props: Mapping[str, Any], *, appeared: bool) -> None:
        """May ``create`` adopt ``found``, the object with this resource's unique name?"""
        if self.ownership is Ownership.INHERITED:
            return
        ours = Marker.parse(props.get("owner"))
        markers = self.owners(found) if self.ownership is Ownership.MARKED else []
        verdict, other = judge(markers, ours)
        if verdict is Verdict.OURS:
            return
        object_id = self.identify(found)
        if verdict is Verdict.NONE and (appeared or ours is None):
            # It was absent a moment before our own create: the create whose answer was lost.
            # (No owner at all: a provider driven directly, outside a stack, as before markers.)
            if ours is not None and self.ownership is Ownership.MARKED:
                self.claim(object_id, found, ours, [])
            return
        unmarkable = self.ownership is Ownership.UNMARKABLE
        raise refuse(self.label(props), object_id, other, ours, unmarkable=unmarkable)

    def take_over(self, found: Live, props: Mapping[str, Any]) -> None:
        """``adopt_id`` named ``found``: it becomes this stack's, whoever marked it before."""
        ours = Marker.parse(props.get("owner"))
        if self.ownership is not Ownership.MARKED or ours is None:
            return
        markers = self.owners(found)
        if judge(markers, ours)[0] is not Verdict.OURS:
            others = [marker for marker in markers if marker.tag != ours.tag]
            self.claim(self.identify(found), found, ours, others)

    def guard_change(self, id_: str, news: Mapping[str, Any], olds: Mapping[str, Any]) -> None:
        """Before an update: refuse another stack's object, mark an unmarked one of ours."""
        ours = Marker.parse(news.get("owner"))
        if self.ownership is not Ownership.MARKED or ours is None:
            return
        markers = self.owners_at(id_, olds)
        if markers is None:
            return  # gone: the update itself says so
        verdict, other = judge(markers, ours)
        if verdict is Verdict.OURS:
            return
        if verdict is Verdict.FOREIGN and news.get("adopt_id") != id_:
            raise refuse(self.label(news, id_), id_, other, ours, action="change")
        self.claim(id_, None, ours, [marker for marker in markers if marker.tag != ours.tag])

    def guard_delete(self, id_: str, props: Mapping[str, Any]) -> bool:
        """Before a delete: the object must still carry the marker this stack recorded.
        False: it is gone already, so there is nothing to delete."""
        if self.ownership is not Ownership.MARKED:
            return True
        markers = self.owners_at(id_, props)
        if markers is None:
            return False
        recorded = Marker.parse(props.get("owner"))
        verdict, other = judge(markers, recorded)
        if verdict is Verdict.FOREIGN:
            raise refuse(self.label(props, id_), id_, other, recorded, action="delete")
        return True
