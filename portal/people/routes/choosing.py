"""People fields on the admin's household and child forms: a select while there are few to choose from, typed with
a type-ahead once there are many (portal.people.lookups), read back the same way either way."""

from __future__ import annotations

from collections.abc import Iterable

from flask import g, url_for
from sqlalchemy import select

from portal.auth.models import User
from portal.core.db import db
from portal.people.lookups import NoSuchPerson, candidate_people, person_label, resolve_person

SHORT_LIST = 20  # people in a select; more than this and the person is typed instead


def offer_people(field, kind: str, blank: str, **scope) -> None:
    """Sets up `field` (portal.people.forms.PersonField) to offer the candidates of `kind`: `field.typed` says
    whether it is a type-ahead; a select gets at most SHORT_LIST choices. A chosen id becomes what the field shows."""
    few = _people_on_offer(kind, **scope)
    field.typed = len(few) > SHORT_LIST
    field.choices = [("", blank), *((str(u.id), person_label(u)) for u in few[:SHORT_LIST])]
    field.lookup_url = url_for(
        "people.suggest_people",
        kind=kind,
        household=scope.get("household_id") or None,
        child=scope.get("child_id") or None,
    )
    if isinstance(field.data, int):  # the current value, from the record being changed
        chosen = db.session.scalar(select(User).where(User.id == field.data))
        field.data = person_label(chosen) if chosen and field.typed else str(field.data)


def _people_on_offer(kind: str, **scope) -> list:
    """The first SHORT_LIST + 1 candidates by name, read once a request for each kind and scope (a household's two
    carer fields offer the same people: finding carers in no household reads every carer once, not twice)."""
    key = (kind, tuple(sorted(scope.items())))
    offered = g.setdefault("people_on_offer", {})
    if key not in offered:
        # Plain rows, not User objects: reloading the signed-in person among them would make them forget their
        # roles (portal.auth.models), and the page would ask for them again.
        stmt = candidate_people(kind, **scope).with_only_columns(User.id, User.full_name, User.email)
        offered[key] = db.session.execute(stmt.order_by(User.full_name, User.id).limit(SHORT_LIST + 1)).all()
    return offered[key]


def read_person(field, kind: str, **scope) -> bool:
    """Reads the field back into `field.resolved` (a user id or None); False with a message beside it if unclear."""
    field.resolved = None
    try:
        person = resolve_person(kind, field.data, **scope)
    except NoSuchPerson as exc:
        field.errors = [*field.errors, field.not_listed if str(exc) == "not on the list" else str(exc)]
        return False
    if person is not None:
        field.resolved = person.id
        field.data = person_label(person) if field.typed else str(person.id)
    return True


def valid_with_people(form, fields: Iterable[tuple[object, str]], **scope) -> bool:
    """Submitted, every field of `form` valid and each (PersonField, kind) of `fields` read back (`read_person`, with
    `scope` for the kinds that use it): every check runs, so all the problems are shown together."""
    if not form.is_submitted():
        return False
    valid = form.validate()
    found = [read_person(field, kind, **scope) for field, kind in fields]
    return valid and all(found)
