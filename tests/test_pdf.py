"""The one PDF module: text in any script and emoji prints and reads back; tables wrap, keep rows whole and
repeat their headings."""

from __future__ import annotations

import io
import logging

import pikepdf

from portal.core.pdf import Column, Document
from tests.pdf_reading import pdf_pages, pdf_text, pdf_words, squashed

SAMPLES = {
    "Polish": "Wiśniewska, Łukasz Żółć",
    "Welsh": "Dŵr a Llŷr, ŵ ŷ Ŵ Ŷ",
    "Arabic": "فاطمة",
    "Urdu": "عائشہ",
    "Chinese": "张伟 王芳",
    "Japanese": "ゆうき 田中",
    "emoji": "🎂🎉",
    "emoji sequences": "👨‍👩‍👧 ❤️ 👍🏽",
    "Greek and Cyrillic": "Ελένη Оксана",
    "Hebrew": "שלום",
    "Bengali": "নমস্কার",
    "Hindi": "नमस्ते",
    "Punjabi": "ਸਤ ਸ੍ਰੀ ਅਕਾਲ",
    "Gujarati": "નમસ્તે",
    "Tamil": "வணக்கம்",
    "Tigrinya": "ሰላም",
    "Thai": "สวัสดี",
    "typography": "“Zoë’s” £12.50 – café",
}


def _fonts(data: bytes) -> set[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return {
            str(font.BaseFont).split("+", 1)[-1]
            for page in pdf.pages
            for font in (page.Resources.get("/Font") or {}).values()
        }


def test_text_in_any_script_prints_in_regular_and_bold_and_reads_back():
    doc = Document("Wiśniewska 🎂")
    doc.add_page()
    for name, text in SAMPLES.items():
        doc.para(f"{name}: {text}")
        doc.para(f"{name}: {text}", bold=True)
    data = doc.bytes()
    text = pdf_text(data)
    for name, sample in SAMPLES.items():
        assert squashed(text).count(squashed(f"{name}: {sample}")) == 2, name  # pdftotext's spacing aside
    assert "?" not in text and "\ufffd" not in text and not doc.missing
    assert {"DejaVuSansBook", "DejaVuSansBold", "NotoSansArabic", "NotoSansArabicBold", "NotoEmoji"} <= _fonts(data)
    assert "DroidSansFallback" in _fonts(data)  # Chinese and Japanese: fonts-droid-fallback


def test_arabic_is_set_right_to_left_inside_an_english_sentence_which_keeps_its_order():
    doc = Document("Names")
    doc.add_page()
    doc.para("Fatima (فاطمة) joined us")
    doc.para("Amir أمير: 2 weeks")
    # Read left to right as printed: the English runs left to right, the name's letters right to left, and the
    # colon and number after a name stay with the English rather than joining the Arabic.
    lines: dict[int, list] = {}
    for word in pdf_words(doc.bytes()):
        lines.setdefault(round((word.top + word.bottom) / 2), []).append(word)  # the Arabic font is taller
    printed = [[w.text for w in sorted(line, key=lambda w: w.left)] for _, line in sorted(lines.items())]
    assert ["".join(line) for line in printed] == [
        "Fatima(" + "فاطمة"[::-1] + ")joinedus",
        "Amir" + "أمير"[::-1] + ":2weeks",
    ]


def test_a_character_no_font_has_is_shown_as_a_replacement_and_logged_never_dropped(caplog):
    doc = Document("Korean")
    doc.add_page()
    with caplog.at_level(logging.WARNING, logger="portal.core.pdf"):
        doc.para("Name: 한 Kim")
    text = pdf_text(doc.bytes())
    assert "Name: \ufffd Kim" in text and doc.missing == {"한"}
    assert any(getattr(r, "event", "") == "pdf_missing_glyphs" for r in caplog.records)


def test_a_document_in_english_embeds_only_the_main_font():
    doc = Document("Plain")
    doc.add_page()
    doc.para("Payment for Millie", bold=True)
    doc.para("Zoë Wiśniewska, Dŵr, “£12.50”")
    assert _fonts(doc.bytes()) == {"DejaVuSansBook", "DejaVuSansBold"}


def test_table_rows_wrap_without_overprinting_stay_whole_and_headings_repeat():
    rows = [
        [
            f"start{n:02d} " + "a long description that wraps onto several lines " * (1 + n % 4) + f"end{n:02d}",
            f"£{n}.07",
        ]
        for n in range(60)
    ]
    doc = Document("Table")
    doc.add_page()
    doc.rows([Column("Paid for", 155), Column("Amount", 35, "RIGHT")], [*rows, ["Total", "£999.00"]], bold_last=True)
    data = doc.bytes()
    pages = pdf_pages(data)
    assert pages >= 3
    words = pdf_words(data)
    first = {w.text: w for w in words}
    assert sum(1 for w in words if w.text == "Amount") == pages  # the headings on every page
    previous_bottom = None
    for n in range(60):
        start, end, amount = first[f"start{n:02d}"], first[f"end{n:02d}"], first[f"£{n}.07"]
        assert start.page == end.page == amount.page, f"row {n} is split across pages"
        assert start.top <= amount.top <= end.bottom, f"row {n}'s amount is not beside its description"
        if previous_bottom is not None and previous_bottom[0] == start.page:
            assert start.top > previous_bottom[1], f"row {n} overprints the row above"
        previous_bottom = (end.page, end.bottom)
    total = first["Total"]
    assert total.top > previous_bottom[1] or total.page > previous_bottom[0]
