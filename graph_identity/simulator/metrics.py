"""How well a resolution matches the ground truth of a simulated world.

Inputs are plain mappings so that any engine can be scored:

- ``predicted``: identifier key -> predicted person id, for the identifiers the engine *owns*
  (an identifier the engine calls shared belongs to no predicted person and is left out);
- ``predicted_shared``: the identifier keys the engine flags as shared;
- ``attributed``: event id -> the predicted person ids whose timeline lists the event.

Every function runs in time linear in its input: pairs are counted from a contingency table
(``n * (n - 1) / 2`` per cell), never enumerated. Ratios whose denominator is zero are 1.0
(nothing claimed, nothing wrong; nothing to find, nothing missed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from graph_identity.simulator.truth import Truth


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def _pairs(counts: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


@dataclass(frozen=True, slots=True)
class PairScores:
    """Pairwise clustering scores over the identifiers the truth says are owned.

    A pair is two owned identifiers. ``true_pairs``: pairs with the same true owner.
    ``predicted_pairs``: pairs in the same predicted person. ``correct_pairs``: both.
    ``precision = correct / predicted``, ``recall = correct / true``.
    """

    precision: float
    recall: float
    f1: float
    correct_pairs: int
    predicted_pairs: int
    true_pairs: int
    identifiers: int
    #: owned identifiers the prediction does not place in any person (each counts as alone)
    missing: int


def pairwise_scores(predicted: Mapping[str, str], truth: Truth) -> PairScores:
    """Pairwise precision and recall of ``predicted`` against the owned identifiers of the truth.

    Only identifiers in ``truth.person_of`` count. One missing from ``predicted`` is a
    singleton: it costs recall, never precision. Predicted entries for keys the truth calls
    shared, junk or unknown are ignored.
    """
    cells: Counter[tuple[str, str]] = Counter()
    true_sizes: Counter[str] = Counter()
    missing = 0
    for key, owner in truth.person_of.items():
        true_sizes[owner] += 1
        person = predicted.get(key)
        if person is None:
            missing += 1
        else:
            cells[(person, owner)] += 1
    predicted_sizes: Counter[str] = Counter()
    for (person, _), n in cells.items():
        predicted_sizes[person] += n
    correct = _pairs(cells.values())
    predicted_pairs = _pairs(predicted_sizes.values())
    true_pairs = _pairs(true_sizes.values())
    precision = _ratio(correct, predicted_pairs)
    recall = _ratio(correct, true_pairs)
    return PairScores(
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        correct_pairs=correct,
        predicted_pairs=predicted_pairs,
        true_pairs=true_pairs,
        identifiers=len(truth.person_of),
        missing=missing,
    )


def impure_persons(predicted: Mapping[str, str], truth: Truth) -> dict[str, set[str]]:
    """Predicted persons holding accounts of two or more different true holders -> holders."""
    holders: dict[str, set[str]] = {}
    for key, holder in truth.account_holder.items():
        person = predicted.get(key)
        if person is not None:
            holders.setdefault(person, set()).add(holder)
    return {person: found for person, found in holders.items() if len(found) > 1}


def account_purity(predicted: Mapping[str, str], truth: Truth) -> int:
    """How many predicted persons hold the accounts of two or more true people (must be 0)."""
    return len(impure_persons(predicted, truth))


@dataclass(frozen=True, slots=True)
class SharedScores:
    """Precision and recall of the shared flags against ``truth.shared``."""

    precision: float
    recall: float
    f1: float
    correct: int
    predicted: int
    actual: int


def shared_scores(predicted_shared: Collection[str], truth: Truth) -> SharedScores:
    """``precision = |flagged and truly shared| / |flagged|``, ``recall = ... / |truly shared|``.

    A flagged key that the truth owns, or does not know (junk), is a false positive.
    """
    flagged = set(predicted_shared)
    correct = sum(1 for key in flagged if key in truth.shared)
    precision = _ratio(correct, len(flagged))
    recall = _ratio(correct, len(truth.shared))
    return SharedScores(
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        correct=correct,
        predicted=len(flagged),
        actual=len(truth.shared),
    )


def majority_map(predicted: Mapping[str, str], truth: Truth) -> dict[str, str]:
    """Predicted person id -> the true person owning most of its identifiers.

    Votes are the predicted person's identifiers in ``truth.person_of`` (shared, junk and
    unknown keys do not vote). Ties go to the smallest true person id. A predicted person
    without any owned identifier is not in the result.
    """
    votes: dict[str, Counter[str]] = {}
    for key, person in predicted.items():
        owner = truth.person_of.get(key)
        if owner is not None:
            votes.setdefault(person, Counter())[owner] += 1
    return {
        person: min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
        for person, counter in votes.items()
    }


@dataclass(frozen=True, slots=True)
class AttributionScores:
    """How well touchpoints are attributed to the people who really performed them.

    Scored events are the truth's touchpoints with a known actor. An *attribution* is one
    (scored event, predicted person) pair from ``attributed``; it is correct when the
    predicted person maps (through ``mapping``) to the event's actor.

    - ``precision = correct / attributions``;
    - ``misattributed = attributions - correct`` (wrong person, or a person with no mapping);
    - ``coverage``: share of attributable touchpoints attributed to anybody;
    - ``recall``: share of attributable touchpoints attributed to their actor;
    - ``beyond_contract``: touchpoints attributed although the contract does not make them
      attributable (correct or not, they are counted in precision too).
    """

    precision: float
    coverage: float
    recall: float
    attributions: int
    correct: int
    misattributed: int
    misattributed_events: int
    attributable: int
    attributed_attributable: int
    correct_attributable: int
    beyond_contract: int


def attribution_scores(
    attributed: Mapping[str, Collection[str]],
    mapping: Mapping[str, str],
    truth: Truth,
) -> AttributionScores:
    """Score ``attributed`` (event id -> predicted person ids); see :class:`AttributionScores`.

    ``mapping`` is predicted person -> true person, normally :func:`majority_map`. Event ids
    that are not scored touchpoints (logins, identifies, unknown ids) are ignored.
    """
    attributions = correct = misattributed_events = beyond = 0
    attributed_attributable = correct_attributable = 0
    actor_of = truth.actor_of
    for event_id, persons in attributed.items():
        if not persons or event_id not in truth.touchpoints:
            continue
        actor = actor_of.get(event_id)
        if actor is None:
            continue
        right = sum(1 for person in persons if mapping.get(person) == actor)
        attributions += len(persons)
        correct += right
        if right < len(persons):
            misattributed_events += 1
        if truth.attributable(event_id):
            attributed_attributable += 1
            if right:
                correct_attributable += 1
        else:
            beyond += 1
    attributable = len(truth.attributable_events)
    return AttributionScores(
        precision=_ratio(correct, attributions),
        coverage=_ratio(attributed_attributable, attributable),
        recall=_ratio(correct_attributable, attributable),
        attributions=attributions,
        correct=correct,
        misattributed=attributions - correct,
        misattributed_events=misattributed_events,
        attributable=attributable,
        attributed_attributable=attributed_attributable,
        correct_attributable=correct_attributable,
        beyond_contract=beyond,
    )
