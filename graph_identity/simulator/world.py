"""A customer-journey simulator: households, their people and devices, and what they do.

The world is generated one *neighbourhood* at a time (``households_per_neighbourhood``
households, a store kiosk, maybe an office phone line and a fraud device), so a world of a
million identifiers streams in bounded memory: :func:`iter_events` yields each neighbourhood's
events in time order and feeds a :class:`~graph_identity.simulator.truth.TruthBuilder`;
:func:`generate_world` keeps everything and sorts it. Every neighbourhood has its own
``random.Random`` derived from the seed, and time is counted in seconds from ``config.start``:
the same configuration always yields the same events, byte for byte.

Events are JSON-ready dicts in the shape of the contract's ``EventInput``. Emails and phone
numbers are sometimes written the way people type them (``Ann.Smith@Example.com``,
``(415) 223-0123``); the truth always uses the normalised key.

Who does what: adults mostly hold an account, an email (some change it mid-period), a phone
number, their own phone (app logins) and often a laptop whose browser cookie is cleared now and
then. They browse anonymously and log in minutes later, chat, call, write, buy in the store.
Nobody logs out of their own devices, so a personal device only ever serves one account (the
contract then gives it its whole anonymous history). Logouts happen on shared places: the
family tablet (members take turns, somebody browses in between, somebody types a newsletter
email after a logout), the store kiosk. Fraud devices log into many accounts in a row and never
log out. See :class:`WorldConfig` for every knob.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from operator import itemgetter
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from graph_identity.simulator.truth import Observation, Truth, TruthBuilder

EventDict = dict[str, Any]
_T = TypeVar("_T")
#: (type, value as written in the event, normalised key or None for a placeholder/invalid value)
_Ident = tuple[str, str, str | None]  # records share these lists: read-only

BASE_TIME = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
DAY = 86_400
HOUR = 3_600
MINUTE = 60

FIRST_NAMES = (
    "ann", "bob", "carla", "dave", "elena", "frank", "grace", "hugo", "irene", "jack", "kim",
    "liam", "maya", "nina", "omar", "paula", "quinn", "rosa", "sam", "tara", "umar", "vera",
    "walt", "xena", "yusuf", "zoe", "ada", "ben", "chloe", "diego", "emma", "felix", "gina",
    "hank", "ivy", "jon", "kate", "leo", "mia", "noah",
)  # fmt: skip
LAST_NAMES = (
    "smith", "jones", "garcia", "miller", "davis", "lopez", "wilson", "moore", "taylor",
    "thomas", "lee", "white", "harris", "martin", "clark", "lewis", "walker", "hall", "young",
    "king", "wright", "scott", "green", "baker", "adams", "nelson", "hill", "campbell", "ramos",
    "perez", "evans", "turner", "torres", "parker", "collins", "edwards", "stewart", "morris",
    "rogers", "reed",
)  # fmt: skip
EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com")
URLS = (
    "/", "/pricing", "/plans/family", "/plans/unlimited", "/phones", "/phones/pixel",
    "/phones/iphone", "/support", "/support/billing", "/account", "/account/bills",
    "/checkout", "/stores", "/deals", "/sports/football-cleats", "/help/roaming",
)  # fmt: skip
SCREENS = ("home", "usage", "bills", "plans", "offers", "support", "settings")

#: Values the engine blocks (docs/identifiers.md#placeholders); they must never link anything.
PLACEHOLDER_EMAILS = ("test@test.com", "noemail@example.com", "null", "unknown", "none@none.com")
PLACEHOLDER_PHONES = ("0", "0000000000", "1234567890", "unknown", "+1 555 555 5555", "null")

# Real-looking US numbers: well-known area codes, exchanges 200-999 except N11 and the special
# 555/950/958/959/976; tests check every prefix with phonenumbers.
_AREA_CODES = (206, 212, 213, 303, 305, 312, 404, 415, 503, 512, 617, 646, 702, 718, 773, 917)
_EXCLUDED_EXCHANGES = frozenset({555, 950, 958, 959, 976})
PHONE_PREFIXES = tuple(
    area * 1000 + exchange
    for area in _AREA_CODES
    for exchange in range(200, 1000)
    if exchange % 100 != 11 and exchange not in _EXCLUDED_EXCHANGES
)
_PHONE_SPACE = len(PHONE_PREFIXES) * 10_000
_PHONE_STEP = 7_368_787  # prime and not a factor of the space: index -> number is a bijection
assert math.gcd(_PHONE_STEP, _PHONE_SPACE) == 1

_SECONDS = tuple(f"{s:02d}+00:00" for s in range(60))
_OFFSETS = tuple(timezone(timedelta(hours=h)) for h in (-8, -6, -5, 1))


class WorldConfig(BaseModel):
    """The knobs of a world. Every feature is on by default; fractions are probabilities.

    Features forced to appear at least once (when enabled and possible) in the first
    neighbourhood: a household tablet, a family email, a recycled phone number, a kiosk with
    ``kiosk_min_visitors`` accounts, a fraud device, an office phone, placeholder and invalid
    values, an email change.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    seed: int = 7
    households: int = Field(40, ge=1)
    days: int = Field(28, ge=7, le=3650)
    start: datetime = BASE_TIME
    #: prefix of ids and values, so that worlds loaded side by side do not collide
    namespace: str = Field("", max_length=32, pattern=r"^[a-z0-9]*$")
    #: a neighbourhood is the unit of generation: one store kiosk, office line, fraud device
    households_per_neighbourhood: int = Field(50, ge=1)
    #: weights of household sizes 1, 2, 3, 4
    household_sizes: tuple[float, float, float, float] = (0.28, 0.34, 0.18, 0.20)
    account_fraction: float = Field(0.9, ge=0, le=1)
    laptop_fraction: float = Field(0.85, ge=0, le=1)
    #: multiplies every activity rate (sessions, calls, messages ...)
    activity: float = Field(1.0, gt=0)
    web_sessions_per_week: float = Field(0.6, ge=0)
    app_sessions_per_week: float = Field(0.6, ge=0)
    calls_per_week: float = Field(0.25, ge=0)
    messages_per_week: float = Field(0.25, ge=0)
    store_visits_per_week: float = Field(0.15, ge=0)
    #: share of emails and phones written in a non-canonical spelling
    spelling_variation: float = Field(0.3, ge=0, le=1)
    #: share of events whose timestamp is written with a non-UTC offset (same instant)
    offset_fraction: float = Field(0.1, ge=0, le=1)

    email_changes: bool = True
    email_change_fraction: float = Field(0.15, ge=0, le=1)
    cookie_churn: bool = True
    #: browsers drop cookies often (Safari keeps script-set cookies for 7 days)
    cookie_churns_per_week: float = Field(0.25, ge=0)
    tablets: bool = True
    #: of households with two adults holding accounts
    tablet_fraction: float = Field(0.4, ge=0, le=1)
    tablet_sessions_per_week: float = Field(1.25, ge=0)
    tablet_newsletter_fraction: float = Field(0.3, ge=0, le=1)
    family_emails: bool = True
    family_email_fraction: float = Field(0.2, ge=0, le=1)
    recycled_phones: bool = True
    #: of account holders: how many lose their number to someone else
    recycled_phone_fraction: float = Field(0.02, ge=0, le=1)
    #: days between the old holder's last day with the number and the new holder's first
    #: (the engine's ``handover_gap`` defaults to 30 days: raise both this and ``days`` to
    #: exercise it)
    recycled_phone_gap_days: tuple[float, float] = (2.0, 6.0)
    kiosks: bool = True
    kiosk_visitor_fraction: float = Field(0.15, ge=0, le=1)
    kiosk_min_visitors: int = Field(5, ge=1)
    fraud_devices: bool = True
    #: chance that a neighbourhood has a fraud device
    fraud_device_fraction: float = Field(0.5, ge=0, le=1)
    fraud_accounts: tuple[int, int] = (5, 12)
    office_phones: bool = True
    office_phone_fraction: float = Field(0.5, ge=0, le=1)
    placeholders: bool = True
    placeholder_fraction: float = Field(0.08, ge=0, le=1)
    invalid_values: bool = True
    invalid_fraction: float = Field(0.05, ge=0, le=1)

    @property
    def period(self) -> int:
        """Length of the simulated period in seconds."""
        return self.days * DAY


