"""Forms for support groups: the listing and its pattern, one meeting's change, announcements, school holidays."""

from __future__ import annotations

import re
from datetime import time

from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.forms import BaseForm, DatePartsField
from portal.groups.models import AUDIENCE_LABELS

FREQUENCIES = [
    ("weekly", "Every week"),
    ("fortnightly", "Every other week"),
    ("monthly", "Once a month, on a set week (for example, the second Tuesday)"),
    ("monthly_last", "Once a month, on the last such day"),
]
WEEKDAY_CHOICES = [
    ("MO", "Monday"),
    ("TU", "Tuesday"),
    ("WE", "Wednesday"),
    ("TH", "Thursday"),
    ("FR", "Friday"),
    ("SA", "Saturday"),
    ("SU", "Sunday"),
]
NTH_CHOICES = [("", "Not needed"), ("1", "First"), ("2", "Second"), ("3", "Third"), ("4", "Fourth")]
BREAK_CHOICES = [("august", "No meetings in August"), ("christmas", "No meetings from 20 December to 3 January")]


def parse_time(text: str) -> time | None:
    """A time as people type it: "10:00", "10", "2pm", "2.30pm", "14.30", "9:15 am"; None if it is not one."""
    m = re.fullmatch(r"\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*", text.lower())
    if not m:
        return None
    hour, minute, half = int(m[1]), int(m[2] or 0), (m[3] or "").replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class TimeTextField(StringField):
    """A time typed as text (`field.time`), kept as typed for re-display."""

    def __init__(self, label=None, validators=None, *, required: bool = True, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.time: time | None = None

    def process_data(self, value):
        if isinstance(value, time):
            self.time, value = value, value.strftime("%H:%M")
        super().process_data(value)

    def pre_validate(self, form):
        text = (self.data or "").strip()
        label = self.label.text.lower() if self.label else "time"
        if not text:
            self.time = None
            if self.required:
                raise ValidationError(f"Enter the {label}, for example 10:00 or 2pm")
            return
        self.time = parse_time(text)
        if self.time is None:
            raise ValidationError(f"Enter the {label} as a time, for example 10:00 or 2pm")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class GroupForm(BaseForm):
    name = StringField("Name of the group", validators=[DataRequired("Enter the name of the group"), Length(max=120)])
    audience = RadioField("Who is it for?", choices=[(k.value, v) for k, v in AUDIENCE_LABELS.items()])
    locality_id = SelectField("Area", coerce=str)
    description = TextAreaField("Description", validators=[DataRequired("Enter a short description"), Length(max=2000)])
    is_online = RadioField(
        "Where does it meet?", choices=[("venue", "At a venue"), ("online", "Online")], default="venue"
    )
    venue_name = StringField("Venue", validators=[Optional(), Length(max=200)])
    venue_address = StringField("Address", validators=[Optional(), Length(max=400)])
    access_notes = TextAreaField("Getting there and access", validators=[Optional(), Length(max=600)])
    online_link = StringField("Joining link", validators=[Optional(), Length(max=500)])
    frequency = RadioField("How often does it meet?", choices=FREQUENCIES)
    weekday = SelectField("Day of the week", choices=WEEKDAY_CHOICES)
    nth = SelectField("Which week of the month", choices=NTH_CHOICES, default="", validate_choice=False)
    first_meeting = DatePartsField("First meeting")
    until = DatePartsField("Last meeting", required=False)
    starts_at = TimeTextField("Start time")
    ends_at = TimeTextField("End time")
    term_time_only = BooleanField("Only in school term time")
    yearly_breaks = MultiCheckboxField("Breaks", choices=BREAK_CHOICES, validate_choice=True)
    coordinator_ids = MultiCheckboxField("Coordinators", coerce=str, validate_choice=False)

    def validate_ends_at(self, field):
        if self.starts_at.time and field.time and field.time <= self.starts_at.time:
            raise ValidationError("The meeting must end after it starts")

    def validate_nth(self, field):
        if field.data not in (None, "", "1", "2", "3", "4"):
            raise ValidationError("Choose which week of the month")
        if self.frequency.data == "monthly" and not field.data:
            raise ValidationError("Choose which week of the month")


class ChangeMeetingForm(BaseForm):
    action = RadioField(
        "What is changing?", choices=[("move", "It is moving to another day or time"), ("cancel", "It is cancelled")]
    )
    new_date = DatePartsField("New date", required=False)
    new_starts_at = TimeTextField("New start time", required=False)
    new_ends_at = TimeTextField("New end time", required=False)
    note = StringField("A note for the people coming (optional)", validators=[Optional(), Length(max=300)])

    def validate_new_ends_at(self, field):
        if self.new_starts_at.time and field.time and field.time <= self.new_starts_at.time:
            raise ValidationError("The meeting must end after it starts")


class AnnouncementForm(BaseForm):
    body = TextAreaField("Announcement", validators=[DataRequired("Enter the announcement"), Length(max=1000)])


class WithdrawForm(BaseForm):
    reason = TextAreaField(
        "Anything members should know (optional)",
        validators=[Optional(), Length(max=500, message="The reason must be 500 characters or fewer")],
    )


class CoordinatorsForm(BaseForm):
    coordinator_ids = MultiCheckboxField("Who runs the group", coerce=str, validate_choice=False)


class HolidayForm(BaseForm):
    label = StringField("Name", validators=[DataRequired("Enter a name, for example Summer holiday"), Length(max=80)])
    starts_on = DatePartsField("First day")
    ends_on = DatePartsField("Last day")

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError("The last day must be the same as or after the first day")


class ConsentForm(BaseForm):
    agreed = RadioField(
        "May the coordinators of support groups near you be told you have joined, so they can invite you?",
        choices=[("yes", "Yes, they may be told my name and email address"), ("no", "No")],
    )


class EmptyForm(BaseForm):
    pass
