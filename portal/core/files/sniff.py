"""Decide what an upload is from its bytes (never its name or declared type), against a short allow-list."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from portal.core.files import ACCEPTED_DESCRIPTION, UploadRejected
from portal.core.files.jpeg import appended_video

IMAGE_KINDS = {"jpeg", "png", "webp", "heic"}
DOCUMENT_KINDS = {"pdf", "docx", "odt"}
VIDEO_KINDS = {"mp4", "mov"}

MIME = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heic": "image/heic",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "mp4": "video/mp4",
    "mov": "video/quicktime",
}
EXTENSION = {
    "jpeg": "jpg",
    "png": "png",
    "webp": "webp",
    "heic": "heic",
    "pdf": "pdf",
    "docx": "docx",
    "odt": "odt",
    "mp4": "mp4",
    "mov": "mov",
}

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"M4VP",
    b"dash",
    b"3gp4",
    b"3gp5",
    b"3g2a",
}
_MOV_BRANDS = {b"qt  "}
# Markup or script inside a picture or video makes it a polyglot: a browser could be tricked into running it.
_ACTIVE_CONTENT = re.compile(rb"<\s*(script|html|svg|iframe|object|embed|body|\?php)\b|javascript:", re.I)


@dataclass(frozen=True)
class Sniffed:
    kind: str

    @property
    def mime(self) -> str:
        return MIME[self.kind]

    @property
    def family(self) -> str:
        return "image" if self.kind in IMAGE_KINDS else "video" if self.kind in VIDEO_KINDS else "document"


def _ftyp_brand(head: bytes) -> bytes | None:
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return head[8:12]
    return None


def sniff(stream: BinaryIO) -> Sniffed:
    """Identify the file or raise UploadRejected. Reads the whole stream for checks, then rewinds it."""
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    if not data:
        raise UploadRejected("The file is empty. Choose the file again")
    head = data[:64]
    kind = None
    if head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "webp"
    elif head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"PK\x03\x04"):
        kind = _office_kind(stream)
    else:
        brand = _ftyp_brand(head)
        if brand in _HEIC_BRANDS:
            kind = "heic"
        elif brand in _MP4_BRANDS:
            kind = "mp4"
        elif brand in _MOV_BRANDS:
            kind = "mov"
    if kind is None:
        raise UploadRejected(f"This type of file cannot be uploaded. You can upload {ACCEPTED_DESCRIPTION}")
    if kind in IMAGE_KINDS | VIDEO_KINDS and _ACTIVE_CONTENT.search(_checked_for_markup(data, kind)):
        raise UploadRejected(
            "This file contains web page code hidden inside it, so it cannot be uploaded. "
            "Take the photo again or save it as a new file"
        )
    return Sniffed(kind)


def _checked_for_markup(data: bytes, kind: str) -> bytes:
    """A motion photo's video is left out: it is never kept (only the picture's pixels are), and its compressed
    bytes spell anything by chance. Anything else after a picture is still read."""
    if kind == "jpeg":
        video = appended_video(data)
        if video is not None:
            return data[:video]
    return data


def _office_kind(stream: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(stream) as zf:
            names = set(zf.namelist())
            if len(names) > 2000 or sum(i.file_size for i in zf.infolist()) > 200 * 1024 * 1024:
                raise UploadRejected("This document is too large or complex to upload. Save it again as a new file")
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                types = zf.read("[Content_Types].xml")
                if b"macroEnabled" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
                    raise _macro_error()
                return "docx"
            if "mimetype" in names and zf.read("mimetype").strip() == b"application/vnd.oasis.opendocument.text":
                if any(n.startswith(("Basic/", "Scripts/")) for n in names):
                    raise _macro_error()
                return "odt"
    except zipfile.BadZipFile:
        return None
    finally:
        stream.seek(0)
    return None


def _macro_error() -> UploadRejected:
    return UploadRejected(
        "This document contains macros, so it cannot be uploaded. Save it as a normal Word "
        "document (.docx) or as a PDF and upload that"
    )