@dataclass(frozen=True, slots=True)
class PersonProfile:
    """A simulated person, for demos and tests (keys are normalised identifier keys)."""

    id: str
    household: str
    name: str
    adult: bool
    account: str | None
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    devices: tuple[str, ...]
    cookies: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class World:
    """A whole world in memory: events sorted by time (then id), truth and people."""

    config: WorldConfig
    events: list[EventDict]
    truth: Truth
    people: list[PersonProfile]


def generate_world(config: WorldConfig | None = None) -> World:
    """Generate the world of ``config`` (defaults: 40 households, 28 days, seed 7)."""
    config = config or WorldConfig()
    builder = TruthBuilder()
    people: list[PersonProfile] = []
    events = list(iter_events(config, truth=builder, people=people))
    events.sort(key=lambda e: (datetime.fromisoformat(e["at"]), e["id"]))
    return World(config, events, builder.build(), people)


def iter_events(
    config: WorldConfig | None = None,
    *,
    truth: TruthBuilder | None = None,
    people: list[PersonProfile] | None = None,
) -> Iterator[EventDict]:
    """Stream the world's events, one neighbourhood at a time, each in time order.

    With ``truth``, every event is observed by the builder and each neighbourhood's chunk is
    closed once its events are out; call ``truth.build()`` after the iterator is exhausted.
    With ``people``, each person's profile is appended to it.
    """
    config = config or WorldConfig()
    counters = _Counters(config)
    size = config.households_per_neighbourhood
    for chunk, first in enumerate(range(0, config.households, size)):
        count = min(size, config.households - first)
        hood = _Neighbourhood(config, counters, chunk, count)
        records = hood.generate()
        yield from _render(config, counters, records, truth)
        if truth is not None:
            for person in hood.people:
                truth.set_household(person.pid, person.household)
            for key, role in hood.roles.items():
                truth.set_role(key, role)
            for key in hood.junk:
                truth.add_junk(key)
            truth.close_chunk()
        if people is not None:
            people.extend(p.profile() for p in hood.people)


