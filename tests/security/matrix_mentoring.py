"""Matrix rows for mentoring: coordinators' pages, and conversations that only the two people in a match can open."""

from __future__ import annotations

import io

from portal.auth.roles import Role
from tests.security.matrix import Case

COORD = frozenset({Role.MENTORING_COORDINATOR})
APPROVERS = frozenset({Role.MENTORING_COORDINATOR, Role.ADMIN})
LOCALITY_KEEPERS = frozenset({Role.ADMIN, Role.MENTORING_COORDINATOR})
TALKERS = frozenset({Role.MENTOR, Role.APPLICANT, Role.CARER})
MENTOR = frozenset({Role.MENTOR})
MISSING = 987654


def _png():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buf, "PNG")
    buf.seek(0)
    return buf


def _mentoring(world):
    """Match A: the matrix mentor and the matrix applicant; match B: two other people. Each has a message from the
    mentor with a photo, reported by the mentee."""
    from datetime import timedelta

    from portal.core.clock import today
    from portal.core.db import db
    from portal.mentoring.conversations import Attachment, report_message, send_message
    from portal.mentoring.models import Match, Mentee, MentorProfile
    from portal.people.models import Locality
    from tests.factories import make_user

    loc = world.household_a.locality
    other_loc = Locality(name="Matrix village")
    db.session.add(other_loc)
    mentor_b = make_user(Role.MENTOR, email="mentor-b@matrix.example.org")
    applicant_b = make_user(Role.APPLICANT, email="applicant-b@matrix.example.org")
    for key, mentor, applicant in (
        ("a", world.users[Role.MENTOR], world.users[Role.APPLICANT]),
        ("b", mentor_b, applicant_b),
    ):
        db.session.add(MentorProfile(user_id=mentor.id, locality_id=loc.id, capacity=3, training_completed_on=today()))
        mentee = Mentee(
            full_name=applicant.full_name,
            email=applicant.email,
            user_id=applicant.id,
            locality_id=loc.id,
            fostering_type="mainstream",
            offered_on=today(),
            response="wants",
            responded_on=today(),
        )
        db.session.add(mentee)
        db.session.flush()
        match = Match(
            mentee_id=mentee.id,
            mentor_id=mentor.id,
            mentee_user_id=applicant.id,
            status="introduced",
            respond_by=today() + timedelta(days=3),
            introduced_on=today(),
        )
        db.session.add(match)
        db.session.commit()
        sent = send_message(mentor, match, "Hello", Attachment(_png(), "photo.png"))
        report = report_message(applicant, match, sent.message, "Worried")
        world.extra.update(
            {
                f"mentee_{key}": mentee.id,
                f"match_{key}": match.id,
                f"message_{key}": sent.message.id,
                f"report_{key}": report.id,
            }
        )
    world.extra["locality_a"], world.extra["locality_b"] = loc.id, other_loc.id


def _pick(name):
    return lambda w, which: {"own": w.extra[f"{name}_a"], "other": w.extra[f"{name}_b"]}.get(which, MISSING)


mentee, match, report, locality = _pick("mentee"), _pick("match"), _pick("report"), _pick("locality")


def _message(w, which):
    return {"own": w.extra["message_a"], "other": w.extra["message_b"]}.get(which, MISSING)


def _case(endpoint, url, allowed, *, method="GET", obj=True, sees_other=frozenset(), hidden=frozenset(), data=None):
    return Case(
        endpoint,
        url,
        allowed,
        method=method,
        has_object=obj,
        setup=_mentoring,
        sees_other=sees_other,
        own_hidden_from=hidden,
        data=data or {},
    )


def _mentee_case(endpoint, suffix, allowed=COORD, method="POST", data=None):
    return _case(
        endpoint,
        lambda w, which: f"/mentoring/mentees/{mentee(w, which)}{suffix}",
        allowed,
        method=method,
        sees_other=allowed,
        data=data,
    )


def _coord_match(endpoint, suffix, data=None):
    return _case(
        endpoint,
        lambda w, which: f"/mentoring/matches/{match(w, which)}{suffix}",
        COORD,
        method="POST",
        sees_other=COORD,
        data=data,
    )


def _talk(endpoint, suffix, allowed=TALKERS, method="GET", data=None):
    """A route of a match's own people: the matrix carer is in no match (404 even for match A)."""
    hidden = frozenset({Role.CARER}) & allowed
    return _case(
        endpoint,
        lambda w, which: f"/mentoring/matches/{match(w, which)}{suffix}",
        allowed,
        method=method,
        hidden=hidden,
        data=data,
    )


def _message_url(suffix):
    return lambda w, which: (
        f"/mentoring/matches/{w.extra['match_a'] if which != 'other' else w.extra['match_b']}"
        f"/messages/{_message(w, which)}{suffix}"
    )


