"""Reading back the PDFs Hearth makes with poppler's pdftotext, as a person's PDF reader or a screen reader would."""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


@dataclass(frozen=True)
class Word:
    page: int  # from 1
    top: float  # points from the top of the page
    bottom: float
    left: float
    text: str


def _run(data: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(data)
        done = subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


def pdf_text(data: bytes) -> str:
    """The text in reading order, NFC, without the direction marks pdftotext puts around right-to-left runs."""
    return unicodedata.normalize("NFC", _run(data).translate(_BIDI_CONTROLS))


def squashed(text: str) -> str:
    """Text without any white space, to compare lines that mix directions."""
    return "".join(text.split())


def pdf_words(data: bytes) -> list[Word]:
    """Every word with its page and position."""
    words = []
    for number, page in enumerate(_run(data, "-bbox").split("<page ")[1:], start=1):
        for x0, y0, _x1, y1, text in _WORD.findall(page):
            text = html.unescape(text).translate(_BIDI_CONTROLS)
            if text:
                words.append(Word(number, float(y0), float(y1), float(x0), text))
    return words


def pdf_pages(data: bytes) -> int:
    return _run(data).count("\f")
