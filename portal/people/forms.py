"""Forms for areas, households, children and placements: field-level checks; the rules live in services."""

from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.core.forms import BaseForm, DatePartsField
from portal.people.models import CARER_TYPE_LABELS, HOUSEHOLD_STATUS_LABELS, PLACEMENT_TYPE_LABELS


def optional_int(value) -> int | None:
    if value in (None, ""):
        return None
    return int(value)


class ChoiceField(SelectField):
    """A select whose choices the view fills; a value that is not on the list gets a kind message, not a 500."""

    def __init__(self, label=None, validators=None, *, message: str, **kwargs):
        kwargs.setdefault("coerce", optional_int)
        super().__init__(label, validators, invalid_value_message=message, invalid_choice_message=message, **kwargs)


class PersonField(SelectField):
    """A person chosen from a short select or typed when there are many (portal.people.routes.choosing sets it up
    and reads it back into `.resolved`); `message` is shown for a choice that is not on the list."""

    typed = False
    lookup_url = ""
    resolved: int | None = None

    def __init__(self, label=None, validators=None, *, message: str, **kwargs):
        kwargs.setdefault("coerce", str)
        super().__init__(label, [*(validators or []), Length(max=300)], validate_choice=False, **kwargs)
        self.not_listed = message

    def process_data(self, value):
        self.data = value  # an id from the record is kept as it is until the view knows how to show it


def _required(message: str) -> list:
    return [InputRequired(message)]


class LocalityForm(BaseForm):
    name = StringField(
        "Name of the area",
        validators=[
            DataRequired("Enter the name of the area"),
            Length(max=100, message="The name must be 100 characters or fewer"),
        ],
    )


class HouseholdForm(BaseForm):
    name = StringField(
        "Household name",
        description="How the household is known, for example Patel household",
        validators=[
            DataRequired("Enter the household's name"),
            Length(max=200, message="The name must be 200 characters or fewer"),
        ],
    )
    reference = StringField(
        "Reference",
        description="The household's reference in the case-management system",
        validators=[
            DataRequired("Enter the household's reference"),
            Length(max=40, message="The reference must be 40 characters or fewer"),
        ],
    )
    carer_1 = PersonField(
        "First carer", _required("Choose the household's carer"), message="Choose a carer from the list"
    )
    carer_2 = PersonField("Second carer (if there is one)", [Optional()], message="Choose a carer from the list")
    carer_type = ChoiceField(
        "Type of fostering",
        _required("Choose the type of fostering"),
        coerce=str,
        choices=[("", "Choose the type of fostering"), *((k.value, v) for k, v in CARER_TYPE_LABELS.items())],
        message="Choose the type of fostering from the list",
    )
    locality_id = ChoiceField(
        "Area", _required("Choose the area the household lives in"), message="Choose an area from the list"
    )
    approval_date = DatePartsField("Approval date", required=False, not_in_future=True)
    ssw_id = PersonField(
        "Supervising social worker", [Optional()], message="Choose a supervising social worker from the list"
    )

    def carer_ids(self) -> list[int]:
        return [i for i in (self.carer_1.resolved, self.carer_2.resolved) if i]


class ChangeHouseholdForm(HouseholdForm):
    status = ChoiceField(
        "Status",
        _required("Choose the household's status"),
        coerce=str,
        choices=[(k.value, v) for k, v in HOUSEHOLD_STATUS_LABELS.items()],
        message="Choose the household's status",
    )
    status_reason = TextAreaField(
        "Reason for putting the household on hold",
        description="Needed when you put the household on hold. Only admins and the supervising social worker see it.",
        validators=[Length(max=500, message="The reason must be 500 characters or fewer")],
    )


class ChildForm(BaseForm):
    first_name = StringField(
        "First name",
        validators=[
            DataRequired("Enter the child's first name"),
            Length(max=100, message="The first name must be 100 characters or fewer"),
        ],
    )
    last_name = StringField(
        "Last name",
        validators=[
            DataRequired("Enter the child's last name"),
            Length(max=100, message="The last name must be 100 characters or fewer"),
        ],
    )
    preferred_name = StringField(
        "Preferred name (optional)",
        description="The name the child likes to be called, if different",
        validators=[Length(max=100, message="The preferred name must be 100 characters or fewer")],
    )
    date_of_birth = DatePartsField("Date of birth", not_in_future=True)
    case_reference = StringField(
        "Case reference",
        validators=[
            DataRequired("Enter the child's case reference"),
            Length(max=40, message="The case reference must be 40 characters or fewer"),
        ],
    )
    social_worker_id = PersonField(
        "Child's social worker", [Optional()], message="Choose a social worker from the list"
    )
    young_person_user_id = PersonField(
        "Young person's own account (optional)",
        [Optional()],
        description="Link the account the young person signs in with, once they have one",
        message="Choose an account from the list",
    )


class PlacementForm(BaseForm):
    # Typed, not chosen from a select of every household: the view reads it back (portal.people.lookups).
    household_id = StringField(
        "Household",
        [InputRequired("Enter the household the child lives with"), Length(max=300)],
        description="Start typing the household's name or reference",
    )
    placement_type = ChoiceField(
        "Type of placement",
        _required("Choose the type of placement"),
        coerce=str,
        choices=[("", "Choose the type of placement"), *((k.value, v) for k, v in PLACEMENT_TYPE_LABELS.items())],
        message="Choose the type of placement from the list",
    )
    start_date = DatePartsField("Start date")
    end_date = DatePartsField(
        "End date",
        required=False,
        description="Leave blank while the child lives there. The end date is the day the child moved out",
    )


class EndPlacementForm(BaseForm):
    end_date = DatePartsField("Date the child moved out", not_in_future=True)


class HouseholdFilterForm(BaseForm):
    """The filters above the household list: sent by GET, so a filtered list can be bookmarked or shared."""

    class Meta:
        csrf = False

    q = StringField("Search by name or reference", validators=[Length(max=100)])
    locality = ChoiceField("Area", [Optional()], message="Choose an area from the list")
    status = ChoiceField(
        "Status",
        [Optional()],
        coerce=str,
        choices=[("", "Any status"), *((k.value, v) for k, v in HOUSEHOLD_STATUS_LABELS.items())],
        message="Choose a status from the list",
    )
    carer_type = ChoiceField(
        "Type of fostering",
        [Optional()],
        coerce=str,
        choices=[("", "Any type"), *((k.value, v) for k, v in CARER_TYPE_LABELS.items())],
        message="Choose a type from the list",
    )


class ChildSearchForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField("Search by name or case reference", validators=[Length(max=100)])
