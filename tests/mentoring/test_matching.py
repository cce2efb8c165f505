"""Scores and their reasons, hard limits, and the batch assignment against brute force."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.mentoring.matching import (
    MenteeNeeds,
    MentorOffer,
    assign,
    greedy,
    objective_of,
    rank,
    score,
    score_matrix,
)

NEAR = {1: frozenset({2}), 2: frozenset({1})}
NAMES = {1: "Northtown", 2: "Eastvale", 3: "Farbridge"}
BABIES = MenteeNeeds(
    1, 1, "mainstream", frozenset({"under_5"}), frozenset({"evenings"}), frozenset({"phone"}), frozenset({"english"})
)


def mentor(**kw) -> MentorOffer:
    base = dict(
        id=10,
        locality_id=1,
        fostering_types=frozenset({"mainstream"}),
        age_groups=frozenset({"under_5"}),
        times=frozenset({"evenings"}),
        ways=frozenset({"phone"}),
        capacity=3,
        active=0,
    )
    base.update(kw)
    return MentorOffer(**base)


@pytest.mark.parametrize(
    ("offer", "mentee", "points", "reasons"),
    [
        (
            mentor(),
            BABIES,
            40 + 25 + 10 + 5 + 3,
            [
                "same locality",
                "knows mainstream",
                "fosters under-5s",
                "evenings both",
                "can both meet by phone",
                "0 of 3 places used",
            ],
        ),
        (mentor(locality_id=2), BABIES, 20 + 25 + 10 + 5 + 3, ["neighbouring locality (Eastvale)"]),
        (mentor(locality_id=3), BABIES, 25 + 10 + 5 + 3, ["a different locality (Farbridge)"]),
        (
            mentor(age_groups=frozenset({"16_plus"}), active=2),
            BABIES,
            40 + 25 + 5 + 3 - 7,
            ["has not fostered these ages", "2 of 3 places used"],
        ),
        (
            mentor(fostering_types=frozenset({"kinship"}), times=frozenset(), ways=frozenset()),
            MenteeNeeds(2, 1, "kinship", frozenset({"5_10", "11_15"})),
            40 + 25,
            ["knows kinship care", "has not fostered these ages"],
        ),
        (
            mentor(age_groups=frozenset({"5_10", "11_15", "under_5"}), languages=frozenset({"english", "urdu"})),
            MenteeNeeds(3, 1, "mainstream", frozenset({"5_10", "11_15"}), languages=frozenset({"urdu", "english"})),
            40 + 25 + 20 + 10,
            ["fosters 5 to 10s and 11 to 15s", "speaks Urdu"],
        ),
    ],
)
def test_score_and_reasons_in_words(offer, mentee, points, reasons):
    fit = score(mentee, offer, NEAR, NAMES)
    assert fit.score == points
    for reason in reasons:
        assert reason in fit.reasons
    # The batch computes the same points for the same pair.
    assert score_matrix([mentee], [offer], NEAR)[0, 0] == points


@pytest.mark.parametrize(
    ("offer", "why"),
    [
        (mentor(trained=False), "mentor training not completed"),
        (mentor(taking_mentees=False), "not taking new mentees"),
        (mentor(active=3), "no free place (3 of 3 used)"),
    ],
)
def test_hard_limits_rule_a_mentor_out_and_say_why(offer, why):
    fits = rank(BABIES, [offer, mentor(id=11, locality_id=3)], NEAR)
    assert fits[-1].mentor_id == offer.id and fits[-1].blocked == why
    assert assign([BABIES], [offer], NEAR).pairs == {1: None}


def test_locality_first_ranks_a_near_mentor_above_a_far_one_who_knows_more():
    near = mentor(id=1, age_groups=frozenset(), times=frozenset(), ways=frozenset())
    far = mentor(id=2, locality_id=3)
    assert [f.mentor_id for f in rank(BABIES, [far, near], NEAR)] == [1, 2]


def test_fairness_spreads_mentees_when_fit_is_equal():
    mentees = [MenteeNeeds(i, 1, "mainstream") for i in range(4)]
    mentors = [mentor(id=1, capacity=4), mentor(id=2, capacity=4)]
    pairs = assign(mentees, mentors, NEAR).pairs
    assert sorted(pairs.values()).count(1) == 2 and sorted(pairs.values()).count(2) == 2


LOCS = st.integers(1, 3)
SETS = st.frozensets(st.sampled_from(["under_5", "5_10", "11_15", "16_plus"]), max_size=2)
TYPES = st.sampled_from(["mainstream", "kinship", "short_breaks"])


@st.composite
def cases(draw):
    n_e = draw(st.integers(1, 4))
    n_r = draw(st.integers(1, 3))
    mentees = [MenteeNeeds(i, draw(LOCS), draw(TYPES), draw(SETS)) for i in range(n_e)]
    mentors = []
    for j in range(n_r):
        cap = draw(st.integers(1, 3))
        mentors.append(
            MentorOffer(
                100 + j,
                draw(LOCS),
                frozenset({draw(TYPES)}),
                draw(SETS),
                capacity=cap,
                active=draw(st.integers(0, cap)),
                taking_mentees=draw(st.sampled_from([True, True, False])),
                trained=draw(st.sampled_from([True, True, False])),
            )
        )
    return mentees, mentors


def _brute_force(mentees, mentors, pts):
    options = [None] + [m.id for m in mentors]
    best = 0.0
    free = {m.id: (m.free if m.trained and m.taking_mentees else 0) for m in mentors}
    for choice in itertools.product(options, repeat=len(mentees)):
        used = {}
        for c in choice:
            if c is not None:
                used[c] = used.get(c, 0) + 1
        if any(used[c] > free[c] for c in used):
            continue
        best = max(best, objective_of(dict(zip([e.id for e in mentees], choice)), mentees, mentors, pts))
    return best


@settings(max_examples=150, deadline=None)
@given(cases())
def test_assignment_is_optimal_against_brute_force_and_respects_capacity(case):
    mentees, mentors = case
    pts = score_matrix(mentees, mentors, NEAR)
    result = assign(mentees, mentors, NEAR)
    taken = {}
    for mentor_id in result.pairs.values():
        if mentor_id is not None:
            taken[mentor_id] = taken.get(mentor_id, 0) + 1
    for m in mentors:
        allowed = m.free if m.trained and m.taking_mentees else 0
        assert taken.get(m.id, 0) <= allowed
    assert objective_of(result.pairs, mentees, mentors, pts) == pytest.approx(_brute_force(mentees, mentors, pts))
    assert (
        objective_of(result.pairs, mentees, mentors, pts)
        >= objective_of(greedy(mentees, mentors, pts), mentees, mentors, pts) - 1e-9
    )
