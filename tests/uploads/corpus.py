"""Files for the upload tests, made in code: hostile ones the pipeline must refuse, benign ones it must clean."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pikepdf
from PIL import Image

CANARY = "CANARY 7 Secret Street"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


# --- building blocks ---------------------------------------------------------------------------------------------


def jpeg(size=(64, 48), colour="teal", **save) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "JPEG", quality=85, **save)
    return buf.getvalue()


def png(size=(64, 48), colour="teal", mode="RGB", **save) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, colour).save(buf, "PNG", **save)
    return buf.getvalue()


def webp(size=(64, 48), colour="teal", **save) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "WEBP", **save)
    return buf.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int, idat: bytes = b"") -> bytes:
    """A PNG whose header claims any size, with the given (maybe tiny) compressed pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat or zlib.compress(b"\0" * 64))
        + _png_chunk(b"IEND", b"")
    )


def png_bomb(width: int = 10_000, height: int = 10_000) -> bytes:
    """A real decompression bomb: every row is present, all zeros, so 100 MP shrink to about 100 KB."""
    comp = zlib.compressobj(9)
    row = b"\0" * (width + 1)
    parts = [comp.compress(row * 500) for _ in range(height // 500)]
    parts.append(comp.flush())
    return png_claiming(width, height, b"".join(parts))


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF) is rewritten to claim a huge picture."""
    data = bytearray(jpeg((16, 16)))
    i = 2
    while i < len(data):
        marker, length = data[i + 1], int.from_bytes(data[i + 2 : i + 4], "big")
        if marker in (0xC0, 0xC2):
            data[i + 5 : i + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        i += 2 + length
    raise AssertionError("no SOF marker")


def webp_vp8l_claiming(width: int, height: int) -> bytes:
    data = bytearray(webp((8, 8), lossless=True))
    assert data[12:16] == b"VP8L"
    bits = (width - 1) | ((height - 1) << 14) | (int.from_bytes(data[21:25], "little") & ~((1 << 28) - 1))
    data[21:25] = bits.to_bytes(4, "little")
    return bytes(data)


def webp_vp8x_claiming(width: int, height: int) -> bytes:
    inner = webp((8, 8), lossless=True)[12:]
    vp8x = (
        b"VP8X"
        + struct.pack("<I", 10)
        + bytes([0, 0, 0, 0])
        + (width - 1).to_bytes(3, "little")
        + (height - 1).to_bytes(3, "little")
    )
    body = b"WEBP" + vp8x + inner
    return b"RIFF" + struct.pack("<I", len(body)) + body


def gif(size=(16, 16)) -> bytes:
    buf = io.BytesIO()
    Image.new("P", size, 1).save(buf, "GIF")
    return buf.getvalue()


def gif_claiming(width: int, height: int) -> bytes:
    data = bytearray(gif())
    data[6:10] = struct.pack("<HH", width, height)
    return bytes(data)


def jpeg_with_comment(text: bytes) -> bytes:
    body = jpeg()
    com = b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text
    return body[:2] + com + body[2:]


def pdf(extra=None, **save) -> bytes:
    doc = pikepdf.new()
    doc.add_blank_page(page_size=(200, 200))
    if extra:
        extra(doc)
    buf = io.BytesIO()
    doc.save(buf, **save)
    return buf.getvalue()


def _open_action_js(doc):
    doc.Root.OpenAction = doc.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    )


def _launch(doc):
    doc.Root.OpenAction = doc.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")))


def _embedded_file(doc):
    doc.attachments["run.exe"] = pikepdf.AttachedFileSpec(
        doc, b"MZ\x90\x00payload", mime_type="application/octet-stream"
    )


def _page_aa(doc):
    doc.pages[0].obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("x()")))


def pdf_with_escaped_js_name() -> bytes:
    """/J#61vaScript is /JavaScript spelled with a hex escape: a byte search for the name misses it."""
    raw = pdf(_open_action_js, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    raw = raw.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ").replace(b"/JS(", b"/J#53(")
    return raw


def docx(
    *,
    core_author: str = "",
    company: str = "",
    media: bytes | None = None,
    extra: dict | None = None,
    content_types_extra: str = "",
) -> bytes:
    buf = io.BytesIO()
    rels_media = (
        (
            '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'image" Target="media/image1.jpeg"/>'
        )
        if media
        else ""
    )
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" '
                'ContentType="image/jpeg"/><Override PartName="/word/document.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' + content_types_extra + "</Types>"
            ),
        )
        z.writestr(
            "_rels/.rels",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
            ),
        )
        z.writestr(
            "word/document.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Fire escape plan</w:t></w:r></w:p></w:body>'
                "</w:document>"
            ),
        )
        z.writestr(
            "word/_rels/document.xml.rels",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                f'2006/relationships">{rels_media}</Relationships>'
            ),
        )
        z.writestr(
            "docProps/core.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
                'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<dc:creator>{core_author}</dc:creator><cp:lastModifiedBy>{core_author}</cp:lastModifiedBy>"
                "</cp:coreProperties>"
            ),
        )
        z.writestr(
            "docProps/app.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/'
                f'officeDocument/2006/extended-properties"><Company>{company}</Company><Manager>{company}</Manager>'
                "<Application>Microsoft Office Word</Application></Properties>"
            ),
        )
        if media:
            z.writestr("word/media/image1.jpeg", media)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def odt(extra: dict | None = None, meta_author: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        z.writestr(
            "META-INF/manifest.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.text"/></manifest:manifest>'
            ),
        )
        z.writestr(
            "content.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
                'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
                "<office:body><office:text><text:p>Plan</text:p></office:text></office:body></office:document-content>"
            ),
        )
        z.writestr(
            "meta.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:'
                'opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0">'
                f"<office:meta><meta:initial-creator>{meta_author}</meta:initial-creator></office:meta>"
                "</office:document-meta>"
            ),
        )
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def docx_zip_bomb() -> bytes:
    """A DOCX whose parts inflate to more than 200 MB (zeros compress about a thousandfold)."""
    buf = io.BytesIO(docx())
    with (
        zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z,
        z.open("word/media/huge.bin", "w", force_zip64=True) as f,
    ):
        chunk = b"\0" * (16 << 20)
        for _ in range(14):
            f.write(chunk)
    return buf.getvalue()


