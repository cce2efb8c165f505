"""Re-encode pictures so that only pixels survive: orientation applied, colours to 8-bit sRGB, every metadata block
dropped.

Three renditions are kept: a master (longest side at most MASTER_EDGE, the "original" people download), a display
size and a thumbnail. JPEG draft decoding lets Pillow decode a 48-megapixel photo or a 60-megapixel panorama at half,
quarter or eighth scale directly, so memory stays low on a small server. Whatever follows a JPEG's end (the video of
a motion photo, a phone's trailer) is left behind.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageChops, ImageCms, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from portal.core.files import UploadRejected
from portal.core.files.jpeg import end_of_picture
from portal.core.files.taken import taken_on

register_heif_opener()

MAX_PIXELS = 50_000_000  # decoded at full size: the largest phone cameras, and well short of a decompression bomb
# A JPEG may claim more (panoramas, 200 MP phone sensors): it is decoded at reduced size, so what bounds it is the
# memory that decoding needs, not its pixel count; a file far smaller than such a picture can be is a bomb.
MAX_JPEG_PIXELS = 250_000_000
MIN_JPEG_BITS_PER_PIXEL = 0.04  # real panoramas hold 0.15 or more; a bomb of one flat colour far less
DECODE_BUDGET_BYTES = MAX_PIXELS * 4  # what a 50 MP picture already takes decoded (Pillow holds RGB in 4 bytes)
Image.MAX_IMAGE_PIXELS = MAX_JPEG_PIXELS  # Pillow's own guard; the tighter limits per format are checked in _open
MASTER_EDGE = 4096
DRAFT_MIN_EDGE = MASTER_EDGE * 3 // 4  # a 48 MP photo decodes at half size (4000 px): a master barely smaller
DISPLAY_EDGE = 1600
THUMB_EDGE = 400
_JPEG_FORMATS = ("JPEG", "MPO")  # MPO: a JPEG followed by more pictures (a gain map, a stereo pair)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_DAMAGED = "This picture is damaged or incomplete. Choose the file again, or take the photo again"
_TOO_LARGE = "This picture is too large. Choose a picture under 50 megapixels"


@dataclass
class Rendition:
    name: str  # master | display | thumb
    data: bytes
    mime: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return "png" if self.mime == "image/png" else "jpg"


@dataclass
class CleanImage:
    renditions: dict[str, Rendition]
    taken_on: str | None  # YYYY-MM-DD from EXIF, read before it is thrown away; None when absent or implausible


def _open(stream: BinaryIO) -> Image.Image:
    stream.seek(0, io.SEEK_END)
    size_bytes = stream.tell()
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(stream)
            width, height = img.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(_TOO_LARGE) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise UploadRejected(_DAMAGED) from None
    if width < 1 or height < 1:
        raise UploadRejected(_TOO_LARGE)
    if width * height > MAX_PIXELS and not (img.format in _JPEG_FORMATS and _fits_when_drafted(img, size_bytes)):
        raise UploadRejected(_TOO_LARGE)
    return img


def _draft(img: Image.Image) -> None:
    """Ask the JPEG decoder for 1/2, 1/4 or 1/8 scale, keeping the long side at least DRAFT_MIN_EDGE. draft() wants
    a box both sides must still cover, so it is given the picture's own shape: a square box never allows any
    reduction of a landscape or portrait photo. Only the first call on an image has any effect."""
    w, h = img.size
    img.draft("RGB", (-(-w * DRAFT_MIN_EDGE // max(w, h)), -(-h * DRAFT_MIN_EDGE // max(w, h))))


def _fits_when_drafted(img: Image.Image, size_bytes: int) -> bool:
    """Whether a JPEG over MAX_PIXELS can be decoded at reduced size within DECODE_BUDGET_BYTES. A progressive JPEG
    also needs every DCT coefficient of the full picture in memory (2 bytes each) whatever the scale."""
    w, h = img.size
    if w * h > MAX_JPEG_PIXELS or size_bytes * 8 < w * h * MIN_JPEG_BITS_PER_PIXEL:
        return False
    cost = _coefficient_bytes(img) if img.info.get("progressive") or img.info.get("progression") else 0
    _draft(img)
    decoded_w, decoded_h = img.size
    return decoded_w * decoded_h <= MAX_PIXELS and cost + decoded_w * decoded_h * 4 <= DECODE_BUDGET_BYTES


def _coefficient_bytes(img: Image.Image) -> int:
    w, h = img.size
    layers = getattr(img, "layer", None) or [("Y", 1, 1, 0)] * len(img.getbands())
    h_max, v_max = max(layer[1] for layer in layers), max(layer[2] for layer in layers)
    return sum(math.ceil(w * layer[1] / h_max / 8) * math.ceil(h * layer[2] / v_max / 8) * 64 * 2 for layer in layers)


def check_image(stream: BinaryIO, kind: str) -> None:
    """Cheap checks at upload time, before anything is stored: the claimed size fits the limits (so a decompression
    bomb is refused on the form, not in the job) and the picture is complete. Reads headers and, for a JPEG, walks
    its segments; decodes no pixels. Raises UploadRejected."""
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    if not _complete(data, kind):
        raise UploadRejected(_DAMAGED)
    _open(_still(stream))  # the picture alone: bytes after its end neither excuse a bomb nor count against it
    stream.seek(0)


def _complete(data: bytes, kind: str) -> bool:
    if kind == "jpeg":
        return end_of_picture(data) is not None  # whatever follows its end (a video, a trailer) is not our concern
    if kind == "png":
        return data.rfind(b"IEND") > data.rfind(b"IDAT") > 0
    if kind == "webp":
        return len(data) >= 12 and int.from_bytes(data[4:8], "little") + 8 <= len(data)
    return True  # HEIC: its box structure is checked when it is decoded


def _to_8bit(img: Image.Image) -> Image.Image:
    """High-bit-depth greyscale to 8 bits by scaling, not clipping (Pillow's own conversion clips 16-bit values at
    255, which leaves a scan almost white)."""
    if img.mode.startswith("I;16"):
        return img.convert("I").point(lambda v: v / 257).convert("L")
    if img.mode == "I":
        high = img.getextrema()[1]
        return img.point(lambda v: v / 257).convert("L") if high > 255 else img.convert("L")
    if img.mode == "F":
        high = img.getextrema()[1]
        return img.point(lambda v: v * 255).convert("L") if high <= 1.0 else img.convert("L")
    return img


_PROFILE_MODES = {"RGB": "RGB", "GRAY": "L", "CMYK": "CMYK"}  # an ICC profile's colour space -> the mode it reads
_MODE_FAMILY = {"RGB": "RGB", "RGBA": "RGB", "RGBX": "RGB", "P": "RGB", "L": "L", "LA": "L", "CMYK": "CMYK"}


def _to_srgb(img: Image.Image, icc: bytes | None) -> Image.Image:
    """RGB or RGBA in sRGB. An embedded ICC profile (Display P3, Adobe RGB, a printer's CMYK, a scanner's grey) is
    applied when it describes the picture's own colour space; the profile itself is dropped with the rest."""
    alpha = None
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        alpha = img.convert("RGBA").getchannel("A")
    base = "RGB" if img.mode in ("P", "PA", "RGBA", "RGBX") else ("L" if img.mode == "LA" else img.mode)
    colour = img.convert(base) if base != img.mode else img
    converted = None
    if icc and _MODE_FAMILY.get(base) in _PROFILE_MODES.values():
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if _PROFILE_MODES.get(src.profile.xcolor_space.strip()) == _MODE_FAMILY[base]:
                converted = ImageCms.profileToProfile(colour, src, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # an unreadable profile: the pixels are taken as they are
    out = converted if converted is not None else colour.convert("RGB")
    if alpha is not None and alpha.getextrema()[0] < 255:
        out.putalpha(alpha)
    out.info = {}
    return out


def _encode(img: Image.Image, name: str) -> Rendition:
    out = io.BytesIO()
    img.info = {}  # Pillow copies comments and ICC profiles from .info into the file it saves: drop them all
    if img.mode == "RGBA":
        img.save(out, "PNG", optimize=True)
        mime = "image/png"
    else:
        img.save(out, "JPEG", quality=86 if name != "thumb" else 80, optimize=True, progressive=True)
        mime = "image/jpeg"
    return Rendition(name, out.getvalue(), mime, img.width, img.height)


def _still(stream: BinaryIO) -> BinaryIO:
    """The picture alone: a JPEG's bytes up to its end marker (a motion photo's video is dropped here)."""
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    end = end_of_picture(data) if data.startswith(b"\xff\xd8") else None
    return io.BytesIO(data[:end] if end else data)


def clean_image(stream: BinaryIO) -> CleanImage:
    """Decode (at reduced scale where possible), orient, convert to 8-bit sRGB and re-encode three renditions.
    Raises UploadRejected for a picture that is too large or cannot be decoded."""
    img = _open(_still(stream))
    taken = taken_on(img)
    try:
        if img.format in _JPEG_FORMATS:
            _draft(img)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img.load()
        source_format, icc, adobe = img.format, img.info.get("icc_profile"), "adobe" in img.info
        img = ImageOps.exif_transpose(img)
        if img.mode == "CMYK" and source_format in _JPEG_FORMATS and not adobe:
            # Pillow reads every CMYK JPEG as Adobe writes them, inverted; without Adobe's marker they are not.
            img = ImageChops.invert(img)
        img = _to_srgb(_to_8bit(img), icc)
    except UploadRejected:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise UploadRejected(_DAMAGED) from None
    renditions = {}
    for name, edge in (("master", MASTER_EDGE), ("display", DISPLAY_EDGE), ("thumb", THUMB_EDGE)):
        if max(img.size) > edge:
            img.thumbnail((edge, edge), Image.Resampling.LANCZOS, reducing_gap=2.0)
        renditions[name] = _encode(img, name)
    return CleanImage(renditions=renditions, taken_on=taken)
