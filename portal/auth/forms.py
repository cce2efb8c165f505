"""Sign-in, MFA, invitation and password forms: field-level checks only."""
from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, Regexp

from portal.core.forms import BaseForm


class SignInForm(BaseForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address"),
                                                   Email("Enter an email address in the correct format, like name@example.org")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class MfaCodeForm(BaseForm):
    code = StringField("Security code", validators=[
        DataRequired("Enter the 6-digit code from your authenticator app"),
        Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message="The security code must be 6 digits"),
    ])
    remember_device = BooleanField("Remember this device for 30 days")


class NewPasswordForm(BaseForm):
    password = PasswordField("Create a password", validators=[DataRequired("Enter a password")],
                             description="Use at least 12 characters. A few unrelated words together are easy to remember and hard to guess.")
    confirm = PasswordField("Confirm password", validators=[DataRequired("Enter the password again")])


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password")])


class ForgottenPasswordForm(BaseForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address"),
                                                   Email("Enter an email address in the correct format, like name@example.org")])


class InvitationForm(BaseForm):
    full_name = StringField("Full name", validators=[DataRequired("Enter the person's full name"), Length(max=200)])
    email = EmailField("Email address", validators=[DataRequired("Enter the person's email address"),
                                                   Email("Enter an email address in the correct format, like name@example.org"),
                                                   Length(max=254)])
