"""Values from a contract's JSON schema: ones that fit it, and one field made wrong on purpose.

The suite needs bodies that are right except for one fault, so a service cannot refuse them for
some other reason than the one under test. pydantic's JSON schema of a contract says enough for
that: types, formats, lengths, patterns, bounds, enums, required and forbidden fields.

Every fault here is one pydantic refuses whatever the rest of the body holds (a wrong JSON type it
does not coerce, a broken bound, a missing required or an unknown field), so a body with a fault
is invalid by construction, not by luck.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

__all__ = ["Fault", "Schema", "contract_body", "faulty_body", "valid_body", "valid_value"]

Json = Any
Schema = Mapping[str, Any]

_TIME_FORMATS = ("date", "date-time")
#: The longest text a faulty body makes too long on purpose. A longer limit (ImportPlan.csv allows
#: 5,000,000 characters) cannot be overrun in one message: NATS refuses anything over its 1 MiB
#: max_payload before any service sees it, and oversized requests have their own test.
_SENDABLE_TEXT = 512 * 1024
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


def _resolve(schema: Schema, defs: Mapping[str, Schema]) -> Schema:
    ref = schema.get("$ref")
    if ref is not None:
        return _resolve(defs[ref.rsplit("/", 1)[-1]], defs)
    return schema


def _options(schema: Schema, defs: Mapping[str, Schema]) -> list[Schema]:
    """The non-null alternatives of a field (`X | None` is `anyOf: [X, null]`)."""
    schema = _resolve(schema, defs)
    if "anyOf" in schema:
        return [_resolve(o, defs) for o in schema["anyOf"] if o.get("type") != "null"]
    return [schema]


def _nullable(schema: Schema, defs: Mapping[str, Schema]) -> bool:
    schema = _resolve(schema, defs)
    return any(o.get("type") == "null" for o in schema.get("anyOf", ()))


def _string(schema: Schema) -> st.SearchStrategy[str]:
    fmt = schema.get("format")
    if "enum" in schema:
        return st.sampled_from(list(schema["enum"]))
    if "const" in schema:
        return st.just(schema["const"])
    if fmt == "uuid":
        return st.uuids().map(str)
    if fmt == "date":
        return st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)).map(dt.date.isoformat)
    if fmt == "date-time":
        return st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2035, 12, 31)).map(
            lambda d: d.replace(tzinfo=dt.UTC).isoformat()
        )
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True, alphabet=st.characters(codec="ascii"))
    low = schema.get("minLength", 0)
    high = min(schema.get("maxLength", low + 12), low + 12)
    return st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=low, max_size=high)


def valid_value(schema: Schema, defs: Mapping[str, Schema], *, odd: bool = False) -> st.SearchStrategy[Json]:
    """A value that fits `schema` field by field (cross-field rules aside); `odd`: often an extreme one."""
    normal = _valid_value(schema, defs, odd=odd)
    if not odd:
        return normal
    edges = _odd_value(_options(schema, defs)[0] if _options(schema, defs) else {}, defs)
    return normal if edges is None else st.one_of(normal, edges)


def _valid_value(schema: Schema, defs: Mapping[str, Schema], *, odd: bool) -> st.SearchStrategy[Json]:
    options = _options(schema, defs)
    if _nullable(schema, defs) and not options:
        return st.none()
    chosen = options[0]
    kind = chosen.get("type")
    if "enum" in chosen or "const" in chosen or kind == "string":
        return _string(chosen)
    if kind == "integer":
        low = chosen.get("minimum", chosen.get("exclusiveMinimum", -1) + 1)
        return st.integers(low, chosen.get("maximum", low + 50))
    if kind == "number":
        low = chosen.get("minimum", chosen.get("exclusiveMinimum", 0) + 1)
        return st.integers(int(low) * 100, int(low) * 100 + 100_000).map(lambda cents: cents / 100)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        items = chosen.get("items", {})
        low = chosen.get("minItems", 0)
        return st.lists(valid_value(items, defs, odd=odd), min_size=low, max_size=max(low, 2))
    if kind == "object" and "properties" in chosen:
        return _object(chosen, defs, odd=odd)
    if kind == "object":
        values = chosen.get("additionalProperties")
        keys = _string(chosen.get("propertyNames", {"type": "string", "minLength": 1}))
        return st.dictionaries(keys, valid_value(values if isinstance(values, dict) else {}, defs, odd=odd), max_size=2)
    return st.none()


# Values a contract accepts but careless code (or a database column) may not: the ends of the
# calendar, integers past 32 and 64 bits, the most digits money may have, text at its maximum
# length in multi-byte characters or very long where no maximum is set, and Unicode that is valid
# but unusual (bidirectional overrides, combining marks, zero-width and line separators).
_ODD_TEXT = ["\u202eevil\u202c", "e\u0301\u0301\u0301", "👩‍👩‍👧‍👦", "\u200b", "a\u2028b", "ﷺ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", " ", "١٢٣٤"]
_ODD_DATES = ["0001-01-01", "9999-12-31", "1970-01-01", "2000-02-29", "2100-12-31"]
_ODD_TIMES = [
    "9999-12-31T23:59:59.999999+00:00",
    "0001-01-01T00:00:00+00:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "2026-03-29T02:30:00+14:00",
    "1970-01-01T00:00:00Z",
]
_ODD_UUIDS = ["00000000-0000-0000-0000-000000000000", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"]
_ODD_INTS = [0, -1, 2**31 - 1, 2**31, -(2**31) - 1, 2**63 - 1, 2**63, -(2**63) - 1, 2**64, 10**30]


def _odd_value(schema: Schema, defs: Mapping[str, Schema]) -> st.SearchStrategy[Json] | None:
    kind = schema.get("type")
    fmt = schema.get("format")
    if "enum" in schema or "const" in schema:
        return None
    if kind == "string" and "pattern" in schema:
        # Any alphabet the pattern allows: `\d` matches Arabic-Indic digits too.
        return st.from_regex(schema["pattern"], fullmatch=True)
    if fmt == "uuid":
        return st.sampled_from(_ODD_UUIDS)
    if fmt == "date":
        return st.sampled_from(_ODD_DATES)
    if fmt == "date-time":
        return st.sampled_from(_ODD_TIMES)
    if kind == "string":
        low, high = schema.get("minLength", 0), schema.get("maxLength")
        texts = [t for t in _ODD_TEXT if low <= len(t) <= (high or len(t))]
        choices: list[st.SearchStrategy[Json]] = [st.sampled_from(texts)] if texts else []
        # At most 20,000 characters: a body has several texts and must stay under the NATS limit.
        if high is not None:
            longest: int = min(high, 20_000)
            choices.append(st.sampled_from(["€", "👍", "x"]).map(lambda c: c * longest))
        else:
            choices.append(st.integers(2_000, 20_000).map(lambda n: "é" * n))
        return st.one_of(choices)
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        ints = [i for i in _ODD_INTS if (low is None or i >= low) and (high is None or i <= high)]
        ints += [b for b in (low, high) if b is not None]
        return st.sampled_from(sorted(set(ints)))
    if kind == "number":
        # Decimals travel as strings too (`anyOf: [number, string]`): the largest money has 15 digits.
        floor = schema.get("exclusiveMinimum")
        amounts = ["9999999999999.99", "0.01", "1E+2", "-9999999999999.99", "0.00", "100.10"]
        return st.sampled_from([a for a in amounts if floor is None or float(a) > floor])
    return None


def _object(schema: Schema, defs: Mapping[str, Schema], *, odd: bool = False) -> st.SearchStrategy[dict[str, Json]]:
    required = set(schema.get("required", ()))
    fields = {
        name: valid_value(sub, defs, odd=odd and name != "command_id")
        if name in required
        else st.one_of(st.just(_ABSENT), valid_value(sub, defs, odd=odd))
        for name, sub in schema["properties"].items()
    }
    return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not _ABSENT})


_ABSENT = object()


@functools.cache
def contract_body(model: type[BaseModel], *, odd: bool = False) -> st.SearchStrategy[dict[str, Json]]:
    """`valid_body` of a contract, built once per contract and kind (see `faulty_body` for why)."""
    return valid_body(model.model_json_schema(), odd=odd)


def valid_body(schema: Schema, *, odd: bool = False) -> st.SearchStrategy[dict[str, Json]]:
    """A body whose every field fits the contract's schema (cross-field rules aside).

    `odd`: fields are often at the edges of what the schema allows (see `_odd_value`).
    """
    return _object(schema, schema.get("$defs", {}), odd=odd)


@dataclass(frozen=True)
class Fault:
    """Where the body was made wrong, and how: read in a failing example's report."""

    path: tuple[str, ...]
    kind: str
    value: Json = None