# --- generation internals ----------------------------------------------------------------


class _Counters:
    """Global sequence numbers: they make every generated value unique in the world."""

    def __init__(self, config: WorldConfig) -> None:
        self.ns = f"{config.namespace}-" if config.namespace else ""
        self.households = 0
        self.people = 0
        self.accounts = 0
        self.emails = 0
        self.phones = 0
        self.events = 0
        #: minute -> "YYYY-MM-DDTHH:MM:", formatting timestamps is a hot path
        self.minutes: dict[int, str] = {}
        self.phone_offset = (zlib.crc32(config.namespace.encode()) + config.seed * 104_729) % (
            _PHONE_SPACE
        )

    def phone(self) -> str:
        """The next unused phone number, E.164."""
        index = (self.phones * _PHONE_STEP + self.phone_offset) % _PHONE_SPACE
        self.phones += 1
        prefix, line = divmod(index, 10_000)
        return f"+1{PHONE_PREFIXES[prefix]}{line:04d}"


@dataclass(slots=True)
class _Tenure:
    value: str
    start: int
    end: int


def _at(tenures: list[_Tenure], t: int) -> str | None:
    for tenure in tenures:
        if tenure.start <= t < tenure.end:
            return tenure.value
    return None


@dataclass(slots=True)
class _Person:
    pid: str
    household: str
    name: str
    adult: bool
    account: str | None
    emails: list[_Tenure]
    phones: list[_Tenure]
    phone_device: str
    web_device: str
    cookies: list[_Tenure]
    family_email: str | None = None

    def profile(self) -> PersonProfile:
        devices = [self.phone_device]
        if self.web_device != self.phone_device:
            devices.append(self.web_device)
        return PersonProfile(
            id=self.pid,
            household=self.household,
            name=self.name,
            adult=self.adult,
            account=f"ACCOUNT:{self.account}" if self.account else None,
            emails=tuple(f"EMAIL:{t.value}" for t in self.emails)
            + ((f"EMAIL:{self.family_email}",) if self.family_email else ()),
            phones=tuple(f"PHONE:{t.value}" for t in self.phones),
            devices=tuple(f"DEVICE:{d}" for d in devices),
            cookies=tuple(f"COOKIE:{t.value}" for t in self.cookies),
        )


#: (seconds from start, type, identifiers, channel, attributes, actor, subject)
_Record = tuple[int, str, list[_Ident], str, dict[str, Any], str | None, str | None]


