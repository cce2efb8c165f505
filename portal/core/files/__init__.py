"""Upload validation and cleaning: what a file really is (by content), and a metadata-free copy of it.

The only place that opens uploaded bytes: sniff.py decides the kind, images.py re-encodes pictures,
documents.py rebuilds PDF/DOCX/ODT from pictures of their pages (office.py, pixels.py), video.py remuxes video.
"""

from __future__ import annotations


class UploadRejected(ValueError):
    """The file is refused; the message is written for the person who sent it."""


ACCEPTED_DESCRIPTION = "a photo (JPG, PNG, WebP or HEIC), a PDF, a Word document (DOCX), an OpenDocument text (ODT) or a video (MP4 or MOV)"