# JSON values pydantic never coerces into a field of each JSON type (lax mode included).
_WRONG_FOR: dict[str, st.SearchStrategy[Json]] = {
    "string": st.one_of(st.integers(), st.booleans(), st.lists(st.integers(), max_size=2), st.just({"x": 1})),
    # Not a bool, a float string or digits with underscores: pydantic reads those as integers.
    "integer": st.one_of(st.sampled_from(["abc", "", "twaalf", "12a"]), st.just([]), st.just({}), st.just(1.5)),
    "number": st.one_of(st.sampled_from(["abc", "1,5", "NaN?", "", "1e"]), st.just([]), st.just({"a": 1})),
    "boolean": st.one_of(st.sampled_from(["maybe", "ja", "2"]), st.just(2), st.just([]), st.just({})),
    "array": st.one_of(st.integers(), st.just({"a": 1}), st.booleans()),
    "object": st.one_of(st.integers(), st.just([1, 2]), _TEXT, st.booleans()),
}


def _broken(schema: Schema, defs: Mapping[str, Schema]) -> st.SearchStrategy[tuple[str, Json]]:
    """A value `schema` refuses: a wrong JSON type, or a broken format, bound or enum."""
    options = _options(schema, defs)
    kinds = {o.get("type", "string") for o in options}
    # Under `anyOf` a value must fit none of the alternatives: take what no alternative accepts.
    wrong: list[st.SearchStrategy[tuple[str, Json]]] = []
    if kinds <= {"string", "integer", "number", "boolean"}:
        wrong.append(st.sampled_from([[1, 2], {"nested": {"nonsense": [None]}}]).map(lambda v: ("wrong_type", v)))
    elif len(kinds) == 1:
        wrong.append(_WRONG_FOR[next(iter(kinds))].map(lambda v: ("wrong_type", v)))
    if any(o.get("format") in _TIME_FORMATS for o in options):
        # pydantic reads numbers (and digit strings) as Unix times: only containers are wrong here.
        wrong = [st.sampled_from([[1, 2], {"nested": {"nonsense": [None]}}]).map(lambda v: ("wrong_type", v))]
    if len(options) == 1:
        only = options[0]
        kind = only.get("type")
        if "enum" in only:
            wrong.append(_TEXT.filter(lambda s: s not in only["enum"]).map(lambda v: ("not_in_enum", v)))
        fmt = only.get("format")
        if fmt in ("uuid", *_TIME_FORMATS):
            garbage = st.sampled_from(["not-a-" + fmt, "2026-02-30", "🦆", "2026-13-01T25:61:00Z", "morgen"])
            wrong.append(garbage.map(lambda v: ("bad_format", v)))
        if kind == "string" and "maxLength" in only and only["maxLength"] < _SENDABLE_TEXT:
            wrong.append(st.integers(1, 64).map(lambda extra: ("too_long", "x" * (only["maxLength"] + extra))))
        if kind == "string" and only.get("minLength", 0) > 0:
            wrong.append(st.just(("too_short", "x" * (only["minLength"] - 1))))
        if kind == "string" and "pattern" in only:
            pattern = re.compile(only["pattern"])
            misfits = [v for v in ("abc", "12", "9" * 40, "١٢٣٤", "met spatie", "") if not pattern.fullmatch(v)]
            wrong.append(st.sampled_from(misfits).map(lambda v: ("pattern", v)))
        if kind == "integer" and "maximum" in only:
            wrong.append(st.integers(only["maximum"] + 1, 2**70).map(lambda v: ("above_maximum", v)))
        if kind == "integer" and "minimum" in only:
            wrong.append(st.integers(-(2**70), only["minimum"] - 1).map(lambda v: ("below_minimum", v)))
        if kind == "number" and "exclusiveMinimum" in only:
            wrong.append(st.just(("not_above_minimum", only["exclusiveMinimum"])))
        if kind == "array" and only.get("minItems", 0) > 0:
            wrong.append(st.just(("too_few_items", [])))
    return st.one_of(wrong)


