"""Hostile files for the upload tests: ones the form must refuse, and ones only the antivirus can catch."""

from __future__ import annotations

import pikepdf

from tests.uploads import hostile_documents as hd
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
    jpeg_claiming_many,
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
        # documents that can never be rebuilt: locked, damaged, or more work than any letter needs
        "password.pdf": pdf(encryption=pikepdf.Encryption(owner="o", user="secret")),
        "password-aes256.pdf": pdf(encryption=pikepdf.Encryption(owner="o", user="secret", R=6)),
        "corrupt.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n",
        "51-pages.pdf": pdf(lambda doc: [doc.add_blank_page() for _ in range(50)]),
        "hundreds-of-huge-pictures.docx": docx(extra=jpeg_claiming_many(300, 10_000, 10_000)),
        "hundreds-of-huge-pictures.odt": odt(jpeg_claiming_many(300, 10_000, 10_000, folder="Pictures")),
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


# --- documents that act, link out or leak: accepted, and served only as pictures of their pages -------------------


def hostile_documents(photo_with_gps: bytes) -> dict[str, bytes]:
    """`photo_with_gps`: a JPEG carrying GPS, the author and the canary in EXIF, XMP, IPTC and comments."""
    from tests.uploads.benign import pdf_with_canary

    return {
        "open-action-javascript.pdf": hd.acting_pdf(open_action_js, object_streams=False),
        "javascript-direct-in-object-stream.pdf": hd.acting_pdf(hd.direct_open_action),
        "javascript-in-object-stream.pdf": hd.acting_pdf(open_action_js),
        "javascript-hex-encoded-names.pdf": hd.hex_encoded_names(),
        "javascript-escaped-name.pdf": pdf_with_escaped_js_name(),
        "launch-action.pdf": hd.acting_pdf(launch_action),
        "launch-in-annotation.pdf": hd.acting_pdf(hd.launch_in_annotation_aa),
        "link-with-direct-javascript.pdf": hd.acting_pdf(hd.link_with_javascript),
        "attachment-without-type.pdf": hd.acting_pdf(hd.attachment_without_type),
        "direct-embedded-files.pdf": hd.acting_pdf(hd.direct_embedded_files),
        "embedded-file.pdf": hd.acting_pdf(embedded_file),
        "gotor-network-share.pdf": hd.acting_pdf(hd.gotor_network_share),
        "javascript-link.pdf": hd.acting_pdf(hd.javascript_uri),
        "file-link.pdf": hd.acting_pdf(hd.file_uri),
        "page-action.pdf": hd.acting_pdf(page_action),
        "picture-with-gps.pdf": pdf_with_canary(photo_with_gps),
        "external-template.docx": hd.docx_external_template(),
        "mhtml-ole-link.docx": hd.docx_mhtml_ole_link(),
        "network-share-image.docx": hd.docx_network_share_image(),
        "tracked-changes-and-comments.docx": hd.docx_tracked_changes_and_comments(),
        "custom-xml-and-gps-thumbnail.docx": hd.docx_custom_xml_and_thumbnail(photo_with_gps),
        "picture-with-gps.docx": hd.docx_with_picture(photo_with_gps),
        "picture-with-gps-tracked-changes.odt": hd.odt_with_picture(photo_with_gps),
    }


# --- files the antivirus must catch after the allow-list let them through -----------------------------------------


def infected_corpus() -> dict[str, bytes]:
    return {
        "eicar-after-the-picture.jpg": jpeg((120, 90), "green") + EICAR,
        "eicar-inside.docx": docx(extra={"word/embeddings/eicar.com": EICAR}),
    }
