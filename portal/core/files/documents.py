"""Documents are rebuilt from pixels, never filtered.

Every PDF, DOCX and ODT is drawn page by page at about 150 dpi and a new PDF is made from those pictures alone
(the approach of Dangerzone and Qubes' trusted PDF): scripts, actions, links, attachments, tracked changes, comments,
hidden text and metadata cannot survive, whatever way they were spelled or hidden. Word and OpenDocument files are
first turned into a PDF by LibreOffice. The rebuilt PDF becomes the document's original; the upload is deleted.

Two stages: `check_document` at upload time (cheap, in the web request: honest refusals on the form) and
`rebuild_document` in the low-priority job (bounded by pages, pixels per page and seconds).
"""

from __future__ import annotations

import io
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from portal.core.files import UploadRejected
from portal.core.files.office import MAX_PICTURE_PIXELS, ConversionFailed, find_soffice, picture_pixels, to_pdf
from portal.core.files.pixels import PASSWORD, TIMED_OUT, TOO_MANY_PAGES, RenderFailed, RenderLimits, rebuild_pdf

PASSWORD_MESSAGE = "This PDF is protected by a password. Remove the password and upload it again"
DAMAGED_MESSAGE = "This PDF is damaged or incomplete. Save it again and upload the new copy"
OFFICE_DAMAGED_MESSAGE = (
    "This document is damaged or incomplete, so it could not be opened. "
    "Save it again from your word processor, or save it as a PDF, and upload that"
)
NO_OFFICE_MESSAGE = (
    "Word and OpenDocument files cannot be uploaded at the moment. Save the document as a PDF and upload that"
)
TOO_SLOW_MESSAGE = (
    "This document took too long to prepare, so it cannot be uploaded. "
    "Save it as a PDF with smaller pictures, or split it into parts, and upload those"
)
PICTURES_MESSAGE = (
    "This document's pictures are too large to prepare, so it cannot be uploaded. "
    "Make the pictures smaller, or save it as a PDF, and upload that"
)


def pages_message(max_pages: int) -> str:
    pages = "1 page" if max_pages == 1 else f"{max_pages} pages"
    return (
        f"This document has more than {pages}, so it cannot be uploaded. "
        "Split it into smaller files and upload them one at a time"
    )


@dataclass(frozen=True)
class DocumentSettings:
    """The limits and the LibreOffice program, from the app's settings."""

    limits: RenderLimits
    soffice: str | None

    @classmethod
    def from_config(cls, config) -> DocumentSettings:
        return cls(
            limits=RenderLimits(
                dpi=config["DOCUMENT_DPI"],
                max_pages=config["DOCUMENT_MAX_PAGES"],
                max_page_pixels=config["DOCUMENT_MAX_PAGE_PIXELS"],
                seconds=config["DOCUMENT_MAX_SECONDS"],
            ),
            soffice=find_soffice(config["LIBREOFFICE_PATH"]),
        )


def check_document(stream: BinaryIO, kind: str, settings: DocumentSettings) -> None:
    """At upload time, before anything is stored: refuse what can never be rebuilt. Raises UploadRejected."""
    if kind == "pdf":
        _check_pdf(stream, settings.limits)
        return
    if settings.soffice is None:
        raise UploadRejected(NO_OFFICE_MESSAGE)
    try:
        pixels = picture_pixels(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        raise UploadRejected(OFFICE_DAMAGED_MESSAGE) from None
    if pixels > MAX_PICTURE_PIXELS:
        raise UploadRejected(PICTURES_MESSAGE)


def _check_pdf(stream: BinaryIO, limits: RenderLimits) -> None:
    import pypdfium2 as pdfium

    stream.seek(0, io.SEEK_END)
    stream.seek(max(0, stream.tell() - 1024))
    complete = b"%%EOF" in stream.read()
    stream.seek(0)
    if not complete:
        raise UploadRejected(DAMAGED_MESSAGE)
    try:
        # Opening reads the cross-reference table and the page tree only; pages are drawn in the job.
        document = pdfium.PdfDocument(stream.read())
    except pdfium.PdfiumError as exc:
        password = getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD
        raise UploadRejected(PASSWORD_MESSAGE if password else DAMAGED_MESSAGE) from None
    finally:
        stream.seek(0)
    try:
        pages = len(document)
    finally:
        document.close()
    if pages == 0:
        raise UploadRejected(DAMAGED_MESSAGE)
    if pages > limits.max_pages:
        raise UploadRejected(pages_message(limits.max_pages))


def rebuild_document(data: bytes, kind: str, settings: DocumentSettings) -> bytes:
    """The rebuilt PDF's bytes: only page pictures. Raises UploadRejected with the reason for the person.

    Bounded: LibreOffice and the page drawing share `settings.limits.seconds`; at most `max_pages` pages, each at
    most `max_page_pixels` (larger pages are drawn at a lower resolution to fit).
    """
    deadline = time.monotonic() + settings.limits.seconds
    with tempfile.TemporaryDirectory(prefix="hearth-document-") as folder:
        work = Path(folder)
        source = work / f"upload.{kind}"
        source.write_bytes(data)
        if kind != "pdf":
            if settings.soffice is None:
                raise UploadRejected(NO_OFFICE_MESSAGE)
            try:
                source = to_pdf(source, work, settings.soffice, deadline - time.monotonic())
            except ConversionFailed as exc:
                raise UploadRejected(TOO_SLOW_MESSAGE if exc.timed_out else OFFICE_DAMAGED_MESSAGE) from None
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise UploadRejected(TOO_SLOW_MESSAGE)
        target = work / "rebuilt.pdf"
        limits = RenderLimits(
            settings.limits.dpi, settings.limits.max_pages, settings.limits.max_page_pixels, remaining
        )
        try:
            rebuild_pdf(source, target, limits)
        except RenderFailed as exc:
            raise UploadRejected(_render_message(exc.reason, kind, limits)) from None
        return target.read_bytes()


def _render_message(reason: str, kind: str, limits: RenderLimits) -> str:
    if reason == TOO_MANY_PAGES:
        return pages_message(limits.max_pages)
    if reason == TIMED_OUT:
        return TOO_SLOW_MESSAGE
    if kind != "pdf":
        return OFFICE_DAMAGED_MESSAGE  # LibreOffice's own output failed to draw: the source is what is damaged
    return PASSWORD_MESSAGE if reason == PASSWORD else DAMAGED_MESSAGE
