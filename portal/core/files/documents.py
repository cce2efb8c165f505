"""Clean documents: PDF metadata (Info and XMP) removed and embedded JPEGs stripped of their metadata segments;
Word and OpenDocument files rewritten without author/custom properties and with their pictures re-encoded."""

from __future__ import annotations

import io
import zipfile
from typing import BinaryIO

import pikepdf

from portal.core.files import UploadRejected
from portal.core.files.images import clean_image

_JPEG_METADATA_MARKERS = {0xFE} | set(range(0xE1, 0xF0))  # COM and APP1..APP15 (EXIF, XMP, IPTC, maker notes)


def strip_jpeg_segments(data: bytes) -> bytes:
    """Drop metadata segments from a JPEG stream without decoding it (used inside PDFs, where re-encoding is not ours)."""
    if not data.startswith(b"\xff\xd8"):
        return data
    out = bytearray(b"\xff\xd8")
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return data  # not a marker where one should be: leave the stream alone rather than break it
        marker = data[i + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            out += data[i:]
            return bytes(out)
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if marker not in _JPEG_METADATA_MARKERS:
            out += data[i : i + 2 + length]
        i += 2 + length
    return data


# Checked on parsed objects, not bytes: names may be spelled with #xx escapes or hidden in compressed object streams.
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/Launch", "/EmbeddedFiles", "/EmbeddedFile", "/RichMedia", "/XFA"}
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/GoToE", "/RichMediaExecute", "/SubmitForm"}
_PDF_ACTIVE_MESSAGE = (
    "This PDF contains scripts, attachments or actions, so it cannot be uploaded. "
    "Print it to a new PDF, or scan the paper copy, and upload that"
)
_PDF_PASSWORD_MESSAGE = "This PDF is password-protected. Save a copy without a password and upload that"
_PDF_DAMAGED_MESSAGE = "This PDF is damaged or incomplete. Save it again and upload the new copy"


def _refuse_active_or_encrypted(pdf: pikepdf.Pdf) -> None:
    if pdf.is_encrypted:
        raise UploadRejected(_PDF_PASSWORD_MESSAGE)
    for obj in pdf.objects:
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        keys = set(obj.keys())
        if keys & _ACTIVE_KEYS or str(obj.get("/S", "")) in _ACTIVE_ACTIONS or obj.get("/Type") == "/EmbeddedFile":
            raise UploadRejected(_PDF_ACTIVE_MESSAGE)


def check_pdf(stream: BinaryIO) -> None:
    """At upload time, before anything is stored: refuse a PDF that is incomplete, encrypted or able to act."""
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(max(0, size - 1024))
    tail = stream.read()
    stream.seek(0)
    if b"%%EOF" not in tail:
        raise UploadRejected(_PDF_DAMAGED_MESSAGE)
    try:
        with pikepdf.open(stream) as pdf:
            _refuse_active_or_encrypted(pdf)
    except pikepdf.PasswordError:
        raise UploadRejected(_PDF_PASSWORD_MESSAGE) from None
    except pikepdf.PdfError:
        raise UploadRejected(_PDF_DAMAGED_MESSAGE) from None
    finally:
        stream.seek(0)


def clean_pdf(stream: BinaryIO) -> bytes:
    stream.seek(0)
    try:
        with pikepdf.open(stream) as pdf:
            _refuse_active_or_encrypted(pdf)
            with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
                for key in list(meta.keys()):
                    del meta[key]
            if "/Metadata" in pdf.Root:
                del pdf.Root.Metadata
            pdf.docinfo = pdf.make_indirect(pikepdf.Dictionary())
            for page in pdf.pages:
                for _name, image in page.images.items():
                    if image.get("/Filter") == pikepdf.Name.DCTDecode:
                        raw = image.read_raw_bytes()
                        cleaned = strip_jpeg_segments(raw)
                        if cleaned != raw:
                            image.write(cleaned, filter=pikepdf.Name.DCTDecode)
            out = io.BytesIO()
            pdf.save(out, linearize=False, fix_metadata_version=False, deterministic_id=True)
            return out.getvalue()
    except UploadRejected:
        raise
    except pikepdf.PasswordError:
        raise UploadRejected(_PDF_PASSWORD_MESSAGE) from None
    except pikepdf.PdfError:
        raise UploadRejected(_PDF_DAMAGED_MESSAGE) from None


_DOCX_CORE = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"/>"""
_DOCX_CUSTOM = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>"""
_DOCX_APP = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>"""
_ODT_META = b"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.2"><office:meta/></office:document-meta>"""
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


def clean_office(stream: BinaryIO, kind: str) -> bytes:
    """Rewrite the package: core, extended (company, manager) and custom properties emptied; pictures re-encoded."""
    stream.seek(0)
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(stream) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                name = info.filename
                data = src.read(info)
                if kind == "docx" and name == "docProps/core.xml":
                    data = _DOCX_CORE
                elif kind == "docx" and name == "docProps/app.xml":
                    data = _DOCX_APP  # company, manager and template path name the writer's organisation
                elif kind == "docx" and name == "docProps/custom.xml":
                    data = _DOCX_CUSTOM  # emptied, not removed: relationships still point at it
                elif kind == "odt" and name == "meta.xml":
                    data = _ODT_META
                elif name.lower().endswith(_IMAGE_SUFFIXES) and ("media/" in name or name.startswith("Pictures/")):
                    data = _reencode_picture(data, name)
                compress = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
                dst.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=compress)
    except zipfile.BadZipFile:
        raise UploadRejected("This document is damaged or incomplete. Save it again and upload the new copy") from None
    return out.getvalue()


def _reencode_picture(data: bytes, name: str) -> bytes:
    try:
        cleaned = clean_image(io.BytesIO(data)).renditions["master"]
    except UploadRejected:
        return strip_jpeg_segments(data)
    # The package refers to the picture by name: keep its format so Word still finds and shows it.
    wants_png = name.lower().endswith(".png")
    if (cleaned.mime == "image/png") == wants_png:
        return cleaned.data
    from PIL import Image

    img = Image.open(io.BytesIO(cleaned.data))
    buf = io.BytesIO()
    if wants_png:
        img.save(buf, "PNG")
    else:
        img.convert("RGB").save(buf, "JPEG", quality=86)
    return buf.getvalue()
