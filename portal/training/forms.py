"""Training forms: field-level checks only (the rules live in the services)."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.forms import BaseForm, DatePartsField, DecimalTextField
from portal.people.models import CARER_TYPE_LABELS
from portal.records.forms import parse_time
from portal.training.models import AUDIENCE_LABELS, FORMAT_LABELS
from portal.training.rules import TSD_STANDARDS

SCALE = [(str(n), label) for n, label in ((1, "1 – not at all"), (2, "2"), (3, "3"), (4, "4"), (5, "5 – very"))]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EmptyForm(BaseForm):
    """A button that changes something: CSRF only."""


class BookForm(BaseForm):
    people = MultiCheckboxField("Who is coming?", coerce=str, validators=[DataRequired("Choose who to book")])


class EvaluationForm(BaseForm):
    usefulness = RadioField("How useful was the session?", choices=SCALE, validators=[DataRequired("Choose 1 to 5")])
    before = RadioField(
        "How confident did you feel about the subject before?",
        choices=SCALE,
        validators=[DataRequired("Choose 1 to 5")],
    )
    after = RadioField(
        "How confident do you feel about it now?", choices=SCALE, validators=[DataRequired("Choose 1 to 5")]
    )
    comments = TextAreaField(
        "Anything else you want to tell the training team (optional)", validators=[Length(max=2000)]
    )


class CertificateForm(BaseForm):
    person = SelectField("Whose certificate is it?", coerce=str, validators=[DataRequired("Choose whose it is")])
    title = StringField(
        "Course or workbook page", validators=[DataRequired("Enter the course's name"), Length(max=200)]
    )
    completed_on = DatePartsField("Date completed", not_in_future=True)
    hours = DecimalTextField("Hours", places=1, minimum=0, maximum=200, what="the hours", example="3.5")
    tsd_standard = SelectField(
        "Is it a TSD workbook page? (optional)",
        coerce=str,
        choices=[("", "No, a course certificate")] + [(str(n), f"Standard {n}: {t}") for n, t in TSD_STANDARDS.items()],
        validate_choice=True,
    )
    file = FileField(
        "Certificate", validators=[FileRequired("Choose the file to upload")], description="PDF or a photo of it"
    )


class CourseForm(BaseForm):
    title = StringField("Title", validators=[DataRequired("Enter the course title"), Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=5000)])
    topic = StringField("Topic", validators=[DataRequired("Enter a topic, such as Health"), Length(max=60)])
    audience = RadioField(
        "Who is it for?", choices=list(AUDIENCE_LABELS.items()), validators=[DataRequired("Choose who it is for")]
    )
    format = RadioField("Format", choices=list(FORMAT_LABELS.items()), validators=[DataRequired("Choose the format")])
    hours = DecimalTextField(
        "Hours it counts for",
        places=1,
        minimum=0,
        maximum=200,
        what="the hours",
        example="3.5",
        validators=[DataRequired("Enter the hours it counts for")],
    )
    tsd_standards = MultiCheckboxField(
        "TSD standards it evidences", coerce=str, choices=[(str(n), f"{n}. {t}") for n, t in TSD_STANDARDS.items()]
    )
    mandatory_for = MultiCheckboxField("Mandatory for", coerce=str, choices=list(CARER_TYPE_LABELS.items()))
    expiry_months = IntegerField(
        "Expires after (months, optional)",
        validators=[Optional(), NumberRange(min=1, max=240, message="Enter a number of months from 1 to 240")],
    )
    elearning_url = StringField("E-learning link (optional)", validators=[Optional(), Length(max=500)])
    is_active = BooleanField("Show this course in the catalogue", default=True)

    def validate_elearning_url(self, field):
        if field.data and not field.data.startswith("https://"):
            raise ValidationError("Enter a link starting with https://")


def _time(field_name: str):
    def check(form, field):
        try:
            setattr(form, f"{field_name}_value", parse_time(field.data or ""))
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    return check


class SessionForm(BaseForm):
    part1_date = DatePartsField("Date")
    part1_start = StringField("Starts", validators=[DataRequired("Enter the start time, like 09:30"), Length(max=10)])
    part1_end = StringField("Ends", validators=[DataRequired("Enter the end time, like 16:00"), Length(max=10)])
    part2_date = DatePartsField("Date of a second part (optional)", required=False)
    part2_start = StringField("Starts", validators=[Optional(), Length(max=10)])
    part2_end = StringField("Ends", validators=[Optional(), Length(max=10)])
    venue_name = StringField("Venue (leave empty for online)", validators=[Length(max=200)])
    venue_address = TextAreaField("Venue address", validators=[Length(max=500)])
    access_notes = TextAreaField("Access notes (parking, step-free entry, hearing loop)", validators=[Length(max=2000)])
    joining_link = StringField("Online joining link", validators=[Length(max=500)])
    capacity = IntegerField(
        "Places",
        validators=[DataRequired("Enter the number of places"), NumberRange(min=1, max=500, message="Enter 1 to 500")],
    )
    trainer_name = StringField("Trainer", validators=[Length(max=200)])
    deadline = DatePartsField("Last day to book")

    def validate_joining_link(self, field):
        if field.data and not field.data.startswith("https://"):
            raise ValidationError("Enter a link starting with https://")

    def times_one(self, name: str):
        """The time typed in field `name`, read (None when empty); raises ValueError with the message to show."""
        return parse_time(getattr(self, name).data or "")


class CancelSessionForm(BaseForm):
    reason = TextAreaField(
        "Why is it cancelled? (sent to everyone booked and waiting)",
        validators=[DataRequired("Enter a short reason"), Length(max=500)],
    )


class MoveForm(BaseForm):
    target = SelectField("Move to", coerce=str, validators=[DataRequired("Choose the session to move them to")])


class RefuseForm(BaseForm):
    reason = TextAreaField(
        "Why is it refused? (the carer reads this)", validators=[DataRequired("Enter why"), Length(max=500)]
    )


class SignOffForm(BaseForm):
    note = TextAreaField(
        "Note (what you saw as evidence)", validators=[DataRequired("Enter a short note"), Length(max=2000)]
    )


class ImportForm(BaseForm):
    file = FileField("CSV file", description="Columns: email, course, date, hours, certificate reference")
    csv_text = HiddenField()


class FilterForm(BaseForm):
    class Meta:
        csrf = False

    month = SelectField("Month", coerce=str, validate_choice=False)
    format = SelectField(
        "Format", coerce=str, choices=[("", "Any")] + list(FORMAT_LABELS.items()), validate_choice=False
    )
    topic = SelectField("Topic", coerce=str, validate_choice=False)
