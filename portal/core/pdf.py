"""Every PDF Hearth makes starts here: fpdf2 with Unicode fonts for any script, emoji, and tables that wrap.

Fonts (portal/core/fonts, README and licences beside them): DejaVu Sans for Latin, Greek, Cyrillic, Hebrew and
symbols; Noto Sans for Arabic and the scripts of South Asia, Ethiopia and Thailand; Noto Emoji (monochrome, so it
prints); and for Chinese and Japanese Droid Sans Fallback from the Debian package fonts-droid-fallback (4 MB, too
big to carry in the repository: production refuses to start without it). A character goes to the first font that
has it, and a font is only loaded when the document needs it. Arabic is joined and set right to left by HarfBuzz.
A character that no font has is printed as "�" and logged, never dropped without a trace.
"""

from __future__ import annotations

import copy
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF, FontFace
from fpdf.fonts import SubsetMap

FONT_DIR = Path(__file__).parent / "fonts"
CJK_FONT_PATHS = (Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),)
FAMILY = "Hearth"
REPLACEMENT = "\ufffd"
_MAIN = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
# Tried in this order for a character the main font lacks; a family without a bold face is used for bold too.
_FALLBACKS: tuple[tuple[str, dict[str, Path]], ...] = (
    (
        "HearthArabic",
        {"": FONT_DIR / "NotoSansArabic-Regular.ttf", "B": FONT_DIR / "NotoSansArabic-Bold.ttf"},
    ),
    ("HearthEmoji", {"": FONT_DIR / "NotoEmoji-Regular.ttf"}),
    *(
        (f"Hearth{script}", {"": FONT_DIR / f"NotoSans{script}-Regular.ttf"})
        for script in ("Bengali", "Devanagari", "Ethiopic", "Gujarati", "Gurmukhi", "Tamil", "Thai")
    ),
)
# DejaVu has Arabic letters too, but Noto Sans Arabic sets them better: they are left to it.
_ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
# A right-to-left run: Hebrew or Arabic letters, with any spaces, digits and punctuation between them (not after).
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
_RTL_RUN = re.compile(f"[{_RTL}](?:(?:(?!\n)[\\W\\d_])*[{_RTL}])*")
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Mn"}  # controls, joiners, marks: shaped or ignored, never replaced

log = logging.getLogger(__name__)


def cjk_font() -> Path | None:
    """The installed Chinese and Japanese font, or None (then those characters print as "�")."""
    return next((p for p in CJK_FONT_PATHS if p.exists()), None)


@cache
def _cmap(path: Path) -> frozenset[int]:
    return frozenset(TTFont(path, lazy=True).getBestCmap())


@cache
def _main_characters() -> list[int]:
    return sorted(c for c in _cmap(_MAIN[""]) if not any(lo <= c <= hi for lo, hi in _ARABIC))


@cache
def _parsed_face(family: str, style: str, path: Path, main: bool):
    """A font face as fpdf2 reads it (widths, glyph ids, descriptor: about 40 ms for DejaVu Sans), read once a process
    and copied into each document (`_add_face`). Its font program is let go: each document opens its own."""
    reader = FPDF()
    reader.add_font(family, style, str(path), unicode_range=_main_characters() if main else None)
    face = reader.fonts[f"{family.lower()}{style}"]
    face.ttfont = None
    return face


def _fallbacks() -> tuple[tuple[str, dict[str, Path]], ...]:
    cjk = cjk_font()
    return _FALLBACKS + ((("HearthCJK", {"": cjk}),) if cjk else ())


@dataclass(frozen=True)
class Column:
    """A table column: heading, width in mm, and "LEFT" or "RIGHT" (amounts)."""

    heading: str
    width: float
    align: str = "LEFT"


