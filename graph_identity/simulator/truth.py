"""The ground truth of a simulated world: who really owns, shares and does what.

Keys are identifier keys in the normalised form the engine uses, ``"TYPE:value"``
(``"EMAIL:ann@example.com"``, ``"PHONE:+14155550123"``). Ownership is derived from usage, not
declared: every event names the person whose identity it carries (its *subject*, normally the
actor), and an identifier used by exactly one person is owned by that person, by two or more is
shared. Placeholders and invalid values (which the engine refuses) are kept apart in ``junk``.

Attribution by the contract (section 4.4), for a touchpoint whose actor is ``a``. It is
*attributable* when at least one of these holds:

1. it carries an ACCOUNT held by ``a``;
2. it carries an EMAIL or PHONE owned by ``a`` (not shared);
3. it carries a COOKIE or DEVICE that is owned (not shared);
4. it carries a shared COOKIE or DEVICE and, on that carrier, either a session of one of ``a``'s
   accounts is open at that moment (``login <= at < logout``), or no session at all is open and
   the next LOGIN on the carrier is by ``a``'s account and at most the pre-login window (30
   minutes by default) later.

Everything else (a call from a recycled number, anonymous browsing on the family tablet that no
login follows, a message from a family email) is not attributable by the contract. An engine
may still place such an event (say, a call on the holder of the number at the time); the
metrics count that as beyond the contract, and score it like any other attribution.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from operator import attrgetter
from typing import Any, NamedTuple

from graph_identity.domain.events import EventType

_CARRIER_PREFIXES = ("COOKIE:", "DEVICE:")
_CARRIER_INITIALS = frozenset("CD")  # the five type names start with different letters
_TOUCHPOINTS = frozenset(t.value for t in EventType if t.is_touchpoint)
_SESSION_TYPES = frozenset({"LOGIN", "LOGOUT"})
_INFINITY = float("inf")


@dataclass(slots=True)
class Truth:
    """What really happened in a simulated world.

    - ``person_of``: identifier key -> the one person who used it.
    - ``shared``: identifier key -> the persons (two or more) who used it: household tablets,
      kiosks, family emails, recycled phone numbers, office phones, fraud devices (whose
      persons are the account holders whose accounts were used on it).
    - ``actor_of``: event id -> the person who performed it; None for a fraudster's logins
      (whoever did it is no customer of the world).
    - ``account_holder``: ACCOUNT key -> its holder.
    - ``touchpoints``: touchpoint event ids; ``unattributable``: those of them the contract does
      not let anyone attribute (module docstring); ``attributable_events`` is the rest.
    - ``junk``: raw ``"TYPE:value"`` keys of placeholder and invalid values in the events.
    - ``household_of``: person -> household; ``roles``: key -> what a special identifier is
      (``household_tablet``, ``kiosk``, ``fraud_device``, ``family_email``, ``recycled_phone``,
      ``office_phone``).
    """

    person_of: dict[str, str] = field(default_factory=dict)
    shared: dict[str, set[str]] = field(default_factory=dict)
    actor_of: dict[str, str | None] = field(default_factory=dict)
    account_holder: dict[str, str] = field(default_factory=dict)
    touchpoints: set[str] = field(default_factory=set)
    unattributable: set[str] = field(default_factory=set)
    junk: set[str] = field(default_factory=set)
    household_of: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    _owned_index: dict[str, set[str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _attributable: set[str] | None = field(default=None, init=False, repr=False, compare=False)

    def attributable(self, event_id: str) -> bool:
        """Whether this event is a touchpoint the contract lets the engine attribute."""
        return event_id in self.touchpoints and event_id not in self.unattributable

    @property
    def attributable_events(self) -> set[str]:
        """The attributable touchpoints (computed once; do not modify)."""
        if self._attributable is None:
            self._attributable = self.touchpoints - self.unattributable
        return self._attributable

    def is_touchpoint(self, event_id: str) -> bool:
        return event_id in self.touchpoints

    def users_of(self, key: str) -> set[str]:
        """Everyone who used the identifier (empty for junk and unknown keys)."""
        owner = self.person_of.get(key)
        if owner is not None:
            return {owner}
        return set(self.shared.get(key, ()))

    def owned_by(self, person: str) -> set[str]:
        """The identifiers this person alone used."""
        if self._owned_index is None:
            index: dict[str, set[str]] = {}
            for key, owner in self.person_of.items():
                index.setdefault(owner, set()).add(key)
            self._owned_index = index
        return set(self._owned_index.get(person, ()))

    @property
    def persons(self) -> set[str]:
        """Every person who used at least one identifier."""
        found = set(self.person_of.values())
        for members in self.shared.values():
            found |= members
        return found

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (sets become sorted lists); :meth:`from_dict` reads it back."""
        return {
            "person_of": self.person_of,
            "shared": {key: sorted(users) for key, users in self.shared.items()},
            "actor_of": self.actor_of,
            "account_holder": self.account_holder,
            "touchpoints": sorted(self.touchpoints),
            "unattributable": sorted(self.unattributable),
            "junk": sorted(self.junk),
            "household_of": self.household_of,
            "roles": self.roles,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Truth:
        return cls(
            person_of=dict(data["person_of"]),
            shared={key: set(users) for key, users in data["shared"].items()},
            actor_of=dict(data["actor_of"]),
            account_holder=dict(data["account_holder"]),
            touchpoints=set(data["touchpoints"]),
            unattributable=set(data["unattributable"]),
            junk=set(data["junk"]),
            household_of=dict(data["household_of"]),
            roles=dict(data["roles"]),
        )


#: what :meth:`TruthBuilder.observe` takes: (event id, at, type, keys, actor, subject)
Observation = tuple[str, float, str, Sequence[str], str | None, str | None]
#: a touchpoint waiting for its chunk to close: (event id, at, identifier keys, actor)
_Touch = tuple[str, float, Sequence[str], str | None]


class _Seen(NamedTuple):
    """A LOGIN or LOGOUT waiting for its chunk to close."""

    id: str
    at: float
    type: str
    keys: Sequence[str]
    actor: str | None


class TruthBuilder:
    """Builds a :class:`Truth` from events as they are generated, one chunk at a time.

    ``observe`` every event of a chunk, then ``close_chunk``: ownership and attribution of the
    chunk are settled then, and the per-event details are dropped, so memory stays bounded by a
    chunk. An identifier must not be used again after its chunk closed (the simulator keeps
    every identifier inside one neighbourhood chunk); doing so raises ValueError.
    """

    def __init__(self, prelogin_window: timedelta = timedelta(minutes=30)) -> None:
        self.truth = Truth()
        self._window = prelogin_window.total_seconds()
        self._touchpoints: list[_Touch] = []
        self._sessions: list[_Seen] = []
        #: key -> its one user so far, or the set of them once there are two (the rare case)
        self._users: dict[str, str | set[str]] = {}
        self._roles: dict[str, str] = {}

    def observe(
        self,
        event_id: str,
        at: float,
        event_type: str,
        keys: Sequence[str],
        actor: str | None,
        subject: str | None = None,
    ) -> None:
        """Record one event: ``at`` in POSIX seconds, ``keys`` its valid identifier keys.

        ``subject`` is whose identity the event carries when that is not the actor's (a
        fraudster logging into a victim's account); the identifiers count as used by it.
        """
        self.observe_many([(event_id, at, event_type, keys, actor, subject)])

    def observe_many(self, rows: Iterable[Observation]) -> None:
        """:meth:`observe` for many events at once (the simulator's fast path)."""
        actor_of = self.truth.actor_of
        all_users = self._users
        touchpoints = self._touchpoints.append
        sessions = self._sessions.append
        for event_id, at, event_type, keys, actor, subject in rows:
            size = len(actor_of)
            actor_of[event_id] = actor
            if len(actor_of) == size:
                raise ValueError(f"event id {event_id!r} observed twice")
            user = subject if subject is not None else actor
            if user is not None:
                for key in keys:
                    users = all_users.get(key)
                    if users is None:
                        all_users[key] = user
                    elif users.__class__ is str:
                        if users != user:
                            all_users[key] = {users, user}
                    else:
                        users.add(user)  # type: ignore[union-attr]
            if event_type in _TOUCHPOINTS:
                touchpoints((event_id, at, keys, actor))
            elif event_type in _SESSION_TYPES:
                sessions(_Seen(event_id, at, event_type, keys, actor))

    def add_junk(self, raw_key: str) -> None:
        self.truth.junk.add(raw_key)

    def set_household(self, person: str, household: str) -> None:
        self.truth.household_of[person] = household

    def set_role(self, key: str, role: str) -> None:
        """Label a special identifier; kept only if some event of the chunk used it."""
        self._roles[key] = role

    def close_chunk(self) -> None:
        """Settle ownership and attribution for everything observed since the last close."""
        truth = self.truth
        person_of, shared, holders = truth.person_of, truth.shared, truth.account_holder
        for key, users in self._users.items():
            if isinstance(users, str):
                size = len(person_of)
                person_of[key] = users  # then see whether it was there: one probe, not two
                reused = len(person_of) == size or key in shared
                if key[0] == "A":
                    holders[key] = users
            else:
                reused = key in person_of or key in shared
                shared[key] = users
            if reused:
                raise ValueError(f"identifier {key!r} reused after its chunk was closed")
        for key, role in self._roles.items():
            if key in self._users:
                truth.roles[key] = role
        self._attribute(self._touchpoints, self._sessions, self._users)
        self._users = {}
        self._roles = {}
        self._touchpoints = []
        self._sessions = []
        truth._attributable = None

    def build(self) -> Truth:
        """Close the last chunk and hand over the truth."""
        self.close_chunk()
        return self.truth

    def _attribute(
        self,
        touchpoints: list[_Touch],
        sessions: list[_Seen],
        users: dict[str, str | set[str]],
    ) -> None:
        """Sort the chunk's touchpoints; ``users`` is the chunk's usage (all its identifiers)."""
        truth = self.truth
        unattributable = truth.unattributable.add
        deferred: list[_Touch] = []
        truth.touchpoints.update(event[0] for event in touchpoints)
        for event in touchpoints:
            event_id, _, keys, actor = event
            if actor is None:
                unattributable(event_id)
                continue
            # rules 1 to 3 of the module docstring: an owned carrier, or the actor's own
            # account, email or phone
            on_shared_carrier = False
            for key in keys:
                owner = users.get(key)
                if owner.__class__ is str:
                    if key[0] in _CARRIER_INITIALS or owner == actor:
                        break
                elif key[0] in _CARRIER_INITIALS:
                    on_shared_carrier = True
            else:
                if on_shared_carrier:
                    deferred.append(event)
                else:
                    unattributable(event_id)
        if not deferred:
            return
        shared = {key for key, found in users.items() if found.__class__ is not str}
        timelines = _CarrierTimelines(sessions, shared, truth.account_holder)
        for event_id, at, keys, actor in deferred:
            if not timelines.attributable(at, keys, actor, self._window):
                unattributable(event_id)


class _CarrierTimelines:
    """Login sessions on the shared carriers of a chunk (rule 4 of the module docstring)."""

    def __init__(self, seen: Iterable[_Seen], shared: set[str], holder: dict[str, str]) -> None:
        open_at: dict[tuple[str, str], float] = {}
        self.sessions: dict[str, list[tuple[float, float, str]]] = {}
        logins: dict[str, list[tuple[float, str]]] = {}
        for event in sorted(seen, key=attrgetter("at")):
            accounts = [k for k in event.keys if k.startswith("ACCOUNT:")]
            if len(accounts) != 1 or accounts[0] not in holder:
                continue
            account = accounts[0]
            for carrier in event.keys:
                if carrier not in shared or not carrier.startswith(_CARRIER_PREFIXES):
                    continue
                if event.type == "LOGIN":
                    logins.setdefault(carrier, []).append((event.at, holder[account]))
                    open_at.setdefault((carrier, account), event.at)
                else:
                    start = open_at.pop((carrier, account), None)
                    if start is not None:
                        self._add(carrier, start, event.at, holder[account])
        for (carrier, account), start in open_at.items():
            self._add(carrier, start, _INFINITY, holder[account])
        self.login_times = {c: [t for t, _ in items] for c, items in logins.items()}
        self.login_holders = {c: [h for _, h in items] for c, items in logins.items()}
        self.shared = shared

    def _add(self, carrier: str, start: float, end: float, person: str) -> None:
        self.sessions.setdefault(carrier, []).append((start, end, person))

    def attributable(
        self, at: float, keys: Sequence[str], actor: str | None, window: float
    ) -> bool:
        for carrier in keys:
            if carrier not in self.shared or not carrier.startswith(_CARRIER_PREFIXES):
                continue
            open_now = [p for s, e, p in self.sessions.get(carrier, ()) if s <= at < e]
            if actor in open_now:
                return True
            if open_now:
                continue
            times = self.login_times.get(carrier, [])
            i = bisect_left(times, at)
            if (
                i < len(times)
                and times[i] - at <= window
                and self.login_holders[carrier][i] == actor
            ):
                return True
        return False
