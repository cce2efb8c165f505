"""Pictures as phones, scanners and editors save them: high bit depths, CMYK, palettes with transparency, motion
photos, panoramas, unset camera clocks. Made in code, beside the real examples in tests/fixtures/photos."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image

from portal.core.files.jpeg import end_of_picture
from tests.uploads.corpus import _png_chunk

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "photos"
RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _save(img: Image.Image, fmt: str, **options) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **options)
    return buf.getvalue()


# --- high bit depth and unusual modes ---------------------------------------------------------------------------------


def grey_ramp_16bit(width: int = 512, height: int = 32, top: int = 65535) -> bytes:
    """A 16-bit greyscale PNG ramp from black (left) to `top` (right): white, or the darker top of a 12-bit scan."""
    row = [round(x * top / (width - 1)) for x in range(width)]
    return _save(Image.frombytes("I;16", (width, height), struct.pack(f"<{width}H", *row) * height), "PNG")


def rgb_png_16bit(width: int = 120, height: int = 40) -> bytes:
    """A 16-bit RGB PNG (Pillow writes none): red on the left half, mid grey on the right."""
    half = width // 2
    row = b"\0" + struct.pack(">3H", 65535, 0, 0) * half + struct.pack(">3H", 32896, 32896, 32896) * (width - half)
    ihdr = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(row * height))
        + _png_chunk(b"IEND", b"")
    )


def _cmyk_stripes(width: int = 150, height: int = 60) -> Image.Image:
    """Red, green and blue stripes, as a printer's inks make them."""
    img = Image.new("CMYK", (width, height))
    third = width // 3
    img.paste((0, 255, 255, 0), (0, 0, third, height))  # magenta + yellow: red
    img.paste((255, 0, 255, 0), (third, 0, 2 * third, height))  # cyan + yellow: green
    img.paste((255, 255, 0, 0), (2 * third, 0, width, height))  # cyan + magenta: blue
    return img


def cmyk_jpeg_adobe() -> bytes:
    """As Photoshop saves CMYK: an Adobe APP14 marker and inverted values (what Pillow writes too)."""
    return _save(_cmyk_stripes(), "JPEG", quality=95)


def cmyk_jpeg_plain() -> bytes:
    """CMYK with no Adobe marker, so with plain (not inverted) values, as other software writes it."""
    from PIL import ImageChops

    data = _save(ImageChops.invert(_cmyk_stripes()), "JPEG", quality=95)  # Pillow inverts on save: undo it
    return _without_segment(data, 0xEE)


def _without_segment(jpeg: bytes, marker: int) -> bytes:
    i = 2
    while jpeg[i] == 0xFF and jpeg[i + 1] != 0xDA:
        length = int.from_bytes(jpeg[i + 2 : i + 4], "big")
        if jpeg[i + 1] == marker:
            return jpeg[:i] + jpeg[i + 2 + length :]
        i += 2 + length
    raise AssertionError("no such segment")


def palette_with_transparency() -> bytes:
    """A palette PNG (as GIF-era tools and some screenshots save) whose left half is transparent."""
    img = Image.new("P", (120, 80), 1)
    img.putpalette([255, 255, 255, 0, 128, 255] + [0, 0, 0] * 254)
    img.paste(0, (0, 0, 60, 80))
    return _save(img, "PNG", transparency=0)


def grey_with_alpha() -> bytes:
    """LA: a mid-grey picture whose right half is transparent."""
    img = Image.new("LA", (120, 80), (100, 255))
    img.paste((100, 0), (60, 0, 120, 80))
    return _save(img, "PNG")


def rgba_half_transparent() -> bytes:
    img = Image.new("RGBA", (120, 80), (0, 128, 255, 255))
    img.paste((0, 0, 0, 0), (0, 0, 60, 80))
    return _save(img, "PNG")


