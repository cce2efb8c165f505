"""Matching a mentee with a mentor, explained: a score and its reasons in words, hard limits never broken, and a fair
batch assignment for everyone waiting.

The weights follow what the coordinators and carers asked for in the service's own annual mentoring report: locality
first (a mentor "a long way off" was the first complaint), then the type of fostering and the ages of children the
mentor knows (a carer of babies given a teenage-only mentor had to be re-matched), then when and how both can meet,
a shared language, and how full the mentor already is.

Hard limits (never broken, whatever the score): the mentor has completed mentor training, is taking new mentees,
and has a free place (`active < capacity`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from portal.mentoring.models import AGE_GROUP_LABELS, AVAILABILITY_LABELS, WAY_LABELS
from portal.people.models import CARER_TYPE_LABELS

# Points for each part of the fit. Locality outweighs everything else together bar fostering type, so a near mentor
# who knows a little wins over a far one who knows a lot.
SAME_LOCALITY = 40
NEIGHBOUR_LOCALITY = 20
FOSTERING_TYPE = 25
PER_AGE_GROUP, MAX_AGE_GROUPS = 10, 20
PER_TIME, MAX_TIMES = 5, 10
PER_WAY, MAX_WAYS = 3, 6
LANGUAGE = 10
LOAD_PENALTY = 10  # taken off in proportion to the places already used
# Batch assignment: each further mentee a mentor takes costs this much more, in proportion to their capacity, so
# mentees are spread across mentors who offered rather than piled on the best-scoring few.
FAIRNESS = 15
# Added to every possible pair in the batch so that matching one more person always beats leaving them waiting.
PLACE_BONUS = 1000

AGE_ORDER = list(AGE_GROUP_LABELS)
TIME_ORDER = list(AVAILABILITY_LABELS)
WAY_ORDER = list(WAY_LABELS)
TYPE_ORDER = [t.value for t in CARER_TYPE_LABELS]


@dataclass(frozen=True)
class MenteeNeeds:
    """What a mentee looks for. Sets hold option keys (portal.mentoring.models); languages are lower-case words."""

    id: int
    locality_id: int
    fostering_type: str
    age_groups: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    ways: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset({"english"})


@dataclass(frozen=True)
class MentorOffer:
    """What a mentor offers, and how full they are now (`active`: live matches)."""

    id: int
    locality_id: int
    fostering_types: frozenset[str] = frozenset()
    age_groups: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    ways: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset({"english"})
    capacity: int = 2
    active: int = 0
    taking_mentees: bool = True
    trained: bool = True

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.active)


@dataclass
class Fit:
    """A mentor for a mentee: `score` (points, higher is better), `reasons` in words, and `blocked`, the hard limit
    that rules the mentor out (None when they may be matched)."""

    mentor_id: int
    score: int
    reasons: list[str] = field(default_factory=list)
    blocked: str | None = None


def blocked(mentor: MentorOffer) -> str | None:
    """The hard limit a mentor fails, in words, or None."""
    if not mentor.trained:
        return "mentor training not completed"
    if not mentor.taking_mentees:
        return "not taking new mentees"
    if mentor.active >= mentor.capacity:
        return f"no free place ({mentor.active} of {mentor.capacity} used)"
    return None


def _words(keys, labels: Mapping[str, str]) -> str:
    return " and ".join(
        labels.get(k, k) for k in sorted(keys, key=lambda k: list(labels).index(k) if k in labels else 99)
    )


def score(
    mentee: MenteeNeeds,
    mentor: MentorOffer,
    neighbours: Mapping[int, frozenset[int]],
    locality_names: Mapping[int, str] | None = None,
) -> Fit:
    """The fit of one mentor for one mentee, with its reasons in the order they weigh."""
    names = locality_names or {}
    points, reasons = 0, []
    if mentor.locality_id == mentee.locality_id:
        points += SAME_LOCALITY
        reasons.append("same locality")
    elif mentor.locality_id in neighbours.get(mentee.locality_id, frozenset()):
        points += NEIGHBOUR_LOCALITY
        reasons.append(f"neighbouring locality ({names.get(mentor.locality_id, 'next door')})")
    else:
        reasons.append(f"a different locality ({names.get(mentor.locality_id, 'not close')})")
    if mentee.fostering_type in mentor.fostering_types:
        points += FOSTERING_TYPE
        label = CARER_TYPE_LABELS.get(mentee.fostering_type, mentee.fostering_type)
        reasons.append(f"knows {label.lower() if mentee.fostering_type != 'kinship' else 'kinship care'}")
    ages = mentee.age_groups & mentor.age_groups
    if ages:
        points += min(MAX_AGE_GROUPS, PER_AGE_GROUP * len(ages))
        reasons.append(f"fosters {_words(ages, AGE_GROUP_LABELS)}")
    elif mentee.age_groups:
        reasons.append("has not fostered these ages")
    times = mentee.times & mentor.times
    if times:
        points += min(MAX_TIMES, PER_TIME * len(times))
        reasons.append(f"{_words(times, AVAILABILITY_LABELS)} both")
    ways = mentee.ways & mentor.ways
    if ways:
        points += min(MAX_WAYS, PER_WAY * len(ways))
        reasons.append(f"can both meet by {_words(ways, WAY_LABELS)}")
    shared = (mentee.languages & mentor.languages) - {"english"}
    if shared:
        points += LANGUAGE
        reasons.append(f"speaks {', '.join(sorted(s.title() for s in shared))}")
    if mentor.capacity > 0:
        points -= round(LOAD_PENALTY * mentor.active / mentor.capacity)
    reasons.append(f"{mentor.active} of {mentor.capacity} places used")
    return Fit(mentor.id, points, reasons, blocked(mentor))


def rank(
    mentee: MenteeNeeds,
    mentors: Sequence[MentorOffer],
    neighbours: Mapping[int, frozenset[int]],
    locality_names: Mapping[int, str] | None = None,
) -> list[Fit]:
    """Every mentor's fit, best first; mentors ruled out by a hard limit come last, with the limit in words."""
    fits = [score(mentee, m, neighbours, locality_names) for m in mentors]
    return sorted(fits, key=lambda f: (f.blocked is not None, -f.score, f.mentor_id))


