"""Forms on the account pages: field-level checks only."""

from __future__ import annotations

from wtforms import IntegerField
from wtforms.validators import InputRequired

from portal.auth.forms import ChangePasswordForm, MfaCodeForm, ReauthForm  # noqa: F401  (re-exported for the views)
from portal.core.forms import BaseForm


class ForgetDeviceForm(BaseForm):
    device_id = IntegerField("Device", validators=[InputRequired("Choose a device to forget")])


class ConfirmForm(BaseForm):
    """A button that changes something: CSRF only."""
