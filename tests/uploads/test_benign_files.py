"""Ordinary photos and documents: accepted, turned the right way up, and stored with no metadata at all."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote

import pikepdf
import pytest
from PIL import Image
from sqlalchemy import select

from portal.core.db import db
from portal.core.uploads import READY, StoredFile, receive, start_processing
from portal.records.models import HouseholdDocument, LogEntry
from tests.jobs import drain_jobs
from tests.uploads import benign, corpus, hostile_documents
from tests.uploads.conftest import exiftool_tags, log_form, read_object, stored_files, stored_keys
from tests.uploads.pdf_checks import assert_only_pictures

pytestmark = pytest.mark.one_database  # the same on any database: run in the SQLite pass only

CANARY = corpus.CANARY.encode()

# What exiftool may report about a cleaned picture: the file itself and its pixel format, nothing about a person.
HARMLESS_GROUPS = {"ExifTool", "System", "Composite"}
HARMLESS_TAGS = {
    "File": {
        "FileType",
        "FileTypeExtension",
        "MIMEType",
        "ImageWidth",
        "ImageHeight",
        "EncodingProcess",
        "BitsPerSample",
        "ColorComponents",
        "YCbCrSubSampling",
    },
    "JFIF": {"JFIFVersion", "ResolutionUnit", "XResolution", "YResolution"},
    "PNG": {"ImageWidth", "ImageHeight", "BitDepth", "ColorType", "Compression", "Filter", "Interlace"},
}


def metadata_left(tags: dict) -> dict:
    return {
        k: v
        for k, v in tags.items()
        if k != "SourceFile"
        and k.split(":")[0] not in HARMLESS_GROUPS
        and k.split(":", 1)[1] not in HARMLESS_TAGS.get(k.split(":")[0], set())
    }


def _write_renditions(app, files: list[StoredFile], folder: Path) -> dict[str, bytes]:
    """Every stored rendition, read back from storage and written out for exiftool."""
    out = {}
    for f in files:
        for name, r in f.renditions.items():
            data = read_object(app, r["key"])
            path = folder / f"{f.id}-{name}.{r['key'].rsplit('.', 1)[-1]}"
            path.write_bytes(data)
            out[path.name] = data
    return out


def _by_name(files: list[StoredFile]) -> dict[str, StoredFile]:
    return {f.original_name: f for f in files}


def _master(app, f: StoredFile) -> Image.Image:
    return Image.open(io.BytesIO(read_object(app, f.renditions["master"]["key"])))


def _close(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


def test_every_exif_orientation_is_stored_the_right_way_up(app, client, family, canary_images):
    client.sign_in(family.carer)
    photos = [(canary_images[f"orientation-{n}.jpg"], f"orientation-{n}.jpg") for n in range(1, 9)]
    assert client.submit("/logs/new", log_form(family, photos)).status_code == 302
    files = _by_name(stored_files())
    for n in range(1, 9):
        f = files[f"orientation-{n}.jpg"]
        assert f.status == READY, (n, f.rejection_reason)
        img = _master(app, f).convert("RGB")
        assert img.size == benign.UPRIGHT_SIZE, n
        w, h = img.size
        assert _close(img.getpixel((8, 8)), (255, 0, 0)), (n, "top-left should be red")
        assert _close(img.getpixel((w - 8, 8)), (0, 0, 255)), (n, "top-right should be blue")
        assert _close(img.getpixel((8, h - 8)), (0, 255, 0)), (n, "bottom-left should be green")


def test_pictures_keep_no_metadata_and_no_trace_of_the_canary(app, client, family, canary_images, tmp_path, backend):
    client.sign_in(family.carer)
    for data in canary_images.values():
        assert CANARY in data or "heic" in data[4:12].decode(errors="ignore")  # the canary was really planted
    uploads = [(data, name) for name, data in canary_images.items()]
    response = client.submit("/logs/new", log_form(family, uploads))
    assert response.status_code == 302
    files = stored_files()
    assert len(files) == len(uploads) and all(f.status == READY for f in files), [f.rejection_reason for f in files]
    renditions = _write_renditions(app, files, tmp_path)
    assert len(renditions) == 3 * len(uploads)
    for name, data in renditions.items():
        assert CANARY not in data and b"Secret Street" not in data, name
        assert b"Exif\0\0" not in data and b"http://ns.adobe.com/xap" not in data and b"ICC_PROFILE" not in data, name
    (tmp_path / "source.jpg").write_bytes(canary_images["orientation-6.jpg"])
    tags = exiftool_tags([tmp_path / n for n in renditions] + [tmp_path / "source.jpg"])
    source = metadata_left(tags.pop("source.jpg"))  # the check itself sees what a phone leaves in a photo
    assert {"GPS:GPSLatitude", "IFD0:Artist", "XMP-dc:Creator", "IPTC:City", "File:Comment"} <= set(source)
    assert set(tags) == set(renditions)
    leftovers = {n: metadata_left(t) for n, t in tags.items() if metadata_left(t)}
    assert leftovers == {}
    assert all(k not in stored_keys(app) for k in (f.quarantine_key for f in files))


def test_the_date_a_photo_was_taken_is_kept_as_a_date_though_its_exif_is_gone(app, client, family, canary_images):
    client.sign_in(family.carer)
    client.submit("/logs/new", log_form(family, [(canary_images["orientation-1.jpg"], "a.jpg")]))
    (f,) = stored_files()
    assert str(f.taken_on) == "2021-06-05"


def test_a_png_with_transparency_stays_a_png_with_transparency(app, client, family, canary_images):
    client.sign_in(family.carer)
    client.submit("/logs/new", log_form(family, [(canary_images["alpha.png"], "alpha.png")]))
    (f,) = stored_files()
    assert {r["mime"] for r in f.renditions.values()} == {"image/png"}
    img = _master(app, f)
    assert img.format == "PNG" and img.mode == "RGBA"
    assert img.getpixel((5, 5))[3] == 0 and img.getpixel((100, 5))[3] == 255


@pytest.mark.parametrize("name", ["photo.webp", "photo.heic", "plain.png"])
def test_webp_heic_and_opaque_png_become_plain_pictures(app, client, family, canary_images, name):
    client.sign_in(family.carer)
    client.submit("/logs/new", log_form(family, [(canary_images[name], name)]))
    (f,) = stored_files()
    assert f.status == READY and f.renditions["master"]["mime"] == "image/jpeg"
    assert _master(app, f).size == (240, 160)


def test_12_and_48_megapixel_photos_are_accepted_and_scaled(app, client, family, big_photos, tmp_path):
    client.sign_in(family.carer)
    uploads = [(data, name) for name, data in big_photos.items()]
    assert client.submit("/logs/new", log_form(family, uploads)).status_code == 302
    files = stored_files()
    assert [f.status for f in files] == [READY, READY]
    for f in files:
        # 12 MP is 4000 px wide (never enlarged); 48 MP is decoded at half size straight from the JPEG (4000 px).
        assert max(f.renditions["master"]["width"], f.renditions["master"]["height"]) == 4000
        assert max(f.renditions["display"]["width"], f.renditions["display"]["height"]) == 1600
        assert _close(_master(app, f).convert("RGB").getpixel((10, 10)), (255, 0, 0))
    renditions = _write_renditions(app, files, tmp_path)
    assert not any(CANARY in data for data in renditions.values())
    assert not {
        n: metadata_left(t) for n, t in exiftool_tags([tmp_path / n for n in renditions]).items() if metadata_left(t)
    }


def _file_document(client, family, content: bytes, name: str):
    return client.submit(
        f"/households/{family.household.id}/documents/new",
        {"folder": "fire_escape_plan", "title": "Escape plan", "file": (io.BytesIO(content), name)},
    )


def _photo_with_gps(tmp_path) -> bytes:
    path = tmp_path / "inside.jpg"
    path.write_bytes(corpus.jpeg((120, 90), "orange"))
    benign.plant_canary([path])
    data = path.read_bytes()
    assert CANARY in data
    return data


def test_a_pdf_is_rebuilt_from_its_page_without_its_author_xmp_or_picture_metadata(
    app, client, family, tmp_path, backend
):
    source = benign.pdf_with_canary(_photo_with_gps(tmp_path))
    assert CANARY in source
    client.sign_in(family.carer)
    assert _file_document(client, family, source, "plan.pdf").status_code == 302
    (f,) = stored_files()
    assert f.status == READY, f.rejection_reason
    stored = read_object(app, f.renditions["master"]["key"])
    assert assert_only_pictures(stored, tmp_path, "plan") == 1
    with pikepdf.open(io.BytesIO(stored)) as pdf:
        assert "/Metadata" not in pdf.Root and not dict(pdf.docinfo)
        page = Image.open(io.BytesIO(next(iter(pdf.pages[0].get_images().values())).read_raw_bytes()))
    # The orange picture (120 x 90 pt at 10, 10 on a 200 pt page) is still there, drawn at 150 dpi.
    assert page.size == (417, 417)
    assert _close(page.convert("RGB").getpixel((146, 302)), (255, 165, 0))
    assert f.quarantine_key not in stored_keys(app)


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_word_and_opendocument_files_become_a_pdf_of_their_pages(app, client, family, tmp_path, backend, kind):
    photo = _photo_with_gps(tmp_path)
    source = hostile_documents.docx_with_picture(photo) if kind == "docx" else hostile_documents.odt_with_picture(photo)
    client.sign_in(family.carer)
    assert _file_document(client, family, source, f"plan.{kind}").status_code == 302
    (f,) = stored_files()
    assert f.status == READY, f.rejection_reason
    assert f.kind == "pdf" and f.renditions["master"]["key"].endswith("/master.pdf")
    assert assert_only_pictures(read_object(app, f.renditions["master"]["key"]), tmp_path, kind) == 1
    assert stored_keys(app) == [f.renditions["master"]["key"]]  # the upload itself is gone
    document = db.session.scalar(select(HouseholdDocument))
    download = client.get(f"/documents/{document.id}/versions/{document.latest.id}")
    if download.status_code == 303:  # S3: a short-lived link that names the file
        assert "plan.pdf" in unquote(download.headers["Location"])
    else:
        assert download.mimetype == "application/pdf"
        assert 'filename="plan.pdf"' in download.headers["Content-Disposition"]


def test_a_video_loses_its_place_date_and_title_and_gets_a_poster(app, family, tmp_path):
    path = tmp_path / "clip.mp4"
    benign.mp4_with_canary(path)
    source = path.read_bytes()
    assert CANARY in source
    stored = receive(
        family.carer,
        io.BytesIO(source),
        "clip.mp4",
        purpose="test_video",
        prefix="videos/1",
        allowed_families=frozenset({"image", "video"}),
    )
    db.session.commit()
    start_processing(stored)
    drain_jobs(app)
    (f,) = stored_files()
    assert f.status == READY, f.rejection_reason
    assert f.renditions["master"]["mime"] == "video/mp4"
    assert f.renditions["display"]["mime"] == "image/jpeg" and f.renditions["thumb"]["width"] > 0
    video = read_object(app, f.renditions["master"]["key"])
    assert CANARY not in video
    (tmp_path / "stored.mp4").write_bytes(video)
    tags = exiftool_tags([tmp_path / "stored.mp4"], embedded=True)["stored.mp4"]
    assert not [k for k, v in tags.items() if corpus.CANARY in str(v)]
    assert not [k for k in tags if "GPS" in k or "Location" in k or k.endswith((":Title", ":Artist", ":Comment"))]
    assert not [k for k, v in tags.items() if k.endswith("CreateDate") and "2021" in str(v)]
    assert db.session.scalar(select(LogEntry)) is None
