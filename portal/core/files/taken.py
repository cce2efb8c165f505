"""When a photo was taken, from its EXIF, or None when the camera's clock plainly was not set.

A camera whose clock was never set (or lost its battery) writes its starting time: 1 January 2000, 1980 (the DOS
epoch) or 1970 (the Unix epoch), and counts on from there. EXIF itself dates from 1995, so no photo's own date is
earlier. Whether a date fits a particular child's life is for the feature to decide (portal.memories).
"""

from __future__ import annotations

from datetime import datetime

from PIL import Image

EARLIEST_YEAR = 1995  # the first EXIF cameras
CLOCK_DEFAULT_DAYS = {(2000, 1, 1)}  # the usual unset clock; earlier epochs fall before EARLIEST_YEAR anyway


def taken_on(img: Image.Image) -> str | None:
    """YYYY-MM-DD from DateTimeOriginal (else DateTime), or None when absent, malformed or a clock's default."""
    try:
        exif = img.getexif()
        value = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
    except Exception:  # a broken EXIF block must not stop the picture itself
        return None
    if not isinstance(value, str):
        return None
    try:
        when = datetime.strptime(value.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        try:
            when = datetime.strptime(value.strip("\x00 ")[:10], "%Y:%m:%d")
        except ValueError:
            return None
    if not is_plausible_clock(when):
        return None
    return when.date().isoformat()


def is_plausible_clock(when: datetime) -> bool:
    """False for a time a camera writes when its clock was never set: before EXIF existed, on 1 January 2000, or at
    exactly midnight on any 1 January (a clock at its reset value)."""
    if when.year < EARLIEST_YEAR or (when.year, when.month, when.day) in CLOCK_DEFAULT_DAYS:
        return False
    return not (when.month == 1 and when.day == 1 and when.time() == datetime.min.time())
