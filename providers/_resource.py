"""The CRUD skeleton of every vendor resource, so each rule of DESIGN.md section 3 lives once.

The rule that matters here: outputs always come from the vendor's answer, under the same keys as
the inputs they mirror. ``diff`` compares the desired inputs with those outputs over an explicit
key list, so an out-of-band change that ``refresh`` read back is an ordinary diff, and a second
``up`` with nothing changed makes no write call.

A subclass says what to compare and how to talk to the vendor: ``find`` (the unique name, for
adoption), ``create_new``, ``fetch``, ``change``, ``remove`` and ``observe`` (vendor object ->
outputs), and where its kind keeps the owner marker (``_owned.Owned``): adoption, changes and
deletions are checked against it. Credentials are read in ``configure`` from stack config or the
environment; nothing the provider holds at pickling time is secret. Every value under a key of
``secret_inputs`` is handed to the client's redaction before anything else happens, so no error
or progress line can show it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

import pulumi
from pulumi import dynamic
from pulumi.output import Unknown
from pulumi.runtime import rpc
from pydantic import BaseModel, ConfigDict, ValidationError

from paas_stacks._sdk_debug import quiet_sdk_debug
from paas_stacks.errors import ResourceError, VendorError
from paas_stacks.providers._failures import NamedErrors, present, reason, where
from paas_stacks.providers._http import HttpClient
from paas_stacks.providers._owned import Owned

__all__ = [
    "Inputs",
    "Live",
    "VendorProvider",
    "VendorResource",
    "is_unknown",
]

Live = dict[str, Any]
InputsT = TypeVar("InputsT", bound="Inputs")
ClientT = TypeVar("ClientT", bound=HttpClient)


class Inputs(BaseModel):
    """A resource's inputs, parsed from the engine's property bag at the top of each operation."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    #: Take over this existing vendor object on create instead of looking it up by name (and
    #: on update: take it over from the stack whose marker it carries).
    adopt_id: str | None = None
    #: The owning stack's marker (``owner.stack_owner``): what adoption and changes check.
    owner: str | None = None


