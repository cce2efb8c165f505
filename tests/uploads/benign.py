"""Benign files for the upload tests: oriented, large, transparent and HEIC photos, and files carrying the canary."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
from PIL import Image

from tests.uploads.corpus import CANARY, docx, odt, pdf

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


# --- ordinary documents: scanned receipts and letters -----------------------------------------------------------------

A4 = (595.28, 841.89)
A4_LANDSCAPE = (841.89, 595.28)
US_LETTER = (612, 792)  # LibreOffice's page for a Word file that names none, as Word's own default
RECEIPT_RED = (220, 20, 20)


def _scan(size_px: tuple[int, int], noisy: bool) -> bytes:
    """A scanned page: grey paper (with sensor noise when `noisy`) and a red mark in the top-left corner."""
    import random

    width, height = size_px
    if noisy:
        rnd = random.Random(7)
        img = Image.frombytes("L", size_px, rnd.randbytes(width * height)).point(lambda v: 150 + v // 3)
    else:
        img = Image.linear_gradient("L").resize(size_px)
    img = img.convert("RGB")
    img.paste(RECEIPT_RED, (0, 0, width // 10, height // 10))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _with_bytes_in_scan_data(jpeg: bytes, planted: bytes) -> bytes:
    """Put `planted` inside the compressed picture data, as chance does in real scans (the picture still decodes)."""
    start = jpeg.rfind(b"\xff\xda")
    middle = start + (len(jpeg) - start) * 3 // 4
    data = jpeg[:middle] + planted + jpeg[middle + len(planted) :]
    Image.open(io.BytesIO(data)).load()
    return data


def _pdf_of_pictures(pictures: list[tuple[bytes, tuple[int, int], tuple[float, float]]], rotate: int = 0) -> bytes:
    doc = pikepdf.new()
    for data, (w, h), (pw, ph) in pictures:
        doc.add_blank_page(page_size=(pw, ph))
        page = doc.pages[-1]
        image = pikepdf.Stream(
            doc,
            data,
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=w,
            Height=h,
            ColorSpace=pikepdf.Name.DeviceRGB,
            BitsPerComponent=8,
            Filter=pikepdf.Name.DCTDecode,
        )
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = doc.make_stream(f"q {pw} 0 0 {ph} 0 0 cm /Im0 Do Q".encode())
        if rotate:
            page.Rotate = rotate
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _letter_pdf(pages: int, orientation: str = "P") -> bytes:
    from fpdf import FPDF

    letter = FPDF(orientation=orientation, format="A4")
    letter.set_font("Helvetica", size=12)
    for n in range(pages):
        letter.add_page()
        letter.multi_cell(0, 8, f"Dear carer,\n\nThank you for coming to the review. Page {n + 1}.\n\nYours sincerely")
    return bytes(letter.output())


def _letter_docx(pages: int) -> bytes:
    paragraph = "<w:p><w:r><w:t>Dear carer, thank you for coming to the review.</w:t></w:r></w:p>"
    page_break = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    return docx(body=page_break.join([paragraph] * pages))


def ordinary_documents() -> dict[str, tuple[bytes, list[tuple[float, float]]]]:
    """name -> (bytes, the size in points of each page the rebuilt PDF must have)."""

    receipt = _with_bytes_in_scan_data(_scan((1240, 1754), noisy=True), b"/JS")
    big_scan = _scan((2480, 3508), noisy=False)  # 300 dpi A4
    field = Path(__file__).parent.parent / "fixtures" / "documents" / "scanned-receipt.pdf"
    return {
        "scanned-receipt-with-js-bytes.pdf": (_pdf_of_pictures([(receipt, (1240, 1754), A4)]), [A4]),
        "field-scanned-receipt.pdf": (field.read_bytes(), [(595.44, 842.04)]),
        "300-dpi-scans.pdf": (_pdf_of_pictures([(big_scan, (2480, 3508), A4)] * 2), [A4, A4]),
        "sideways-scan.pdf": (_pdf_of_pictures([(big_scan, (2480, 3508), A4)], rotate=90), [A4_LANDSCAPE]),
        "letter.pdf": (_letter_pdf(1), [A4]),
        "three-page-letter.pdf": (_letter_pdf(3), [A4] * 3),
        "landscape-letter.pdf": (_letter_pdf(1, "L"), [A4_LANDSCAPE]),
        "letter.docx": (docx(), [US_LETTER]),
        "three-page-letter.docx": (_letter_docx(3), [US_LETTER] * 3),
        "letter.odt": (odt(), [A4]),
    }


def slow_pdf() -> bytes:
    """One page of five million tiny squares: a small file that takes PDFium well over the tests' two-second limit to
    draw, however fast the machine."""

    def build(doc):
        doc.pages[0].Contents = doc.make_stream(b"0 0 0.5 0.5 re f\n" * 5_000_000)

    return pdf(build)


def unreadable_docx() -> bytes:
    """A package that looks like Word from outside but whose document part is not XML: LibreOffice cannot open it."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            body = b"\x00\xffnot xml" if info.filename == "word/document.xml" else source.read(info)
            package.writestr(info.filename, body)
    return out.getvalue()


def pdf_with_picture_claiming(width: int, height: int) -> bytes:
    """A one-page PDF whose picture claims width x height RGB pixels, all zeros, in a few tens of KB (a bomb)."""
    import zlib

    def build(doc):
        comp = zlib.compressobj(9)
        data = b"".join(comp.compress(b"\0" * (width * 3)) for _ in range(200)) + comp.flush()
        image = pikepdf.Stream(
            doc,
            data,
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=width,
            Height=height,
            ColorSpace=pikepdf.Name.DeviceRGB,
            BitsPerComponent=8,
            Filter=pikepdf.Name.FlateDecode,
        )
        doc.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        doc.pages[0].Contents = doc.make_stream(b"q 200 0 0 200 0 0 cm /Im0 Do Q")

    return pdf(build)
