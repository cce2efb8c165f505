"""Forms for log entries, comments, the log filter and filing documents: field-level checks only."""

from __future__ import annotations

import re
from datetime import time

from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.core.clock import future_time_problem
from portal.core.forms import BaseForm, DatePartsField
from portal.records.models import FOLDER_LABELS, LOG_CATEGORY_LABELS

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*(am|pm)?\s*$", re.I)


def parse_time(text: str) -> time | None:
    """'14:30', '2.30pm', '9:05 am' -> time; '' -> None; anything else raises ValueError."""
    if not text or not text.strip():
        return None
    m = _TIME.match(text)
    if not m:
        raise ValueError("Enter a time like 14:30 or 2:30pm")
    hour, minute, half = int(m.group(1)), int(m.group(2)), (m.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ValueError("Enter a time like 14:30 or 2:30pm")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValueError("Enter a real time, like 14:30")
    return time(hour, minute)


class LogEntryForm(BaseForm):
    idempotency_key = HiddenField()
    child_id = SelectField(
        "Which child is this about?", coerce=str, validators=[DataRequired("Select the child this entry is about")]
    )
    entry_date = DatePartsField("Date", not_in_future=True)
    time_of_day = StringField(
        "Time (optional)", description="For example, 14:30", validators=[Optional(), Length(max=10)]
    )
    category = RadioField(
        "What kind of entry is it?",
        choices=list(LOG_CATEGORY_LABELS.items()),
        validators=[DataRequired("Select what kind of entry this is")],
    )
    body = TextAreaField(
        "What happened?",
        validators=[
            DataRequired("Write what happened"),
            Length(max=20000, message="The entry must be 20,000 characters or fewer"),
        ],
    )
    is_significant = BooleanField(
        "This is a significant event",
        description="Your supervising social worker and the child's social worker are told straight away.",
    )
    attachments = MultipleFileField(
        "Attach photos or documents (optional)",
        description="For example, a photo of a letter or a log you wrote in Word. JPG, PNG, HEIC, PDF, DOCX or ODT.",
    )

    def validate_time_of_day(self, field):
        try:
            typed = parse_time(field.data or "")
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        problem = future_time_problem(self.entry_date.data, typed)
        if problem:
            raise ValidationError(problem)

    @property
    def parsed_time(self) -> time | None:
        """Only after validation: the time typed, or None when left blank."""
        return parse_time(self.time_of_day.data or "")


class AddendumForm(BaseForm):
    idempotency_key = HiddenField()
    body = TextAreaField(
        "What needs adding or correcting?",
        validators=[DataRequired("Write the addition or correction"), Length(max=20000)],
    )


class CommentForm(BaseForm):
    body = TextAreaField("Reply to the carer", validators=[DataRequired("Write your reply"), Length(max=5000)])


class LogFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET filter: nothing changes

    # A select of a few children, or typed when there are many (the view decides and reads it back).
    child = SelectField("Child", coerce=str, validators=[Optional(), Length(max=300)], validate_choice=False)
    category = SelectField(
        "Kind of entry", choices=[("", "Any kind")] + list(LOG_CATEGORY_LABELS.items()), validators=[Optional()]
    )
    date_from = DatePartsField("From date", required=False)
    date_to = DatePartsField("To date", required=False)
    unread = BooleanField("Only entries I have not read")


class ExportForm(BaseForm):
    class Meta:
        csrf = False

    date_from = DatePartsField("From date")
    date_to = DatePartsField("To date")


class DocumentForm(BaseForm):
    folder = SelectField("Folder", coerce=str, validators=[DataRequired("Select a folder")])
    title = StringField("Title", validators=[DataRequired("Enter a title for the document"), Length(max=200)])
    document_date = DatePartsField("Date of the document", not_in_future=True)
    file = FileField(
        "Document",
        validators=[FileRequired("Choose the file to upload")],
        description="PDF, Word (DOCX), OpenDocument (ODT) or a photo of the paper copy",
    )
    # Sent again by the outbox or a double tap, the same key files the document once (portal.core.idempotency).
    idempotency_key = HiddenField()


FOLDER_CHOICES = list(FOLDER_LABELS.items())
