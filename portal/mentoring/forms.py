"""Forms for mentoring: field-level checks only (rules live in the services)."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.forms import BaseForm, DatePartsField
from portal.mentoring.models import (
    AGE_GROUP_LABELS,
    AVAILABILITY_LABELS,
    CONTACT_HOW_LABELS,
    OFFER_HOW_LABELS,
    STAGE_LABELS,
    TOPIC_LABELS,
    WAY_LABELS,
    WITHDREW_STEP_LABELS,
)
from portal.people.forms import PersonField
from portal.people.models import CARER_TYPE_LABELS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(labels) -> list[tuple[str, str]]:
    return [(str(k), v[:1].upper() + v[1:]) for k, v in labels.items()]


TYPE_CHOICES = _choices(CARER_TYPE_LABELS)


class _Preferences(BaseForm):
    locality_id = SelectField("Locality", coerce=int, validators=[InputRequired("Choose the locality")])
    age_groups = MultiCheckboxField("Ages of children", choices=_choices(AGE_GROUP_LABELS))
    availability = MultiCheckboxField("When they can meet", choices=_choices(AVAILABILITY_LABELS))
    ways = MultiCheckboxField("How they can meet", choices=_choices(WAY_LABELS))
    languages = StringField(
        "Languages",
        description="Separate them with commas, for example: English, Urdu",
        default="English",
        validators=[Length(max=200)],
    )


class MenteeForm(_Preferences):
    full_name = StringField("Full name", validators=[DataRequired("Enter their full name"), Length(max=200)])
    email = StringField(
        "Email address",
        validators=[
            DataRequired("Enter their email address"),
            Email("Enter an email address like name@example.org"),
            Length(max=254),
        ],
    )
    assessing_worker = StringField("Assessing social worker", validators=[Optional(), Length(max=200)])
    stage = SelectField("Stage of assessment", choices=list(STAGE_LABELS.items()))
    fostering_type = SelectField("Type of fostering they hope to do", choices=TYPE_CHOICES)


class OfferForm(BaseForm):
    offered_on = DatePartsField("Date offered", not_in_future=True)
    offered_how = RadioField("How", choices=list(OFFER_HOW_LABELS.items()), validators=[InputRequired("Choose how")])


class ResponseForm(BaseForm):
    response = RadioField(
        "Their answer",
        choices=[("wants", "Wants a mentor"), ("declined", "Does not want one"), ("no_answer", "No answer yet")],
        validators=[InputRequired("Choose their answer")],
    )
    responded_on = DatePartsField("Date", not_in_future=True)


class WithdrawForm(BaseForm):
    withdrew_on = DatePartsField("Date they withdrew", not_in_future=True)
    step = RadioField(
        "At which step", choices=list(WITHDREW_STEP_LABELS.items()), validators=[InputRequired("Choose the step")]
    )


class ProposeForm(BaseForm):
    mentor_id = IntegerField("Mentor", validators=[InputRequired()])


class EndForm(BaseForm):
    reason = TextAreaField(
        "Why is the match ending?", validators=[DataRequired("Enter why the match is ending"), Length(max=500)]
    )


class AgreementForm(BaseForm):
    meeting_on = DatePartsField("Date of the agreement meeting")
    held = BooleanField("The meeting was held")


class AnswerForm(BaseForm):
    answer = RadioField(
        "Will you mentor them?", choices=[("yes", "Yes"), ("no", "No")], validators=[InputRequired("Choose yes or no")]
    )
    note = TextAreaField("Anything the coordinator should know (optional)", validators=[Optional(), Length(max=500)])


class MessageForm(BaseForm):
    body = TextAreaField("Your message", validators=[Length(max=5000)])
    attachment = FileField("Add a photo or document (optional)")


class ReportForm(BaseForm):
    reason = TextAreaField(
        "What worries you about this message?", validators=[DataRequired("Say what worries you"), Length(max=1000)]
    )


class ContactForm(BaseForm):
    contact_on = DatePartsField("Date", not_in_future=True)
    minutes = IntegerField(
        "How long, in minutes",
        validators=[InputRequired("Enter how long, in minutes"), NumberRange(1, 480, "Enter from 1 to 480 minutes")],
    )
    how = RadioField(
        "How", choices=list(CONTACT_HOW_LABELS.items()), validators=[InputRequired("Choose how you were in touch")]
    )
    topics = MultiCheckboxField("What you talked about", choices=list(TOPIC_LABELS.items()))
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=1000)])


class FeedbackForm(BaseForm):
    feedback = TextAreaField(
        "Your feedback on the mentoring", validators=[DataRequired("Enter your feedback"), Length(max=4000)]
    )


class ProfileForm(_Preferences):
    years_fostering = IntegerField(
        "Years fostering", validators=[InputRequired("Enter the years"), NumberRange(0, 60, "Enter from 0 to 60")]
    )
    fostering_types = MultiCheckboxField("Types of fostering you know", choices=TYPE_CHOICES)
    capacity = IntegerField(
        "How many mentees you can take at once",
        validators=[InputRequired("Enter a number"), NumberRange(0, 10, "Enter from 0 to 10")],
    )
    training_completed_on = DatePartsField("Mentor training completed", not_in_future=True, required=False)
    taking_mentees = BooleanField("I am taking new mentees")


class ApprovalForm(BaseForm):
    approved_on = DatePartsField("Date of approval", not_in_future=True)
    fostering_type = SelectField("Type of fostering approved", choices=TYPE_CHOICES)
    # A select of a few households, typed once there are many (portal.mentoring.routes.coordinator reads it back).
    household_id = PersonField(
        "Household they join",
        message="Choose a household from the list, or leave it to create a new one",
        description="Or leave this and create a new household",
    )
    new_household_name = StringField("New household's name", validators=[Optional(), Length(max=200)])
    new_household_reference = StringField("New household's reference", validators=[Optional(), Length(max=40)])
    temporary = BooleanField("Temporary approval as a connected person (Regulation 24, 16 weeks)")
    extended = BooleanField("The temporary approval has been extended (by up to 8 weeks)")


class NeighboursForm(BaseForm):
    neighbours = MultiCheckboxField("Neighbouring localities", coerce=int)


class ImportForm(BaseForm):
    file = FileField("The spreadsheet, saved as CSV")


class PayModelForm(BaseForm):
    model = RadioField(
        "How mentors are paid",
        choices=[
            ("per_contact", "Per contact"),
            ("per_hour", "Per hour"),
            ("per_mentee_month", "Per mentee per month"),
        ],
        validators=[InputRequired("Choose how mentors are paid")],
    )
    effective_from = DatePartsField("From")
    source = StringField(
        "Where this comes from",
        validators=[DataRequired("Enter the source, such as the scheme's policy"), Length(max=300)],
    )
