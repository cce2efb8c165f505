"""A software passkey authenticator (P-256, "none" attestation) that answers WebAuthn options as a browser would.

It builds real authenticator data, COSE keys and ECDSA signatures with `cryptography`, so the server's `webauthn`
verification runs unchanged. Its answers are the JSON a browser's PublicKeyCredential.toJSON() gives.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

ORIGIN = "http://localhost:5000"  # the test app's default BASE_URL
UP, UV, AT = 0x01, 0x04, 0x40


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class StoredCredential:
    id: bytes
    key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0


class SoftAuthenticator:
    """Holds discoverable credentials, like a phone's passkey store. `verifies_user` is the PIN/biometric check."""

    def __init__(self, *, verifies_user: bool = True, origin: str = ORIGIN):
        self.credentials: list[StoredCredential] = []
        self.verifies_user = verifies_user
        self.origin = origin

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}).encode()

    def _flags(self) -> int:
        return UP | (UV if self.verifies_user else 0)

    def create(self, options: dict | str) -> str:
        """The credential JSON answering registration options (as sent by the server)."""
        options = json.loads(options) if isinstance(options, str) else options
        rp_id = options["rp"]["id"]
        excluded = {unb64url(c["id"]) for c in options.get("excludeCredentials", [])}
        if any(c.id in excluded for c in self.credentials):
            raise ValueError("InvalidStateError: this authenticator already holds a credential for the account")
        cred = StoredCredential(
            id=secrets.token_bytes(32),
            key=ec.generate_private_key(ec.SECP256R1()),
            rp_id=rp_id,
            user_handle=unb64url(options["user"]["id"]),
        )
        self.credentials.append(cred)
        numbers = cred.key.public_key().public_numbers()
        cose_key = cbor2.dumps(
            {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        )
        auth_data = (
            hashlib.sha256(rp_id.encode()).digest()
            + bytes([self._flags() | AT])
            + struct.pack(">I", cred.sign_count)
            + bytes(16)  # AAGUID
            + struct.pack(">H", len(cred.id))
            + cred.id
            + cose_key
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"])
        return json.dumps(
            {
                "id": b64url(cred.id),
                "rawId": b64url(cred.id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "attestationObject": b64url(attestation),
                    "transports": ["internal", "hybrid"],
                },
                "clientExtensionResults": {},
                "authenticatorAttachment": "platform",
            }
        )

    def get(self, options: dict | str, *, credential: StoredCredential | None = None, sign_count_step: int = 1) -> str:
        """The assertion JSON answering authentication options, from the first credential allowed (or `credential`)."""
        options = json.loads(options) if isinstance(options, str) else options
        allowed = {unb64url(c["id"]) for c in options.get("allowCredentials", [])}
        if credential is None:
            usable = [c for c in self.credentials if c.rp_id == options["rpId"] and (not allowed or c.id in allowed)]
            if not usable:
                raise ValueError("NotAllowedError: no passkey for this site")
            credential = usable[0]
        credential.sign_count += sign_count_step
        auth_data = (
            hashlib.sha256(options["rpId"].encode()).digest()
            + bytes([self._flags()])
            + struct.pack(">I", credential.sign_count)
        )
        client_data = self._client_data("webauthn.get", options["challenge"])
        signature = credential.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return json.dumps(
            {
                "id": b64url(credential.id),
                "rawId": b64url(credential.id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "authenticatorData": b64url(auth_data),
                    "signature": b64url(signature),
                    "userHandle": b64url(credential.user_handle),
                },
                "clientExtensionResults": {},
                "authenticatorAttachment": "platform",
            }
        )
