"""Draw a PDF's pages as pictures and build a new PDF that holds nothing else.

Whatever the uploaded file carried (scripts, actions, links, attachments, forms, metadata, hidden layers) is left
behind: the new PDF has one JPEG per page and no other objects. PDFium runs in a child process
(`python -m portal.core.files.pixels`) with a memory cap and a deadline, so a hostile file can neither crash the
worker nor hold it for long.
"""

from __future__ import annotations

import io
import json
import math
import os
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# What the child reports on failure, and what the person is told (UploadRejected messages live in documents.py).
PASSWORD, DAMAGED, TOO_MANY_PAGES, TIMED_OUT = "password", "damaged", "pages", "time"
CHILD_MEMORY_BYTES = 2 << 30  # address space for PDFium: generous for a 20 MP page, fatal for a decompression bomb
JPEG_QUALITY = 85


@dataclass(frozen=True)
class RenderLimits:
    dpi: int = 150
    max_pages: int = 50
    max_page_pixels: int = 20_000_000  # an A1 page at 150 dpi; larger pages are drawn smaller to fit
    seconds: float = 60.0


class RenderFailed(Exception):
    """The pages could not be drawn; `reason` is one of PASSWORD, DAMAGED, TOO_MANY_PAGES, TIMED_OUT."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def page_scale(width_pt: float, height_pt: float, limits: RenderLimits) -> float:
    """Pixels per point: the chosen dpi, or less for a page so large it would exceed the pixel budget."""
    scale = limits.dpi / 72
    area = max(width_pt * height_pt, 1.0)
    if area * scale * scale > limits.max_page_pixels:
        scale = math.sqrt(limits.max_page_pixels / area)
        while math.ceil(width_pt * scale) * math.ceil(height_pt * scale) > limits.max_page_pixels:
            scale *= 0.995  # PDFium rounds the bitmap up to whole pixels
    return scale


def rebuild_pdf(source: Path, target: Path, limits: RenderLimits) -> None:
    """Render `source` in a child process and write the rebuilt PDF to `target`. Raises RenderFailed."""
    args = [
        sys.executable,
        "-m",
        "portal.core.files.pixels",
        str(source),
        str(target),
        json.dumps({"dpi": limits.dpi, "max_pages": limits.max_pages, "max_page_pixels": limits.max_page_pixels}),
    ]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=limits.seconds)  # what is left of the shared deadline, never more
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise RenderFailed(TIMED_OUT) from None
    if proc.returncode != 0 or not target.exists():
        reason = (out or b"").decode(errors="replace").strip() or DAMAGED
        raise RenderFailed(reason if reason in (PASSWORD, DAMAGED, TOO_MANY_PAGES) else DAMAGED)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


# --- the child ------------------------------------------------------------------------------------------------------


def _render(source: Path, target: Path, limits: RenderLimits) -> str | None:
    import img2pdf
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(source))
    except pdfium.PdfiumError as exc:
        return PASSWORD if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD else DAMAGED
    if len(document) == 0:
        return DAMAGED
    if len(document) > limits.max_pages:
        return TOO_MANY_PAGES
    pages, sizes = [], []
    for index in range(len(document)):
        page = document[index]
        width, height = page.get_size()  # as shown: PDFium applies the page's /Rotate
        scale = page_scale(width, height, limits)
        image = page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
        pages.append(buf.getvalue())
        sizes.append((width, height))
        page.close()
    document.close()
    in_order = iter(sizes)

    def original_size(_width_px, _height_px, _dpi):  # img2pdf asks once per picture, in order
        width, height = next(in_order)
        return width, height, width, height

    target.write_bytes(img2pdf.convert(pages, layout_fun=original_size, nodate=True, producer="", creator=""))
    return None


def main(argv: list[str]) -> int:
    _limit_memory()  # before PDFium is loaded; set here rather than between fork and exec (workers have threads)
    source, target, options = Path(argv[0]), Path(argv[1]), json.loads(argv[2])
    try:
        failure = _render(source, target, RenderLimits(**options))
    except Exception:  # anything PDFium or Pillow raise on a hostile file: the document is refused, not retried
        failure = DAMAGED
    if failure:
        target.unlink(missing_ok=True)
        sys.stdout.write(failure)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
