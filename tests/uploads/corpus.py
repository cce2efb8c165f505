"""Building blocks for the upload tests: images, PDFs, office files and archives made in code, whole or malformed."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

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


def jpeg_claiming_many(count: int, width: int, height: int, folder: str = "word/media") -> dict[str, bytes]:
    """Package parts: `count` small JPEGs each claiming width x height pixels (a DOCX/ODT of huge pictures)."""
    picture = jpeg_claiming(width, height)
    return {f"{folder}/image{n}.jpeg": picture for n in range(count)}


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


def open_action_js(doc):
    doc.Root.OpenAction = doc.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    )


def launch_action(doc):
    doc.Root.OpenAction = doc.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")))


def embedded_file(doc):
    doc.attachments["run.exe"] = pikepdf.AttachedFileSpec(
        doc, b"MZ\x90\x00payload", mime_type="application/octet-stream"
    )


def page_action(doc):
    doc.pages[0].obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("x()")))


def pdf_with_escaped_js_name() -> bytes:
    """/J#61vaScript is /JavaScript spelled with a hex escape: a byte search for the name misses it."""
    raw = pdf(open_action_js, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    raw = raw.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ").replace(b"/JS(", b"/J#53(")
    return raw


def docx(
    *,
    core_author: str = "",
    company: str = "",
    media: bytes | None = None,
    extra: dict | None = None,
    content_types_extra: str = "",
    body: str = "<w:p><w:r><w:t>Fire escape plan</w:t></w:r></w:p>",
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
                'wordprocessingml/2006/main"><w:body>' + body + "</w:body></w:document>"
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