def is_unknown(value: Any) -> bool:
    """True if ``value`` is, or contains, a value the engine does not know yet (preview)."""
    # Diff and Check get unknowns as ``Unknown`` objects (deserialized with keep_unknowns);
    # other paths see the sentinel string.
    if isinstance(value, Unknown) or value == rpc.UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(is_unknown(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(is_unknown(item) for item in value)
    return False


#: Keys every resource has that are bookkeeping, never compared with the vendor's values.
UNCOMPARED = ("adopt_id", "owner")


class VendorProvider(Owned, dynamic.ResourceProvider, Generic[InputsT, ClientT]):
    """Generic create/read/update/delete/diff for one vendor object kind."""

    #: How messages name the kind, e.g. ``Render Service``.
    kind: ClassVar[str]
    inputs_type: ClassVar[type[Inputs]]
    #: Input keys whose desired value is compared with the observed output of the same key;
    #: unless a provider lists them itself, every field of ``inputs_type`` but ``adopt_id``.
    compared: ClassVar[tuple[str, ...]]
    #: Input and output keys whose values are secret: never echoed, redacted from every line.
    secret_inputs: ClassVar[tuple[str, ...]] = ()
    #: Compared keys left alone when not declared (``None``): the vendor's value stands.
    optional: ClassVar[tuple[str, ...]] = ()
    #: Compared keys the vendor cannot change in place (documented on each resource).
    replace_on: ClassVar[tuple[str, ...]] = ()
    #: Delete the old object before creating its replacement (names unique at the vendor).
    delete_first: ClassVar[bool] = True

    # A class attribute, so an unconfigured instance pickles with an empty ``__dict__``.
    _client: ClientT | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Each field is declared once, on the Inputs model; a provider that compares derived
        # keys instead (Fly Machines' placement, digests) says so with its own ``compared``.
        if "inputs_type" in cls.__dict__ and "compared" not in cls.__dict__:
            fields = cls.inputs_type.model_fields
            cls.compared = tuple(key for key in fields if key not in UNCOMPARED)

    # -- what a vendor resource implements ------------------------------------------------------
    def connect(self, config: dynamic.Config | None) -> ClientT:
        """The vendor client, from stack config or the environment."""
        raise NotImplementedError

    def find(self, inputs: InputsT) -> Live | None:
        """The existing object with this resource's unique name, if any (for adoption)."""
        return None

    def create_new(self, inputs: InputsT) -> Live:
        raise NotImplementedError

    def fetch(self, id_: str, previous: Mapping[str, Any]) -> Live | None:
        """The live object, or ``None`` if it is gone."""
        raise NotImplementedError

    def change(
        self, id_: str, inputs: InputsT, changed: Sequence[str], previous: Mapping[str, Any]
    ) -> Live:
        """Apply the ``changed`` keys in place and return the object as it now is."""
        raise NotImplementedError

    def remove(self, id_: str, previous: Mapping[str, Any]) -> None:
        raise NotImplementedError

    def identify(self, live: Live) -> str:
        return str(live["id"])

    def observe(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        """Outputs from the vendor object. ``written`` holds what was last sent (new inputs on
        create/update, old outputs on read) for values the vendor never gives back."""
        raise NotImplementedError

    def settle(self, live: Live, inputs: InputsT) -> Live:
        """Wait until a new or changed object is usable; default: it already is."""
        return live

    def desired(self, inputs: InputsT) -> dict[str, Any]:
        """The compared keys in the form ``observe`` reports them."""
        return inputs.model_dump(include=set(self.compared))

    def label(self, inputs: Mapping[str, Any], id_: str | None = None) -> str:
        name = inputs.get("name") or id_ or "?"
        return f"{self.kind} '{name}'"

    # -- the engine's entry points ---------------------------------------------------------------
    def configure(self, req: dynamic.ConfigureRequest) -> None:
        self._client = self.connect(req.config)

    def redact(self, text: str) -> str:
        """``text`` without any credential or secret value this provider has handled."""
        return self._client.redact(text) if self._client is not None else text

    def hide(self, props: Mapping[str, Any]) -> None:
        """Hand every value under ``secret_inputs`` to the client's redaction."""
        values = [props.get(key) for key in self.secret_inputs]
        if any(value is not None for value in values):
            self.client.hide(values)

    def use(self, client: ClientT) -> None:
        """Give the provider a ready client (tests do this with an ``httpx.MockTransport``)."""
        self._client = client

    @property
    def client(self) -> ClientT:
        if self._client is None:
            self._client = self.connect(None)
        return self._client

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> dynamic.CheckResult:
        failures = [
            dynamic.CheckFailure(where(error), reason(error, self._hidden(error)))
            for error in self._validation_errors(news)
            if not is_unknown(news.get(str(error["loc"][0]) if error["loc"] else ""))
        ]
        return dynamic.CheckResult(news, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        changed = self.changed_keys(olds, news)
        replaces = [key for key in changed if key in self.replace_on]
        return dynamic.DiffResult(
            changes=bool(changed),
            replaces=replaces,
            delete_before_replace=self.delete_first if replaces else None,
        )

    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        with self._errors_named(props):
            self.hide(props)
            inputs = self.parse(props)
            live = self._adopt_or_create(inputs, props)
            live = self.settle(live, inputs)
            return dynamic.CreateResult(id_=self.identify(live), outs=self._outputs(live, props))

    def read(self, id_: str, props: dict[str, Any]) -> dynamic.ReadResult:
        with self._errors_named(props, id_):
            self.hide(props)
            live = self.fetch(id_, props)
            if live is None:
                # A blank id tells the engine the object is gone: refresh drops it, up recreates it.
                return dynamic.ReadResult(id_="", outs={})
            return dynamic.ReadResult(id_=self.identify(live), outs=self._outputs(live, props))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.UpdateResult:
        with self._errors_named(news, id_):
            self.hide(olds)
            self.hide(news)
            inputs = self.parse(news)
            changed = self.changed_keys(olds, news)
            self.guard_change(id_, news, olds)
            live = self.change(id_, inputs, changed, olds)
            live = self.settle(live, inputs)
            return dynamic.UpdateResult(outs=self._outputs(live, news))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        with self._errors_named(props, id_):
            self.hide(props)
            if self.guard_delete(id_, props):
                self.remove(id_, props)

    # -- shared mechanics ------------------------------------------------------------------------
    def parse(self, props: Mapping[str, Any]) -> InputsT:
        try:
            return self.inputs_type.model_validate(present(props))  # type: ignore[return-value]
        except ValidationError as exc:
            problems = "; ".join(f"{where(e)}: {reason(e, self._hidden(e))}" for e in exc.errors())
            raise ResourceError(f"{self.label(props)}: invalid inputs: {problems}") from None

    def changed_keys(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
        """Compared keys whose desired value differs from the observed one (unknown: changed)."""
        unknown = {key for key, value in news.items() if is_unknown(value)}
        known = {k: v for k, v in news.items() if k not in unknown}
        fill = {k: olds[k] for k in unknown if olds.get(k) is not None}
        try:
            desired = self.desired(self.parse({**fill, **known}))
        except ResourceError:
            # Unknowns the old outputs cannot stand in for: compare what is known as given.
            desired = {key: news.get(key) for key in self.compared}
        return [
            key
            for key in self.compared
            if key in unknown or self._differs(key, desired.get(key), olds.get(key))
        ]

    def _differs(self, key: str, desired: Any, observed: Any) -> bool:
        if desired is None and key in self.optional:
            return False
        return bool(desired != observed)

    def progress(self, message: str) -> None:
        """A line for the person running ``pulumi up`` while something slow happens."""
        print(self.redact(message), file=sys.stderr, flush=True)

    def _outputs(self, live: Live, written: Mapping[str, Any]) -> dict[str, Any]:
        """``observe`` plus the owner this stack holds the object under (``delete`` checks it)."""
        outs = self.observe(live, written)
        self.hide(outs)
        return {**outs, "owner": written.get("owner")}

    def _adopt_or_create(self, inputs: InputsT, props: Mapping[str, Any]) -> Live:
        """Look before writing; adopt only what ``admit`` allows; a create whose answer was lost
        is found again (it appeared since the look before it) and adopted, never redone."""
        if inputs.adopt_id:
            found = self.fetch(inputs.adopt_id, {})
            if found is None:
                raise ResourceError(f"adopt_id {inputs.adopt_id!r}: no such {self.kind}")
            self.take_over(found, props)
            return self._converge(found, inputs)
        absent = False
        for _attempt in range(3):
            found = self.find(inputs)
            if found is not None:
                self.admit(found, props, appeared=absent)
                return self._converge(found, inputs)
            absent = True
            try:
                return self.create_new(inputs)
            except VendorError as exc:
                if not exc.maybe_applied:
                    raise
                self.progress(f"{self.kind}: create answer lost ({exc.message}); looking it up")
        found = self.find(inputs)
        if found is None:
            raise ResourceError(f"{self.kind}: create failed three times without an answer")
        self.admit(found, props, appeared=True)
        return self._converge(found, inputs)

    def _converge(self, found: Live, inputs: InputsT) -> Live:
        """An adopted object is brought to the declared inputs, like an update would."""
        observed = self.observe(found, {})
        desired = self.desired(inputs)
        changed = [
            key for key in self.compared if self._differs(key, desired.get(key), observed.get(key))
        ]
        if not changed:
            return found
        return self.change(self.identify(found), inputs, changed, observed)

    def _hidden(self, error: Any) -> bool:
        top = str(error["loc"][0]) if error["loc"] else ""
        return top in self.secret_inputs or any(
            word in top for word in ("password", "secret", "token", "env")
        )

    def _validation_errors(self, news: Mapping[str, Any]) -> list[Any]:
        try:
            self.inputs_type.model_validate(present(news))
        except ValidationError as exc:
            return list(exc.errors())
        return []

    def _errors_named(self, props: Mapping[str, Any], id_: str | None = None) -> NamedErrors:
        return NamedErrors(self.label(props, id_), self.redact)


class VendorResource(dynamic.Resource):
    """A dynamic resource whose outputs are declared up front and sensitive ones kept secret."""

    def __init__(
        self,
        provider: dynamic.ResourceProvider,
        name: str,
        inputs: Mapping[str, Any],
        *,
        outputs: Iterable[str],
        secret_outputs: Sequence[str] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        quiet_sdk_debug()  # a program may use the providers without any component
        props: dict[str, Any] = dict(inputs)
        outputs = tuple(outputs)
        for key in outputs:
            props.setdefault(key, None)
        # Imported here: both modules import this one.
        from paas_stacks.providers import floor  # noqa: PLC0415
        from paas_stacks.providers.owner import stack_owner  # noqa: PLC0415

        # Every object is marked as the running stack's, and checked against that mark.
        props.setdefault("owner", stack_owner())

        if floor.enabled():  # the benchmark floor: same graph, a provider that makes no call
            provider = floor.FloorProvider(outputs)
        secrets = pulumi.ResourceOptions(additional_secret_outputs=list(secret_outputs))
        super().__init__(provider, name, props, pulumi.ResourceOptions.merge(secrets, opts))