Path = tuple[str, ...]


def _fields(schema: Schema, defs: Mapping[str, Schema], prefix: Path = ()) -> list[tuple[Path, Schema]]:
    """Every property of the body and of the objects nested in it (the first alternative's)."""
    found: list[tuple[Path, Schema]] = []
    for name, sub in schema.get("properties", {}).items():
        path = (*prefix, name)
        found.append((path, sub))
        nested = _options(sub, defs)
        if len(nested) == 1 and nested[0].get("type") == "object" and "properties" in nested[0]:
            found += _fields(nested[0], defs, path)
    return found


def _set(body: dict[str, Json], path: tuple[str, ...], value: Json) -> dict[str, Json]:
    """A copy of `body` with `path` set (creating the objects on the way when a field was absent)."""
    copy = dict(body)
    head, *rest = path
    if rest:
        inner = copy.get(head)
        copy[head] = _set(inner if isinstance(inner, dict) else {}, tuple(rest), value)
    else:
        copy[head] = value
    return copy


def _without(body: dict[str, Json], path: tuple[str, ...]) -> dict[str, Json]:
    copy = dict(body)
    head, *rest = path
    if not rest:
        copy.pop(head, None)
    elif isinstance(copy.get(head), dict):
        copy[head] = _without(copy[head], tuple(rest))
    return copy