class Document(FPDF):
    """An A4 document in the Hearth fonts. Subclasses draw their own header() and footer().

    `title` becomes the PDF's title; no author, creator or producer details are written. `missing` collects the
    characters no font could print (each shown as "�").
    """

    def __init__(self, title: str, *, bottom_margin: float = 15) -> None:
        super().__init__(format="A4")
        for style, path in _MAIN.items():
            self._add_face(FAMILY, style, path, main=True)
        self._covered = set(_main_characters())
        self._loaded: set[str] = set()
        self.missing: set[str] = set()
        self.set_text_shaping(True, direction="ltr")  # English documents: Arabic runs are still right to left
        self.set_auto_page_break(True, bottom_margin)
        self.set_title(title)
        self.set_creator("")
        self.set_producer("")
        self.set_font(FAMILY, "", 10)

    def normalize_text(self, text: str) -> str:
        """Every string fpdf2 draws passes here: load the fonts it needs, and mark what none can print."""
        # Each right-to-left run is isolated (FSI…PDI), so the English around it keeps its own order: "Amir أمير: 2
        # weeks" stays that way round instead of the colon and number joining the Arabic.
        text = _RTL_RUN.sub(lambda m: f"\u2068{m.group()}\u2069", super().normalize_text(text))
        lost = set()
        for ch in {ch for ch in text if ord(ch) not in self._covered}:
            if self._load_font_for(ord(ch)):
                continue
            if unicodedata.category(ch) in _INVISIBLE:
                self._covered.add(ord(ch))  # a line break or a joiner: nothing to draw, nothing to look for again
            else:
                lost.add(ch)
                text = text.replace(ch, REPLACEMENT)
        if lost - self.missing:
            log.warning("a PDF has characters no font has", extra={"event": "pdf_missing_glyphs", "count": len(lost)})
        self.missing |= lost
        return text

    def _load_font_for(self, codepoint: int) -> bool:
        for family, faces in _fallbacks():
            if codepoint not in _cmap(faces[""]):
                continue
            if family not in self._loaded:
                for style, path in faces.items():
                    self._add_face(family, style, path)
                self._loaded.add(family)
                self._covered |= _cmap(faces[""])
                order = [name for name, _ in _fallbacks() if name in self._loaded]
                self.set_fallback_fonts(order, exact_match=False)
            return True
        return False

    def _add_face(self, family: str, style: str, path: Path, *, main: bool = False) -> None:
        """fpdf2's add_font, from a face read once a process: what it read is shared; what a document changes is
        its own. The font program is opened again (lazily, tables read as used) because writing the PDF cuts it down
        to the glyphs this document used, in place."""
        face = copy.copy(_parsed_face(family, style, path, main))
        face.i = len(self.fonts) + 1
        face.ttfont = TTFont(str(path), recalcTimestamp=False, lazy=True)
        face.biggest_size_pt = 0
        face.missing_glyphs = []
        face._hbfont = None
        face.subset = SubsetMap(face)
        self.fonts[face.fontkey] = face

    def style(self, size: float = 10, bold: bool = False) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)

    def para(self, text: str, size: float = 10, bold: bool = False, gap: float = 1) -> None:
        """A paragraph across the page, wrapped at words; the next one starts `gap` mm below."""
        self.style(size, bold)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def heading(self, text: str, size: float = 12) -> None:
        """A bold heading kept with what follows it: on a new page when under 30 mm is left on this one."""
        if self.will_page_break(30):
            self.add_page()
        self.para(text, size=size, bold=True, gap=1)

    def rows(self, columns: Sequence[Column], rows: Iterable[Sequence[str]], *, bold_last: bool = False) -> None:
        """A table whose cells wrap; a row is never split across pages and the headings repeat on each new page.

        Every row has one string per column; with `bold_last` the last row (a total) is bold.
        """
        rows = list(rows)
        self.style(10)
        with self.table(
            col_widths=[c.width for c in columns],
            width=sum(c.width for c in columns),
            text_align=[c.align for c in columns],
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(emphasis="BOLD"),
            line_height=5,
            padding=(1.2, 1.5),
            repeat_headings=1,
            align="LEFT",
            v_align="TOP",  # an amount sits level with the first line of what it pays for
        ) as table:
            table.row([c.heading for c in columns])
            for i, cells in enumerate(rows):
                bold = bold_last and i == len(rows) - 1
                table.row(list(cells), style=FontFace(emphasis="BOLD") if bold else None)
        self.ln(2)

    def bytes(self) -> bytes:
        return bytes(self.output())
