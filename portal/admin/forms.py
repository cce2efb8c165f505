"""Admin forms: inviting a person, choosing roles, filtering lists. Field-level checks only."""

from __future__ import annotations

from wtforms import IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, NumberRange, Optional

from portal.auth.forms import InvitationForm
from portal.auth.roles import Role
from portal.core.forms import BaseForm

ROLE_CHOICES = [(r.value, r.label) for r in Role]


class RolesField(SelectMultipleField):
    """Checkboxes of roles; `.roles` gives them as Role values."""

    @property
    def roles(self) -> set[Role]:
        return {Role(v) for v in (self.data or [])}


class InviteForm(InvitationForm):
    roles = RolesField(
        "Roles",
        choices=ROLE_CHOICES,
        validators=[DataRequired("Select at least one role")],
        description="Select all that apply. Staff roles must set up security codes when they first sign in.",
    )


class RolesForm(BaseForm):
    roles = RolesField(
        "Roles",
        choices=ROLE_CHOICES,
        validators=[DataRequired("Select at least one role")],
        description="Removing a role signs the person out straight away.",
    )


class ConfirmForm(BaseForm):
    """A button that changes something: CSRF only."""


class UserFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET search form: nothing changes

    q = StringField("Name or email address", validators=[Optional()])
    role = SelectField("Role", choices=[("", "Any role"), *ROLE_CHOICES], validators=[Optional()])


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False

    action = SelectField("Action", choices=[("", "Any action")], validators=[Optional()], validate_choice=False)
    user_id = IntegerField("User ID", validators=[Optional(), NumberRange(min=1, message="Enter a user ID, like 42")])
