"""Hostile files for the upload tests: ones the form must refuse, and ones only the antivirus can catch."""

from __future__ import annotations

import pikepdf

from tests.uploads.corpus import (
    EICAR,
    docx,
    docx_zip_bomb,
    embedded_file,
    gif,
    gif_claiming,
    half,
    jpeg,
    jpeg_claiming,
    jpeg_with_comment,
    launch_action,
    odt,
    open_action_js,
    page_action,
    pdf,
    pdf_with_escaped_js_name,
    png,
    png_bomb,
    png_claiming,
    webp,
    webp_vp8l_claiming,
    webp_vp8x_claiming,
    zip_of,
)

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
        "open-action-javascript.pdf": pdf(open_action_js),
        "javascript-in-object-stream.pdf": pdf(open_action_js, object_stream_mode=pikepdf.ObjectStreamMode.generate),
        "javascript-escaped-name.pdf": pdf_with_escaped_js_name(),
        "launch-action.pdf": pdf(launch_action),
        "embedded-file.pdf": pdf(embedded_file),
        "page-action.pdf": pdf(page_action, object_stream_mode=pikepdf.ObjectStreamMode.generate),
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
