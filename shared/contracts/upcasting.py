"""Upcasters: how a consumer of version N reads a message written as an older version.

A breaking change to an event is a new contract class with `VERSION` one higher (DESIGN §3). Old
messages stay in the streams for a year and a replay re-drives them, so the new version registers
an upcaster from the previous one: a pure function from the old body (JSON as a dict) to the new.
The subscriber follows the chain v1 → v2 → … until it reaches a version its handlers accept, then
validates the result against that contract as if it had been sent so.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from shared.contracts.base import Event

__all__ = ["Upcaster", "register_upcaster", "registered_upcasters", "upcast", "upcast_target"]

#: Old body in, new body out; never I/O, never the clock.
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

_CHAIN: dict[str, tuple[str, Upcaster]] = {}


def register_upcaster(old_type: str, new: type[Event]) -> Callable[[Upcaster], Upcaster]:
    """Decorate the function that turns a body of CloudEvents type `old_type` into one of `new`."""
    new_type = new.ce_type()
    if old_type == new_type:
        raise ValueError(f"an upcaster must change the version, not keep {old_type}")

    def decorate(fn: Upcaster) -> Upcaster:
        known = _CHAIN.get(old_type)
        if known is not None and known[0] != new_type:
            raise TypeError(f"{old_type} already upcasts to {known[0]}")
        _CHAIN[old_type] = (new_type, fn)
        return fn

    return decorate


def upcast(ce_type: str, body: dict[str, Any], accepted: Collection[str]) -> tuple[str, dict[str, Any]] | None:
    """Follow the chain from `ce_type` to the first type in `accepted`; None when it leads nowhere."""
    seen = {ce_type}
    while ce_type not in accepted:
        step = _CHAIN.get(ce_type)
        if step is None:
            return None
        ce_type, fn = step[0], step[1]
        if ce_type in seen:
            raise RuntimeError(f"upcasters form a loop at {ce_type}")
        seen.add(ce_type)
        body = fn(body)
    return ce_type, body


def upcast_target(ce_type: str, accepted: Collection[str]) -> str | None:
    """The first type in `accepted` the chain from `ce_type` reaches, without reading a body; or None."""
    seen = {ce_type}
    while ce_type not in accepted:
        step = _CHAIN.get(ce_type)
        if step is None or step[0] in seen:
            return None
        ce_type = step[0]
        seen.add(ce_type)
    return ce_type


def registered_upcasters() -> dict[str, str]:
    """Old type → new type, for docs and tests."""
    return {old: new for old, (new, _fn) in _CHAIN.items()}