def half(data: bytes) -> bytes:
    return data[: len(data) // 2]


# --- the hostile corpus: every one must be refused by the form, nothing stored --------------------------------------


def hostile_corpus() -> dict[str, bytes]:
    photo = jpeg((200, 150), "orange")
    docm_types = (
        '<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.'
        'macroEnabled.main+xml"/>'
    )
    return {
        # decompression bombs and size lies
        "bomb-100mp.png": png_bomb(),
        "claims-60mp.png": png_claiming(8000, 7500),
        "claims-one-pixel-wide.png": png_claiming(1, 60_000_000),
        "claims-4gp.jpg": jpeg_claiming(65_000, 65_000),
        "claims-60mp.jpg": jpeg_claiming(8000, 7500),
        "claims-268mp-lossless.webp": webp_vp8l_claiming(16_383, 16_383),
        "claims-268mp-extended.webp": webp_vp8x_claiming(16_383, 16_383),
        "bomb.gif": gif_claiming(65_535, 65_535),
        "small.gif": gif(),
        # empty and truncated
        "empty.jpg": b"",
        "empty.pdf": b"",
        "truncated.jpg": half(photo),
        "only-the-header.jpg": photo[:20],
        "truncated.png": half(png((300, 200), "navy")),
        "truncated.webp": half(webp((300, 200), "navy")),
        "truncated.pdf": half(pdf()),
        "truncated.docx": half(docx()),
        # polyglots and active content
        "script-in-comment.jpg": jpeg_with_comment(b"<html><script>alert(document.cookie)</script></html>"),
        "php-in-comment.jpg": jpeg_with_comment(b"<?php system($_GET['c']); ?>"),
        "script-after-the-picture.jpg": photo + b"<script>alert(1)</script>",
        "script-in-text-chunk.png": png(pnginfo=_pnginfo("Comment", "<svg onload=alert(1)>")),
        "javascript-url.webp": webp(exif=b"Exif\0\0javascript:alert(1)"),
        "page.html.jpg": b"<!doctype html><html><body><script>alert(1)</script></body></html>",
        "drawing.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "drawing-renamed.png": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "script.pdf": b"alert(document.domain)",
        "program.jpg": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 64,
        "clip.mp4": _tiny_mp4_or_header(),
        # PDFs that act
        "open-action-javascript.pdf": pdf(_open_action_js),
        "javascript-in-object-stream.pdf": pdf(_open_action_js, object_stream_mode=pikepdf.ObjectStreamMode.generate),
        "javascript-escaped-name.pdf": pdf_with_escaped_js_name(),
        "launch-action.pdf": pdf(_launch),
        "embedded-file.pdf": pdf(_embedded_file),
        "page-action.pdf": pdf(_page_aa, object_stream_mode=pikepdf.ObjectStreamMode.generate),
        "password.pdf": pdf(encryption=pikepdf.Encryption(owner="o", user="secret")),
        # office files with macros, and archives
        "macros.docm": docx(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}, content_types_extra=docm_types),
        "macros-renamed.docx": docx(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}),
        "basic-macros.odt": odt({"Basic/Standard/Module1.xml": "<script:module/>"}),
        "scripts.odt": odt({"Scripts/python/run.py": "import os"}),
        "zip-bomb.docx": docx_zip_bomb(),
        "archive.zip": zip_of({"a.txt": b"hello"}),
        # the antivirus test file where the allow-list sees it first
        "eicar.com": EICAR,
        "eicar.jpg": EICAR,
        "eicar.zip": zip_of({"eicar.com": EICAR}),
    }


