"""Forms for the information hub: a page, a team's contact details, one's own contact details, a newsletter."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.forms import BaseForm, DatePartsField
from portal.hub.models import SECTION_LABELS
from portal.people.forms import PersonField


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PageForm(BaseForm):
    section = SelectField("Section", choices=[(k.value, v) for k, v in SECTION_LABELS.items()])
    title = StringField(
        "Title",
        validators=[DataRequired("Enter the title"), Length(max=150, message="Title must be 150 characters or fewer")],
    )
    summary = StringField(
        "Summary", validators=[Optional(), Length(max=300, message="Summary must be 300 characters or fewer")]
    )
    body_markdown = TextAreaField(
        "Text", validators=[Optional(), Length(max=100_000, message="Text must be 100,000 characters or fewer")]
    )
    live_sections = MultiCheckboxField("Tables from live data", choices=[], validate_choice=False)
    position = IntegerField(
        "Order in its section",
        default=0,
        validators=[
            InputRequired("Enter the order in its section, as a number"),
            NumberRange(0, 999, "Order in its section must be a number from 0 to 999"),
        ],
    )
    owner_id = PersonField("Owner", [Optional()], message="Choose an owner from the list")
    last_reviewed_on = DatePartsField("Last reviewed", error_name="date the page was last reviewed")
    review_every_months = IntegerField(
        "Review every (months)",
        default=12,
        validators=[InputRequired("Enter how often to review the page"), NumberRange(1, 36, "Enter 1 to 36 months")],
    )


class TeamContactForm(BaseForm):
    name = StringField("Team", validators=[DataRequired("Enter the team's name"), Length(max=120)])
    description = StringField("What they help with", validators=[Optional(), Length(max=400)])
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])
    email = StringField(
        "Email", validators=[Optional(), Email("Enter an email address like name@example.org"), Length(max=254)]
    )
    hours = StringField("Hours", validators=[Optional(), Length(max=200)])
    position = IntegerField("Order", default=0, validators=[InputRequired("Enter a number"), NumberRange(0, 999)])


class MyContactForm(BaseForm):
    job_title = StringField("Job title", validators=[Optional(), Length(max=120)])
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])
    email = StringField(
        "Email for carers",
        validators=[Optional(), Email("Enter an email address like name@example.org"), Length(max=254)],
    )
    hours = StringField("When you work", validators=[Optional(), Length(max=200)])


class NewsletterForm(BaseForm):
    title = StringField("Title", validators=[DataRequired("Enter the title"), Length(max=150)])
    issue_date = DatePartsField("Issue date")
    summary = TextAreaField("Summary", validators=[DataRequired("Enter a short summary"), Length(max=600)])
    file = FileField("Newsletter (PDF)")


class EmptyForm(BaseForm):
    pass
