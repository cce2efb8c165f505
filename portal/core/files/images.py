"""Re-encode pictures so that only pixels survive: orientation applied, colours to sRGB, every metadata block dropped.

Three renditions are kept: a master (longest side at most MASTER_EDGE, the "original" people download), a display
size and a thumbnail. JPEG draft decoding lets Pillow decode a 48-megapixel photo at half or quarter scale directly,
so memory stays low on a small server.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from portal.core.files import UploadRejected

register_heif_opener()

MAX_PIXELS = 50_000_000  # about 50 megapixels: the largest phone cameras, and well short of a decompression bomb
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
MASTER_EDGE = 4096
DRAFT_MIN_EDGE = MASTER_EDGE * 3 // 4  # a 48 MP photo decodes at half size (4000 px): a master barely smaller
DISPLAY_EDGE = 1600
THUMB_EDGE = 400
_SRGB = ImageCms.createProfile("sRGB")
_DAMAGED = "This picture is damaged or incomplete. Choose the file again, or take the photo again"


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
    taken_on: str | None  # EXIF DateTimeOriginal (YYYY:MM:DD), read before it is thrown away


def _open(stream: BinaryIO) -> Image.Image:
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(stream)
            width, height = img.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected("This picture is too large. Choose a picture under 50 megapixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise UploadRejected(_DAMAGED) from None
    if width * height > MAX_PIXELS or width < 1 or height < 1:
        raise UploadRejected("This picture is too large. Choose a picture under 50 megapixels")
    return img


def check_image(stream: BinaryIO, kind: str) -> None:
    """Cheap checks at upload time, before anything is stored: the claimed size is under the cap (so a decompression
    bomb is refused on the form, not in the job) and the file is complete. Reads headers only; decodes no pixels."""
    _open(stream)  # not closed: Image.close() would close the caller's stream too
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    if not _complete(data, kind):
        raise UploadRejected(_DAMAGED)


def _complete(data: bytes, kind: str) -> bool:
    if kind == "jpeg":
        # An end-of-image marker after the last start-of-scan; cameras may append data after it, which is fine.
        sos = data.rfind(b"\xff\xda")
        return sos > 0 and data.rfind(b"\xff\xd9") > sos
    if kind == "png":
        return data.rfind(b"IEND") > data.rfind(b"IDAT") > 0
    if kind == "webp":
        return len(data) >= 12 and int.from_bytes(data[4:8], "little") + 8 <= len(data)
    return True  # HEIC: its box structure is checked when it is decoded


def _taken_on(img: Image.Image) -> str | None:
    try:
        exif = img.getexif()
        value = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)  # DateTimeOriginal, else DateTime
    except Exception:  # a broken EXIF block must not stop the picture itself
        return None
    if isinstance(value, str) and len(value) >= 10 and value[4] == ":" and value[7] == ":":
        return value[:10].replace(":", "-")
    return None


def _to_srgb(img: Image.Image) -> Image.Image:
    icc = img.info.get("icc_profile")
    if icc:
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            mode = "RGBA" if img.mode in ("RGBA", "LA", "PA") else "RGB"
            img = ImageCms.profileToProfile(img.convert(mode), src, _SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: keep the pixels as they are
    return img


def _has_alpha(img: Image.Image) -> bool:
    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        alpha = img.convert("RGBA").getchannel("A")
        return alpha.getextrema()[0] < 255
    return False


def _encode(img: Image.Image, name: str, alpha: bool) -> Rendition:
    out = io.BytesIO()
    img.info = {}  # Pillow copies comments and ICC profiles from .info into the file it saves: drop them all
    if alpha:
        img = img.convert("RGBA")
        img.info = {}
        img.save(out, "PNG", optimize=True)
        mime = "image/png"
    else:
        img = img.convert("RGB")
        img.info = {}
        img.save(out, "JPEG", quality=86 if name != "thumb" else 80, optimize=True, progressive=True)
        mime = "image/jpeg"
    return Rendition(name, out.getvalue(), mime, img.width, img.height)


def clean_image(stream: BinaryIO) -> CleanImage:
    """Decode (at reduced scale where possible), orient, convert to sRGB and re-encode three renditions."""
    img = _open(stream)
    taken_on = _taken_on(img)
    try:
        if img.format == "JPEG":
            # DCT scaling: decode at 1/2, 1/4 or 1/8 size directly, keeping the long side at least DRAFT_MIN_EDGE.
            # draft() wants a box both sides must still cover, so it is given the picture's own shape: a square
            # (MASTER_EDGE, MASTER_EDGE) box never allows any reduction of a landscape or portrait photo.
            w, h = img.size
            img.draft("RGB", (-(-w * DRAFT_MIN_EDGE // max(w, h)), -(-h * DRAFT_MIN_EDGE // max(w, h))))
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img.load()
        img = ImageOps.exif_transpose(img)
        img = _to_srgb(img)
    except UploadRejected:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise UploadRejected(_DAMAGED) from None
    if img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        img = img.convert("RGB")
    alpha = _has_alpha(img)
    renditions = {}
    for name, edge in (("master", MASTER_EDGE), ("display", DISPLAY_EDGE), ("thumb", THUMB_EDGE)):
        if max(img.size) > edge:
            img.thumbnail((edge, edge), Image.Resampling.LANCZOS, reducing_gap=2.0)
        renditions[name] = _encode(img, name, alpha)
    return CleanImage(renditions=renditions, taken_on=taken_on)
