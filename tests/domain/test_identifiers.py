"""Identifier normalisation (docs/identifiers.md): one spelling per email, phone and opaque id,
invalid values refused with a reason, placeholder values blocked."""

from __future__ import annotations

import pytest

from graph_identity.domain.config import DEFAULT_BLOCKED, ResolutionConfig
from graph_identity.domain.identifiers import (
    MAX_OPAQUE_LENGTH,
    BlockedIdentifier,
    Identifier,
    IdentifierType,
    InvalidIdentifier,
    normalise,
)

T = IdentifierType


@pytest.mark.parametrize(
    ("description", "raw", "expected"),
    [
        ("already normal", "alice@example.com", "alice@example.com"),
        ("trimmed", "  alice@example.com\t", "alice@example.com"),
        ("lower-cased domain", "alice@EXAMPLE.com", "alice@example.com"),
        ("lower-cased local part", "Alice.Smith@Example.COM", "alice.smith@example.com"),
        ("plus tag kept", "ALICE+news@example.org", "alice+news@example.org"),
    ],
)
def test_email_is_trimmed_and_lower_cased(description: str, raw: str, expected: str) -> None:
    assert normalise(T.EMAIL, raw) == Identifier(T.EMAIL, expected), description


@pytest.mark.parametrize(
    ("description", "raw", "expected"),
    [
        ("no at-sign", "alice.example.com", "@-sign"),
        ("two at-signs", "alice@@example.com", "invalid characters"),
        ("domain without a dot", "alice@localhost", "period"),
        ("trailing dot", "alice@example.com.", "period"),
        ("empty", "   ", "invalid email"),
    ],
)
def test_invalid_email_is_rejected_with_a_reason(description: str, raw: str, expected: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalise(T.EMAIL, raw)
    message = str(caught.value)
    assert message.startswith("invalid email"), description
    assert expected in message, description


@pytest.mark.parametrize(
    ("description", "raw", "region", "expected"),
    [
        ("national US number, US default", "(415) 555-2671", "US", "+14155552671"),
        ("dashes and spaces", " 415-555-2671 ", "US", "+14155552671"),
        ("already E.164", "+14155552671", "US", "+14155552671"),
        ("national GB number, GB default", "020 7946 0958", "GB", "+442079460958"),
        ("international form ignores default", "+44 20 7946 0958", "US", "+442079460958"),
        ("national DE number, DE default", "030 1234567", "DE", "+49301234567"),
    ],
)
def test_phone_is_normalised_to_e164(
    description: str, raw: str, region: str, expected: str
) -> None:
    assert normalise(T.PHONE, raw, default_region=region) == Identifier(T.PHONE, expected), (
        description
    )


@pytest.mark.parametrize(
    ("description", "raw", "region"),
    [
        ("too short", "12345", "US"),
        ("not a number", "call me", "US"),
        ("unassigned US range", "+1 555 0100", "US"),
        ("US national number read with GB default", "415-555-2671", "GB"),
        ("empty", "", "US"),
        ("trailing letter the parser would skip", "7024107334x", "US"),
        ("letters inside", "702410733four", "US"),
        ("an extension", "+1 415 555 2671 ext. 12", "US"),
    ],
)
def test_invalid_phone_is_rejected(description: str, raw: str, region: str) -> None:
    with pytest.raises(InvalidIdentifier, match="invalid phone number"):
        normalise(T.PHONE, raw, default_region=region)


@pytest.mark.parametrize("kind", [T.COOKIE, T.DEVICE, T.ACCOUNT])
@pytest.mark.parametrize(
    ("description", "raw", "expected"),
    [
        ("plain", "abc-123", "abc-123"),
        ("trimmed", "  abc-123 \n", "abc-123"),
        ("case kept", "AbC", "AbC"),
        ("inner space kept", "a b", "a b"),
        ("one character", "x", "x"),
        ("256 characters", "y" * MAX_OPAQUE_LENGTH, "y" * MAX_OPAQUE_LENGTH),
        ("non-ascii printable", "café-ü", "café-ü"),
    ],
)
def test_opaque_id_is_trimmed(
    kind: IdentifierType, description: str, raw: str, expected: str
) -> None:
    assert normalise(kind, raw) == Identifier(kind, expected), description


@pytest.mark.parametrize("kind", [T.COOKIE, T.DEVICE, T.ACCOUNT])
@pytest.mark.parametrize(
    ("description", "raw", "expected"),
    [
        ("empty", "", "1 to 256 characters"),
        ("only spaces", "   ", "1 to 256 characters"),
        ("257 characters", "z" * (MAX_OPAQUE_LENGTH + 1), "1 to 256 characters"),
        ("NUL inside", "a\x00b", "non-printable"),
        ("tab inside", "a\tb", "non-printable"),
        ("escape inside", "a\x1bb", "non-printable"),
    ],
)
def test_invalid_opaque_id_is_rejected_with_a_reason(
    kind: IdentifierType, description: str, raw: str, expected: str
) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        normalise(kind, raw)
    assert str(caught.value).startswith(f"invalid {kind.value.lower()}"), description
    assert expected in str(caught.value), description


@pytest.mark.parametrize(
    ("description", "kind", "raw"),
    [
        ("null", T.COOKIE, "null"),
        ("NULL upper-case with spaces", T.DEVICE, "  NULL "),
        ("undefined", T.COOKIE, "undefined"),
        ("Undefined mixed case", T.ACCOUNT, "Undefined"),
        ("unknown", T.DEVICE, "unknown"),
        ("UNKNOWN", T.COOKIE, " UNKNOWN"),
        ("zero", T.ACCOUNT, "0"),
        ("zero padded with spaces", T.COOKIE, " 0 "),
        ("test@test.com", T.EMAIL, "test@test.com"),
        ("Test@Test.COM", T.EMAIL, " Test@Test.COM "),
        ("noemail@example.com", T.EMAIL, "noemail@example.com"),
        ("NoEmail@Example.com", T.EMAIL, "NoEmail@Example.com"),
        ("placeholder phone digits", T.PHONE, "0000000000"),
    ],
)
def test_blocked_placeholder_raises(description: str, kind: IdentifierType, raw: str) -> None:
    with pytest.raises(BlockedIdentifier):
        normalise(kind, raw, blocked=ResolutionConfig().blocked_values)


def test_blocked_check_applies_to_the_normalised_value() -> None:
    blocked = frozenset({"+14155552671", "shared@example.com"})
    with pytest.raises(BlockedIdentifier):
        normalise(T.PHONE, "(415) 555-2671", blocked=blocked)
    with pytest.raises(BlockedIdentifier):
        normalise(T.EMAIL, "SHARED@example.com", blocked=blocked)


def test_blocked_list_is_configurable() -> None:
    config = ResolutionConfig(blocked_values=frozenset({"house-ipad"}))
    with pytest.raises(BlockedIdentifier):
        normalise(T.DEVICE, "House-iPad", blocked=config.blocked_values)
    # not blocked once the list is replaced
    assert normalise(T.COOKIE, "null", blocked=config.blocked_values).value == "null"


def test_without_a_blocked_list_placeholders_are_ordinary_values() -> None:
    assert normalise(T.COOKIE, "null") == Identifier(T.COOKIE, "null")


def test_default_blocked_list_holds_the_contract_examples() -> None:
    contract = {"null", "undefined", "unknown", "0", "test@test.com", "noemail@example.com"}
    assert contract <= DEFAULT_BLOCKED
    assert all(value == value.lower() for value in DEFAULT_BLOCKED)


def test_identifier_key_round_trips() -> None:
    ident = Identifier(T.EMAIL, "a:b@example.com")
    assert ident.key == "EMAIL:a:b@example.com"
    assert Identifier.from_key(ident.key) == ident


@pytest.mark.parametrize(
    ("kind", "expected"),
    [(T.COOKIE, True), (T.DEVICE, True), (T.EMAIL, False), (T.PHONE, False), (T.ACCOUNT, False)],
)
def test_only_cookies_and_devices_are_carriers(kind: IdentifierType, expected: bool) -> None:
    assert Identifier(kind, "v").is_carrier is expected


def test_two_spellings_are_one_identifier() -> None:
    assert normalise(T.EMAIL, " Bob@Example.com") == normalise(T.EMAIL, "bob@example.COM")
    assert normalise(T.PHONE, "+1 (415) 555 2671") == normalise(T.PHONE, "4155552671")
