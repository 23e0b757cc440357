"""Identifier types and value normalisation (docs/identifiers.md).

Everything that reaches the graph goes through :func:`normalise` first, so two spellings of
one email or phone number are one node.
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass, field

import phonenumbers
from email_validator import EmailNotValidError, validate_email

MAX_OPAQUE_LENGTH = 256
#: distinct (type, value) answers :func:`normalise` remembers (a few hundred bytes each)
NORMALISED_CACHE = 100_000

#: what a typed phone number may hold; phonenumbers itself skips letters and trailing junk
#: ("7024107334x" parses as a valid number), so the raw text is checked first
PHONE_TEXT = re.compile(r"\+?[0-9 ().\-/]+")


class IdentifierType(enum.StrEnum):
    COOKIE = "COOKIE"
    DEVICE = "DEVICE"
    EMAIL = "EMAIL"
    PHONE = "PHONE"
    ACCOUNT = "ACCOUNT"


#: Identifiers that carry browsing sessions: logins open sessions on them, logouts cut them.
CARRIER_TYPES = frozenset({IdentifierType.COOKIE, IdentifierType.DEVICE})

#: How personal an identifier is; when a link conflicts, the less personal end becomes shared.
PERSONAL_RANK = {
    IdentifierType.COOKIE: 1,
    IdentifierType.DEVICE: 1,
    IdentifierType.PHONE: 3,
    IdentifierType.EMAIL: 4,
    IdentifierType.ACCOUNT: 5,
}


class InvalidIdentifier(ValueError):
    """A value that cannot be an identifier of its type; the message says why."""


class BlockedIdentifier(ValueError):
    """A placeholder value that must never be linked to anything."""


@dataclass(frozen=True, order=True, slots=True)
class Identifier:
    """A normalised identifier. ``key`` is its unique name in the graph."""

    type: IdentifierType
    value: str
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # computed once: resolution looks keys up hundreds of thousands of times
        object.__setattr__(self, "key", f"{self.type.value}:{self.value}")

    @property
    def is_carrier(self) -> bool:
        return self.type in CARRIER_TYPES

    @classmethod
    def from_key(cls, key: str) -> Identifier:
        kind, _, value = key.partition(":")
        return cls(IdentifierType(kind), value)


def _normalise_email(raw: str) -> str:
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidIdentifier(f"invalid email: {exc}") from exc
    return result.normalized.lower()


def _normalise_phone(raw: str, region: str) -> str:
    if not PHONE_TEXT.fullmatch(raw.strip()):
        raise InvalidIdentifier(
            "invalid phone number: only digits, spaces, '+', '-', '.', '/' and parentheses"
        )
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentifier(f"invalid phone number: {exc}") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier("invalid phone number: not a valid number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _normalise_opaque(raw: str, kind: IdentifierType) -> str:
    value = raw.strip()
    if not 1 <= len(value) <= MAX_OPAQUE_LENGTH:
        raise InvalidIdentifier(
            f"invalid {kind.value.lower()}: must be 1 to {MAX_OPAQUE_LENGTH} characters"
        )
    if not value.isprintable():
        raise InvalidIdentifier(f"invalid {kind.value.lower()}: non-printable characters")
    return value


def normalise(
    kind: IdentifierType,
    raw: str,
    *,
    default_region: str = "US",
    blocked: frozenset[str] = frozenset(),
) -> Identifier:
    """Return the normalised identifier, or raise InvalidIdentifier / BlockedIdentifier.

    ``blocked`` holds lower-cased placeholder values; they are checked on the raw trimmed value
    and on the normalised one, so ``" NULL "`` and ``Test@Test.com`` are caught alike.
    A stream repeats its identifiers (a cookie on every page view), so answers are memoised:
    email and phone parsing cost about 50 us a value.
    """
    return _normalise_cached(kind, raw, default_region, blocked)


@functools.lru_cache(maxsize=NORMALISED_CACHE)
def _normalise_cached(
    kind: IdentifierType, raw: str, default_region: str, blocked: frozenset[str]
) -> Identifier:
    """:func:`normalise`, memoised (exceptions are not: a refused value is checked again)."""
    trimmed = raw.strip()
    if trimmed.lower() in blocked:
        raise BlockedIdentifier(f"blocked placeholder value {trimmed!r}")
    if kind is IdentifierType.EMAIL:
        value = _normalise_email(trimmed)
    elif kind is IdentifierType.PHONE:
        value = _normalise_phone(trimmed, default_region)
    else:
        value = _normalise_opaque(trimmed, kind)
    if value.lower() in blocked:
        raise BlockedIdentifier(f"blocked placeholder value {trimmed!r}")
    return Identifier(kind, value)
