"""Forms for payment settings, rates, terms, holds, adjustments and marking a run paid: field-level checks only."""

from __future__ import annotations

from decimal import Decimal

from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.core.forms import BaseForm, DatePartsField, DecimalTextField, MoneyField, MonthField
from portal.payments.models import (
    BAND_RULE_LABELS,
    BASIS_LABELS,
    FREQUENCY_LABELS,
    RATE_KIND_LABELS,
    REGION_LABELS,
    TERM_KIND_LABELS,
)

_REQ = "Enter {}"


class SettingsForm(BaseForm):
    region = RadioField(
        "Region for the national minimum allowance",
        choices=list(REGION_LABELS.items()),
        validators=[InputRequired("Choose the region")],
    )
    frequency = RadioField(
        "How often carers are paid",
        choices=list(FREQUENCY_LABELS.items()),
        validators=[InputRequired("Choose how often carers are paid")],
    )
    first_period_start = DatePartsField("First pay period starts")
    band_rule = RadioField(
        "Age band in a birthday week",
        choices=list(BAND_RULE_LABELS.items()),
        validators=[InputRequired("Choose which age band applies in a birthday week")],
    )
    staying_put = BooleanField("Pay a Staying Put rate from the 18th birthday for Staying Put placements")
    pay_lag_days = IntegerField(
        "Days after the end of a period that payment reaches carers",
        validators=[
            InputRequired("Enter the number of days, like 5"),
            NumberRange(0, 30, "Enter a number of days from 0 to 30"),
        ],
    )
    lookback_days = IntegerField(
        "How far back late changes are adjusted (days)",
        validators=[
            InputRequired("Enter the number of days, like 182"),
            NumberRange(28, 731, "Enter a number of days from 28 to 731"),
        ],
    )


class RateForm(BaseForm):
    kind = SelectField("Kind of rate", choices=list(RATE_KIND_LABELS.items()))
    code = StringField("Code", validators=[InputRequired("Enter the code, like 5-10 or level_2"), Length(max=40)])
    label = StringField("Name carers see", validators=[Optional(), Length(max=120)])
    region = SelectField("Region (allowances only)", choices=[("", "Not by region"), *REGION_LABELS.items()])
    basis = SelectField("How it is paid", choices=list(BASIS_LABELS.items()))
    amount = MoneyField("Amount in pounds")
    allowance_weeks = DecimalTextField(
        "Weeks of allowance (extras only)",
        validators=[Optional(), Length(max=8)],
        places=2,
        minimum=Decimal("0.01"),
        maximum=10,
        what="the weeks",
        example="1 or 1.5",
    )
    due_day = IntegerField("Day due", validators=[Optional(), NumberRange(1, 31, "Enter a day from 1 to 31")])
    due_month = MonthField("Month due", validators=[Optional()])
    effective_from = DatePartsField("Applies from")
    effective_to = DatePartsField("Applies until (leave empty for until further notice)", required=False)
    source = TextAreaField("Source", validators=[InputRequired("Enter where the figure comes from"), Length(max=500)])

    def weeks_pct(self) -> int | None:
        """Weeks of allowance in hundredths (1.5 weeks -> 150), or None; call after validate()."""
        number = self.allowance_weeks.number
        return None if number is None else int(number * 100)


class TermForm(BaseForm):
    kind = SelectField("What to add", choices=list(TERM_KIND_LABELS.items()))
    code = SelectField("Rate", validate_choice=False)
    child_id = SelectField("Child (supplements and festivals)", validate_choice=False)
    effective_from = DatePartsField("From date")
    effective_to = DatePartsField("Until (leave empty for until further notice)", required=False)
    note = StringField("Note", validators=[Optional(), Length(max=300)])


class EndTermForm(BaseForm):
    ends_on = DatePartsField("Last day")


class HoldForm(BaseForm):
    line_key = HiddenField()
    hold_reason = TextAreaField(
        "Why is this line held?", validators=[InputRequired("Enter why the line is held"), Length(max=1000)]
    )


class AdjustmentForm(BaseForm):
    # Typed, not chosen from a select of every household (portal.people.lookups reads it back).
    household_id = StringField(
        "Household", description="Start typing the household's name or reference", validators=[Length(max=300)]
    )
    amount = MoneyField("Amount in pounds (use a minus sign to recover an overpayment, like -25.00)")
    reason = TextAreaField(
        "Reason (the carer sees it)", validators=[InputRequired("Enter the reason"), Length(max=1000)]
    )


class ConfirmForm(BaseForm):
    seen = HiddenField()


class EmptyForm(BaseForm):
    pass


class MarkPaidForm(BaseForm):
    paid_on = DatePartsField("Date paid", not_in_future=True)
    reference = StringField(
        "Payment reference", validators=[InputRequired("Enter the payment reference"), Length(max=60)]
    )
