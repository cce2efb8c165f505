"""Coordinators: the fair batch assignment for everyone waiting (reviewed and changed before anything is sent), and
the fairness view."""

from __future__ import annotations

import numpy as np
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.core.clock import today
from portal.core.inputs import id_or_none
from portal.mentoring import lifecycle, matching, queries
from portal.mentoring.policy import COORDINATORS
from portal.mentoring.routes import bp

BATCH_LIMIT = 100  # waiting mentees shown in one batch, oldest answer first
CHOICES = 8  # mentors offered in each row's list, best first


def _batch():
    on = today()
    mentees = queries.waiting_mentees(limit=BATCH_LIMIT)
    mentors = queries.mentor_offers(on)
    near = queries.neighbours_map()
    needs = [queries.needs_of(m) for m in mentees]
    pts = matching.score_matrix(needs, mentors, near)
    result = matching.assign(needs, mentors, near, points=pts)
    names = {p.user_id: p.user.full_name for p in queries.mentor_profiles()}
    eligible = np.array([matching.blocked(m) is None for m in mentors], dtype=bool)
    rows = []
    for i, mentee in enumerate(mentees):
        order = [int(j) for j in np.argsort(-pts[i], kind="stable") if eligible[j]][:CHOICES] if len(mentors) else []
        options = [(mentors[j].id, f"{names.get(mentors[j].id, '')} ({int(pts[i, j])} points)") for j in order]
        chosen = result.pairs.get(mentee.id)
        if chosen is not None and chosen not in {o for o, _ in options}:
            j = next(k for k, m in enumerate(mentors) if m.id == chosen)
            options.insert(0, (chosen, f"{names.get(chosen, '')} ({int(pts[i, j])} points)"))
        fit = None
        if chosen is not None:
            offer = next(m for m in mentors if m.id == chosen)
            fit = matching.score(needs[i], offer, near, queries.locality_names())
        rows.append({"mentee": mentee, "chosen": chosen, "options": options, "fit": fit})
    return rows, mentors, result


@bp.route("/mentoring/batch")
@requires_role(*COORDINATORS)
def review_batch():
    rows, mentors, result = _batch()
    free = sum(m.free for m in mentors if matching.blocked(m) is None)
    return render_template("mentoring/review_batch.html", rows=rows, free=free, limit=BATCH_LIMIT)


@bp.route("/mentoring/batch", methods=["POST"])
@requires_role(*COORDINATORS)
def send_batch():
    pairs = {}
    for key, value in request.form.items():
        if key.startswith("mentor-"):
            mentee_id, mentor_id = id_or_none(key.removeprefix("mentor-")), id_or_none(value)
            if mentee_id and mentor_id:
                pairs[mentee_id] = mentor_id
    if not pairs:
        flash("Nobody was chosen: nothing has been sent.", "error")
        return redirect(url_for("mentoring.review_batch"))
    made, problems = lifecycle.propose_batch(current_user, pairs)
    if not made:
        # Nobody was asked: show the batch again with why, keeping the coordinator's choices.
        rows, mentors, _ = _batch()
        for row in rows:
            picked = pairs.get(row["mentee"].id)
            if picked in {option for option, _ in row["options"]}:
                row["chosen"] = picked
        free = sum(m.free for m in mentors if matching.blocked(m) is None)
        problems = problems or ["Nobody could be asked: nothing has been sent."]
        page = render_template(
            "mentoring/review_batch.html", rows=rows, free=free, limit=BATCH_LIMIT, problems=problems
        )
        return page, 422
    asked = "1 mentor has been asked" if len(made) == 1 else f"{len(made)} mentors have been asked"
    flash(f"{asked}. Each has 3 days to answer.", "success")
    for problem in problems:
        flash(problem, "error")
    return redirect(url_for("mentoring.list_mentees"))


@bp.route("/mentoring/fairness")
@requires_role(*COORDINATORS)
def show_fairness():
    this_year = today().year
    raw = request.args.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= this_year else this_year
    rows = queries.fairness(year)
    most = max([r.offers for r in rows] + [1])
    return render_template("mentoring/show_fairness.html", rows=rows, year=year, this_year=this_year, most=most)
