"""Pictures as phones and scanners really save them are kept, looking as they did: 16-bit and CMYK pictures, palettes
with transparency, motion photos, panoramas. Decompression bombs are still refused."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import warnings

import pytest
from PIL import Image, ImageStat

from portal.core.files import UploadRejected
from portal.core.files.images import check_image, clean_image
from portal.core.files.sniff import sniff
from portal.core.uploads import READY
from tests.pages import text_of
from tests.uploads import phone_photos as pp
from tests.uploads.conftest import log_form, read_object, stored_files

pytestmark = pytest.mark.one_database  # the same on any database: run in the SQLite pass only


def _upload(client, family, data: bytes, name: str):
    client.sign_in(family.carer)
    response = client.submit("/logs/new", log_form(family, [(data, name)]))
    assert response.status_code == 302, text_of(response)[:400]
    (f,) = stored_files()
    assert f.status == READY, f.rejection_reason
    return f


def _master(app, f) -> Image.Image:
    img = Image.open(io.BytesIO(read_object(app, f.renditions["master"]["key"])))
    img.load()
    return img


def _close(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


def _cleaned(data: bytes) -> Image.Image:
    """The master rendition, through the same check and clean the job uses."""
    check_image(io.BytesIO(data), "jpeg" if data.startswith(b"\xff\xd8") else "png")
    master = clean_image(io.BytesIO(data)).renditions["master"]
    img = Image.open(io.BytesIO(master.data))
    img.load()
    return img


# --- high bit depth and unusual modes -----------------------------------------------------------------------------


def test_the_scanned_16_bit_grey_ramp_is_stored_as_the_same_ramp(app, client, family):
    f = _upload(client, family, pp.fixture("scan-16bit-grey.png"), "scan.png")
    img = _master(app, f).convert("L")
    assert img.size == (256, 64)
    assert 120 <= ImageStat.Stat(img).mean[0] <= 135  # was 254: every value clipped to white
    assert img.getpixel((0, 10)) <= 5 and img.getpixel((255, 10)) >= 250 and 120 <= img.getpixel((128, 10)) <= 135


@pytest.mark.parametrize("top, mean", [(65535, 127.5), (4095, 8), (32767, 63.7)])
def test_any_16_bit_grey_ramp_keeps_its_shades(top, mean):
    """Scaled by the format's range, not stretched to the picture's own: a dark 12-bit scan stays dark."""
    img = _cleaned(pp.grey_ramp_16bit(top=top)).convert("L")
    assert abs(ImageStat.Stat(img).mean[0] - mean) < 3, (top, ImageStat.Stat(img).mean)
    assert img.getpixel((0, 5)) <= 3 and abs(img.getpixel((img.width - 1, 5)) - top / 257) <= 3


def test_a_16_bit_colour_png_keeps_its_colours():
    img = _cleaned(pp.rgb_png_16bit()).convert("RGB")
    assert _close(img.getpixel((10, 10)), pp.RED, 10) and _close(img.getpixel((110, 10)), (128, 128, 128), 10)


@pytest.mark.parametrize("maker", [pp.cmyk_jpeg_adobe, pp.cmyk_jpeg_plain], ids=["adobe-inverted", "plain"])
def test_cmyk_jpegs_keep_their_colours(app, client, family, maker):
    f = _upload(client, family, maker(), "print.jpg")
    img = _master(app, f)
    assert img.mode == "RGB"
    for x, colour in ((20, pp.RED), (75, pp.GREEN), (130, pp.BLUE)):
        assert _close(img.getpixel((x, 30)), colour, 60), (maker.__name__, x, img.getpixel((x, 30)))


def test_an_embedded_colour_profile_is_applied_then_dropped():
    data = pp.red_jpeg_with_profile(pp.swapped_primaries_profile())
    assert b"ICC_PROFILE" in data
    img = _cleaned(data)
    assert "icc_profile" not in img.info
    r, g, b = img.convert("RGB").getpixel((20, 20))
    assert g > 150 and r < 120, (r, g, b)  # the profile says this "red" is sRGB's green


@pytest.mark.parametrize(
    "maker, opaque",
    [(pp.palette_with_transparency, (0, 128, 255)), (pp.grey_with_alpha, (100, 100, 100))],
    ids=["palette", "grey-alpha"],
)
def test_transparent_palette_and_grey_pictures_stay_transparent(app, client, family, maker, opaque):
    f = _upload(client, family, maker(), "sticker.png")
    assert {r["mime"] for r in f.renditions.values()} == {"image/png"}
    img = _master(app, f)
    assert img.mode == "RGBA"
    transparent_x, opaque_x = (10, 100) if maker is pp.palette_with_transparency else (100, 10)
    assert img.getpixel((transparent_x, 40))[3] == 0
    assert img.getpixel((opaque_x, 40))[3] == 255 and _close(img.getpixel((opaque_x, 40))[:3], opaque, 5)


def test_an_rgba_picture_keeps_its_transparency():
    img = _cleaned(pp.rgba_half_transparent())
    assert img.mode == "RGBA" and img.getpixel((10, 10))[3] == 0 and img.getpixel((100, 10)) == (0, 128, 255, 255)


# --- motion photos --------------------------------------------------------------------------------------------------


def test_the_pixel_motion_photo_is_kept_as_its_still_picture(app, client, family):
    source = pp.fixture("PXL_20261101_motion.MP.jpg")
    f = _upload(client, family, source, "PXL_20261101_motion.MP.jpg")
    master = read_object(app, f.renditions["master"]["key"])
    assert b"ftyp" not in master and len(master) < len(source) // 4  # the video was left behind
    assert Image.open(io.BytesIO(master)).size == (1024, 768)


@pytest.mark.parametrize("make", [pp.pixel_motion_photo, pp.samsung_motion_photo], ids=["pixel", "samsung"])
@pytest.mark.parametrize("progressive", [False, True], ids=["baseline", "progressive"])
def test_motion_photos_of_any_phone_are_accepted(app, client, family, make, progressive):
    picture = pp.still((200, 40, 40), progressive=progressive)
    f = _upload(client, family, make(picture), "motion.jpg")
    img = _master(app, f)
    assert img.size == (640, 480) and _close(img.getpixel((300, 200)), (200, 40, 40), 10)


@pytest.mark.parametrize("make", [pp.pixel_motion_photo, pp.samsung_motion_photo], ids=["pixel", "samsung"])
def test_a_motion_photo_whose_video_happens_to_spell_markup_is_accepted(make):
    """Compressed video bytes spell anything by chance; the video is never kept, so only the picture is read."""
    video = pp.motion_video()
    chance = b"<svg " if make is pp.pixel_motion_photo else b"<HTML>"
    at = len(video) // 2
    data = make(pp.still()).replace(video, video[:at] + chance + video[at + len(chance) :])
    assert chance in data
    assert sniff(io.BytesIO(data)).kind == "jpeg"
    check_image(io.BytesIO(data), "jpeg")
    with pytest.raises(UploadRejected, match="web page code"):
        sniff(io.BytesIO(pp.still() + b"<script>alert(1)</script>"))  # anything else after a picture is still read


def test_a_picture_is_never_refused_for_bytes_after_its_end():
    picture = pp.still()
    for trailer in (b"\xff\xda\x00\x08junk", b"\xff\xd8\xff\xe0" + bytes(200), bytes(range(256)) * 50, picture):
        check_image(io.BytesIO(picture + trailer), "jpeg")
    with pytest.raises(UploadRejected, match="damaged or incomplete"):
        check_image(io.BytesIO(picture[: len(picture) // 2]), "jpeg")


# --- panoramas and bombs --------------------------------------------------------------------------------------------


def test_the_60_megapixel_panorama_is_accepted_and_scaled(app, client, family):
    f = _upload(client, family, pp.fixture("PANO_20260815_beach.jpg"), "PANO_20260815_beach.jpg")
    assert (f.renditions["master"]["width"], f.renditions["master"]["height"]) == (4000, 950)
    assert (f.renditions["display"]["width"], f.renditions["display"]["height"]) == (1600, 380)


@pytest.mark.parametrize("size", [(20_000, 3_000), (12_000, 5_000), (30_000, 2_400)])
def test_panoramas_of_other_sizes_are_accepted(size):
    img = _cleaned(pp.panorama(*size))
    width, height = size
    assert max(img.size) <= 4096 and abs(img.width / img.height - width / height) < 0.05
    assert img.convert("L").getpixel((2, 2)) > 230  # the white corner is still top-left


def test_the_panorama_is_decoded_in_bounded_memory():
    """Peak memory of cleaning it, in a fresh process: decoding it at full size would take about 470 MB."""
    script = textwrap.dedent(
        """
        import io, resource, sys
        from portal.core.files.images import clean_image
        data = open(sys.argv[1], "rb").read()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        clean_image(io.BytesIO(data))
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(pp.FIXTURES / "PANO_20260815_beach.jpg")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    grew_kb = int(out.stdout.strip())
    assert grew_kb < 120 * 1024, f"cleaning the panorama took {grew_kb // 1024} MB"