# --- Batch: the same points for every pair at once (numpy), then an optimal assignment (scipy) -------------------


def _mask(keys, order: list[str]) -> int:
    return sum(1 << order.index(k) for k in keys if k in order)


_POPCOUNT = np.array([bin(i).count("1") for i in range(1 << 10)], dtype=np.int64)


def score_matrix(
    mentees: Sequence[MenteeNeeds], mentors: Sequence[MentorOffer], neighbours: Mapping[int, frozenset[int]]
) -> np.ndarray:
    """Points for every (mentee, mentor) pair: the same numbers as `score`, computed together. Shape (mentees, mentors)."""
    if not mentees or not mentors:
        return np.zeros((len(mentees), len(mentors)), dtype=np.int64)
    e_loc = np.array([m.locality_id for m in mentees])[:, None]
    r_loc = np.array([m.locality_id for m in mentors])[None, :]
    pts = np.where(e_loc == r_loc, SAME_LOCALITY, 0)
    near = np.zeros((len(mentees), len(mentors)), dtype=bool)
    by_locality: dict[int, list[int]] = {}
    for j, m in enumerate(mentors):
        by_locality.setdefault(m.locality_id, []).append(j)
    for i, e in enumerate(mentees):
        for loc in neighbours.get(e.locality_id, ()):
            if loc != e.locality_id:
                near[i, by_locality.get(loc, [])] = True
    pts = pts + np.where(near, NEIGHBOUR_LOCALITY, 0)

    def cols(items, attr, order):
        return np.array([_mask(getattr(x, attr), order) for x in items], dtype=np.int64)

    e_type = np.array([_mask({m.fostering_type}, TYPE_ORDER) for m in mentees], dtype=np.int64)[:, None]
    pts = pts + np.where((e_type & cols(mentors, "fostering_types", TYPE_ORDER)[None, :]) != 0, FOSTERING_TYPE, 0)
    for attr, order, per, most in (
        ("age_groups", AGE_ORDER, PER_AGE_GROUP, MAX_AGE_GROUPS),
        ("times", TIME_ORDER, PER_TIME, MAX_TIMES),
        ("ways", WAY_ORDER, PER_WAY, MAX_WAYS),
    ):
        both = cols(mentees, attr, order)[:, None] & cols(mentors, attr, order)[None, :]
        pts = pts + np.minimum(most, per * _POPCOUNT[both])
    languages = sorted({w for m in (*mentees, *mentors) for w in m.languages} - {"english"})
    if languages:
        lang = {w: i for i, w in enumerate(languages)}
        e_l = [sum(1 << lang[w] for w in m.languages if w in lang) for m in mentees]
        r_l = [sum(1 << lang[w] for w in m.languages if w in lang) for m in mentors]
        if len(languages) <= 62:
            shared = (np.array(e_l, dtype=np.int64)[:, None] & np.array(r_l, dtype=np.int64)[None, :]) != 0
        else:  # more languages than bits: fall back to Python ints
            shared = np.array([[bool(a & b) for b in r_l] for a in e_l])
        pts = pts + np.where(shared, LANGUAGE, 0)
    load = np.array([round(LOAD_PENALTY * m.active / m.capacity) if m.capacity > 0 else 0 for m in mentors])
    return pts - load[None, :]


