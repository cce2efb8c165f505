"""The passkey service against real WebAuthn verification: a software authenticator signs, `webauthn` checks."""

import json
from datetime import timedelta

import pytest

from portal.auth import passkeys
from portal.auth.models import Passkey, PasskeyChallenge
from portal.auth.roles import Role
from portal.core.db import db, utcnow
from tests.auth.authenticator import SoftAuthenticator, unb64url
from tests.factories import make_user

RP = passkeys.relying_party("http://localhost:5000", "Hearth")


def _registered(user, authenticator=None, name="My phone"):
    authenticator = authenticator or SoftAuthenticator()
    challenge_id, options = passkeys.registration_options(user, RP)
    passkey = passkeys.register(user, RP, challenge_id, authenticator.create(options), name)
    db.session.commit()
    return authenticator, passkey


def test_the_relying_party_is_the_host_of_base_url():
    rp = passkeys.relying_party("https://hearth.northshire.gov.uk", "Hearth")
    assert (rp.id, rp.origin) == ("hearth.northshire.gov.uk", "https://hearth.northshire.gov.uk")
    assert passkeys.relying_party("http://localhost:5000", "Hearth").origin == "http://localhost:5000"


def test_registration_keeps_a_discoverable_passkey_with_its_key_and_transports(app):
    carer = make_user(Role.CARER)
    challenge_id, options = passkeys.registration_options(carer, RP)
    parsed = json.loads(options)
    assert parsed["rp"] == {"id": "localhost", "name": "Hearth"}
    assert parsed["authenticatorSelection"]["residentKey"] == "required"
    assert carer.email == parsed["user"]["name"]
    assert len(unb64url(parsed["user"]["id"])) == 32  # a random handle, never the database id or the email
    authenticator = SoftAuthenticator()
    passkey = passkeys.register(carer, RP, challenge_id, authenticator.create(options), "  My   phone ")
    db.session.commit()
    assert passkey.name == "My phone" and passkey.transport_list == ["internal", "hybrid"]
    assert passkey.credential_id == authenticator.credentials[0].id and passkey.sign_count == 0
    assert carer.has_passkey and carer.has_second_factor
    assert db.session.get(PasskeyChallenge, challenge_id) is None  # used up


def test_a_second_passkey_shares_the_account_handle_and_the_first_is_excluded(app):
    carer = make_user(Role.CARER)
    phone, first = _registered(carer)
    challenge_id, options = passkeys.registration_options(carer, RP)
    assert [unb64url(c["id"]) for c in json.loads(options)["excludeCredentials"]] == [first.credential_id]
    with pytest.raises(ValueError, match="InvalidStateError"):
        phone.create(options)  # the same phone will not make a second one
    _, second = _registered(carer, SoftAuthenticator(), name="Laptop")
    assert second.user_handle == first.user_handle and len(carer.passkeys) == 2


def test_a_registration_from_another_site_is_refused(app):
    carer = make_user(Role.CARER)
    challenge_id, options = passkeys.registration_options(carer, RP)
    answer = SoftAuthenticator(origin="https://evil.example").create(options)
    with pytest.raises(passkeys.PasskeyError, match="could not be checked"):
        passkeys.register(carer, RP, challenge_id, answer, "Phone")
    assert not db.session.query(Passkey).count()


def test_a_challenge_is_used_once_and_only_for_its_purpose_and_person(app):
    carer, other = make_user(Role.CARER), make_user(Role.CARER)
    authenticator, _ = _registered(carer)
    challenge_id, options = passkeys.authentication_options(RP, "second_factor", carer)
    answer = authenticator.get(options)
    with pytest.raises(passkeys.PasskeyError, match="expired"):
        passkeys.authenticate(RP, "sign_in", challenge_id, answer)  # wrong purpose: the challenge is spent too
    challenge_id, options = passkeys.authentication_options(RP, "second_factor", carer)
    with pytest.raises(passkeys.PasskeyError, match="expired"):
        passkeys.authenticate(RP, "second_factor", challenge_id, authenticator.get(options), user=other)
    challenge_id, options = passkeys.authentication_options(RP, "second_factor", carer)
    answer = authenticator.get(options)
    assert passkeys.authenticate(RP, "second_factor", challenge_id, answer, user=carer).user_id == carer.id
    with pytest.raises(passkeys.PasskeyError, match="expired"):
        passkeys.authenticate(RP, "second_factor", challenge_id, answer, user=carer)


