"""Forms for claims, decisions, batches and mileage rates: field-level checks only (rules live in services)."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.claims.models import EXPENSE_CATEGORY_LABELS, PURPOSE_LABELS
from portal.claims.rates import RATE_KIND_LABELS, VEHICLE_LABELS
from portal.core.clock import today
from portal.core.forms import BaseForm, DatePartsField, DecimalTextField, MoneyField
from portal.core.inputs import coerce_id, id_or_none
from portal.core.money import parse_decimal

MAX_MILES = 1000


def parse_miles(text: str) -> int:
    """'12', '12.5', '7,3', '12.5 miles' -> tenths of a mile. Raises ValueError with a message for the person."""
    cleaned = (text or "").strip().lower().removesuffix("miles").removesuffix("mi").strip()
    number = parse_decimal(cleaned, places=1, what="the miles", example="12.5")
    tenths = int(number * 10)
    if tenths <= 0:
        raise ValueError("Enter the miles, more than 0")
    if tenths > MAX_MILES * 10:
        raise ValueError(f"A single journey must be {MAX_MILES:,} miles or fewer")
    return tenths


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _LineFields(BaseForm):
    idempotency_key = HiddenField()
    line_idempotency_key = HiddenField()
    line_date = DatePartsField("Date", not_in_future=True)
    children = MultiCheckboxField("Which child or children was it for?", coerce=str, validate_choice=False)

    def validate_children(self, field):
        valid = {v for v, _ in field.choices}
        if any(v not in valid for v in field.data or []):
            raise ValidationError("Select from the children placed with you")


class JourneyForm(_LineFields):
    vehicle = RadioField(
        "How did you travel?",
        choices=list(VEHICLE_LABELS.items()),
        validators=[DataRequired("Select how you travelled")],
    )
    from_place = StringField(
        "From",
        description="A place or postcode",
        validators=[DataRequired("Enter where the journey started"), Length(max=120)],
    )
    to_place = StringField(
        "To",
        description="A place or postcode",
        validators=[DataRequired("Enter where the journey went to"), Length(max=120)],
    )
    category = RadioField(
        "What was the journey for?",
        choices=list(PURPOSE_LABELS.items()),
        validators=[DataRequired("Select what the journey was for")],
    )
    miles = StringField("Miles (one way)", description="For example, 12.5")
    is_return = BooleanField("I came back the same way (a return journey: the miles are doubled)")
    passengers = IntegerField(
        "Passengers who are also claimable (optional)",
        default=0,
        validators=[Optional(), NumberRange(min=0, max=8, message="Enter a number from 0 to 8")],
    )
    note = TextAreaField("Anything else business support should know (optional)", validators=[Length(max=2000)])

    miles_tenths: int | None = None

    def validate_miles(self, field):
        try:
            self.miles_tenths = parse_miles(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class ExpenseForm(_LineFields):
    category = RadioField(
        "What was it for?",
        choices=list(EXPENSE_CATEGORY_LABELS.items()),
        validators=[DataRequired("Select what the expense was for")],
    )
    amount = MoneyField("Amount", validators=[InputRequired("Enter the amount")])
    note = TextAreaField("What did you buy? (optional)", validators=[Length(max=2000)])
    receipt = FileField("Receipt", description="Take a photo of the receipt, or choose a photo or PDF")

    def validate_amount(self, field):
        if field.pence is not None and field.pence <= 0:
            raise ValidationError("Enter an amount of more than £0")


class AllowanceForm(_LineFields):
    category = RadioField("What are you claiming for?", validators=[DataRequired("Select what you are claiming for")])
    amount = MoneyField("Amount", validators=[InputRequired("Enter the amount")])
    note = TextAreaField("Details (optional)", validators=[Length(max=2000)])

    def validate_amount(self, field):
        if field.pence is not None and field.pence <= 0:
            raise ValidationError("Enter an amount of more than £0")


class ChooseKindForm(BaseForm):
    class Meta:
        csrf = False

    kind = RadioField(
        "What do you want to claim?",
        choices=[
            ("mileage", "Mileage"),
            ("expense", "Expenses, with receipts"),
            ("allowance", "An allowance paid on request"),
        ],
        validators=[DataRequired("Select what you want to claim")],
    )


class SubmitForm(BaseForm):
    answer = TextAreaField("Your answer to business support", validators=[Length(max=5000)])


class EmptyForm(BaseForm):
    """A button that changes something: CSRF only."""


class DecisionForm(BaseForm):
    version = HiddenField()
    decision = RadioField(
        "Decision",
        choices=[("approve", "Approve"), ("reject", "Reject"), ("query", "Ask the carer a question")],
        validators=[DataRequired("Choose approve, reject or ask a question")],
    )
    reason = TextAreaField("Reason for rejecting", validators=[Length(max=5000)])
    question = TextAreaField("Your question for the carer", validators=[Length(max=5000)])


class OverrideForm(BaseForm):
    reason = TextAreaField(
        "Why may this claim be paid late?",
        validators=[DataRequired("Give the reason for allowing this claim"), Length(max=2000)],
    )


class QueueFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField("Claim number or carer", validators=[Optional(), Length(max=100)])
    status = SelectField(
        "Status",
        choices=[
            ("", "Waiting for a decision"),
            ("submitted", "Submitted"),
            ("second_approval", "Awaiting second approval"),
            ("queried", "Queried"),
            ("approved", "Approved, not yet in a batch"),
            ("rejected", "Rejected"),
            ("batched", "In a payment batch"),
            ("paid", "Paid"),
        ],
        validators=[Optional()],
    )
    kind = SelectField(
        "Kind",
        choices=[("", "Any kind"), ("mileage", "Mileage"), ("expense", "Expenses"), ("allowance", "Allowance")],
        validators=[Optional()],
    )
    locality = SelectField("Locality", coerce=str, validators=[Optional()])
    household = StringField("Household name or reference", validators=[Optional(), Length(max=100)])
    age = SelectField(
        "Age",
        choices=[
            ("", "Any age"),
            ("over_target", "Over the target"),
            ("5", "Older than 5 days"),
            ("30", "Older than 30 days"),
        ],
        validators=[Optional()],
    )


MAX_TICKED = 20_000  # ticks a batch form carries; "all approved claims" is the way to pay more at once


class BatchForm(BaseForm):
    """The batch form, a page of claims at a time: ticks made on other pages travel with it in `kept` (their ids,
    space-separated), so the batch is made in one submission from every tick, and nothing is stored before then."""

    scope = RadioField(
        "Which claims?",
        choices=[("selected", "The claims I have selected"), ("all", "All approved claims up to today")],
        validators=[DataRequired("Choose which claims to put in the batch")],
    )
    claim_ids = MultiCheckboxField("Approved claims", coerce=coerce_id, validate_choice=False)
    kept = HiddenField()

    def ticked(self) -> set[int]:
        """Every tick: this page's boxes and the ids kept from other pages (anything not an id is ignored)."""
        kept = {id_or_none(part) for part in (self.kept.data or "").split()[:MAX_TICKED]}
        return (kept | set(self.claim_ids.data or [])) - {None}

    def validate_claim_ids(self, field):
        if self.scope.data == "selected" and not self.ticked():
            raise ValidationError("Select at least one claim, or choose all approved claims")