def swapped_primaries_profile() -> bytes:
    """An RGB ICC profile whose red primary is sRGB's green and green is sRGB's red, so a picture that carries it
    shows the other colour only when the profile is really applied."""
    import pikepdf

    icc = bytearray((Path(pikepdf.__file__).parent / "pdfa" / "data" / "sRGB.icc").read_bytes())
    count = int.from_bytes(icc[128:132], "big")
    for n in range(count):
        at = 132 + 12 * n
        icc[at : at + 4] = {b"rXYZ": b"gXYZ", b"gXYZ": b"rXYZ"}.get(bytes(icc[at : at + 4]), bytes(icc[at : at + 4]))
    return bytes(icc)


def red_jpeg_with_profile(icc: bytes) -> bytes:
    return _save(Image.new("RGB", (120, 80), RED), "JPEG", quality=95, icc_profile=icc)


# --- motion photos ----------------------------------------------------------------------------------------------------


def motion_video() -> bytes:
    """The MP4 of the real Pixel motion photo: real video bytes, full of markers a JPEG also uses."""
    data = fixture("PXL_20261101_motion.MP.jpg")
    return data[end_of_picture(data) :]


def still(colour=(30, 160, 90), size=(640, 480), **save) -> bytes:
    return _save(Image.new("RGB", size, colour), "JPEG", quality=90, **save)


def pixel_motion_photo(picture: bytes) -> bytes:
    """Google's format: the JPEG, then the MP4 (its offset is given in the JPEG's XMP)."""
    return picture + motion_video()


def samsung_motion_photo(picture: bytes) -> bytes:
    """Samsung's format: the JPEG, a MotionPhoto_Data tag, the MP4, then an SEF trailer that indexes them."""
    video = b"MotionPhoto_Data" + motion_video()
    entry = struct.pack("<HHII", 0, 0x0A30, len(video), len(video))  # type, offset from the trailer, length
    trailer = b"SEFH" + struct.pack("<II", 106, 1) + entry + struct.pack("<I", 12 + len(entry)) + b"SEFT"
    return picture + video + trailer


# --- panoramas and bombs ----------------------------------------------------------------------------------------------


def panorama(width: int, height: int) -> bytes:
    """A greyscale panorama with a camera's sensor noise, so it compresses like a photograph (not like a bomb)."""
    img = Image.effect_noise((width // 8, height // 8), 40).resize((width, height), Image.Resampling.BILINEAR)
    img.paste(255, (0, 0, width // 16, height // 8))  # a white corner, to check the picture's orientation
    return _save(img, "JPEG", quality=70)


def flat_grey_jpeg(width: int, height: int) -> bytes:
    """A real, complete, decodable baseline JPEG of one flat grey, of any size, without ever holding its pixels:
    every 8x8 block is 'no change, end of block' in the standard tables, so 400 MP fit in under 5 MB."""
    header = bytearray(_save(Image.new("L", (8, 8), 128), "JPEG", quality=50, optimize=False))
    sof = header.find(b"\xff\xc0")
    header[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    sos = header.find(b"\xff\xda")
    header = header[: sos + 2 + int.from_bytes(header[sos + 2 : sos + 4], "big")]
    blocks = -(-width // 8) * -(-height // 8)
    # DC difference 0 is "00" and end-of-block "1010" in the standard luminance tables: 6 bits a block, 4 blocks
    # in 3 bytes.
    body = bytes([0b00101000, 0b10100010, 0b10001010]) * (blocks // 4)
    tail = "001010" * (blocks % 4)
    if tail:
        tail += "1" * (-len(tail) % 8)  # padding with ones, as the standard says
        body += int(tail, 2).to_bytes(len(tail) // 8, "big")
    return bytes(header) + body + b"\xff\xd9"


def progressive_claiming(width: int, height: int) -> bytes:
    """A progressive colour JPEG (4:4:4) whose frame claims width x height, with enough compressed data to look
    like a photograph of that size. Decoding a progressive JPEG needs every coefficient of the whole picture."""
    small = Image.merge("RGB", [Image.effect_noise((1200, 900), 60) for _ in range(3)])
    data = bytearray(_save(small, "JPEG", quality=95, progressive=True, subsampling=0))
    sof = data.find(b"\xff\xc2")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)
