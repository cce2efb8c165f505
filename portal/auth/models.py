"""People who sign in: users, their roles, sessions, invitations, password resets and remembered devices."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.roles import STAFF_ROLES, Role
from portal.core.db import Base, IdMixin, TimestampMixin, utcnow


class User(UserMixin, IdMixin, TimestampMixin, Base):
    __tablename__ = "users"

    # Set when the user is loaded for a request, from the server-side session record.
    session_record = None  # type: UserSession | None
    # Whether they had a passkey when loaded for the request (portal.auth.sessions), so that checking for a second
    # factor on every page costs no query; None when loaded any other way.
    passkey_at_load = None  # type: bool | None

    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None]  # the last time-step accepted: a code cannot be replayed
    mfa_enabled_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    last_signed_in_at: Mapped[datetime | None]

    # Loaded with the person signing in (portal.auth.sessions) and by lists that show roles; not with every user a
    # page mentions (a household's members, who added a memory), which would cost a query per page for nothing.
    role_rows: Mapped[list[UserRole]] = relationship(back_populates="user", cascade="all, delete-orphan")
    passkeys: Mapped[list[Passkey]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Passkey.id", passive_deletes=True
    )

    @property
    def roles(self) -> frozenset[Role]:
        # Asked a few dozen times on a page (menu, home, gates): worked out once, forgotten whenever the role rows
        # change or are reloaded (_forget_roles below).
        roles = self.__dict__.get("_roles")
        if roles is None:
            roles = self.__dict__["_roles"] = frozenset(Role(r.role) for r in self.role_rows)
        return roles

    def know_roles(self, roles: frozenset[Role]) -> None:
        """Take `roles` as read with the person (portal.auth.sessions), without loading the role rows."""
        self.__dict__["_roles"] = roles

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def mfa_enabled(self) -> bool:
        return self.mfa_enabled_at is not None and self.totp_secret is not None

    @property
    def has_passkey(self) -> bool:
        # Once the passkeys are loaded (to add or remove one) they are the answer; until then, what was known at load.
        if self.passkey_at_load is None or "passkeys" in self.__dict__:
            return bool(self.passkeys)
        return self.passkey_at_load

    @property
    def has_second_factor(self) -> bool:
        """Security codes or a passkey. The one place a new kind of second factor is added."""
        return self.mfa_enabled or self.has_passkey

    @property
    def mfa_required(self) -> bool:
        return self.is_staff

    @property
    def session_mfa_verified(self) -> bool:
        return self.session_record is not None and self.session_record.mfa_verified_at is not None

    @property
    def second_factor_owed(self) -> bool:
        """This session passed the password but not yet a second factor this person has (or, staff, must have).

        Keyed on the factor, not the role: a carer or young person with codes owes them exactly as staff do.
        """
        # The session is checked first: it is in hand, while whether a passkey exists takes a query.
        return not self.session_mfa_verified and (self.mfa_required or self.has_second_factor)

    def __repr__(self) -> str:  # ids only: logs never carry personal data
        return f"<User {self.id}>"


@event.listens_for(User.role_rows, "append")
@event.listens_for(User.role_rows, "remove")
@event.listens_for(User.role_rows, "bulk_replace")
def _forget_roles(user: User | None, *_args, **_kwargs) -> None:
    if user is not None:  # None: the object was already garbage-collected
        user.__dict__.pop("_roles", None)


@event.listens_for(User, "expire")
@event.listens_for(User, "refresh")
def _forget_roles_on_reload(user: User | None, *_args) -> None:
    if user is not None:
        user.__dict__.pop("_roles", None)


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_rows")


class UserSession(Base):
    """Server-side record behind the signed cookie, so that revocation takes effect on the very next request."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    mfa_verified_at: Mapped[datetime | None]
    # When the person last proved both password and second factor (or password alone, if they have none)
    # in this session: changing security settings needs this to be recent (portal.auth.reauth).
    reauthenticated_at: Mapped[datetime | None]
    # "passkey" when the person signed in with a passkey alone: they re-authenticate with a passkey, not a password.
    signed_in_with: Mapped[str | None] = mapped_column(String(20))
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(60))


class Invitation(IdMixin, Base):
    __tablename__ = "invitations"

    email: Mapped[str] = mapped_column(String(254), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[str] = mapped_column(String(400))  # comma-separated Role values
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def role_list(self) -> list[Role]:
        return [Role(r) for r in self.roles.split(",") if r]


class PasswordReset(IdMixin, Base):
    __tablename__ = "password_resets"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class RememberedDevice(IdMixin, Base):
    """'Remember this device for 30 days': skips the MFA prompt for a carer on their own phone."""

    __tablename__ = "remembered_devices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class RecoveryCode(IdMixin, Base):
    """One-time codes for when the authenticator is lost: shown once, stored only as a hash, each used once."""

    __tablename__ = "recovery_codes"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class Passkey(IdMixin, Base):
    """A WebAuthn credential: a second factor, or a way to sign in without a password (it is discoverable)."""

    __tablename__ = "passkeys"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1023), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)  # COSE-encoded
    sign_count: Mapped[int] = mapped_column(default=0)
    # The account's WebAuthn user handle, the same for all of a person's passkeys (random, no personal data).
    user_handle: Mapped[bytes] = mapped_column(LargeBinary(64))
    transports: Mapped[str] = mapped_column(String(200), default="")  # comma-separated, as the browser reported
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="passkeys")

    @property
    def transport_list(self) -> list[str]:
        return [t for t in self.transports.split(",") if t]


class PasskeyChallenge(IdMixin, Base):
    """A WebAuthn challenge kept on the server for a few minutes and used at most once."""

    __tablename__ = "passkey_challenges"

    challenge: Mapped[bytes] = mapped_column(LargeBinary(64))
    purpose: Mapped[str] = mapped_column(String(20))  # register | sign_in | second_factor | reauth
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
