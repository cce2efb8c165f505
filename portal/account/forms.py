"""Forms on the account pages: field-level checks only."""

from __future__ import annotations

from wtforms import EmailField, IntegerField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length

from portal.auth.forms import (  # noqa: F401  (re-exported for the views)
    ChangePasswordForm,
    MfaCodeForm,
    PasskeyForm,
    ReauthForm,
)
from portal.auth.passkeys import NAME_MAX
from portal.core.forms import BaseForm


class ForgetDeviceForm(BaseForm):
    device_id = IntegerField("Device", validators=[InputRequired("Choose a device to forget")])


class ConfirmForm(BaseForm):
    """A button that changes something: CSRF only."""


_NAME_LABEL = "Name this passkey"
_NAME_HINT = "So you can tell your passkeys apart, for example “My phone” or “Work laptop”"


class PasskeyNameForm(BaseForm):
    name = StringField(
        _NAME_LABEL,
        description=_NAME_HINT,
        validators=[Length(max=NAME_MAX, message=f"The name must be {NAME_MAX} characters or fewer")],
    )


class AddPasskeyForm(PasskeyForm):
    # No length check: the device has already made the passkey when this arrives, so a long name is cut, not refused.
    name = StringField(_NAME_LABEL, description=_NAME_HINT)


class ChangeEmailForm(BaseForm):
    email = EmailField(
        "New email address",
        description="We will send a link to this address. Your address changes when you follow it.",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired("Enter your new email address"),
            Email("Enter an email address in the correct format, like name@example.org"),
            Length(max=254, message="The email address must be 254 characters or fewer"),
        ],
    )