class MarkPaidForm(BaseForm):
    paid_on = DatePartsField("Payment date", not_in_future=True)
    reference = StringField(
        "Payment reference",
        description="The reference from the finance system",
        validators=[DataRequired("Enter the payment reference"), Length(max=60)],
    )


class RateForm(BaseForm):
    vehicle = SelectField(
        "Applies to", choices=list(RATE_KIND_LABELS.items()), validators=[DataRequired("Select a vehicle")]
    )
    effective_from = DatePartsField("Applies from")
    effective_to = DatePartsField("Applies until (optional)", required=False)
    pence_per_mile = DecimalTextField(
        "Pence per mile",
        validators=[InputRequired("Enter the pence per mile")],
        minimum=0,
        maximum=500,
        what="the pence per mile",
        example="55",
    )
    threshold_miles = DecimalTextField(
        "Miles in a tax year at this rate (optional)",
        minimum=1,
        maximum=1_000_000,
        what="the miles",
        example="10,000",
    )
    pence_after_threshold = DecimalTextField(
        "Pence per mile after that (optional)", minimum=0, maximum=500, what="the pence per mile", example="25"
    )
    source = StringField(
        "Source",
        description="For example, HMRC approved mileage rates, GOV.UK, April 2026",
        validators=[DataRequired("Say where this rate comes from"), Length(max=300)],
    )
    announced_on = DatePartsField("Date the change was announced (optional)", required=False)

    def validate_announced_on(self, field):
        if field.data and field.data > today():
            raise ValidationError("The date it was announced must be today or in the past")

    def validate_effective_to(self, field):
        if field.data and self.effective_from.data and field.data < self.effective_from.data:
            raise ValidationError("The end date must be on or after the start date")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        after, threshold = self.pence_after_threshold, self.threshold_miles
        if not after.errors and not threshold.errors and (after.number is None) != (threshold.number is None):
            # Optional() stops a field's own checks when it is empty, so the pair is checked here.
            after.errors = list(after.errors) + ["Enter both the miles threshold and the rate after it, or neither"]
            return False
        return ok
