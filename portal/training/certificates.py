"""Certificates from elsewhere: a carer uploads one (or a TSD workbook page) through the upload pipeline, and the
coordinator verifies it (it then counts in the learning record) or refuses it with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from portal.auth.models import User
from portal.core import audit, clock
from portal.core.db import db
from portal.core.links import path_to
from portal.core.notify import notify_in_app
from portal.core.unit_of_work import transactional
from portal.core.uploads import receive, start_processing
from portal.people.models import Household
from portal.training.models import Certificate, CertificateStatus, RecordSource, TrainingRecord


class CertificateRefused(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class Upload:
    stream: BinaryIO
    filename: str | None


@transactional
def upload_certificate(
    actor: User,
    person: User,
    household: Household | None,
    *,
    title: str,
    completed_on: date,
    minutes: int,
    tsd_standard: int | None,
    upload: Upload,
) -> Certificate:
    """Receive the file (scanned and rebuilt by the worker before anyone sees it) and wait for the coordinator.
    Raises UploadRejected for a file that is not a photo or document, CertificateRefused for a future date."""
    if completed_on > clock.today():
        raise CertificateRefused("The date must be today or in the past", "completed_on")
    prefix = f"households/{household.id}/training" if household else f"training/{person.id}"
    stored = receive(actor, upload.stream, upload.filename, purpose="training_certificate", prefix=prefix)
    certificate = Certificate(
        user_id=person.id,
        household_id=household.id if household else None,
        file=stored,
        is_generated=False,
        title=title.strip(),
        completed_on=completed_on,
        minutes=minutes,
        tsd_standard=tsd_standard,
        status=CertificateStatus.AWAITING,
    )
    db.session.add(certificate)
    db.session.flush()
    start_processing(stored)
    return certificate


@transactional
def verify_certificate(actor: User, certificate: Certificate) -> TrainingRecord | None:
    """The certificate counts: a course certificate adds a line to the learning record (external); a workbook page
    becomes evidence for its TSD standard. Raises CertificateRefused unless it is waiting and its file is ready."""
    _decidable(certificate)
    certificate.status, certificate.decided_by_id, certificate.decided_at = (
        CertificateStatus.VERIFIED,
        actor.id,
        clock.now(),
    )
    record = None
    if certificate.tsd_standard is None:
        record = TrainingRecord(
            user_id=certificate.user_id,
            household_id=certificate.household_id,
            title=certificate.title,
            completed_on=certificate.completed_on,
            minutes=certificate.minutes,
            source=RecordSource.EXTERNAL,
            recorded_by_id=actor.id,
        )
        db.session.add(record)
        db.session.flush()
        certificate.record_id = record.id
    _decided(actor, certificate, "verified")
    return record


@transactional
def refuse_certificate(actor: User, certificate: Certificate, reason: str) -> None:
    _decidable(certificate)
    if not reason.strip():
        raise CertificateRefused("Enter why the certificate is refused: the carer will read it", "reason")
    certificate.status, certificate.refusal_reason = CertificateStatus.REFUSED, reason.strip()
    certificate.decided_by_id, certificate.decided_at = actor.id, clock.now()
    _decided(actor, certificate, "refused")


def _decidable(certificate: Certificate) -> None:
    if certificate.status != CertificateStatus.AWAITING:
        raise CertificateRefused("This certificate has already been decided")
    if not certificate.file.is_ready:
        raise CertificateRefused("The file is still being checked. Try again in a minute")


def _decided(actor: User, certificate: Certificate, outcome: str) -> None:
    text = (
        f"Your certificate for {certificate.title} has been verified"
        if outcome == "verified"
        else f"Your certificate for {certificate.title} was not accepted: {certificate.refusal_reason}"
    )
    notify_in_app(certificate.user_id, text, path_to("training.show_my_record"))
    audit.record(
        db.session,
        f"training_certificate_{outcome}",
        actor_id=actor.id,
        object_type="training_certificate",
        object_id=certificate.id,
    )