CASES = [
    _case("mentoring.list_mentees", lambda w, _: "/mentoring/mentees", COORD, obj=False),
    _case("mentoring.invite_applicant", lambda w, _: "/mentoring/mentees/invite", APPROVERS, obj=False),
    _case(
        "mentoring.invite_applicant",
        lambda w, _: "/mentoring/mentees/invite",
        APPROVERS,
        obj=False,
        method="POST",
        data={"full_name": "New Person"},
    ),
    _mentee_case("mentoring.show_mentee", "", method="GET"),
    _mentee_case("mentoring.record_offer", "/offer", data={"offered_how": "phone"}),
    _mentee_case("mentoring.record_response", "/response", data={"response": "wants"}),
    _mentee_case("mentoring.record_withdrawal", "/withdrawal", data={"step": "waiting"}),
    _mentee_case("mentoring.propose_match", "/matches", data={"mentor_id": "1"}),
    _mentee_case("mentoring.record_approval", "/approval", APPROVERS, method="GET"),
    _mentee_case("mentoring.record_approval", "/approval", APPROVERS, data={"fostering_type": "mainstream"}),
    _coord_match("mentoring.introduce_match", "/introduce"),
    _coord_match("mentoring.end_match", "/end", data={"reason": "Moved away"}),
    _coord_match("mentoring.record_agreement_meeting", "/agreement-meeting"),
    _case("mentoring.list_localities", lambda w, _: "/mentoring/localities", LOCALITY_KEEPERS, obj=False),
    _case(
        "mentoring.edit_neighbours",
        lambda w, which: f"/mentoring/localities/{locality(w, which)}",
        LOCALITY_KEEPERS,
        sees_other=LOCALITY_KEEPERS,
    ),
    _case(
        "mentoring.edit_neighbours",
        lambda w, which: f"/mentoring/localities/{locality(w, which)}",
        LOCALITY_KEEPERS,
        method="POST",
        sees_other=LOCALITY_KEEPERS,
    ),
    _case("mentoring.review_batch", lambda w, _: "/mentoring/batch", COORD, obj=False),
    _case("mentoring.send_batch", lambda w, _: "/mentoring/batch", COORD, obj=False, method="POST"),
    _case("mentoring.show_fairness", lambda w, _: "/mentoring/fairness", COORD, obj=False),
    _case("mentoring.list_talk", lambda w, _: "/mentoring/conversations", COORD, obj=False),
    _case("mentoring.list_reports", lambda w, _: "/mentoring/reports", COORD, obj=False),
    _case("mentoring.show_report", lambda w, which: f"/mentoring/reports/{report(w, which)}", COORD, sees_other=COORD),
    _case(
        "mentoring.close_report",
        lambda w, which: f"/mentoring/reports/{report(w, which)}/close",
        COORD,
        method="POST",
        sees_other=COORD,
    ),
    _case(
        "mentoring.download_reported_file",
        lambda w, which: f"/mentoring/reports/{report(w, which)}/thumb",
        COORD,
        sees_other=COORD,
    ),
    _case("mentoring.show_scheme_report", lambda w, _: "/mentoring/report", COORD, obj=False),
    _case("mentoring.download_scheme_report_csv", lambda w, _: "/mentoring/report.csv", COORD, obj=False),
    _case("mentoring.download_scheme_report_pdf", lambda w, _: "/mentoring/report.pdf", COORD, obj=False),
    _case("mentoring.my_mentoring", lambda w, _: "/mentoring", TALKERS, obj=False),
    _case("mentoring.list_contacts", lambda w, _: "/mentoring/contacts", MENTOR, obj=False),
    _case("mentoring.edit_profile", lambda w, _: "/mentoring/profile", MENTOR, obj=False),
    _case(
        "mentoring.edit_profile",
        lambda w, _: "/mentoring/profile",
        MENTOR,
        obj=False,
        method="POST",
        data={"capacity": "2"},
    ),
    _talk("mentoring.show_match", ""),
    _talk("mentoring.answer_proposal", "/answer", MENTOR, "POST", {"answer": "yes"}),
    _talk("mentoring.give_feedback", "/feedback", method="POST", data={"feedback": "Good"}),
    _talk("mentoring.log_contact", "/contacts/new", MENTOR),
    _talk("mentoring.log_contact", "/contacts/new", MENTOR, "POST", {"minutes": "30"}),
    _talk("mentoring.show_conversation", "/conversation"),
    _talk("mentoring.send_message", "/conversation", method="POST", data={"body": "Hi"}),
    _talk("mentoring.mark_conversation_read", "/conversation/read", method="POST"),
    _case("mentoring.report_message", _message_url("/report"), TALKERS, hidden=frozenset({Role.CARER})),
    _case(
        "mentoring.report_message",
        _message_url("/report"),
        TALKERS,
        method="POST",
        hidden=frozenset({Role.CARER}),
        data={"reason": "Worried"},
    ),
    _case("mentoring.download_message_file", _message_url("/thumb"), TALKERS, hidden=frozenset({Role.CARER})),
]

CASES += [
    _case("mentoring.import_spreadsheet", lambda w, _: "/mentoring/import", COORD, obj=False),
    _case("mentoring.import_spreadsheet", lambda w, _: "/mentoring/import", COORD, obj=False, method="POST"),
    _case(
        "mentoring.save_import",
        lambda w, _: "/mentoring/import/save",
        COORD,
        obj=False,
        method="POST",
        data={"csv_text": "name,email,locality,fostering type\n"},
    ),
]

ADMIN = frozenset({Role.ADMIN})
CASES += [
    _case("mentoring.edit_pay_model", lambda w, _: "/mentoring/pay-model", ADMIN, obj=False),
    _case(
        "mentoring.edit_pay_model",
        lambda w, _: "/mentoring/pay-model",
        ADMIN,
        obj=False,
        method="POST",
        data={"model": "per_hour"},
    ),
]

CASES += [
    _mentee_case("mentoring.change_mentee", "/edit", method="GET"),
    _mentee_case("mentoring.change_mentee", "/edit", data={"full_name": "Changed Name"}),
]
