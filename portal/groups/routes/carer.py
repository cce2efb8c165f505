"""Finding a group, its page and meetings, "I'm coming", following, calendar files and the personal feed."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import public, requires_role
from portal.core.calendar import feed_events, to_ics
from portal.core.clock import today
from portal.core.pagination import page_number, paginate
from portal.groups import queries, services
from portal.groups.feeds import create_feed, current_feed, feed_owner, meeting_event, revoke_feed
from portal.groups.forms import ConsentForm, EmptyForm
from portal.groups.models import AUDIENCE_LABELS
from portal.groups.policy import MEMBERS, READERS, can_edit_group, can_see_online_link, load_group
from portal.groups.recurrence import describe
from portal.groups.routes import bp, meeting_day
from portal.groups.welcome import has_agreed_to_introductions, set_introduction_consent

PER_PAGE = 20


@bp.route("/groups")
@requires_role(*READERS)
def find_groups():
    audience = request.args.get("for", "")
    audience = audience if audience in AUDIENCE_LABELS else ""
    page = paginate(queries.groups_for_finder(current_user, audience or None), page_number(request.args), PER_PAGE)
    holidays, on = queries.school_holidays(), today()
    # A few ahead, so the card can name the next meeting that will happen even when the next one or two are cancelled.
    rows = [(g, queries.next_meetings(g, on, 4, holidays)) for g in page.items]
    pager = page.govuk(lambda n: url_for("groups.find_groups", page=n, **({"for": audience} if audience else {})))
    return render_template(
        "groups/find_groups.html",
        page=page,
        rows=rows,
        pager=pager,
        audience=audience,
        audiences=AUDIENCE_LABELS,
        own_locality=queries.locality_of(current_user),
        following=queries.followed_group_ids(current_user),
    )


@bp.route("/groups/<int:group_id>")
@requires_role(*READERS)
def show_group(group_id: int):
    group = load_group(current_user, group_id)
    upcoming = queries.next_meetings(group, today(), 4)
    editor = can_edit_group(current_user, group)
    return render_template(
        "groups/show_group.html",
        group=group,
        pattern=describe(group.rrule),
        upcoming=upcoming,
        counts=queries.reply_counts(group, [m.original_date for m in upcoming]) if editor else {},
        mine=queries.my_replies(current_user, group),
        following=queries.is_following(current_user, group),
        is_member=current_user.has_role(*MEMBERS),
        editor=editor,
        show_link=can_see_online_link(current_user),
        announcements=queries.recent_announcements(group),
        form=EmptyForm(),
    )


@bp.route("/groups/<int:group_id>/follow", methods=["POST"])
@requires_role(*MEMBERS)
def follow_group(group_id: int):
    group = load_group(current_user, group_id)
    form = EmptyForm()
    if form.validate_on_submit():
        follow = request.form.get("follow") != "no"
        services.set_following(current_user, group, follow)
        flash(f"You are following {group.name}" if follow else f"You no longer follow {group.name}")
    return redirect(url_for("groups.show_group", group_id=group.id))


@bp.route("/groups/<int:group_id>/meetings/<int:meeting_day_number>/reply", methods=["POST"])
@requires_role(*MEMBERS)
def reply_to_meeting(group_id: int, meeting_day_number: int):
    group = load_group(current_user, group_id)
    day = meeting_day(meeting_day_number)
    form = EmptyForm()
    if form.validate_on_submit():
        coming = request.form.get("coming") != "no"
        services.set_coming(current_user, group, day, coming)
        flash(f"You said you are coming on {day:%-d %B %Y}" if coming else "You are no longer down as coming")
    return redirect(url_for("groups.show_group", group_id=group.id))


@bp.route("/groups/<int:group_id>/meetings/<int:meeting_day_number>/calendar.ics")
@requires_role(*READERS)
def download_meeting(group_id: int, meeting_day_number: int):
    group = load_group(current_user, group_id)
    meeting = queries.find_meeting(group, meeting_day(meeting_day_number))
    if meeting is None:
        abort(404)
    body = to_ics([meeting_event(group, meeting)], name=group.name)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="meeting-{meeting_day_number}.ics"'
    return response


@bp.route("/calendar")
@requires_role(*MEMBERS)
def show_calendar_feed():
    return render_template(
        "groups/show_calendar_feed.html", feed=current_feed(current_user), token=None, form=EmptyForm()
    )


@bp.route("/calendar", methods=["POST"])
@requires_role(*MEMBERS)
def change_calendar_feed():
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for("groups.show_calendar_feed"))
    if request.form.get("action") == "revoke":
        revoke_feed(current_user)
        flash("Your calendar address no longer works. Calendars subscribed to it will stop updating.")
        return redirect(url_for("groups.show_calendar_feed"))
    token = create_feed(current_user)
    address = url_for("groups.calendar_feed", token=token, _external=True)
    return render_template("groups/show_calendar_feed.html", feed=current_feed(current_user), token=address, form=form)


@bp.route("/calendar/feed/<string:token>")
@public
def calendar_feed(token: str):
    """No sign-in: the secret address is the key. Unknown or revoked addresses are 404, like any missing page."""
    user_id = feed_owner(token)
    if user_id is None:
        abort(404)
    response = Response(to_ics(feed_events(user_id), name="Hearth"), mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/groups/introductions", methods=["GET", "POST"])
@requires_role(*MEMBERS)
def change_introductions():
    form = ConsentForm()
    if request.method == "GET":
        form.agreed.data = "yes" if has_agreed_to_introductions(current_user.id) else "no"
    if form.validate_on_submit():
        set_introduction_consent(current_user, form.agreed.data == "yes")
        flash("Your choice is saved")
        return redirect(url_for("account.show_account"))
    return render_template("groups/change_introductions.html", form=form), 422 if form.errors else 200
