"""Who is at a carrier (a cookie, a device) at a moment: the rule attribution applies, as an answer.

Attribution puts an anonymous event on a carrier on the timeline of the person whose session
covers it (the session opens at the login and reaches back over the pre-login window) and on
nobody's in the time between sessions of a carrier that has more than one segment (see
:mod:`graph_identity.domain.segments`). ``resolve(carrier, at: t)`` answers by the same rule, so
that what a site shows on a cookie never names someone the timeline would not: after a logout,
until the next login or IDENTIFY, the carrier stands for nobody (docs/api.md, "Logout and answers").
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from graph_identity.domain.segments import Segment, at_time


class NoPersonReason(enum.StrEnum):
    """Why an identifier that is known names nobody at that moment."""

    SIGNED_OUT = "SIGNED_OUT"  # after a logout on the carrier, before the next login or identify
    NOT_SIGNED_IN = "NOT_SIGNED_IN"  # before the carrier's first session


@dataclass(frozen=True, slots=True)
class CarrierMoment:
    """The segment covering a moment; ``reason`` is set when the carrier names nobody then,
    and ``last_session`` is the latest session before the moment (who signed out), if any."""

    segment: Segment
    reason: NoPersonReason | None = None
    last_session: Segment | None = None


def carrier_moment(
    segments: Sequence[Segment], at: datetime, claimed: Mapping[int, datetime] | None = None
) -> CarrierMoment:
    """Where ``at`` falls on a carrier cut into ``segments`` (in time order, tiling the
    timeline). A carrier of one segment is its holder's at every moment; a carrier of several
    names nobody in its anonymous segments, as attribution does, until an IDENTIFY on the
    carrier (``claimed``: segment index -> its first IDENTIFY) says who is there: from that
    moment the segment answers for whoever it belongs to."""
    ordered = list(segments)
    segment = at_time(ordered, at)
    if len(ordered) == 1 or segment.account is not None:
        return CarrierMoment(segment)
    identified = (claimed or {}).get(segment.index)
    if identified is not None and identified <= at:
        return CarrierMoment(segment)
    sessions = [s for s in ordered[: segment.index] if s.account is not None]
    if not sessions:
        return CarrierMoment(segment, NoPersonReason.NOT_SIGNED_IN)
    return CarrierMoment(segment, NoPersonReason.SIGNED_OUT, sessions[-1])
