"""The conversation of a match (only its two people), attachments, reports; and for coordinators, who talks and how
often (never the messages) and the reported messages."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.core.files import UploadRejected
from portal.core.inputs import id_or_none
from portal.core.pagination import page_number
from portal.core.uploads import TooManyUploads, send_rendition
from portal.mentoring import conversations, queries
from portal.mentoring.forms import MessageForm, ReportForm
from portal.mentoring.policy import (
    COORDINATORS,
    TALKERS,
    can_send_message,
    load_conversation,
    load_message_in,
    load_report,
    report_match,
)
from portal.mentoring.routes import bp

RENDITIONS = ("thumb", "display", "master")


def _conversation_page(match, form=None, status=200, safeguarding=False, report_for=None, report_form=None):
    before = id_or_none(request.args.get("before"))
    page = queries.message_page(match, before)
    return render_template(
        "mentoring/show_conversation.html",
        match=match,
        page=page,
        form=form or MessageForm(formdata=None),
        can_send=can_send_message(current_user, match),
        unread=queries.unread_by_match(current_user).get(match.id, 0),
        newest=queries.newest_message_id(match),
        safeguarding=safeguarding,
        out_of_hours=current_app.config["OUT_OF_HOURS_PHONE"],
        report_for=report_for,
        report_form=report_form,
    ), status


@bp.route("/mentoring/matches/<int:match_id>/conversation")
@requires_role(*TALKERS)
def show_conversation(match_id: int):
    return _conversation_page(load_conversation(current_user, match_id))


@bp.route("/mentoring/matches/<int:match_id>/conversation", methods=["POST"])
@requires_role(*TALKERS)
def send_message(match_id: int):
    match = load_conversation(current_user, match_id)
    if not can_send_message(current_user, match):
        return _conversation_page(match, status=409)  # the page says the match has ended; history stays readable
    form = MessageForm()
    if not form.validate_on_submit():
        return _conversation_page(match, form, 422)
    file = form.attachment.data
    attachment = conversations.Attachment(file.stream, file.filename) if file and file.filename else None
    try:
        sent = conversations.send_message(current_user, match, form.body.data, attachment)
    except TooManyUploads as exc:
        form.attachment.errors = [str(exc)]
        return _conversation_page(match, form, 429)
    except UploadRejected as exc:
        form.attachment.errors = [str(exc)]
        form.note_files_not_kept()
        return _conversation_page(match, form, 422)
    except conversations.MessageRefused as exc:
        getattr(form, exc.field or "body").errors = [str(exc)]
        return _conversation_page(match, form, 409)
    if sent.safeguarding:
        # Shown at once, in place: the message is sent, and the sender is told how to reach help now.
        return _conversation_page(match, safeguarding=True)
    flash("Your message has been sent.", "success")
    return redirect(url_for("mentoring.show_conversation", match_id=match.id))


@bp.route("/mentoring/matches/<int:match_id>/conversation/read", methods=["POST"])
@requires_role(*TALKERS)
def mark_conversation_read(match_id: int):
    match = load_conversation(current_user, match_id)
    up_to = id_or_none(request.form.get("up_to")) or queries.newest_message_id(match)
    conversations.mark_read(current_user, match, up_to)
    return redirect(url_for("mentoring.show_conversation", match_id=match.id))


@bp.route("/mentoring/matches/<int:match_id>/messages/<int:message_id>/report", methods=["GET", "POST"])
@requires_role(*TALKERS)
def report_message(match_id: int, message_id: int):
    match = load_conversation(current_user, match_id)
    message = load_message_in(current_user, match, message_id)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            conversations.report_message(current_user, match, message, form.reason.data)
        except conversations.MessageRefused as exc:
            form.reason.errors = [str(exc)]
        else:
            flash("Thank you. The mentoring coordinator has been sent the message and will look at it.", "success")
            return redirect(url_for("mentoring.show_conversation", match_id=match.id))
    return render_template("mentoring/report_message.html", form=form, match=match, message=message), (
        422 if request.method == "POST" else 200
    )


@bp.route("/mentoring/matches/<int:match_id>/messages/<int:message_id>/<any(thumb,display,master):rendition>")
@requires_role(*TALKERS)
def download_message_file(match_id: int, message_id: int, rendition: str):
    match = load_conversation(current_user, match_id)
    message = load_message_in(current_user, match, message_id)
    if message.file is None:
        load_message_in(current_user, match, 0)  # 404, audited
    return send_rendition(message.file, rendition, as_attachment=rendition == "master")


@bp.route("/mentoring/conversations")
@requires_role(*COORDINATORS)
def list_talk():
    page, rows = queries.talk_page(page_number(request.args))
    return render_template(
        "mentoring/list_talk.html",
        rows=rows,
        page=page,
        pagination=page.govuk(lambda n: url_for("mentoring.list_talk", page=n)),
    )


@bp.route("/mentoring/reports")
@requires_role(*COORDINATORS)
def list_reports():
    page = queries.open_reports(page_number(request.args))
    return render_template(
        "mentoring/list_reports.html",
        page=page,
        pagination=page.govuk(lambda n: url_for("mentoring.list_reports", page=n)),
    )


@bp.route("/mentoring/reports/<int:report_id>")
@requires_role(*COORDINATORS)
def show_report(report_id: int):
    report = load_report(current_user, report_id)
    return render_template("mentoring/show_report.html", report=report, match=report_match(report))


@bp.route("/mentoring/reports/<int:report_id>/close", methods=["POST"])
@requires_role(*COORDINATORS)
def close_report(report_id: int):
    conversations.close_report(current_user, load_report(current_user, report_id))
    flash("The report has been marked as dealt with.", "success")
    return redirect(url_for("mentoring.list_reports"))


@bp.route("/mentoring/reports/<int:report_id>/<any(thumb,display,master):rendition>")
@requires_role(*COORDINATORS)
def download_reported_file(report_id: int, rendition: str):
    report = load_report(current_user, report_id)
    if report.message.file is None:
        load_report(current_user, 0)
    return send_rendition(report.message.file, rendition, as_attachment=rendition == "master")
