"""Running a group: its listing and pattern, one meeting moved or cancelled, who is coming, announcements."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.clock import today
from portal.groups import queries, services
from portal.groups.forms import (
    AnnouncementForm,
    ChangeMeetingForm,
    CoordinatorsForm,
    EmptyForm,
    GroupForm,
    WithdrawForm,
)
from portal.groups.models import SupportGroup
from portal.groups.policy import COORDINATORS, can_edit_group, load_editable_group, load_group
from portal.groups.routes import bp, meeting_day
from portal.people.queries import all_localities, users_with_role


def group_form(group: SupportGroup | None = None) -> GroupForm:
    form = GroupForm()
    if current_user.has_role(Role.ADMIN):
        form.locality_id.choices = [(str(loc.id), loc.name) for loc in all_localities()]
    else:
        del form.locality_id  # an admin decides which area a group belongs to
    if group is None:
        form.coordinator_ids.choices = [(str(u.id), u.full_name) for u in users_with_role(Role.GROUP_COORDINATOR)]
    else:
        del form.coordinator_ids
    if request.method == "GET" and group is not None:
        parts = dict(item.split("=", 1) for item in group.rrule.split(";") if "=" in item)
        byday = parts.get("BYDAY", "MO")
        form.name.data, form.audience.data = group.name, group.audience
        form.description.data = group.description
        if "locality_id" in form:
            form.locality_id.data = str(group.locality_id)
        form.is_online.data = "online" if group.is_online else "venue"
        form.venue_name.data, form.venue_address.data = group.venue_name, group.venue_address
        form.access_notes.data, form.online_link.data = group.access_notes, group.online_link
        nth = byday[:-2].lstrip("+")
        if parts.get("FREQ") == "MONTHLY":
            form.frequency.data = "monthly_last" if nth == "-1" else "monthly"
        else:
            form.frequency.data = "fortnightly" if parts.get("INTERVAL") == "2" else "weekly"
        form.weekday.data, form.nth.data = byday[-2:], nth if nth in ("1", "2", "3", "4") else ""
        form.first_meeting.data = group.first_meeting
        until = parts.get("UNTIL")
        if until:
            from datetime import date

            form.until.data = date(int(until[:4]), int(until[4:6]), int(until[6:8]))
        form.starts_at.process_data(group.starts_at)
        form.ends_at.process_data(group.ends_at)
        form.term_time_only.data = group.term_time_only
        form.yearly_breaks.data = [
            k for k, v in services.YEARLY_BREAKS.items() if v[0] in {b.label for b in group.breaks if b.every_year}
        ]
    return form


def details_from(form: GroupForm, group: SupportGroup | None = None) -> services.GroupDetails:
    locality = form.locality_id.data if "locality_id" in form else str(group.locality_id if group else "")
    return services.GroupDetails(
        name=form.name.data or "",
        audience=form.audience.data or "",
        locality_id=int(locality) if (locality or "").isdigit() else 0,
        description=form.description.data or "",
        is_online=form.is_online.data == "online",
        venue_name=form.venue_name.data or "",
        venue_address=form.venue_address.data or "",
        access_notes=form.access_notes.data or "",
        online_link=form.online_link.data or "",
        frequency=form.frequency.data or "",
        weekday=form.weekday.data or "",
        nth=int(form.nth.data) if (form.nth.data or "").isdigit() else None,
        first_meeting=form.first_meeting.data,
        until=form.until.data,
        starts_at=form.starts_at.time,
        ends_at=form.ends_at.time,
        term_time_only=bool(form.term_time_only.data),
        yearly_breaks=tuple(form.yearly_breaks.data or ()),
    )


def refuse(form, error: services.GroupRuleError) -> None:
    field = getattr(form, error.field, None)
    if field is None:
        field = form.frequency if hasattr(form, "frequency") else form.action
    field.errors = [*field.errors, error.message]


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@requires_role(*COORDINATORS)
def edit_group(group_id: int):
    group = load_editable_group(current_user, group_id)
    form = group_form(group)
    if form.validate_on_submit():
        try:
            services.update_group(current_user, group, details_from(form, group))
        except services.GroupRuleError as error:
            refuse(form, error)
        else:
            flash("The group's listing is saved")
            return redirect(url_for("groups.show_group", group_id=group.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "groups/edit_group.html", form=form, group=group, is_admin=current_user.has_role(Role.ADMIN)
    ), status


@bp.route("/groups/<int:group_id>/meetings/<int:meeting_day_number>", methods=["GET", "POST"])
@requires_role(*COORDINATORS)
def change_meeting(group_id: int, meeting_day_number: int):
    group = load_editable_group(current_user, group_id)
    day = meeting_day(meeting_day_number)
    meeting = queries.find_meeting(group, day)
    if meeting is None:
        from flask import abort

        abort(404)
    form = ChangeMeetingForm()
    if form.validate_on_submit():
        try:
            if request.form.get("restore"):
                services.restore_meeting(current_user, group, day)
            else:
                services.change_meeting(
                    current_user,
                    group,
                    day,
                    cancel=form.action.data == "cancel",
                    new_date=form.new_date.data,
                    new_starts_at=form.new_starts_at.time,
                    new_ends_at=form.new_ends_at.time,
                    note=form.note.data or "",
                )
        except services.GroupRuleError as error:
            refuse(form, error)
        else:
            flash("The meeting is changed and the group's followers are told")
            return redirect(url_for("groups.show_group", group_id=group.id))
    replies = queries.replies_to(group, day)
    return render_template(
        "groups/change_meeting.html", group=group, meeting=meeting, form=form, replies=replies, today=today()
    ), (422 if request.method == "POST" else 200)


@bp.route("/groups/<int:group_id>/announcements", methods=["GET", "POST"])
@requires_role(*COORDINATORS)
def post_announcement(group_id: int):
    group = load_editable_group(current_user, group_id)
    form = AnnouncementForm()
    if form.validate_on_submit():
        try:
            services.post_announcement(current_user, group, form.body.data)
        except services.GroupRuleError as error:
            refuse(form, error)
        else:
            flash("Your announcement is sent to the group's followers")
            return redirect(url_for("groups.show_group", group_id=group.id))
    return render_template(
        "groups/post_announcement.html", group=group, form=form, followers=queries.follower_count(group)
    ), (422 if request.method == "POST" else 200)


@bp.route("/groups/mine")
@requires_role(*COORDINATORS)
def list_my_groups():
    return render_template(
        "groups/list_my_groups.html", groups=queries.groups_coordinated_by(current_user), form=EmptyForm()
    )


@bp.route("/groups/<int:group_id>/withdraw", methods=["GET", "POST"])
@requires_role(*COORDINATORS)
def withdraw_group(group_id: int):
    """Stop a group: it is no longer listed, and its members are told."""
    group = load_editable_group(current_user, group_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            told = services.withdraw_group(current_user, group, form.reason.data or "")
        except services.GroupRuleError as error:
            refuse(form, error)
        else:
            flash(f"{group.name} is withdrawn. {told} {'person has' if told == 1 else 'people have'} been told.")
            if current_user.has_role(Role.ADMIN):
                return redirect(url_for("groups.show_group", group_id=group.id))
            return redirect(url_for("groups.list_my_groups"))
    return render_template(
        "groups/withdraw_group.html",
        group=group,
        form=form,
        told=len(queries.withdrawal_audience(group, today()) - {current_user.id}),
    ), (422 if request.method == "POST" else 200)


@bp.route("/groups/<int:group_id>/restore", methods=["POST"])
@requires_role(Role.ADMIN)
def restore_group(group_id: int):
    group = load_group(current_user, group_id)
    if EmptyForm().validate_on_submit():
        services.restore_group(current_user, group)
        flash(f"{group.name} is listed again")
    return redirect(url_for("groups.show_group", group_id=group.id))


@bp.route("/groups/<int:group_id>/coordinators", methods=["GET", "POST"])
@requires_role(*COORDINATORS)
def change_coordinators(group_id: int):
    """Who runs the group: hand it on, or share it with another coordinator."""
    group = load_editable_group(current_user, group_id)
    form = CoordinatorsForm()
    form.coordinator_ids.choices = [(str(u.id), u.full_name) for u in users_with_role(Role.GROUP_COORDINATOR)]
    if request.method == "GET":
        form.coordinator_ids.data = [str(c.user_id) for c in group.coordinators]
    if form.validate_on_submit():
        ids = [int(i) for i in form.coordinator_ids.data or [] if str(i).isdigit()]
        try:
            services.set_coordinators(current_user, group, ids)
        except services.GroupRuleError as error:
            refuse(form, error)
        else:
            flash("Who runs the group is saved")
            if can_edit_group(current_user, group):
                return redirect(url_for("groups.show_group", group_id=group.id))
            return redirect(url_for("groups.list_my_groups"))  # they handed the group on
    return render_template("groups/change_coordinators.html", group=group, form=form), (
        422 if request.method == "POST" else 200
    )
