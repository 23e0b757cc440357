"""All configuration, read from the environment (see README "Configuration")."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph_identity.domain.config import (
    DEFAULT_BLOCKED,
    DEFAULT_LIMITS,
    ResolutionConfig,
    ScoringConfig,
)
from graph_identity.domain.identifiers import IdentifierType


class Settings(BaseSettings):
    """One settings object per process, built explicitly (never at import time)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    neo4j_uri: str = Field("bolt://127.0.0.1:7687", alias="NEO4J_URI")
    neo4j_user: str = Field("neo4j", alias="NEO4J_USER")
    neo4j_password: str = Field("graph-identity", alias="NEO4J_PASSWORD")
    neo4j_database: str = Field("neo4j", alias="NEO4J_DATABASE")

    api_keys: str = Field("", alias="GRAPH_IDENTITY_API_KEYS")
    oidc_issuer: str | None = Field(None, alias="GRAPH_IDENTITY_OIDC_ISSUER")
    oidc_audience: str | None = Field(None, alias="GRAPH_IDENTITY_OIDC_AUDIENCE")
    oidc_jwks_url: str | None = Field(None, alias="GRAPH_IDENTITY_OIDC_JWKS_URL")
    oidc_role_claim: str = Field("roles", alias="GRAPH_IDENTITY_OIDC_ROLE_CLAIM")
    #: The console's public OIDC client (authorization code + PKCE); no secret: runs in a browser.
    console_client_id: str | None = Field(None, alias="GRAPH_IDENTITY_CONSOLE_CLIENT_ID")
    console_scope: str = Field("openid", alias="GRAPH_IDENTITY_CONSOLE_SCOPE")

    default_region: str = Field("US", alias="GRAPH_IDENTITY_DEFAULT_REGION")
    blocked_values: str | None = Field(None, alias="GRAPH_IDENTITY_BLOCKED_VALUES")
    limits: str | None = Field(None, alias="GRAPH_IDENTITY_LIMITS")
    prelogin_window_minutes: float = Field(30.0, ge=0, alias="GRAPH_IDENTITY_PRELOGIN_MINUTES")
    handover_days: float = Field(30.0, ge=0, alias="GRAPH_IDENTITY_HANDOVER_DAYS")
    hub_persons: int = Field(8, ge=2, alias="GRAPH_IDENTITY_HUB_PERSONS")
    scoring_json: str | None = Field(None, alias="GRAPH_IDENTITY_SCORING")

    max_query_depth: int = Field(12, alias="GRAPH_IDENTITY_MAX_QUERY_DEPTH")
    max_batch_events: int = Field(1000, alias="GRAPH_IDENTITY_MAX_BATCH")

    neo4j_home: Path = Field(
        Path.home() / ".cache" / "graph-identity" / "neo4j", alias="GRAPH_IDENTITY_NEO4J_HOME"
    )

    @field_validator("default_region")
    @classmethod
    def _region_upper(cls, value: str) -> str:
        return value.strip().upper()

    def api_key_roles(self) -> dict[str, str]:
        """``"admin:KEY1,agent:KEY2"`` as ``{"KEY1": "admin", "KEY2": "agent"}``."""
        pairs: dict[str, str] = {}
        for item in filter(None, (p.strip() for p in self.api_keys.split(","))):
            role, sep, key = item.partition(":")
            if not sep or not key or role not in {"ingest", "agent", "fraud", "admin"}:
                raise ValueError(
                    "GRAPH_IDENTITY_API_KEYS: expected role:key pairs with roles "
                    f"ingest, agent, fraud or admin; got {item!r}"
                )
            pairs[key] = role
        return pairs

    def resolution(self) -> ResolutionConfig:
        """The domain's view of these settings."""
        limits = dict(DEFAULT_LIMITS)
        if self.limits:
            for item in filter(None, (p.strip() for p in self.limits.split(","))):
                kind, _, number = item.partition(":")
                try:
                    limits[IdentifierType(kind.strip().upper())] = int(number)
                except ValueError as exc:
                    raise ValueError(f"GRAPH_IDENTITY_LIMITS: bad entry {item!r}") from exc
        blocked = DEFAULT_BLOCKED
        if self.blocked_values is not None:
            blocked = frozenset(
                v.strip().lower() for v in self.blocked_values.split(",") if v.strip()
            )
        scoring = (
            ScoringConfig.model_validate_json(self.scoring_json)
            if self.scoring_json
            else ScoringConfig()
        )
        return ResolutionConfig(
            limits=limits,
            prelogin_window=timedelta(minutes=self.prelogin_window_minutes),
            handover_gap=timedelta(days=self.handover_days),
            hub_persons=self.hub_persons,
            blocked_values=blocked,
            default_region=self.default_region,
            scoring=scoring,
        )
