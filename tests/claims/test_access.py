"""Who sees what: business support handle money, never children's logs or memory boxes; nobody approves their own."""

from __future__ import annotations

import pytest

from portal.auth.roles import Role
from portal.claims import decisions
from portal.claims.rules import Settings
from portal.claims.services import ClaimRefused
from portal.core.db import db
from portal.people.models import HouseholdMember
from tests.claims.conftest import make_claim
from tests.factories import make_user


def test_business_support_cannot_open_logs_or_memory_boxes(client, world):
    client.sign_in(world.support)
    assert client.get("/logs").status_code == 403
    memory_urls = [
        r.rule
        for r in client.application.url_map.iter_rules()
        if r.endpoint.startswith("memories.") and "GET" in r.methods and "<" not in r.rule
    ]
    for url in memory_urls:
        assert client.get(url).status_code in (403, 404), url
    child_memory = [
        r
        for r in client.application.url_map.iter_rules()
        if r.endpoint.startswith("memories.") and "<int:child_id>" in r.rule and "GET" in r.methods
    ]
    for rule in child_memory[:3]:
        url = rule.rule.replace("<int:child_id>", str(world.child.id))
        if "<" not in url:
            assert client.get(url).status_code in (403, 404), url


def test_business_support_see_sent_claims_but_not_carers_drafts(client, world):
    sent, draft = make_claim(world), make_claim(world, submit=False)
    client.sign_in(world.support)
    assert client.get(f"/claims/{sent.id}").status_code == 200
    assert client.get(f"/claims/{draft.id}").status_code == 404


def test_the_other_carer_of_a_household_sees_sent_claims_but_not_the_first_carers_drafts(client, world):
    partner = make_user(Role.CARER)
    db.session.add(HouseholdMember(household_id=world.household.id, user_id=partner.id))
    db.session.commit()
    sent, draft = make_claim(world), make_claim(world, submit=False)
    client.sign_in(partner)
    assert client.get(f"/claims/{sent.id}").status_code == 200
    assert client.get(f"/claims/{draft.id}").status_code == 404
    # Seen, but not theirs to change.
    assert client.get(f"/claims/{sent.id}/lines/new").status_code == 403


def test_no_one_approves_a_claim_they_made_themselves(world):
    staff_carer = make_user(Role.CARER, Role.BUSINESS_SUPPORT)
    db.session.add(HouseholdMember(household_id=world.household.id, user_id=staff_carer.id))
    db.session.commit()
    claim = make_claim(world, carer=staff_carer)
    with pytest.raises(ClaimRefused, match="claim you made"):
        decisions.approve_claim(staff_carer, claim, version=claim.version, rejected_lines={}, s=Settings())


def test_carers_cannot_reach_the_queue_or_batches(client, world):
    client.sign_in(world.carer)
    assert client.get("/claims/queue").status_code == 403
    assert client.get("/payment-batches").status_code == 403
    assert client.get("/claims/mileage-rates").status_code == 403
