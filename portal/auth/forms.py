"""Sign-in, MFA, invitation and password forms: field-level checks only."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, Regexp

from portal.core.forms import BaseForm
from portal.core.security import password_problem


def _strip(value):
    # A space copied with an address from an email or a letter must not make it "wrong".
    return value.strip() if isinstance(value, str) else value


class SignInForm(BaseForm):
    email = EmailField(
        "Email address",
        filters=[_strip],
        validators=[
            DataRequired("Enter your email address"),
            Email("Enter an email address in the correct format, like name@example.org"),
        ],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class MfaCodeForm(BaseForm):
    code = StringField(
        "Security code",
        validators=[
            DataRequired("Enter the 6-digit code from your authenticator app"),
            Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message="The security code must be 6 digits"),
        ],
    )
    remember_device = BooleanField("Remember this device for 30 days")


class RecoveryCodeForm(BaseForm):
    code = StringField(
        "Recovery code",
        filters=[_strip],
        validators=[
            DataRequired("Enter one of your recovery codes"),
            Regexp(
                r"^[A-Za-z0-9]{5}[\s-]?[A-Za-z0-9]{5}$",
                message="A recovery code is 10 letters and numbers, like abcde-23456",
            ),
        ],
    )


class ReauthForm(BaseForm):
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])
    code = StringField(
        "Security code",
        validators=[Regexp(r"^\s*(\d{3}\s?\d{3})?\s*$", message="The security code must be 6 digits")],
    )


class NewPasswordForm(BaseForm):
    password = PasswordField(
        "Create a password",
        validators=[DataRequired("Enter a password")],
        description="Use at least 12 characters. A few unrelated words together are easy to remember and hard to guess.",
    )
    confirm = PasswordField("Confirm password", validators=[DataRequired("Enter the password again")])

    def password_acceptable(self, *, email: str = "", name: str = "") -> bool:
        """Length and deny-list (portal.core.security), then the two copies must match; errors go on the fields."""
        problem = password_problem(self.password.data or "", email=email, name=name)
        if problem:
            self.password.errors.append(problem)
            return False
        if self.password.data != self.confirm.data:
            self.confirm.errors.append("The passwords do not match. Enter the same password twice")
            return False
        return True


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password")])


class ForgottenPasswordForm(BaseForm):
    email = EmailField(
        "Email address",
        filters=[_strip],
        validators=[
            DataRequired("Enter your email address"),
            Email("Enter an email address in the correct format, like name@example.org"),
        ],
    )


class InvitationForm(BaseForm):
    full_name = StringField("Full name", validators=[DataRequired("Enter the person's full name"), Length(max=200)])
    email = EmailField(
        "Email address",
        filters=[_strip],
        validators=[
            DataRequired("Enter the person's email address"),
            Email("Enter an email address in the correct format, like name@example.org"),
            Length(max=254),
        ],
    )


class PasskeyField(HiddenField):
    govuk_anchor = "passkey"  # the error summary links to the passkey button's group, not the hidden input


class PasskeyForm(BaseForm):
    """What navigator.credentials returned, as JSON; filled in by static/js/passkeys.js."""

    credential = PasskeyField(
        "Passkey", validators=[DataRequired("Passkeys need JavaScript. Turn it on, or use your password")]
    )
