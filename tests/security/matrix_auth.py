"""Matrix rows for sign-in, security codes, sign-out, emailed links and the signed-in person's own account."""

from tests.security.matrix import ANY_SIGNED_IN, MISSING_ID, PUBLIC, Case

BAD_TOKEN = "not-a-real-token"
LINK_STATUSES = (200, 302, 410)  # an unknown token answers 410 Gone with a way forward

CASES = [
    Case("auth.sign_in", lambda w, _: "/sign-in", PUBLIC),
    Case(
        "auth.sign_in",
        lambda w, _: "/sign-in",
        PUBLIC,
        method="POST",
        data={"email": "nobody@matrix.test", "password": "wrong password"},
        ok_statuses=(200, 302, 401),
    ),
    Case("auth.verify_mfa", lambda w, _: "/sign-in/security-code", ANY_SIGNED_IN),
    Case(
        "auth.verify_mfa", lambda w, _: "/sign-in/security-code", ANY_SIGNED_IN, method="POST", data={"code": "000000"}
    ),
    Case("auth.set_up_mfa", lambda w, _: "/sign-in/set-up-security-codes", ANY_SIGNED_IN),
    Case(
        "auth.set_up_mfa",
        lambda w, _: "/sign-in/set-up-security-codes",
        ANY_SIGNED_IN,
        method="POST",
        data={"code": "000000"},
    ),
    Case("auth.use_recovery_code", lambda w, _: "/sign-in/recovery-code", ANY_SIGNED_IN),
    Case(
        "auth.use_recovery_code",
        lambda w, _: "/sign-in/recovery-code",
        ANY_SIGNED_IN,
        method="POST",
        data={"code": "abcde-23456"},
    ),
    Case("auth.passkey_sign_in_options", lambda w, _: "/sign-in/passkey/options", PUBLIC, method="POST"),
    Case(
        "auth.sign_in_with_passkey",
        lambda w, _: "/sign-in/passkey",
        PUBLIC,
        method="POST",
        data={"credential": ""},
        ok_statuses=(200, 302, 400),
    ),
    Case(
        "auth.passkey_second_factor_options",
        lambda w, _: "/sign-in/security-code/passkey/options",
        ANY_SIGNED_IN,
        method="POST",
    ),
    Case(
        "auth.verify_mfa_with_passkey",
        lambda w, _: "/sign-in/security-code/passkey",
        ANY_SIGNED_IN,
        method="POST",
        data={"credential": "{}"},
    ),
    Case("auth.sign_out", lambda w, _: "/sign-out", ANY_SIGNED_IN, method="POST"),
    Case("auth.signed_out", lambda w, _: "/signed-out", PUBLIC),
    Case("auth.forgotten_password", lambda w, _: "/forgotten-password", PUBLIC),
    Case(
        "auth.forgotten_password",
        lambda w, _: "/forgotten-password",
        PUBLIC,
        method="POST",
        data={"email": "nobody@matrix.test"},
    ),
    Case("auth.check_email", lambda w, _: "/forgotten-password/check-your-email", PUBLIC),
    Case("auth.accept_invitation", lambda w, _: f"/invitation/{BAD_TOKEN}", PUBLIC, ok_statuses=LINK_STATUSES),
    Case(
        "auth.accept_invitation",
        lambda w, _: f"/invitation/{BAD_TOKEN}",
        PUBLIC,
        method="POST",
        data={"password": "a long enough passphrase", "confirm": "a long enough passphrase"},
        ok_statuses=LINK_STATUSES,
    ),
    Case("auth.reset_password", lambda w, _: f"/reset-password/{BAD_TOKEN}", PUBLIC, ok_statuses=LINK_STATUSES),
    Case(
        "auth.reset_password",
        lambda w, _: f"/reset-password/{BAD_TOKEN}",
        PUBLIC,
        method="POST",
        data={"password": "a long enough passphrase", "confirm": "a long enough passphrase"},
        ok_statuses=LINK_STATUSES,
    ),
    Case("account.show_account", lambda w, _: "/account", ANY_SIGNED_IN),
    Case("account.reauthenticate", lambda w, _: "/account/confirm-its-you", ANY_SIGNED_IN),
    Case(
        "account.reauthenticate",
        lambda w, _: "/account/confirm-its-you",
        ANY_SIGNED_IN,
        method="POST",
        data={"password": "not the password", "code": "000000"},
    ),
    Case(
        "account.reauthenticate_with_passkey",
        lambda w, _: "/account/confirm-its-you/passkey",
        ANY_SIGNED_IN,
        method="POST",
        data={"credential": "{}"},
        ok_statuses=(200, 302, 400),
    ),
    Case(
        "account.reauth_options", lambda w, _: "/account/confirm-its-you/passkey/options", ANY_SIGNED_IN, method="POST"
    ),
    Case("account.change_email", lambda w, _: "/account/change-email", ANY_SIGNED_IN),
    Case(
        "account.change_email",
        lambda w, _: "/account/change-email",
        ANY_SIGNED_IN,
        method="POST",
        data={"email": "new-address@matrix.example.org"},
        ok_statuses=(200, 302, 400),
    ),
    Case(
        "account.confirm_email_change",
        lambda w, _: f"/account/confirm-email/{BAD_TOKEN}",
        ANY_SIGNED_IN,
        ok_statuses=LINK_STATUSES,
    ),
    Case(
        "account.confirm_email_change",
        lambda w, _: f"/account/confirm-email/{BAD_TOKEN}",
        ANY_SIGNED_IN,
        method="POST",
        ok_statuses=LINK_STATUSES,
    ),
    Case("account.recovery_codes", lambda w, _: "/account/recovery-codes", ANY_SIGNED_IN),
    Case("account.recovery_codes", lambda w, _: "/account/recovery-codes", ANY_SIGNED_IN, method="POST"),
    Case("account.change_password", lambda w, _: "/account/change-password", ANY_SIGNED_IN),
    Case(
        "account.change_password",
        lambda w, _: "/account/change-password",
        ANY_SIGNED_IN,
        method="POST",
        data={
            "current_password": "not the password",
            "password": "a long enough passphrase",
            "confirm": "a long enough passphrase",
        },
    ),
    Case("account.turn_off_mfa", lambda w, _: "/account/turn-off-security-codes", ANY_SIGNED_IN),
    Case(
        "account.turn_off_mfa",
        lambda w, _: "/account/turn-off-security-codes",
        ANY_SIGNED_IN,
        method="POST",
    ),
    Case(
        "account.forget_device",
        lambda w, _: "/account/forget-device",
        ANY_SIGNED_IN,
        method="POST",
        data={"device_id": str(MISSING_ID)},
    ),
    Case("account.forget_all_devices", lambda w, _: "/account/forget-all-devices", ANY_SIGNED_IN, method="POST"),
    Case(
        "account.sign_out_other_devices", lambda w, _: "/account/sign-out-other-devices", ANY_SIGNED_IN, method="POST"
    ),
    # Passkeys belong to the person: another's (or a missing) id answers like an already removed one.
    Case("account.add_passkey", lambda w, _: "/account/passkeys/add", ANY_SIGNED_IN),
    Case(
        "account.add_passkey",
        lambda w, _: "/account/passkeys/add",
        ANY_SIGNED_IN,
        method="POST",
        data={"name": "Phone", "credential": "{}"},
    ),
    Case("account.add_passkey_options", lambda w, _: "/account/passkeys/add/options", ANY_SIGNED_IN, method="POST"),
    Case("account.rename_passkey", lambda w, _: f"/account/passkeys/{MISSING_ID}/rename", ANY_SIGNED_IN),
    Case(
        "account.rename_passkey",
        lambda w, _: f"/account/passkeys/{MISSING_ID}/rename",
        ANY_SIGNED_IN,
        method="POST",
        data={"name": "Phone"},
    ),
    Case("account.remove_passkey", lambda w, _: f"/account/passkeys/{MISSING_ID}/remove", ANY_SIGNED_IN),
    Case(
        "account.remove_passkey",
        lambda w, _: f"/account/passkeys/{MISSING_ID}/remove",
        ANY_SIGNED_IN,
        method="POST",
    ),
]

CASES += [
    Case("account.notice_preferences", lambda w, _: "/account/notifications", ANY_SIGNED_IN),
    Case("account.notice_preferences", lambda w, _: "/account/notifications", ANY_SIGNED_IN, method="POST"),
]