def _pnginfo(key: str, value: str):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text(key, value)
    return info


def _tiny_mp4_or_header() -> bytes:  # video is not accepted on a log: it only has to be recognised as MP4
    return b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free"


# --- files the antivirus must catch after the allow-list let them through -----------------------------------------


def infected_corpus() -> dict[str, bytes]:
    return {
        "eicar-after-the-picture.jpg": jpeg((120, 90), "green") + EICAR,
        "eicar-inside.docx": docx(extra={"word/embeddings/eicar.com": EICAR}),
    }


# --- benign files ---------------------------------------------------------------------------------------------------

# How to store an upright picture so that a viewer applying EXIF orientation n shows it upright again.
_STORED_AS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}
UPRIGHT_SIZE = (240, 160)  # landscape, so a wrong rotation also shows in the stored size


def upright() -> Image.Image:
    """Red top-left, blue top-right, green bottom-left, yellow bottom-right, grey elsewhere."""
    w, h = UPRIGHT_SIZE
    img = Image.new("RGB", (w, h), (128, 128, 128))
    for colour, box in (
        ((255, 0, 0), (0, 0, 60, 40)),
        ((0, 0, 255), (w - 60, 0, w, 40)),
        ((0, 255, 0), (0, h - 40, 60, h)),
        ((255, 255, 0), (w - 60, h - 40, w, h)),
    ):
        img.paste(colour, box)
    return img


def oriented_jpeg(orientation: int) -> bytes:
    img = upright()
    if orientation != 1:
        img = img.transpose(_STORED_AS[orientation])
    exif = Image.Exif()
    exif[0x0112] = orientation
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95, exif=exif.tobytes())
    return buf.getvalue()


def big_photo(megapixels: int) -> bytes:
    """A 4:3 camera-sized JPEG with coloured corners; smooth so the file stays a few MB."""
    width = int((megapixels * 1_000_000 * 4 / 3) ** 0.5)
    height = megapixels * 1_000_000 // width
    img = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    img.paste((255, 0, 0), (0, 0, width // 8, height // 8))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def alpha_png() -> bytes:
    img = Image.new("RGBA", (120, 80), (0, 128, 255, 255))
    img.paste((255, 0, 0, 0), (0, 0, 60, 80))  # the left half fully transparent
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def heic() -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    upright().save(buf, "HEIF", quality=90)
    return buf.getvalue()


def plant_canary(paths: list[Path]) -> None:
    """Write the canary into EXIF, GPS, XMP, IPTC and comments of each file, as a phone or an editor would."""
    exiftool = shutil.which("exiftool")
    assert exiftool, "exiftool is needed for the metadata tests"
    args = [
        exiftool,
        "-q",
        "-q",
        "-m",
        "-overwrite_original",
        f"-EXIF:Artist={CANARY}",
        f"-EXIF:ImageDescription={CANARY}",
        f"-EXIF:UserComment={CANARY}",
        f"-EXIF:Copyright={CANARY}",
        "-GPSLatitude=51.501364",
        "-GPSLatitudeRef=N",
        "-GPSLongitude=0.14189",
        "-GPSLongitudeRef=W",
        f"-XMP-dc:Description={CANARY}",
        f"-XMP-dc:Creator={CANARY}",
        f"-XMP-photoshop:City={CANARY}",
        f"-IPTC:Caption-Abstract={CANARY}",
        f"-IPTC:City={CANARY}",
        f"-Comment={CANARY}",
        "-EXIF:DateTimeOriginal=2021:06:05 10:11:12",
    ]
    subprocess.run(args + [str(p) for p in paths], check=True, capture_output=True, timeout=120)


def pdf_with_canary(photo_with_gps: bytes) -> bytes:
    def extra(doc):
        doc.docinfo["/Author"] = CANARY
        doc.docinfo["/Title"] = CANARY
        with doc.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = [CANARY]
            meta["dc:description"] = CANARY
        image = pikepdf.Stream(
            doc,
            photo_with_gps,
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=120,
            Height=90,
            ColorSpace=pikepdf.Name.DeviceRGB,
            BitsPerComponent=8,
            Filter=pikepdf.Name.DCTDecode,
        )
        page = doc.pages[0]
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = doc.make_stream(b"q 120 0 0 90 10 10 cm /Im0 Do Q")

    return pdf(extra)


def mp4_with_canary(path: Path) -> None:
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=320x240:rate=10",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=8000",
            "-t",
            "2",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            "-metadata",
            f"title={CANARY}",
            "-metadata",
            f"comment={CANARY}",
            "-metadata",
            f"artist={CANARY}",
            "-metadata",
            "location=+51.5014-000.1419/",
            "-metadata",
            "creation_time=2021-06-05T10:11:12Z",
            "-metadata:s:v",
            f"handler_name={CANARY}",
            "-movflags",
            "+use_metadata_tags",
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