@pytest.mark.parametrize(
    "name, make",
    [
        ("flat grey, 400 MP in 5 MB", lambda: pp.flat_grey_jpeg(20_000, 20_000)),
        ("flat grey, 4 GP", lambda: pp.flat_grey_jpeg(65_000, 65_000)[:2_000_000] + b"\xff\xd9"),
        ("progressive, 60 MP of coefficients", lambda: pp.progressive_claiming(16_000, 3_800)),
        ("claims 60 MP in a few hundred bytes", lambda: pp.flat_grey_jpeg(8_000, 7_500)[:3_000] + b"\xff\xd9"),
    ],
)
def test_jpeg_decompression_bombs_are_still_refused(name, make):
    with pytest.raises(UploadRejected, match="too large"):
        check_image(io.BytesIO(make()), "jpeg")


def test_a_real_jpeg_bomb_is_refused_on_the_form(app, client, family):
    client.sign_in(family.carer)
    bomb = pp.flat_grey_jpeg(20_000, 20_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        Image.open(io.BytesIO(bomb)).verify()  # a well-formed JPEG, not merely a header that lies
    response = client.submit("/logs/new", log_form(family, [(bomb, "bomb.jpg")]))
    assert response.status_code == 422 and "too large" in text_of(response)
    assert stored_files() == []
