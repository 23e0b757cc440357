"""Enums of the API's own. The domain's ``IdentifierType`` and ``EventType`` are used as they
are: strawberry maps plain enums under their own names."""

from __future__ import annotations

import enum

import strawberry


@strawberry.enum(description="The strongest kind of evidence behind a link.")
class LinkKind(enum.StrEnum):
    MANUAL = "MANUAL"
    VERIFIED_LOGIN = "VERIFIED_LOGIN"
    LOGIN = "LOGIN"
    IDENTIFY = "IDENTIFY"
    TOUCHPOINT = "TOUCHPOINT"


@strawberry.enum(description="What an audited admin action did.")
class AuditAction(enum.StrEnum):
    SPLIT = "SPLIT"
    MERGE = "MERGE"
    FORGET = "FORGET"
    UNDO = "UNDO"