def _object_at(schema: Schema, defs: Mapping[str, Schema], path: tuple[str, ...]) -> Schema:
    for name in path:
        schema = _options(schema["properties"][name], defs)[0]
    return schema


def faulty_body(schema: Schema) -> st.SearchStrategy[tuple[dict[str, Json], Fault]]:
    """A body that fits `schema` but for exactly one fault, and the fault.

    The strategies are built once, here, not at each draw: hypothesis validates a strategy the first
    time it draws from it, and a contract's body and its fields' faults rebuilt per draw cost more
    than the request they make.
    """
    defs = schema.get("$defs", {})
    bodies = _object(schema, defs)
    fields = _fields(schema, defs)
    broken = {path: _broken(sub, defs) for path, sub in fields}
    # What the schema says of each field is the same at every draw; only which objects are present varies.
    required = [path for path, _sub in fields if path[-1] in _object_at(schema, defs, path[:-1]).get("required", ())]
    closed = [
        path for path, sub in fields if any(o.get("additionalProperties") is False for o in _options(sub, defs)[:1])
    ]
    properties = {where: _object_at(schema, defs, where).get("properties", {}) for where in [(), *closed]}

    @st.composite
    def drawn(draw: st.DrawFn) -> tuple[dict[str, Json], Fault]:
        body = draw(bodies)
        kind = draw(st.sampled_from(["broken", "broken", "missing", "extra"]))
        if kind == "missing":
            # A required field of the body, or of a nested object that is present.
            candidates = [path for path in required if _present(body, path[:-1])]
            path = draw(st.sampled_from(candidates))
            return _without(body, path), Fault(path, "missing")
        if kind == "extra":
            objects = [()] + [path for path in closed if _present(body, path)]
            where = draw(st.sampled_from(objects))
            taken = properties[where]
            name = draw(st.text(min_size=1, max_size=20).filter(lambda n: n not in taken))
            value = draw(st.one_of(st.none(), st.integers(), _TEXT))
            return _set(body, (*where, name), value), Fault((*where, name), "extra", value)
        breakable = [path for path, _sub in fields if _present(body, path[:-1])]
        path = draw(st.sampled_from(breakable))
        how, value = draw(broken[path])
        return _set(body, path, value), Fault(path, how, value)

    return drawn()


def _present(body: dict[str, Json], path: tuple[str, ...]) -> bool:
    value: Json = body
    for name in path:
        if not isinstance(value, dict) or name not in value:
            return False
        value = value[name]
    return isinstance(value, dict)