class _Neighbourhood:
    """One chunk of the world: its households, shared places and all their events."""

    def __init__(self, config: WorldConfig, counters: _Counters, chunk: int, households: int):
        self.cfg = config
        self.c = counters
        self.first = chunk == 0
        self.rng = random.Random(config.seed * 1_000_003 + chunk)
        self._random = self.rng.random
        self.weeks = config.days / 7
        self.period = config.period
        self.records: list[_Record] = []
        self.people: list[_Person] = []
        self.households: list[list[_Person]] = []
        self.roles: dict[str, str] = {}
        self.junk: set[str] = set()
        #: features the first neighbourhood still has to show (WorldConfig docstring)
        self.unforced = {"family_email", "email_change", "tablet"} if self.first else set()
        for _ in range(households):
            self.households.append(self._household())

    # randomness (randrange and choice are slow; these are what the hot paths need) ------

    def _r(self, low: int, high: int | None = None) -> int:
        """A number in [low, high), or [0, low) with one argument; low when the range is empty."""
        if high is None:
            low, high = 0, low
        return low + int(self._random() * (high - low))

    def _pick(self, items: Sequence[_T]) -> _T:
        return items[int(self._random() * len(items))]

    # values ------------------------------------------------------------------------------

    def _cookie(self) -> str:
        h = f"{self.rng.getrandbits(128):032x}"
        return f"{self.c.ns}{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def _device(self, kind: str) -> str:
        return f"{kind}-{self.c.ns}{self.rng.getrandbits(64):016x}"

    def _email(self, local: str) -> str:
        self.c.emails += 1
        domain = self._pick(EMAIL_DOMAINS)
        namespace = f".{self.cfg.namespace}" if self.cfg.namespace else ""
        return f"{local}{namespace}{self.c.emails}@{domain}"

    def _poisson(self, mean: float) -> int:
        if mean <= 0:
            return 0
        limit, k, product = math.exp(-mean), 0, self._random()
        while product > limit:
            k += 1
            product *= self._random()
        return k

    def _count(self, per_week: float) -> int:
        return self._poisson(per_week * self.weeks * self.cfg.activity)

    def _daytime(self) -> int:
        """A moment of a random day between 08:00 and 22:00 UTC, an hour before the end."""
        day = self._r(self.cfg.days)
        return day * DAY + self._r(14 * HOUR)

    def _tenures(self, values: list[str], cuts: list[int]) -> list[_Tenure]:
        bounds = [0, *cuts, self.period]
        return [_Tenure(v, bounds[i], bounds[i + 1]) for i, v in enumerate(values)]

    # people ------------------------------------------------------------------------------

    def _household(self) -> list[_Person]:
        rng, cfg, c = self.rng, self.cfg, self.c
        c.households += 1
        hid = f"{c.ns}H{c.households:06d}"
        size = rng.choices((1, 2, 3, 4), weights=cfg.household_sizes)[0]
        adults = 1 if size == 1 else (2 if size > 2 or self._random() < 0.8 else 1)
        last = self._pick(LAST_NAMES)
        members = [self._person(hid, last, adult=i < adults) for i in range(size)]
        self.people.extend(members)
        holders = [p for p in members if p.account]
        if len(holders) >= 2:
            a, b = holders[0], holders[1]
            forced = "family_email" in self.unforced
            if cfg.family_emails and (forced or self._random() < cfg.family_email_fraction):
                self.unforced.discard("family_email")
                family = self._email(f"the{last}s.family")
                a.family_email = b.family_email = family
                self.roles[f"EMAIL:{family}"] = "family_email"
        return members

    def _person(self, hid: str, last: str, *, adult: bool) -> _Person:
        cfg, c = self.cfg, self.c
        c.people += 1
        first = self._pick(FIRST_NAMES)
        account = None
        if adult and self._random() < cfg.account_fraction:
            c.accounts += 1
            account = f"acct-{c.ns}{c.accounts + 100_000:07d}"
        emails: list[_Tenure] = []
        if adult or self._random() < 0.5:
            values = [self._email(f"{first}.{last}")]
            cuts: list[int] = []
            forced = "email_change" in self.unforced
            if (
                account
                and cfg.email_changes
                and (forced or self._random() < cfg.email_change_fraction)
            ):
                self.unforced.discard("email_change")
                values.append(self._email(f"{first[0]}{last}"))
                cuts.append(self._r(int(self.period * 0.35), int(self.period * 0.65)))
            emails = self._tenures(values, cuts)
        phones = self._tenures([c.phone()], []) if adult or self._random() < 0.5 else []
        phone_device = self._device(self._pick(("iphone", "android")))
        has_laptop = adult and self._random() < cfg.laptop_fraction
        web_device = self._device(self._pick(("mac", "win"))) if has_laptop else phone_device
        churns = self._poisson(cfg.cookie_churns_per_week * self.weeks) if cfg.cookie_churn else 0
        cuts = sorted(self._r(DAY, self.period - DAY) for _ in range(churns))
        cookies = self._tenures([self._cookie() for _ in range(churns + 1)], cuts)
        return _Person(
            pid=f"{c.ns}P{c.people:07d}",
            household=hid,
            name=f"{first.title()} {last.title()}",
            adult=adult,
            account=account,
            emails=emails,
            phones=phones,
            phone_device=phone_device,
            web_device=web_device,
            cookies=cookies,
        )

    # identifiers in events --------------------------------------------------------------

    @staticmethod
    def _opaque(kind: str, value: str) -> _Ident:
        return (kind, value, f"{kind}:{value}")

    def _email_ident(self, value: str) -> _Ident:
        written = value
        if self._random() < self.cfg.spelling_variation:
            local, _, domain = value.partition("@")
            style = self._r(3)
            if style == 0:
                written = f"{local.title()}@{domain.title()}"
            elif style == 1:
                written = f" {value.upper()} "
            else:
                written = f"{local}@{domain.upper()}"
        return ("EMAIL", written, f"EMAIL:{value}")

    def _phone_ident(self, e164: str) -> _Ident:
        written = e164
        if self._random() < self.cfg.spelling_variation:
            a, x, n = e164[2:5], e164[5:8], e164[8:]
            written = self._pick(
                (f"({a}) {x}-{n}", f"{a}-{x}-{n}", f"{a}.{x}.{n}", f"1 {a} {x} {n}",
                 f"+1 {a}-{x}-{n}", f"{a}{x}{n}")
            )  # fmt: skip
        return ("PHONE", written, f"PHONE:{e164}")

    def _junk_ident(self, kind: str, written: str) -> _Ident:
        self.junk.add(f"{kind}:{written}")
        return (kind, written, None)

    def _emit(
        self,
        t: int,
        etype: str,
        idents: list[_Ident],
        channel: str,
        attrs: dict[str, Any],
        actor: str | None,
        subject: str | None = None,
    ) -> None:
        self.records.append((t, etype, idents, channel, attrs, actor, subject))

    def _page(self) -> dict[str, Any]:
        return {"url": self._pick(URLS)}

    def _transcript(self) -> dict[str, Any]:
        return {"transcriptId": f"tr-{self.rng.getrandbits(40):010x}"}

    def _order(self) -> dict[str, Any]:
        return {
            "orderId": f"ord-{self.rng.getrandbits(40):010x}",
            "amount": round(self.rng.uniform(5, 900), 2),
        }

    # the world ------------------------------------------------------------------------

    def generate(self) -> list[_Record]:
        cfg = self.cfg
        holders = [p for p in self.people if p.account]
        if cfg.recycled_phones:  # first: it changes who has which number when
            self._recycle_phones(holders)
        for person in self.people:
            self._personal(person)
        for members in self.households:
            self._crm_sync(members)
            if cfg.tablets:
                self._maybe_tablet(members)
        if cfg.kiosks and holders:
            self._kiosk(holders)
        # the first neighbourhood always has one of each (WorldConfig docstring)
        fraud = self.first or self._random() < cfg.fraud_device_fraction
        if cfg.fraud_devices and len(holders) >= 2 and fraud:
            self._fraud_device(holders)
        office = self.first or self._random() < cfg.office_phone_fraction
        if cfg.office_phones and len(holders) >= 2 and office:
            self._office_phone(holders)
        self._junk_values()
        self.records.sort(key=itemgetter(0))
        return self.records

    def _personal(self, p: _Person) -> None:
        cfg = self.cfg
        for _ in range(self._count(cfg.web_sessions_per_week)):
            self._web_session(p, self._daytime())
        self._app(p)
        for _ in range(self._count(cfg.calls_per_week)):
            self._call(p, self._daytime())
        for _ in range(self._count(cfg.messages_per_week)):
            self._message(p, self._daytime())
        if p.adult:
            for _ in range(self._count(cfg.store_visits_per_week)):
                self._store_purchase(p, self._daytime())

    def _web_session(self, p: _Person, t: int) -> None:
        cookie = _at(p.cookies, t)
        assert cookie is not None
        carriers = [self._opaque("COOKIE", cookie), self._opaque("DEVICE", p.web_device)]
        actor = p.pid
        if p.account and self._random() < 0.5:
            # anonymous browsing, a login minutes later, then logged-in pages
            for _ in range(self._r(3)):
                self._emit(t, "PAGE_VIEW", carriers, "web", self._page(), actor)
                t += self._r(20, 240)
            account = self._opaque("ACCOUNT", p.account)
            self._emit(t, "LOGIN", [account, *carriers], "web", {"method": "password"}, actor)
            for _ in range(self._r(1, 4)):
                t += self._r(10, 300)
                self._emit(t, "PAGE_VIEW", carriers, "web", self._page(), actor)
            if self._random() < 0.2:
                t += self._r(30, 300)
                ids = [*carriers, account] if self._random() < 0.5 else carriers
                self._emit(t, "CHAT", ids, "chat", self._transcript(), actor)
            if self._random() < 0.1:
                t += self._r(30, 300)
                self._emit(t, "PURCHASE", [*carriers, account], "web", self._order(), actor)
            email = _at(p.emails, t)
            if email and self._random() < 0.15:
                t += self._r(5, 60)
                ids = [*carriers, self._email_ident(email)]
                if self._random() < 0.5:
                    ids.append(account)
                self._emit(t, "IDENTIFY", ids, "web", {"source": "identify"}, actor)
            return
        for _ in range(self._r(1, 4)):
            self._emit(t, "PAGE_VIEW", carriers, "web", self._page(), actor)
            t += self._r(10, 300)
        if self._random() < 0.1:
            self._emit(t, "CHAT", carriers, "chat", self._transcript(), actor)
            t += self._r(60, 900)
        email, phone = _at(p.emails, t), _at(p.phones, t)
        if email and self._random() < 0.08:
            ids = [*carriers, self._email_ident(email)]
            if phone:
                ids.append(self._phone_ident(phone))
            self._emit(t, "FORM_SUBMIT", ids, "web", {"form": "contact"}, actor)
            traits = [carriers[0], *ids[2:]]
            self._emit(t + 1, "IDENTIFY", traits, "web", {"source": "form"}, actor)

    def _app(self, p: _Person) -> None:
        cfg = self.cfg
        device = self._opaque("DEVICE", p.phone_device)
        account = self._opaque("ACCOUNT", p.account) if p.account else None
        if account is not None:
            t = self._r(0, min(7 * DAY, self.period - DAY))
            self._emit(t, "LOGIN", [account, device], "app", {"method": "biometric"}, p.pid)
        for _ in range(self._count(cfg.app_sessions_per_week)):
            t = self._daytime()
            if account is not None and self._random() < 0.1:
                self._emit(t, "LOGIN", [account, device], "app", {"method": "refresh"}, p.pid)
                t += self._r(2, 30)
            for _ in range(self._r(1, 3)):
                self._emit(t, "PAGE_VIEW", [device], "app", {"screen": self._pick(SCREENS)}, p.pid)
                t += self._r(5, 120)
            if account is not None and self._random() < 0.1:
                self._emit(t, "PURCHASE", [device, account], "app", self._order(), p.pid)

    def _call(self, p: _Person, t: int) -> None:
        phone = _at(p.phones, t)
        if phone is None:
            return
        ids = [self._phone_ident(phone)]
        if p.account and self._random() < 0.3:
            ids.append(self._opaque("ACCOUNT", p.account))  # authenticated in the IVR
        attrs = {"durationSeconds": self._r(30, 1800)}
        self._emit(t, "CALL", ids, "voice", attrs, p.pid)

    def _message(self, p: _Person, t: int) -> None:
        email = _at(p.emails, t)
        if p.family_email and (email is None or self._random() < 0.3):
            email = p.family_email
        if email is None:
            return
        attrs = {"subject": self._pick(("billing", "roaming", "upgrade", "complaint"))}
        self._emit(t, "MESSAGE", [self._email_ident(email)], "email", attrs, p.pid)

    def _store_purchase(self, p: _Person, t: int) -> None:
        phone, email = _at(p.phones, t), _at(p.emails, t)
        if phone and (email is None or self._random() < 0.5):
            ident = self._phone_ident(phone)
        elif email:
            ident = self._email_ident(email)
        else:
            return
        self._emit(t, "PURCHASE", [ident], "store", self._order(), p.pid)

    def _crm_sync(self, members: list[_Person]) -> None:
        """The CRM pushes each account's contact details, again after every change."""
        for p in members:
            if not p.account:
                continue
            account = self._opaque("ACCOUNT", p.account)
            t = self._r(0, min(2 * DAY, self.period // 5))  # before any number or email changes
            ids = [account]
            email, phone = _at(p.emails, t), _at(p.phones, t)
            if email:
                ids.append(self._email_ident(email))
            if phone:
                ids.append(self._phone_ident(phone))
            self._emit(t, "IDENTIFY", ids, "crm", {"source": "crm"}, p.pid)
            for tenure in [*p.emails[1:], *p.phones[1:]]:
                if tenure.start > 0:
                    ident = (
                        self._email_ident(tenure.value)
                        if "@" in tenure.value
                        else self._phone_ident(tenure.value)
                    )
                    when = tenure.start + self._r(HOUR, DAY)
                    self._emit(when, "IDENTIFY", [account, ident], "crm", {"source": "crm"}, p.pid)
            if p.family_email:
                when = self._r(0, self.period - DAY)
                ids = [account, self._email_ident(p.family_email)]
                self._emit(when, "IDENTIFY", ids, "crm", {"source": "crm"}, p.pid)

    # shared places ------------------------------------------------------------------------

    def _recycle_phones(self, holders: list[_Person]) -> None:
        """X gives up a number mid-period; days later the carrier hands it to unrelated Y."""
        rng = self.rng
        candidates = [p for p in holders if len(p.phones) == 1 and p.phones[0].start == 0]
        pairs = round(len(candidates) * self.cfg.recycled_phone_fraction)
        if self.first:
            pairs = max(pairs, 1)
        rng.shuffle(candidates)
        used: set[str] = set()
        for x in candidates:
            if pairs <= 0:
                break
            if x.pid in used:
                continue
            y = next(
                (p for p in candidates if p.pid not in used and p.household != x.household),
                None,
            )
            if y is None:
                break
            used.update((x.pid, y.pid))
            number = x.phones[0].value
            low, high = self.cfg.recycled_phone_gap_days
            gap = self._r(int(low * DAY), int(high * DAY) + 1)
            # released early enough that the new holder still has a day or more to use it
            latest = max(
                self.period // 4 + 1, min(self.period * 45 // 100, self.period - gap - DAY)
            )
            released = self._r(self.period // 4, latest)
            taken = min(released + gap, self.period - DAY)
            x.phones = [
                _Tenure(number, 0, released),
                _Tenure(self.c.phone(), released, self.period),
            ]
            y.phones = [_Tenure(y.phones[0].value, 0, taken), _Tenure(number, taken, self.period)]
            self.roles[f"PHONE:{number}"] = "recycled_phone"
            pairs -= 1

    def _maybe_tablet(self, members: list[_Person]) -> None:
        rng, cfg = self.rng, self.cfg
        holders = [p for p in members if p.adult and p.account]
        if len(holders) < 2:
            return
        forced = "tablet" in self.unforced
        if not forced and self._random() >= cfg.tablet_fraction:
            return
        self.unforced.discard("tablet")
        device = self._device("ipad")
        cookies = [self._cookie()]
        cuts = []
        if cfg.cookie_churn and self._random() < 0.3:
            cookies.append(self._cookie())
            cuts.append(self._r(int(self.period * 0.3), int(self.period * 0.7)))
        tenures = self._tenures(cookies, cuts)
        self.roles[f"DEVICE:{device}"] = "household_tablet"
        for cookie in cookies:
            self.roles[f"COOKIE:{cookie}"] = "household_tablet"
        # four four-hour slots a day; one session per slot keeps sessions apart
        slots = cfg.days * 4
        count = min(slots, max(2, self._count(cfg.tablet_sessions_per_week)))
        for i, slot in enumerate(sorted(rng.sample(range(slots), count))):
            start = slot * 4 * HOUR
            member = holders[i % 2] if i < 2 else self._pick(holders)
            others = [p for p in holders if p is not member]
            newsletter = self._random() < cfg.tablet_newsletter_fraction or (forced and i == 0)
            self._tablet_session(device, tenures, start, member, others, newsletter)

    def _tablet_session(
        self,
        device: str,
        cookies: list[_Tenure],
        start: int,
        member: _Person,
        others: list[_Person],
        newsletter: bool,
    ) -> None:
        """One slot of the family tablet: maybe anonymous browsing, login, pages, logout."""
        cookie = _at(cookies, start)
        assert cookie is not None and member.account is not None
        carriers = [self._opaque("COOKIE", cookie), self._opaque("DEVICE", device)]
        account = self._opaque("ACCOUNT", member.account)
        t = start + self._r(MINUTE, 10 * MINUTE)
        login = t + self._r(5 * MINUTE, 25 * MINUTE)
        if self._random() < 0.6:  # the anonymous pages right before the login are the member's
            while t < login - MINUTE:
                self._emit(t, "PAGE_VIEW", carriers, "web", self._page(), member.pid)
                t += self._r(MINUTE, 8 * MINUTE)
        t = login
        self._emit(t, "LOGIN", [account, *carriers], "web", {"method": "password"}, member.pid)
        for _ in range(self._r(1, 5)):
            t += self._r(20, 300)
            self._emit(t, "PAGE_VIEW", carriers, "web", self._page(), member.pid)
        if self._random() < 0.25:
            t += self._r(30, 300)
            ids = [*carriers, account] if self._random() < 0.4 else carriers
            self._emit(t, "CHAT", ids, "chat", self._transcript(), member.pid)
        t += self._r(30, 300)
        self._emit(t, "LOGOUT", [account, *carriers], "web", {}, member.pid)
        other = self._pick(others)
        email = _at(other.emails, t)
        if newsletter and email:
            # someone else types their email into the newsletter box after the logout
            t += self._r(MINUTE, 5 * MINUTE)
            ids = [*carriers, self._email_ident(email)]
            self._emit(t, "FORM_SUBMIT", ids, "web", {"form": "newsletter"}, other.pid)
            self._emit(t + 1, "IDENTIFY", ids, "web", {"source": "newsletter"}, other.pid)
        if self._random() < 0.5:
            # later, somebody browses without logging in: whose it is, nobody can say
            browser = self._pick([member, *others])
            t = self._r(t + 40 * MINUTE, start + 4 * HOUR - 5 * MINUTE)
            for _ in range(self._r(1, 4)):
                self._emit(t, "PAGE_VIEW", carriers, "web", self._page(), browser.pid)
                t += self._r(20, 90)

    def _kiosk(self, holders: list[_Person]) -> None:
        """The store kiosk: unrelated people log in and out, one half-hour slot each."""
        rng, cfg = self.rng, self.cfg
        device = self._device("kiosk")
        cookie = self._cookie()
        carriers = [self._opaque("COOKIE", cookie), self._opaque("DEVICE", device)]
        self.roles[f"DEVICE:{device}"] = "kiosk"
        self.roles[f"COOKIE:{cookie}"] = "kiosk"
        wanted = max(cfg.kiosk_min_visitors, round(len(holders) * cfg.kiosk_visitor_fraction))
        visitors = rng.sample(holders, min(len(holders), wanted))
        visits = [v for v in visitors for _ in range(self._r(1, 3))]
        anonymous = max(1, len(visits) // 4)
        slots_per_day = 20  # 09:00 to 19:00 UTC
        total = cfg.days * slots_per_day
        visits = visits[: total * 3 // 4]
        anonymous = min(anonymous, total - len(visits))
        slots = rng.sample(range(total), len(visits) + anonymous)
        for i, slot in enumerate(slots):
            day, index = divmod(slot, slots_per_day)
            start = day * DAY + HOUR + index * 30 * MINUTE
            if i >= len(visits):
                who = self._pick(visitors).pid
                t = start + self._r(MINUTE, 5 * MINUTE)
                self._emit(t, "PAGE_VIEW", carriers, "store", self._page(), who)
                continue
            visitor = visits[i]
            assert visitor.account is not None
            account = self._opaque("ACCOUNT", visitor.account)
            t = start + self._r(20, 120)
            login = start + 5 * MINUTE
            if self._random() < 0.5:
                self._emit(t, "PAGE_VIEW", carriers, "store", self._page(), visitor.pid)
            t = login
            self._emit(t, "LOGIN", [account, *carriers], "store", {"method": "pin"}, visitor.pid)
            for _ in range(self._r(1, 4)):
                t += self._r(20, 180)
                self._emit(t, "PAGE_VIEW", carriers, "store", self._page(), visitor.pid)
            if self._random() < 0.3:
                t += self._r(20, 120)
                ids = [*carriers, account]
                self._emit(t, "PURCHASE", ids, "store", self._order(), visitor.pid)
            t += self._r(20, 120)
            self._emit(t, "LOGOUT", [account, *carriers], "store", {}, visitor.pid)

    def _fraud_device(self, holders: list[_Person]) -> None:
        """One device logs into many accounts in quick succession and never logs out."""
        rng = self.rng
        device = self._device("android")
        self.roles[f"DEVICE:{device}"] = "fraud_device"
        low, high = self.cfg.fraud_accounts
        victims = rng.sample(holders, min(len(holders), rng.randint(low, max(low, high))))
        t = self._daytime()
        for victim in victims:
            assert victim.account is not None
            ids = [self._opaque("ACCOUNT", victim.account), self._opaque("DEVICE", device)]
            self._emit(t, "LOGIN", ids, "app", {"method": "password"}, None, victim.pid)
            t += self._r(15, 90)

    def _office_phone(self, holders: list[_Person]) -> None:
        """An office line several unrelated customers call from, naming their account."""
        rng = self.rng
        number = self.c.phone()
        self.roles[f"PHONE:{number}"] = "office_phone"
        users: list[_Person] = []
        wanted = rng.randint(2, 4)
        for p in rng.sample(holders, len(holders)):
            if all(p.household != u.household for u in users):
                users.append(p)
            if len(users) == wanted:
                break
        if len(users) < 2:
            return
        for p in users:
            assert p.account is not None
            for i in range(self._r(1, 4)):
                ids = [self._phone_ident(number)]
                if i == 0 or self._random() < 0.7:
                    ids.append(self._opaque("ACCOUNT", p.account))
                attrs = {"durationSeconds": self._r(30, 1800)}
                self._emit(self._daytime(), "CALL", ids, "voice", attrs, p.pid)

    def _junk_values(self) -> None:
        """Placeholder and malformed emails/phones typed into forms and CRM records."""
        cfg = self.cfg
        for i, p in enumerate(self.people):
            forced = self.first and i == 0
            if cfg.placeholders and (forced or self._random() < cfg.placeholder_fraction):
                self._junk_event(
                    p,
                    self._junk_ident("EMAIL", self._pick(PLACEHOLDER_EMAILS)),
                    self._junk_ident("PHONE", self._pick(PLACEHOLDER_PHONES)),
                )
            if cfg.invalid_values and (forced or self._random() < cfg.invalid_fraction):
                first, _, last = p.name.lower().partition(" ")
                bad_email = self._pick(
                    (f"{first}.{last}@", f"{first} {last}@example.com", f"{first}@@example.com",
                     f"{first}.{last}@example")
                )  # fmt: skip
                bad_phone = self._pick(("555-12", "12345", "+1 (000) 000-0000", "phone"))
                self._junk_event(
                    p, self._junk_ident("EMAIL", bad_email), self._junk_ident("PHONE", bad_phone)
                )

    def _junk_event(self, p: _Person, email: _Ident, phone: _Ident) -> None:
        t = self._daytime()
        if p.account and self._random() < 0.4:
            ids = [self._opaque("ACCOUNT", p.account), email, phone]
            self._emit(t, "IDENTIFY", ids, "crm", {"source": "crm"}, p.pid)
            return
        cookie = _at(p.cookies, t)
        assert cookie is not None
        carriers = [self._opaque("COOKIE", cookie), self._opaque("DEVICE", p.web_device)]
        self._emit(t, "FORM_SUBMIT", [*carriers, email, phone], "web", {"form": "signup"}, p.pid)
        self._emit(t + 1, "IDENTIFY", [*carriers, email, phone], "web", {"source": "form"}, p.pid)


def _render(
    config: WorldConfig,
    counters: _Counters,
    records: list[_Record],
    truth: TruthBuilder | None,
) -> Iterator[EventDict]:
    """Give records their ids and timestamps, tell the truth, yield JSON-ready dicts."""
    rng = random.Random(config.seed * 7_919 + counters.events)
    random_ = rng.random
    start = config.start.timestamp()
    base = int(start)
    exact = base == start  # whole seconds: format timestamps from a per-minute cache
    minutes = counters.minutes
    id_format = f"{counters.ns}evt-%08d"  # the namespace is [a-z0-9]*: no stray %
    offset_fraction = config.offset_fraction
    observations: list[Observation] = []
    observe = observations.append
    number = counters.events
    for t, etype, idents, channel, attrs, actor, subject in records:
        number += 1
        event_id = id_format % number
        if offset_fraction and random_() < offset_fraction:
            zone = _OFFSETS[int(random_() * len(_OFFSETS))]
            at = datetime.fromtimestamp(start + t, zone).isoformat()
        elif exact:
            minute, second = divmod(base + t, MINUTE)
            head = minutes.get(minute)
            if head is None:
                head = datetime.fromtimestamp(minute * MINUTE, UTC).isoformat()[:17]
                minutes[minute] = head
            at = head + _SECONDS[second]
        else:
            at = datetime.fromtimestamp(start + t, UTC).isoformat()
        if truth is not None:
            keys = [key for _, _, key in idents if key is not None]
            observe((event_id, start + t, etype, keys, actor, subject))
        yield {
            "id": event_id,
            "at": at,
            "type": etype,
            "identifiers": [{"type": kind, "value": value} for kind, value, _ in idents],
            "channel": channel,
            "attributes": attrs,
        }
    counters.events = number
    if truth is not None:
        truth.observe_many(observations)
