"""Matrix rows for the information hub: pages (and their offline copies), the admin's editing, team contacts, staff
contact details, newsletters and search. Hub objects belong to nobody's household: "own" and "other" are two
pages (owned by the matrix's admin and SSW), two contacts, two newsletters."""

from __future__ import annotations

from portal.auth.roles import STAFF_ROLES, Role
from tests.security.matrix import ANY_SIGNED_IN, Case

EVERYONE = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})
STAFF = frozenset(STAFF_ROLES)
PAGE_OWNERS = frozenset(
    {Role.ADMIN, Role.SSW, Role.BUSINESS_SUPPORT, Role.TRAINING_COORDINATOR, Role.MENTORING_COORDINATOR}
)
MISSING = 987654


def _hub(world):
    import io

    from flask import current_app

    from portal.core.db import db
    from portal.core.pdf import Document
    from portal.core.unit_of_work import unit_of_work
    from portal.hub.models import TeamContact
    from portal.hub.services import add_newsletter
    from tests.hub.helpers import make_page
    from tests.jobs import drain_jobs

    admin, ssw = world.users[Role.ADMIN], world.users[Role.SSW]
    world.extra["page_a"] = make_page("Handbook", admin=admin, owner=ssw).id
    world.extra["page_b"] = make_page("Allowances", admin=admin, owner=admin).id
    with unit_of_work():
        contacts = [TeamContact(name=n, phone="01234 567890") for n in ("Fostering team", "Out of hours")]
        db.session.add_all(contacts)
    world.extra["contact_a"], world.extra["contact_b"] = contacts[0].id, contacts[1].id
    for key in ("a", "b"):
        doc = Document(title=f"News {key}")
        doc.add_page()
        doc.para("News")
        letter = add_newsletter(
            admin,
            io.BytesIO(bytes(doc.output())),
            "news.pdf",
            title=f"News {key}",
            issue_date=world.placement_a.start_date,
            summary="News",
        )
        world.extra[f"news_{key}"] = letter.id
    drain_jobs(current_app._get_current_object())


def _obj(name):
    return lambda w, which: {"own": w.extra.get(f"{name}_a"), "other": w.extra.get(f"{name}_b")}.get(which, MISSING)


_page, _contact, _news = _obj("page"), _obj("contact"), _obj("news")
PAGE_FORM = {"title": "Changed", "section": "faqs", "review_every_months": "12", "position": "1"}

CASES = [
    Case("hub.list_information", lambda w, _: "/information", ANY_SIGNED_IN),
    Case("hub.list_information_offline_copy", lambda w, _: "/information/offline-copy", ANY_SIGNED_IN),
    Case(
        "hub.show_page",
        lambda w, which: f"/information/{_page(w, which)}",
        ANY_SIGNED_IN,
        has_object=True,
        setup=_hub,
        sees_other=EVERYONE,
    ),
    Case(
        "hub.show_page_offline_copy",
        lambda w, which: f"/information/{_page(w, which)}/offline-copy",
        ANY_SIGNED_IN,
        has_object=True,
        setup=_hub,
        sees_other=EVERYONE,
    ),
    Case("hub.manage_information", lambda w, _: "/information/manage", ADMIN),
    Case("hub.create_page", lambda w, _: "/information/new", ADMIN),
    Case("hub.create_page", lambda w, _: "/information/new", ADMIN, method="POST", data=PAGE_FORM),
    Case(
        "hub.edit_page",
        lambda w, which: f"/information/{_page(w, which)}/edit",
        ADMIN,
        has_object=True,
        setup=_hub,
        sees_other=ADMIN,
    ),
    Case(
        "hub.edit_page",
        lambda w, which: f"/information/{_page(w, which)}/edit",
        ADMIN,
        method="POST",
        has_object=True,
        setup=_hub,
        sees_other=ADMIN,
        data=PAGE_FORM,
    ),
    Case(
        "hub.mark_page_reviewed",
        lambda w, which: f"/information/{_page(w, which)}/reviewed",
        PAGE_OWNERS,
        method="POST",
        has_object=True,
        setup=_hub,
        sees_other=ADMIN,
        own_hidden_from=PAGE_OWNERS - {Role.ADMIN, Role.SSW},
    ),
    Case("hub.list_team_contacts", lambda w, _: "/information/contacts", ADMIN),
    Case("hub.create_team_contact", lambda w, _: "/information/contacts/new", ADMIN),
    Case(
        "hub.create_team_contact",
        lambda w, _: "/information/contacts/new",
        ADMIN,
        method="POST",
        data={"name": "Training team", "phone": "01234 000000", "position": "2"},
    ),
    Case(
        "hub.edit_team_contact",
        lambda w, which: f"/information/contacts/{_contact(w, which)}",
        ADMIN,
        has_object=True,
        setup=_hub,
        sees_other=ADMIN,
    ),
    Case(
        "hub.edit_team_contact",
        lambda w, which: f"/information/contacts/{_contact(w, which)}",
        ADMIN,
        method="POST",
        has_object=True,
        setup=_hub,
        sees_other=ADMIN,
        data={"name": "Renamed", "phone": "01234 000000", "position": "1"},
    ),
    Case("hub.change_my_contact_details", lambda w, _: "/account/contact-details", STAFF),
    Case(
        "hub.change_my_contact_details",
        lambda w, _: "/account/contact-details",
        STAFF,
        method="POST",
        data={"phone": "01234 111111"},
    ),
    Case("hub.list_newsletters", lambda w, _: "/newsletters", ANY_SIGNED_IN),
    Case(
        "hub.download_newsletter",
        lambda w, which: f"/newsletters/{_news(w, which)}/file",
        ANY_SIGNED_IN,
        has_object=True,
        setup=_hub,
        sees_other=EVERYONE,
    ),
    Case("hub.add_newsletter", lambda w, _: "/newsletters/new", ADMIN),
    Case("hub.add_newsletter", lambda w, _: "/newsletters/new", ADMIN, method="POST", data={"title": "No file"}),
    Case("hub.search_everything", lambda w, _: "/search?q=handbook", ANY_SIGNED_IN),
]
