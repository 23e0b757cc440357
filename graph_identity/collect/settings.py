"""The collection settings, checked when the app starts (each error names its variable)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from graph_identity.collect.spec import AnonymousRule, SpecMapping

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pydantic import SecretStr


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def is_write_key(self) -> bool: ...


class _CollectSettings(Protocol):
    collect_origins: str
    collect_signed_in: str
    collect_signed_out: str
    collect_anonymous_id: AnonymousRule
    shop_write_key: SecretStr | None


def names(text: str) -> frozenset[str]:
    """A comma-separated list of names, trimmed, empty entries left out."""
    return frozenset(n.strip() for n in text.split(",") if n.strip())


def origins(text: str) -> list[str]:
    """GRAPH_IDENTITY_COLLECT_ORIGINS as a list; raises ValueError on an entry that is not
    ``scheme://host[:port]``."""
    found = []
    for origin in sorted(names(text)):
        scheme, sep, rest = origin.partition("://")
        if scheme not in ("http", "https") or not sep or not rest or "/" in rest:
            raise ValueError(
                f"GRAPH_IDENTITY_COLLECT_ORIGINS: {origin!r} is not scheme://host[:port]"
            )
        found.append(origin)
    return found


def spec_mapping(signed_in: str, signed_out: str, anonymous_id: AnonymousRule) -> SpecMapping:
    return SpecMapping(names(signed_in), names(signed_out), anonymous_id)


def check_collection(settings: _CollectSettings, keys: Sequence[_Keyed]) -> None:
    """Raises ValueError naming the variable that is wrong."""
    origins(settings.collect_origins)
    signed_in, signed_out = names(settings.collect_signed_in), names(settings.collect_signed_out)
    if not signed_in or not signed_out:
        raise ValueError("GRAPH_IDENTITY_COLLECT_SIGNED_IN/OUT: name at least one event each")
    if signed_in & signed_out:
        raise ValueError(
            "GRAPH_IDENTITY_COLLECT_SIGNED_OUT: an event cannot both sign in and sign out: "
            f"{sorted(signed_in & signed_out)}"
        )
    shop = settings.shop_write_key
    if shop is not None and shop.get_secret_value():
        secret = shop.get_secret_value()
        if not any(k.key == secret and k.is_write_key for k in keys):
            raise ValueError(
                "GRAPH_IDENTITY_SHOP_WRITE_KEY: not a configured write key (a source:KEY entry "
                "of GRAPH_IDENTITY_API_KEYS)"
            )
