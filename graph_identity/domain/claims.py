"""Weak claims against held identifiers (README "Weak claims").

A customer who mistypes their address into a newsletter form once may hit another customer's
real email; a bot may submit many customers' emails from one cookie. Each such form is a
*weak claim*: a touchpoint or IDENTIFY link seen once (:func:`scoring.is_weak_claim`) between
identifiers none of which is an account (what an account itself asserts, its CRM record, is
its own word). The email or phone it names may be *held*: linked to an account by strong,
repeated evidence (:func:`scoring.holds`: a login, an IDENTIFY seen twice, ...).

A weak claim touching a held identifier does not take part in the main union. It is settled
after it, against the groups the stronger evidence made:

* it joins its two ends when nothing forbids it (a customer's new browser seen once with their
  own email: the usual stitching);
* it is *conflicting evidence*, joining nothing and sharing nothing, when a limit refuses the
  join (it would tie the held identifier to a second person), or when its claimant (the other
  end) makes weak claims on held identifiers of persons that limits keep apart (the bot's
  cookie).

Conflicting claims are kept in the trace as refused links (:data:`WEAK_CLAIM`), so ``explain``
and the fraud team's neighbourhood show them, and attribution does not follow them: the form
goes on the claimant's timeline (the signed-in customer, the bot's own cookie), not on the
holder's. Everything here is a function of the links' kinds and counts and of the union's
groups, never of arrival order, and in a component no limit touches every claim joins, as
the unconstrained path assumes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from graph_identity.domain.config import ResolutionConfig
from graph_identity.domain.evidence import Evidence
from graph_identity.domain.identifiers import IdentifierType
from graph_identity.domain.links import Link
from graph_identity.domain.scoring import holds, is_weak_claim
from graph_identity.domain.unionfind import GroupRules

WEAK_CLAIM = "weak claim: the identifier's own evidence outweighs it"

_HELD_TYPES = (IdentifierType.EMAIL, IdentifierType.PHONE)


@dataclass(frozen=True, slots=True)
class Claims:
    held: frozenset[str]  # emails and phones an account holds
    links: tuple[Link, ...]  # weak claims touching a held one, in the union's order

    def pairs(self) -> set[tuple[str, str]]:
        return {(link.a, link.b) for link in self.links}


def find_claims(evidence: Evidence, config: ResolutionConfig) -> Claims:
    """The held identifiers and the weak claims made on them."""
    scoring, kind_of = config.scoring, evidence.kind_of
    held: set[str] = set()
    for link in evidence.links.values():
        for own, other in ((link.a, link.b), (link.b, link.a)):
            if (
                kind_of[own] is IdentifierType.ACCOUNT
                and kind_of[other] in _HELD_TYPES
                and holds(link, scoring)
            ):
                held.add(other)
    claims = [
        link
        for link in evidence.links.values()
        if (link.a in held or link.b in held)
        and is_weak_claim(link, scoring)
        and IdentifierType.ACCOUNT not in (kind_of[link.a], kind_of[link.b])
    ]
    return Claims(frozenset(held), tuple(sorted(claims, key=Link.order_key)))


def settle(
    claims: Claims,
    rules: GroupRules,
    excluded: set[str],
    merged: set[tuple[str, str]],
    rejected: dict[tuple[str, str], str],
) -> None:
    """Take the weak claims after the main union: join what nothing forbids, refuse the rest
    as :data:`WEAK_CLAIM` (nothing becomes shared by them)."""
    live = [link for link in claims.links if link.a not in excluded and link.b not in excluded]
    targets: dict[str, set[str]] = defaultdict(set)
    for link in live:
        for claimant, target in ((link.a, link.b), (link.b, link.a)):
            if target in claims.held:
                targets[claimant].add(rules.find(target))
    torn = {
        claimant
        for claimant, roots in targets.items()
        if any(rules.refusal(x, y) for x, y in combinations(sorted(roots), 2))
    }
    for link in live:
        pair = (link.a, link.b)
        if rules.find(link.a) == rules.find(link.b):
            merged.add(pair)
        elif link.a in torn or link.b in torn or rules.try_union(link.a, link.b) is not None:
            rejected[pair] = WEAK_CLAIM
        else:
            merged.add(pair)


def outweighed(
    elements: list[str], rejected: dict[tuple[str, str], str], held: frozenset[str]
) -> set[str]:
    """The held identifiers among one event's elements that a conflicting claim named: the
    event is not attributed through them."""
    found: set[str] = set()
    for a, b in combinations(sorted(set(elements)), 2):
        if rejected.get((a, b)) == WEAK_CLAIM:
            found |= {a, b} & held
    return found
