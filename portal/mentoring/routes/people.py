"""Mentors and mentees: their matches, answering a request, the mentoring log, feedback and the mentor's profile."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.pagination import page_number
from portal.mentoring import contacts, lifecycle, queries, services
from portal.mentoring.forms import AnswerForm, ContactForm, FeedbackForm, ProfileForm
from portal.mentoring.models import CONTACT_HOW_LABELS, split
from portal.mentoring.policy import TALKERS, load_match_as_person, own_profile
from portal.mentoring.routes import bp


@bp.route("/mentoring")
@requires_role(*TALKERS)
def my_mentoring():
    matches = queries.matches_for_person(current_user)
    return render_template(
        "mentoring/my_mentoring.html",
        matches=matches,
        unread=queries.unread_by_match(current_user),
        profile=own_profile(current_user),
        is_mentor=current_user.has_role(Role.MENTOR),
    )


def _match_page(match, status=200, **forms):
    is_mentor = match.mentor_id == current_user.id
    return render_template(
        "mentoring/show_match.html",
        match=match,
        is_mentor=is_mentor,
        contacts=queries.contacts_for_match(match) if match.introduced_on else [],
        how_labels=CONTACT_HOW_LABELS,
        answer_form=forms.get("answer_form") or AnswerForm(formdata=None),
        feedback_form=forms.get("feedback_form") or FeedbackForm(formdata=None),
        unread=queries.unread_by_match(current_user).get(match.id, 0),
    ), status


@bp.route("/mentoring/matches/<int:match_id>")
@requires_role(*TALKERS)
def show_match(match_id: int):
    return _match_page(load_match_as_person(current_user, match_id))


@bp.route("/mentoring/matches/<int:match_id>/answer", methods=["POST"])
@requires_role(Role.MENTOR)
def answer_proposal(match_id: int):
    match = load_match_as_person(current_user, match_id)
    if match.status != "proposed" or match.mentor_id != current_user.id:
        flash("This request has already been answered.", "error")
        return redirect(url_for("mentoring.show_match", match_id=match.id))
    form = AnswerForm()
    if not form.validate_on_submit():
        return _match_page(match, 422, answer_form=form)
    try:
        lifecycle.answer_proposal(current_user, match, form.answer.data == "yes", form.note.data)
    except lifecycle.MatchRefused as exc:
        flash(str(exc), "error")
        return redirect(url_for("mentoring.show_match", match_id=match.id))
    if form.answer.data == "yes":
        flash("Thank you. The coordinator will introduce you.", "success")
    else:
        flash("Thank you for letting us know. Another mentor will be asked.", "success")
    return redirect(url_for("mentoring.my_mentoring"))


@bp.route("/mentoring/matches/<int:match_id>/feedback", methods=["POST"])
@requires_role(*TALKERS)
def give_feedback(match_id: int):
    match = load_match_as_person(current_user, match_id)
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            lifecycle.give_feedback(current_user, match, form.feedback.data)
        except lifecycle.MatchRefused as exc:
            form.feedback.errors = [str(exc)]
        else:
            flash("Thank you for your feedback.", "success")
            return redirect(url_for("mentoring.show_match", match_id=match.id))
    return _match_page(match, 422, feedback_form=form)


@bp.route("/mentoring/matches/<int:match_id>/contacts/new", methods=["GET", "POST"])
@requires_role(Role.MENTOR)
def log_contact(match_id: int):
    match = load_match_as_person(current_user, match_id)
    form = ContactForm(data={"contact_on": today(), "how": "phone"} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            contacts.log_contact(
                current_user,
                match,
                on=form.contact_on.data,
                minutes=form.minutes.data,
                how=form.how.data,
                topics=form.topics.data or [],
                note=form.note.data,
            )
        except contacts.ContactRefused as exc:
            getattr(form, exc.field or "contact_on").errors = [str(exc)]
        else:
            flash("The contact has been logged. It is paid in the next pay run.", "success")
            return redirect(url_for("mentoring.show_match", match_id=match.id))
    return render_template("mentoring/log_contact.html", form=form, match=match), (
        422 if request.method == "POST" else 200
    )


@bp.route("/mentoring/contacts")
@requires_role(Role.MENTOR)
def list_contacts():
    page = queries.contacts_of_mentor(current_user, page_number(request.args))
    return render_template(
        "mentoring/list_contacts.html",
        page=page,
        how_labels=CONTACT_HOW_LABELS,
        pagination=page.govuk(lambda n: url_for("mentoring.list_contacts", page=n)),
    )


@bp.route("/mentoring/profile", methods=["GET", "POST"])
@requires_role(Role.MENTOR)
def edit_profile():
    profile = own_profile(current_user)
    data = None
    if request.method == "GET" and profile is not None:
        data = {
            "years_fostering": profile.years_fostering,
            "locality_id": profile.locality_id,
            "fostering_types": split(profile.fostering_types),
            "age_groups": split(profile.age_groups),
            "availability": split(profile.availability),
            "ways": split(profile.ways),
            "languages": ", ".join(w.title() for w in split(profile.languages)),
            "capacity": profile.capacity,
            "training_completed_on": profile.training_completed_on,
            "taking_mentees": profile.taking_mentees,
        }
    form = ProfileForm(data=data)
    form.locality_id.choices = [(loc.id, loc.name) for loc in queries.localities()]
    if form.validate_on_submit():
        try:
            services.save_profile(
                current_user,
                current_user,
                services.ProfileDetails(
                    years_fostering=form.years_fostering.data,
                    locality_id=form.locality_id.data,
                    fostering_types=tuple(form.fostering_types.data or ()),
                    age_groups=tuple(form.age_groups.data or ()),
                    languages=tuple(w.strip() for w in (form.languages.data or "").split(",")),
                    availability=tuple(form.availability.data or ()),
                    ways=tuple(form.ways.data or ()),
                    capacity=form.capacity.data,
                    training_completed_on=form.training_completed_on.data,
                    taking_mentees=form.taking_mentees.data,
                ),
            )
        except services.MentoringRefused as exc:
            getattr(form, exc.field or "capacity").errors = [str(exc)]
        else:
            flash("Your mentor profile has been saved.", "success")
            return redirect(url_for("mentoring.my_mentoring"))
    return render_template("mentoring/edit_profile.html", form=form), 422 if request.method == "POST" else 200
