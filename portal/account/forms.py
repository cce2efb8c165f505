"""Forms on the account pages: field-level checks only."""

from __future__ import annotations

from wtforms import IntegerField, PasswordField, StringField
from wtforms.validators import InputRequired, Length

from portal.auth.forms import ChangePasswordForm, MfaCodeForm, PasskeyField, PasskeyForm  # noqa: F401  (re-exported)
from portal.auth.passkeys import NAME_MAX
from portal.core.forms import BaseForm


class ForgetDeviceForm(BaseForm):
    device_id = IntegerField("Device", validators=[InputRequired("Choose a device to forget")])


class ConfirmForm(BaseForm):
    """A button that changes something: CSRF only."""


class PasskeyNameForm(BaseForm):
    name = StringField(
        "Name this passkey",
        description="So you can tell your passkeys apart, for example “My phone” or “Work laptop”",
        validators=[Length(max=NAME_MAX, message=f"The name must be {NAME_MAX} characters or fewer")],
    )


class AddPasskeyForm(PasskeyNameForm, PasskeyForm):
    pass


class RemovePasskeyForm(PasskeyForm):
    """Confirm it is you: a passkey (credential) or, for a person who signed in with a password, the password."""

    credential = PasskeyField()
    password = PasswordField("Your password")