@dataclass
class Assignment:
    """A proposed batch: mentee id → mentor id (None: no free place suits them), with each pair's score."""

    pairs: dict[int, int | None]
    scores: dict[int, int]
    objective: float


def slot_penalty(mentor: MentorOffer, k: int) -> float:
    """What the mentor's (active + k + 1)-th mentee costs in the batch: more the fuller they would be."""
    return FAIRNESS * (mentor.active + k) / max(1, mentor.capacity)


def assign(
    mentees: Sequence[MenteeNeeds],
    mentors: Sequence[MentorOffer],
    neighbours: Mapping[int, frozenset[int]],
    *,
    points: np.ndarray | None = None,
) -> Assignment:
    """The assignment of mentees to mentors' free places that maximises total fit less the fairness cost.

    Each eligible mentor's free places are columns ("slots"); the k-th extra slot costs `slot_penalty`, so the
    optimum (scipy's `linear_sum_assignment`, the Hungarian method) fills emptier mentors first when fit is close.
    Mentors failing a hard limit get no slots. As many mentees as there are places are matched.
    """
    pts = score_matrix(mentees, mentors, neighbours) if points is None else points
    slot_mentor, slot_cost = [], []
    for j, m in enumerate(mentors):
        if blocked(m) is not None:
            continue
        for k in range(m.free):
            slot_mentor.append(j)
            slot_cost.append(slot_penalty(m, k))
    pairs: dict[int, int | None] = {e.id: None for e in mentees}
    scores: dict[int, int] = {}
    if not slot_mentor or not mentees:
        return Assignment(pairs, scores, 0.0)
    cols = np.array(slot_mentor)
    value = pts[:, cols] + PLACE_BONUS - np.array(slot_cost)[None, :]
    rows, chosen = linear_sum_assignment(value, maximize=True)
    objective = float(value[rows, chosen].sum())
    for i, c in zip(rows, chosen):
        j = int(cols[c])
        pairs[mentees[i].id] = mentors[j].id
        scores[mentees[i].id] = int(pts[i, j])
    return Assignment(pairs, scores, objective)


def objective_of(
    pairs: Mapping[int, int | None], mentees: Sequence[MenteeNeeds], mentors: Sequence[MentorOffer], pts: np.ndarray
) -> float:
    """The batch objective of any assignment (for comparing with brute force and with a greedy baseline)."""
    row = {e.id: i for i, e in enumerate(mentees)}
    col = {m.id: j for j, m in enumerate(mentors)}
    taken: dict[int, int] = {}
    total = 0.0
    for mentee_id, mentor_id in pairs.items():
        if mentor_id is None:
            continue
        j = col[mentor_id]
        k = taken.get(j, 0)
        taken[j] = k + 1
        total += pts[row[mentee_id], j] + PLACE_BONUS - slot_penalty(mentors[j], k)
    return total


def greedy(mentees: Sequence[MenteeNeeds], mentors: Sequence[MentorOffer], pts: np.ndarray) -> dict[int, int | None]:
    """The spreadsheet way, as a baseline: each mentee in turn takes the best mentor with a place left."""
    free = np.array([m.free if blocked(m) is None else 0 for m in mentors])
    pairs: dict[int, int | None] = {}
    for i, e in enumerate(mentees):
        options = np.where(free > 0, pts[i], np.iinfo(np.int64).min)
        j = int(np.argmax(options)) if free.any() else -1
        if j < 0 or free[j] <= 0:
            pairs[e.id] = None
            continue
        free[j] -= 1
        pairs[e.id] = mentors[j].id
    return pairs
