"""Forms for memory boxes: adding and correcting memories, moderation, access decisions, deletion and holds."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.core.forms import BaseForm, DatePartsField
from portal.memories.models import TAG_LABELS

CHECKS = [
    ("no_other_children", "No other children can be recognised, unless their parents or carers have agreed"),
    ("no_school_or_street", "No school badge, uniform crest or street name can be seen"),
    ("no_birth_family_address", "No birth-family addresses or contact details are shown"),
]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _DetailsForm(BaseForm):
    title = StringField(
        "Title",
        description="For example, First day at Oakfield Primary",
        validators=[
            DataRequired("Enter a title for the memory"),
            Length(max=200, message="The title must be 200 characters or fewer"),
        ],
    )
    caption = TextAreaField(
        "Caption (optional)",
        description="What was happening, and why it matters",
        validators=[Optional(), Length(max=2000, message="The caption must be 2,000 characters or fewer")],
    )
    people = StringField(
        "Who is in it (optional)",
        description="First names are enough",
        validators=[Optional(), Length(max=300, message="Keep this to 300 characters or fewer")],
    )
    tags = MultiCheckboxField("Tags (optional)", choices=list(TAG_LABELS.items()), validators=[Optional()])
    is_sensitive = BooleanField(
        "This memory is sensitive", description="It shows blurred until someone chooses to open it"
    )


class AddMemoryForm(_DetailsForm):
    files = MultipleFileField("Files")
    memory_date = DatePartsField("Date of the memory", not_in_future=True, required=False)
    body = TextAreaField(
        "The note or story", validators=[Length(max=20000, message="The note must be 20,000 characters or fewer")]
    )
    checks = MultiCheckboxField("Before you add anything, check that", choices=CHECKS)
    # Sent again by the outbox or a double tap, the same key adds the memory once (portal.core.idempotency).
    idempotency_key = HiddenField()

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def validate_checks(self, field):
        if set(field.data or []) != {value for value, _ in CHECKS}:
            raise ValidationError("Tick each safeguarding check to confirm it")

    def validate_files(self, field):
        chosen = [f for f in (field.data or []) if f and getattr(f, "filename", "")]
        if self.kind == "note":
            return
        if not chosen:
            raise ValidationError(
                {
                    "photo": "Choose one or more photos",
                    "video": "Choose a video",
                    "document": "Choose the scanned document",
                }[self.kind]
            )
        if self.kind != "photo" and len(chosen) > 1:
            raise ValidationError("Choose one file at a time")
        if len(chosen) > 20:
            raise ValidationError("Choose 20 photos or fewer at a time")

    def validate_body(self, field):
        if self.kind == "note" and not (field.data or "").strip():
            raise ValidationError("Write the note or story")

    def validate_memory_date(self, field):
        if self.kind != "photo" and field.data is None:
            raise ValidationError("Enter the date of the memory")

    @property
    def chosen_files(self):
        return [f for f in (self.files.data or []) if f and getattr(f, "filename", "")]


class ChangeMemoryForm(_DetailsForm):
    memory_date = DatePartsField("Date of the memory", not_in_future=True)
    body = TextAreaField("The note or story", validators=[Optional(), Length(max=20000)])


class HideForm(BaseForm):
    reason = TextAreaField(
        "Why are you hiding this memory?",
        description="The carer who added it is not shown this. It is kept in the audit log",
        validators=[DataRequired("Give the reason for hiding this memory"), Length(max=500)],
    )


class ActionForm(BaseForm):
    """A button that changes something: CSRF only."""


class GrantAccessForm(BaseForm):
    decided_on = DatePartsField("Date of the decision", not_in_future=True)
    reason = TextAreaField(
        "Reason for the decision",
        description="For example, agreed at the review on leaving care",
        validators=[DataRequired("Give the reason for the decision"), Length(max=2000)],
    )


class RevokeAccessForm(BaseForm):
    reason = TextAreaField(
        "Why is access being withdrawn?",
        validators=[DataRequired("Give the reason for withdrawing access"), Length(max=2000)],
    )


class DeleteForm(BaseForm):
    reason = TextAreaField(
        "Reason for deleting",
        description="Kept in the audit log with the memory's details",
        validators=[DataRequired("Give the reason for deleting this memory"), Length(max=500)],
    )


class LegalHoldForm(BaseForm):
    reason = TextAreaField("Reason", validators=[DataRequired("Give the reason"), Length(max=500)])
