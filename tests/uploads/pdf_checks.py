"""What a served document may hold: pages that are pictures and nothing else. Checked on parsed objects (names may be
hex-escaped or hidden in object streams) and with exiftool on the file and on every picture inside it."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from tests.uploads.conftest import exiftool_tags
from tests.uploads.corpus import CANARY

ACTIVE_NAMES = {
    "/JavaScript",
    "/JS",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/URI",
    "/GoToR",
    "/GoToE",
    "/AA",
    "/OpenAction",
    "/Annots",
    "/AcroForm",
    "/Names",
    "/RichMedia",
    "/XFA",
    "/Metadata",
    "/SubmitForm",
    "/ImportData",
}
# Keys a picture-only PDF needs; anything else means something of the upload came through.
ALLOWED_KEYS = {
    "/Type",
    "/Pages",
    "/Kids",
    "/Count",
    "/Parent",
    "/MediaBox",
    "/Resources",
    "/XObject",
    "/Contents",
    "/Length",
    "/Filter",
    "/Subtype",
    "/Width",
    "/Height",
    "/ColorSpace",
    "/BitsPerComponent",
    "/Producer",
    "/Creator",
    "/ProcSet",
    "/DecodeParms",
    "/Root",
    "/Info",
    "/Size",
    "/ID",
    "/Prev",
    "/Linearized",
    "/L",
    "/H",
    "/O",
    "/E",
    "/N",
    "/T",
    "/Im0",
}
GPS_OR_PERSON = ("GPS", "Author", "Artist", "Creator", "Copyright", "By-line", "Owner", "City", "Location")


def _walk(obj, seen: set, found: list) -> None:
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        if obj.is_indirect:
            if obj.objgen in seen:
                return
            seen.add(obj.objgen)
        for key in obj.keys():  # noqa: SIM118 (a pikepdf Stream is not iterable by key)
            if key == "/S" and isinstance(obj[key], int):
                continue  # a linearization hint stream's table offset, not an action type
            found.append(("key", key))
            _walk(obj[key], seen, found)
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            _walk(item, seen, found)
    elif isinstance(obj, pikepdf.Name):
        found.append(("name", str(obj)))
    elif isinstance(obj, pikepdf.String):
        found.append(("string", bytes(obj)))


def assert_only_pictures(data: bytes, folder: Path, label: str) -> int:
    """Assert the PDF is nothing but page pictures and holds no trace of a person or a place; returns its pages."""
    assert data.startswith(b"%PDF-"), label
    assert CANARY.encode() not in data, label
    found: list = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert not pdf.attachments, label
        assert "/Metadata" not in pdf.Root and "/Names" not in pdf.Root and "/OpenAction" not in pdf.Root, label
        seen: set = set()
        _walk(pdf.trailer, seen, found)
        for obj in pdf.objects:  # also objects nothing points at
            _walk(obj, seen, found)
        pictures = []
        for number, page in enumerate(pdf.pages):
            assert "/Annots" not in page.obj and "/AA" not in page.obj, label
            images = list(page.get_images().values())
            assert len(images) == 1, (label, "one picture per page")
            assert images[0].get("/Filter") == pikepdf.Name.DCTDecode, label
            path = folder / f"{label}-page-{number}.jpg"
            path.write_bytes(images[0].read_raw_bytes())
            pictures.append(path)
        pages = len(pdf.pages)
    names = {value for kind, value in found if kind in ("key", "name")}
    assert not names & ACTIVE_NAMES, (label, names & ACTIVE_NAMES)
    assert {value for kind, value in found if kind == "key"} <= ALLOWED_KEYS, (label, names - ALLOWED_KEYS)
    strings = [value for kind, value in found if kind == "string"]
    outward = (b"javascript", b"file:", b"http", b"mhtml", b"\\\\", b".exe", CANARY.encode())
    assert not [s for s in strings if any(word in s.lower() for word in outward)], (label, strings)
    whole = folder / f"{label}.pdf"
    whole.write_bytes(data)
    tags = exiftool_tags([whole, *pictures], embedded=True)
    for name, item in tags.items():
        leaks = {
            k: v
            for k, v in item.items()
            if k != "SourceFile" and (CANARY in str(v) or k.split(":")[-1].startswith(GPS_OR_PERSON))
        }
        assert not leaks, (label, name, leaks)
    return pages
