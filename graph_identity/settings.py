"""All configuration, read from the environment (see README "Configuration")."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph_identity.collect.settings import check_collection, spec_mapping
from graph_identity.collect.spec import SpecMapping
from graph_identity.domain.config import (
    DEFAULT_BLOCKED,
    DEFAULT_LIMITS,
    ResolutionConfig,
    ScoringConfig,
)
from graph_identity.domain.consent import AssurancePolicy, ConsentPolicy, Purpose
from graph_identity.domain.identifiers import IdentifierType
from graph_identity.keys import parse_api_keys


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
    #: query cost limit and read deadline (docs/limits.md)
    max_query_cost: int = Field(20_000, ge=1, alias="GRAPH_IDENTITY_MAX_QUERY_COST")
    query_deadline_seconds: float = Field(
        30.0, gt=0, le=3600, alias="GRAPH_IDENTITY_QUERY_DEADLINE_SECONDS"
    )

    # consent, purposes, assurance, access log (README "Consent and access")
    api_keys_file: Path | None = Field(None, alias="GRAPH_IDENTITY_API_KEYS_FILE")
    oidc_purpose_claim: str = Field("purposes", alias="GRAPH_IDENTITY_OIDC_PURPOSE_CLAIM")
    consent_defaults: str | None = Field(None, alias="GRAPH_IDENTITY_CONSENT_DEFAULTS")
    default_purpose: Purpose = Field(Purpose.SERVICE, alias="GRAPH_IDENTITY_DEFAULT_PURPOSE")
    assurance_high: float = Field(0.9, ge=0, le=1, alias="GRAPH_IDENTITY_ASSURANCE_HIGH")
    verified_hours: float = Field(24.0, gt=0, alias="GRAPH_IDENTITY_VERIFIED_HOURS")
    access_log_days: float = Field(365.0, gt=0, alias="GRAPH_IDENTITY_ACCESS_LOG_DAYS")

    # -- reliability (README "Reliability and privacy"): outages, request size, erasure, tokens
    #: bounded waits on an unreachable Neo4j (README "Outages")
    neo4j_connect_timeout: float = Field(5.0, gt=0, alias="GRAPH_IDENTITY_NEO4J_CONNECT_TIMEOUT")
    neo4j_acquire_timeout: float = Field(10.0, gt=0, alias="GRAPH_IDENTITY_NEO4J_ACQUIRE_TIMEOUT")
    neo4j_retry_seconds: float = Field(5.0, ge=0, alias="GRAPH_IDENTITY_NEO4J_RETRY_SECONDS")
    retry_after_seconds: int = Field(10, ge=1, alias="GRAPH_IDENTITY_RETRY_AFTER_SECONDS")
    #: request bodies larger than this are refused with 413 (a full batch with large
    #: attributes is about 17 MB)
    max_body_bytes: int = Field(20 * 1024 * 1024, ge=1024, alias="GRAPH_IDENTITY_MAX_BODY_BYTES")
    #: HMAC key of the erasure deny-list (README "Erasure")
    erasure_key: SecretStr | None = Field(None, alias="GRAPH_IDENTITY_ERASURE_KEY")
    #: bearer token for /metrics besides admin credentials (README "Metrics")
    metrics_key: SecretStr | None = Field(None, alias="GRAPH_IDENTITY_METRICS_KEY")
    oidc_leeway_seconds: float = Field(30.0, ge=0, alias="GRAPH_IDENTITY_OIDC_LEEWAY_SECONDS")
    #: the OIDC client ids whose ID tokens may verify a LOGIN (comma-separated)
    oidc_client_ids: str = Field("", alias="GRAPH_IDENTITY_OIDC_CLIENT_IDS")
    #: how far an ID token's iat/auth_time may lie from its LOGIN event's time
    id_token_window_minutes: float = Field(
        10.0, gt=0, alias="GRAPH_IDENTITY_ID_TOKEN_WINDOW_MINUTES"
    )

    # -- ingest mode (issue 8): README "Ingest modes" --------------------------------------
    #: sync: an acknowledged ingest is resolved; async: it is stored, and resolved in the
    #: background (opt-in; ``resolve`` may not see it yet)
    ingest_mode: Literal["sync", "async"] = Field("sync", alias="GRAPH_IDENTITY_INGEST_MODE")
    #: events the background resolver takes per transaction
    backlog_batch: int = Field(5000, ge=1, le=100_000, alias="GRAPH_IDENTITY_BACKLOG_BATCH")
    #: whether each server process runs a background resolver (false when a separate
    #: ``graph-identity backlog --follow`` process resolves for them)
    resolve_in_server: bool = Field(True, alias="GRAPH_IDENTITY_RESOLVE_IN_SERVER")
    #: how long a woken background resolver lets a stream gather before it resolves
    backlog_gather_seconds: float = Field(
        1.0, ge=0, le=3600, alias="GRAPH_IDENTITY_BACKLOG_GATHER_SECONDS"
    )
    #: how often an idle background resolver looks for events other processes stored
    backlog_poll_seconds: float = Field(
        0.5, gt=0, le=3600, alias="GRAPH_IDENTITY_BACKLOG_POLL_SECONDS"
    )

    #: the local Neo4j's heap ceiling and page cache (`graph-identity neo4j start`)
    neo4j_heap: str = Field("1g", pattern=r"^[0-9]+[kmg]$", alias="GRAPH_IDENTITY_NEO4J_HEAP")
    neo4j_pagecache: str = Field(
        "256m", pattern=r"^[0-9]+[kmg]$", alias="GRAPH_IDENTITY_NEO4J_PAGECACHE"
    )

    #: seconds between background reconciliations of hub regions (README "Hubs and
    #: reconciliation"); 0 disables them (then run `graph-identity reconcile`)
    reconcile_interval: float = Field(30.0, ge=0, alias="GRAPH_IDENTITY_RECONCILE_INTERVAL")

    # -- collection (docs/collect.md): the Segment-compatible /v1 source and the snippet ------
    #: origins (scheme://host[:port], comma-separated) whose pages may send to /v1; none by
    #: default (the app's own pages always may)
    collect_origins: str = Field("", alias="GRAPH_IDENTITY_COLLECT_ORIGINS")
    collect_signed_in: str = Field("Signed In", alias="GRAPH_IDENTITY_COLLECT_SIGNED_IN")
    collect_signed_out: str = Field("Signed Out", alias="GRAPH_IDENTITY_COLLECT_SIGNED_OUT")
    collect_anonymous_id: Literal["auto", "cookie", "device"] = Field(
        "auto", alias="GRAPH_IDENTITY_COLLECT_ANONYMOUS_ID"
    )
    #: messages a minute one client address may send through one write key (0: no limit)
    collect_address_limit: int = Field(1200, ge=0, alias="GRAPH_IDENTITY_COLLECT_ADDRESS_LIMIT")
    #: the write key the demo shop at /shop sends with; unset: no shop
    shop_write_key: SecretStr | None = Field(None, alias="GRAPH_IDENTITY_SHOP_WRITE_KEY")

    neo4j_home: Path = Field(
        Path.home() / ".cache" / "graph-identity" / "neo4j", alias="GRAPH_IDENTITY_NEO4J_HOME"
    )

    #: the Kafka cluster `graph-identity consume` reads (docs/kafka.md); a local broker
    #: (`graph-identity kafka start`) listens here, its controller on the next port
    kafka_bootstrap: str = Field(
        "127.0.0.1:9092",
        pattern=r"^[^\s,]+:[0-9]+(,[^\s,]+:[0-9]+)*$",
        alias="GRAPH_IDENTITY_KAFKA_BOOTSTRAP",
    )
    kafka_home: Path = Field(
        Path.home() / ".cache" / "graph-identity" / "kafka", alias="GRAPH_IDENTITY_KAFKA_HOME"
    )
    #: most messages `graph-identity consume` ingests in one batch (one ingest call)
    consume_batch: int = Field(500, ge=1, le=5000, alias="GRAPH_IDENTITY_CONSUME_BATCH")

    @model_validator(mode="after")
    def _parse_now(self) -> Settings:
        """Parse the structured variables when the settings are made (at start-up), so a
        mistake stops the process with the variable's name instead of failing a request."""
        keys = parse_api_keys(self.api_keys, self.api_keys_file)
        check_collection(self, keys)
        self.consent_policy()
        try:
            self.resolution()
        except ValidationError as exc:
            raise ValueError(f"GRAPH_IDENTITY_SCORING: {exc}") from exc
        return self

    @field_validator("default_region")
    @classmethod
    def _region_upper(cls, value: str) -> str:
        return value.strip().upper()

    def erasure_key_bytes(self) -> bytes | None:
        """The configured erasure deny-list key, if any (store/erasure.py); empty is unset."""
        return _secret_bytes(self.erasure_key)

    def metrics_key_bytes(self) -> bytes | None:
        """The configured /metrics bearer token, if any; empty is unset."""
        return _secret_bytes(self.metrics_key)

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

    def collect_mapping(self) -> SpecMapping:
        """The Segment Spec mapping these settings configure (docs/collect.md)."""
        return spec_mapping(self.collect_signed_in, self.collect_signed_out,
                            self.collect_anonymous_id)  # fmt: skip

    def consent_policy(self) -> ConsentPolicy:
        """Per-purpose defaults; raises ValueError naming GRAPH_IDENTITY_CONSENT_DEFAULTS."""
        return ConsentPolicy.parse(self.consent_defaults, "GRAPH_IDENTITY_CONSENT_DEFAULTS")

    def assurance_policy(self) -> AssurancePolicy:
        return AssurancePolicy(self.assurance_high, timedelta(hours=self.verified_hours))


def _secret_bytes(secret: SecretStr | None) -> bytes | None:
    value = secret.get_secret_value().strip() if secret is not None else ""
    return value.encode() if value else None