def test_an_expired_challenge_is_refused(app):
    carer = make_user(Role.CARER)
    authenticator, _ = _registered(carer)
    challenge_id, options = passkeys.authentication_options(RP, "sign_in")
    db.session.get(PasskeyChallenge, challenge_id).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(passkeys.PasskeyError, match="expired"):
        passkeys.authenticate(RP, "sign_in", challenge_id, authenticator.get(options))


def test_signing_in_without_a_password_needs_the_authenticator_to_verify_the_person(app):
    carer = make_user(Role.CARER)
    authenticator, passkey = _registered(carer)
    challenge_id, options = passkeys.authentication_options(RP, "sign_in")
    parsed = json.loads(options)
    assert parsed["allowCredentials"] == [] and parsed["userVerification"] == "required"
    authenticator.verifies_user = False
    with pytest.raises(passkeys.PasskeyError):
        passkeys.authenticate(RP, "sign_in", challenge_id, authenticator.get(options))
    authenticator.verifies_user = True
    challenge_id, options = passkeys.authentication_options(RP, "sign_in")
    assert passkeys.authenticate(RP, "sign_in", challenge_id, authenticator.get(options)) == passkey
    assert passkey.sign_count == 2 and passkey.last_used_at is not None  # the refused use counted on the device


def test_a_second_factor_offers_only_the_persons_own_passkeys_and_refuses_anothers(app):
    carer, other = make_user(Role.CARER), make_user(Role.CARER)
    _, mine = _registered(carer)
    theirs, _ = _registered(other)
    challenge_id, options = passkeys.authentication_options(RP, "second_factor", carer)
    assert [unb64url(c["id"]) for c in json.loads(options)["allowCredentials"]] == [mine.credential_id]
    answer = theirs.get(options, credential=theirs.credentials[0])
    with pytest.raises(passkeys.PasskeyError, match="not saved for your account"):
        passkeys.authenticate(RP, "second_factor", challenge_id, answer, user=carer)


def test_a_cloned_authenticator_is_caught_by_its_counter(app):
    carer = make_user(Role.CARER)
    authenticator, passkey = _registered(carer)
    challenge_id, options = passkeys.authentication_options(RP, "sign_in")
    passkeys.authenticate(RP, "sign_in", challenge_id, authenticator.get(options, sign_count_step=5))
    challenge_id, options = passkeys.authentication_options(RP, "sign_in")
    with pytest.raises(passkeys.PasskeyError):
        passkeys.authenticate(RP, "sign_in", challenge_id, authenticator.get(options, sign_count_step=-2))
    assert passkey.sign_count == 5


def test_a_tampered_signature_and_rubbish_are_refused(app):
    carer = make_user(Role.CARER)
    authenticator, _ = _registered(carer)
    challenge_id, options = passkeys.authentication_options(RP, "sign_in")
    answer = json.loads(authenticator.get(options))
    answer["response"]["signature"] = answer["response"]["signature"][:-4] + "AAAA"
    with pytest.raises(passkeys.PasskeyError, match="could not be checked"):
        passkeys.authenticate(RP, "sign_in", challenge_id, json.dumps(answer))
    for rubbish in ("", "not json", "[]", '{"response": 3}', '{"id": "%%%", "response": {}}'):
        challenge_id, _ = passkeys.authentication_options(RP, "sign_in")
        with pytest.raises(passkeys.PasskeyError):
            passkeys.authenticate(RP, "sign_in", challenge_id, rubbish)


def test_a_disabled_persons_passkey_does_not_sign_in(app):
    carer = make_user(Role.CARER)
    authenticator, _ = _registered(carer)
    carer.is_active = False
    db.session.commit()
    challenge_id, options = passkeys.authentication_options(RP, "sign_in")
    with pytest.raises(passkeys.PasskeyError):
        passkeys.authenticate(RP, "sign_in", challenge_id, authenticator.get(options))
