"""Rebuild at scale: split the evidence into connected components with one vectorised pass.

No link joins two connected components of the co-observation graph (identifiers seen in one
event, plus must-link sets), so :func:`resolution.resolve` of the whole evidence is the union
of its results per component. Most components are plain: no type over its limit, no
cannot-link or must-link, no carrier cut into sessions (a logout, or a second account). In a
plain component every union succeeds, so it is one person and the constrained union
(Kruskal) can be skipped (:func:`resolution.resolve_unconstrained`); the constrained pass runs
only on the components where a limit, a constraint or a session cut can bite.

Events are held as compact columns (numpy arrays and one list of ids), not one object per
event; :class:`Event` objects are made one chunk of components at a time, so memory follows
the chunk, not the graph. The split (connected components) and the per-component pass are
kept apart so either can move to another engine.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.events import Event, EventType
from graph_identity.domain.identifiers import CARRIER_TYPES, Identifier, IdentifierType
from graph_identity.domain.resolution import (
    Constraints,
    Partition,
    resolve,
    resolve_unconstrained,
    union_of,
)
from graph_identity.domain.values import epoch_us, instant

EVENT_TYPES = list(EventType)
KEY_TYPES = list(IdentifierType)
_EVENT_CODE = {t.value: n for n, t in enumerate(EVENT_TYPES)}
_KEY_CODE = {t.value: n for n, t in enumerate(KEY_TYPES)}
#: events per chunk of components resolved (and written) together
CHUNK_EVENTS = 50_000

NO_CONSTRAINTS = Constraints()

IntArray = npt.NDArray[np.int64]
T = TypeVar("T", bound=np.generic)


@dataclass(slots=True)
class EventColumns:
    """Every event as columns: ids, instants, type and key codes, and a CSR of keys."""

    ids: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # key code -> identifier key
    _code: dict[str, int] = field(default_factory=dict)
    _at: list[npt.NDArray[np.int64]] = field(default_factory=list)
    _type: list[npt.NDArray[np.int8]] = field(default_factory=list)
    _verified: list[npt.NDArray[np.bool_]] = field(default_factory=list)
    _sizes: list[npt.NDArray[np.int64]] = field(default_factory=list)
    _observed: list[npt.NDArray[np.int64]] = field(default_factory=list)

    def add(
        self,
        ids: Sequence[str],
        at_us: Sequence[int],
        types: Sequence[str],
        verified: Sequence[bool],
        keys: Sequence[Sequence[str]],
    ) -> None:
        """Append one page of events (parallel sequences, as one read returns them)."""
        code = self._code
        observed: list[int] = []
        if not all(keys):  # an event that observes nothing links nothing
            kept = [n for n, k in enumerate(keys) if k]
            ids, at_us = [ids[n] for n in kept], [at_us[n] for n in kept]
            types, verified = [types[n] for n in kept], [verified[n] for n in kept]
            keys = [keys[n] for n in kept]
        for event_keys in keys:
            # in key order, which is Identifier order (type, then value): no type name is a
            # prefix of another, so Event objects need no sort of their own
            for key in sorted(event_keys):
                n = code.get(key)
                if n is None:
                    n = code[key] = len(self.keys)
                    self.keys.append(key)
                observed.append(n)
        self.ids.extend(ids)
        self._at.append(np.asarray(at_us, dtype=np.int64))
        self._type.append(np.fromiter((_EVENT_CODE[t] for t in types), np.int8, len(types)))
        self._verified.append(np.asarray(verified, dtype=np.bool_))
        self._sizes.append(np.fromiter((len(k) for k in keys), np.int64, len(keys)))
        self._observed.append(np.asarray(observed, dtype=np.int64))

    def freeze(self) -> Frozen:
        sizes = _cat(self._sizes, np.int64)
        offsets = np.zeros(len(sizes) + 1, np.int64)
        np.cumsum(sizes, out=offsets[1:])
        key_type = np.fromiter(
            (_KEY_CODE[k.partition(":")[0]] for k in self.keys), np.int8, len(self.keys)
        )
        return Frozen(
            self.ids,
            self.keys,
            self._code,
            _cat(self._at, np.int64),
            _cat(self._type, np.int8),
            _cat(self._verified, np.bool_),
            offsets,
            _cat(self._observed, np.int64),
            key_type,
        )


def _cat(parts: list[npt.NDArray[T]], dtype: type[T]) -> npt.NDArray[T]:
    return np.concatenate(parts) if parts else np.zeros(0, dtype)


@dataclass(frozen=True, slots=True)
class Frozen:
    """Read-only columns of every event (see :class:`EventColumns`)."""

    ids: list[str]
    keys: list[str]
    code: dict[str, int]
    at_us: npt.NDArray[np.int64]
    type: npt.NDArray[np.int8]
    verified: npt.NDArray[np.bool_]
    offsets: npt.NDArray[np.int64]  # event n observes observed[offsets[n]:offsets[n + 1]]
    observed: npt.NDArray[np.int64]  # key codes
    key_type: npt.NDArray[np.int8]

    def events(self, rows: Iterable[int]) -> list[Event]:
        """Event objects for the given rows (only identifiers and what resolution reads)."""
        made: dict[int, Identifier] = {}
        out = []
        for n in rows:
            identifiers = []
            for code in self.observed[self.offsets[n] : self.offsets[n + 1]].tolist():
                ident = made.get(code)
                if ident is None:
                    ident = made[code] = Identifier.from_key(self.keys[code])
                identifiers.append(ident)
            out.append(
                Event(
                    self.ids[n],
                    instant(int(self.at_us[n])),
                    EVENT_TYPES[self.type[n]],
                    tuple(identifiers),
                    verified=bool(self.verified[n]),
                )
            )
        return out


def columns_of(events: Iterable[Event]) -> Frozen:
    """Columns of events already in memory (tests, small worlds)."""
    columns = EventColumns()
    events = list({e.id: e for e in events}.values())
    columns.add(
        [e.id for e in events],
        [epoch_us(e.at) for e in events],
        [e.type.value for e in events],
        [e.verified for e in events],
        [[i.key for i in e.identifiers] for e in events],
    )
    return columns.freeze()


def label(n: int, a: IntArray, b: IntArray) -> IntArray:
    """Connected component of each of ``n`` nodes joined by the edges ``a[i]``-``b[i]``."""
    from scipy.sparse import coo_matrix  # heavy: only rebuild needs it
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(a), np.int8), (a, b)), shape=(n, n)).tocsr()
    _, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int64)


def _groups(code: dict[str, int], sets: Iterable[Iterable[str]]) -> tuple[IntArray, IntArray]:
    """Edges joining the known keys of each set (a star from its first key)."""
    a: list[int] = []
    b: list[int] = []
    for keys in sets:
        known = [code[k] for k in sorted(keys) if k in code]
        a += known[:1] * (len(known) - 1)
        b += known[1:]
    return np.asarray(a, np.int64), np.asarray(b, np.int64)


@dataclass(frozen=True, slots=True)
class Split:
    """The components of the evidence and which of them the constrained pass must see."""

    component: IntArray  # key code -> component
    constrained: npt.NDArray[np.bool_]  # component -> a limit, constraint or cut can bite
    chunk_of: IntArray  # key code -> chunk (components, or old persons, never cut)
    event_component: IntArray  # event row -> component


def split(
    columns: Frozen,
    config: ResolutionConfig,
    constraints: Constraints = NO_CONSTRAINTS,
    held_together: Iterable[Iterable[str]] = (),
) -> Split:
    """Components (vectorised), their classification, and chunks of whole components.

    ``held_together`` are key sets a chunk must not cut (the keys of each stored person, so
    one write-back keeps its id stable)."""
    n_keys, n_events = len(columns.keys), len(columns.ids)
    sizes = np.diff(columns.offsets)  # every event observes at least one key
    event_of = np.repeat(np.arange(n_events, dtype=np.int64), sizes)
    first = columns.observed[columns.offsets[:-1]]
    head = first[event_of]
    ma, mb = _groups(columns.code, constraints.must_link)
    component = label(n_keys, np.concatenate([head, ma]), np.concatenate([columns.observed, mb]))
    n_components = int(component.max()) + 1 if n_keys else 0

    counts = np.bincount(
        component * len(KEY_TYPES) + columns.key_type, minlength=n_components * len(KEY_TYPES)
    ).reshape(n_components, len(KEY_TYPES))
    limits = np.array([config.limit(t) for t in KEY_TYPES], np.int64)
    constrained = (counts > limits).any(axis=1)
    constrained |= counts[:, KEY_TYPES.index(IdentifierType.ACCOUNT)] > 1
    carrier = np.isin(columns.key_type, [KEY_TYPES.index(t) for t in CARRIER_TYPES])
    logout = columns.type[event_of] == EVENT_TYPES.index(EventType.LOGOUT)
    cut = columns.observed[logout & carrier[columns.observed]]
    constrained[component[cut]] = True
    named = [
        columns.code[k]
        for side in (*constraints.must_link, *(k for pair in constraints.cannot_link for k in pair))
        for k in side
        if k in columns.code
    ]
    constrained[component[np.asarray(named, np.int64)]] = True

    ha, hb = _groups(columns.code, held_together)
    chunk_of = component
    if len(ha):
        chunk_of = label(
            n_keys, np.concatenate([head, ma, ha]), np.concatenate([columns.observed, mb, hb])
        )
    return Split(component, constrained, chunk_of, component[first])


@dataclass(frozen=True, slots=True)
class Chunk:
    """Whole components resolved and written together."""

    plain: list[int]  # event rows in components no limit, constraint or cut touches
    constrained: list[int]  # event rows the constrained pass must see
    keys: list[str]


def chunks(columns: Frozen, parts: Split, size: int = CHUNK_EVENTS) -> Iterator[Chunk]:
    """Chunks of about ``size`` events, each a union of whole chunk-components."""
    if not columns.ids:
        return
    first_key = columns.observed[columns.offsets[:-1]]
    event_chunk = parts.chunk_of[first_key]
    order = np.argsort(event_chunk, kind="stable")
    bounds = np.flatnonzero(np.diff(event_chunk[order])) + 1
    rows: list[int] = []
    starts = [0, *bounds.tolist(), len(order)]
    for lo, hi in itertools.pairwise(starts):
        rows += order[lo:hi].tolist()
        if len(rows) >= size or hi == len(order):
            yield _chunk(columns, parts, rows)
            rows = []


def _chunk(columns: Frozen, parts: Split, rows: list[int]) -> Chunk:
    picked = np.asarray(rows, np.int64)
    plain_mask = ~parts.constrained[parts.event_component[picked]]
    codes = np.unique(
        np.concatenate(
            [columns.observed[columns.offsets[r] : columns.offsets[r + 1]] for r in rows]
        )
    )
    return Chunk(
        picked[plain_mask].tolist(),
        picked[~plain_mask].tolist(),
        [columns.keys[c] for c in codes.tolist()],
    )


def resolve_chunk(
    columns: Frozen,
    parts: Split,
    chunk: Chunk,
    config: ResolutionConfig,
    constraints: Constraints = NO_CONSTRAINTS,
) -> Partition:
    """resolve() of the chunk's events: the plain components straight from their labels,
    the others through the constrained pass."""
    plain = columns.events(chunk.plain)
    component_of = {
        i.key: int(parts.component[columns.code[i.key]]) for e in plain for i in e.identifiers
    }
    return union_of(
        [
            resolve_unconstrained(plain, config, component_of),
            resolve(columns.events(chunk.constrained), config, constraints),
        ]
    )


def resolve_in_components(
    events: Iterable[Event],
    config: ResolutionConfig,
    constraints: Constraints = NO_CONSTRAINTS,
    *,
    size: int = CHUNK_EVENTS,
) -> Partition:
    """resolve() computed the way rebuild does (equal to it; the tests hold it to that)."""
    columns = columns_of(events)
    parts = split(columns, config, constraints)
    return union_of(
        resolve_chunk(columns, parts, chunk, config, constraints)
        for chunk in chunks(columns, parts, size)
    )
