"""Mentoring at scale, against baselines measured in the same run.

1. Matching 500 mentees to 2,000 mentors: the fair optimal assignment (numpy scores + scipy's linear_sum_assignment
   over the mentors' places) against the greedy "best free mentor for each in turn" baseline — time, total fit and
   how evenly the load is spread.
2. A conversation of 5,000 messages opens as fast as one of 5 (keyset pages, newest first), through the real page.

`python -m bench.mentoring` (a throw-away SQLite database in a temporary directory).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench.in_process import make_app, sign_in

MENTEES, MENTORS, LOCALITIES = 500, 2_000, 40
ROUNDS = 5
PAGE_ROUNDS = 40


def _population(seed: int = 14):
    from portal.mentoring.matching import AGE_ORDER, TIME_ORDER, TYPE_ORDER, WAY_ORDER, MenteeNeeds, MentorOffer

    rng = random.Random(seed)

    def some(options, most):
        return frozenset(rng.sample(options, rng.randint(1, most)))

    near = {i: frozenset({i - 1, i + 1} - {0, LOCALITIES + 1}) for i in range(1, LOCALITIES + 1)}
    mentees = [
        MenteeNeeds(
            i,
            rng.randint(1, LOCALITIES),
            rng.choice(TYPE_ORDER),
            some(AGE_ORDER, 2),
            some(TIME_ORDER, 2),
            some(WAY_ORDER, 2),
            frozenset({"english"} | ({"urdu"} if rng.random() < 0.1 else set())),
        )
        for i in range(MENTEES)
    ]
    mentors = []
    for j in range(MENTORS):
        cap = rng.randint(1, 3)
        mentors.append(
            MentorOffer(
                10_000 + j,
                rng.randint(1, LOCALITIES),
                some(TYPE_ORDER, 3),
                some(AGE_ORDER, 3),
                some(TIME_ORDER, 2),
                some(WAY_ORDER, 3),
                frozenset({"english"} | ({"urdu"} if rng.random() < 0.05 else set())),
                capacity=cap,
                active=rng.randint(0, cap),
                taking_mentees=rng.random() > 0.1,
                trained=rng.random() > 0.05,
            )
        )
    return mentees, mentors, near


def _timed(fn, rounds: int = ROUNDS):
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _spread(pairs, mentors) -> tuple[float, int]:
    """The standard deviation of mentors' load (as a share of capacity) after the batch, and the most any got."""
    taken: dict[int, int] = {}
    for mentor_id in pairs.values():
        if mentor_id is not None:
            taken[mentor_id] = taken.get(mentor_id, 0) + 1
    shares = [(m.active + taken.get(m.id, 0)) / m.capacity for m in mentors if m.capacity]
    return statistics.pstdev(shares), max(taken.values(), default=0)


def bench_matching() -> None:
    from portal.mentoring.matching import assign, greedy, objective_of, score_matrix

    mentees, mentors, near = _population()
    fair_s, fair = _timed(lambda: assign(mentees, mentors, near))
    greedy_s, greedy_pairs = _timed(lambda: greedy(mentees, mentors, score_matrix(mentees, mentors, near)))
    pts = score_matrix(mentees, mentors, near)
    fair_total, greedy_total = (
        objective_of(fair.pairs, mentees, mentors, pts),
        objective_of(greedy_pairs, mentees, mentors, pts),
    )
    fair_fit = sum(fair.scores.values())
    greedy_fit = sum(
        int(pts[i, [m.id for m in mentors].index(greedy_pairs[e.id])])
        for i, e in enumerate(mentees)
        if greedy_pairs[e.id] is not None
    )
    fair_spread, fair_most = _spread(fair.pairs, mentors)
    greedy_spread, greedy_most = _spread(greedy_pairs, mentors)
    print(f"Matching {MENTEES} mentees to {MENTORS} mentors (median of {ROUNDS} runs)")
    print(
        f"  fair optimal assignment: {fair_s * 1000:7.1f} ms   greedy baseline: {greedy_s * 1000:7.1f} ms   "
        f"ratio {fair_s / greedy_s:.2f}x"
    )
    matched_fair = sum(v is not None for v in fair.pairs.values())
    matched_greedy = sum(v is not None for v in greedy_pairs.values())
    print(
        f"  matched: {matched_fair} vs {matched_greedy}; total fit points: {fair_fit} vs {greedy_fit}; "
        f"objective (fit less fairness cost): {fair_total:.0f} vs {greedy_total:.0f}"
    )
    print(
        f"  load spread (st. dev. of places used / capacity): {fair_spread:.3f} vs {greedy_spread:.3f}; "
        f"most new mentees for one mentor: {fair_most} vs {greedy_most}"
    )


def bench_conversation(workdir: Path) -> None:
    from sqlalchemy import insert

    from portal.auth.models import User, UserRole
    from portal.core.clock import today
    from portal.core.db import db, utcnow
    from portal.core.security import hash_password
    from portal.mentoring.models import Match, Mentee, Message
    from portal.people.models import Locality

    url = f"sqlite:///{workdir / 'bench.db'}"
    app = make_app(workdir, url)
    password = "a bench password 2026"
    with app.app_context():
        loc = Locality(name="Bench town")
        mentor = User(email="m@bench.example.org", full_name="Bench Mentor", password_hash=hash_password(password))
        mentor.role_rows = [UserRole(role="mentor"), UserRole(role="carer")]
        mentee_user = User(email="e@bench.example.org", full_name="Bench Mentee", password_hash=hash_password(password))
        mentee_user.role_rows = [UserRole(role="applicant")]
        db.session.add_all([loc, mentor, mentee_user])
        db.session.flush()
        matches = {}
        for size in (5, 5_000):
            mentee = Mentee(
                full_name=f"Mentee {size}",
                email=f"{size}@bench.example.org",
                locality_id=loc.id,
                fostering_type="mainstream",
            )
            db.session.add(mentee)
            db.session.flush()
            match = Match(
                mentee_id=mentee.id,
                mentor_id=mentor.id,
                mentee_user_id=mentee_user.id,
                status="active",
                respond_by=today() + timedelta(days=3),
                introduced_on=today(),
            )
            db.session.add(match)
            db.session.flush()
            now = utcnow()
            db.session.execute(
                insert(Message),
                [
                    {
                        "match_id": match.id,
                        "sender_id": mentor.id if i % 2 else mentee_user.id,
                        "body": f"Message {i}: how did the visit go?",
                        "sent_at": now - timedelta(minutes=size - i),
                    }
                    for i in range(size)
                ],
            )
            matches[size] = match.id
        db.session.commit()
        client = app.test_client()
        sign_in(client, "m@bench.example.org", password)

        def page(size):
            def fetch():
                response = client.get(f"/mentoring/matches/{matches[size]}/conversation")
                assert response.status_code == 200

            return fetch

        small, _ = _timed(page(5), PAGE_ROUNDS)
        big, _ = _timed(page(5_000), PAGE_ROUNDS)
        small_again, _ = _timed(page(5), PAGE_ROUNDS)
    small = min(small, small_again)
    print(f"Opening a conversation (median of {PAGE_ROUNDS} requests)")
    print(f"  5 messages: {small * 1000:6.1f} ms   5,000 messages: {big * 1000:6.1f} ms   ratio {big / small:.2f}x")


def main() -> None:
    bench_matching()
    with tempfile.TemporaryDirectory() as tmp:
        bench_conversation(Path(tmp))


if __name__ == "__main__":
    main()
