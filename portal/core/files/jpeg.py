"""Walk a JPEG's marker structure to find where its picture ends.

Phones append other things after a complete JPEG: the video of a "motion photo" (Pixel, Samsung), Samsung's SEF
trailer, a second picture. Searching the whole file for markers is fooled by those bytes (a video holds 0xFFD9 and
0xFFDA by chance); following the segments from the start is not, and an EXIF thumbnail (a JPEG inside APP1) is
skipped with its segment.
"""

from __future__ import annotations

_SOI, _EOI, _SOS, _TEM = 0xD8, 0xD9, 0xDA, 0x01
_RST = range(0xD0, 0xD8)


def end_of_picture(data: bytes) -> int | None:
    """The offset just past the end-of-image marker of the first picture in `data`, or None when the picture is
    incomplete or not a JPEG. Bytes after that offset (a video, a trailer) are not looked at."""
    if not data.startswith(b"\xff\xd8"):
        return None
    i, n = 2, len(data)
    while i + 1 < n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte before a marker
            i += 1
            continue
        if marker == _EOI:
            return i + 2
        if marker in _RST or marker in (_SOI, _TEM):
            i += 2
            continue
        if i + 4 > n:
            return None
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if length < 2:
            return None
        i += 2 + length
        if marker == _SOS:
            i = _end_of_scan(data, i)
            if i is None:
                return None
    return None


def _end_of_scan(data: bytes, i: int) -> int | None:
    """The offset of the first marker after entropy-coded data starting at `i` (stuffed 0xFF00 and restart markers
    belong to the data)."""
    n = len(data)
    while True:
        j = data.find(b"\xff", i)
        if j < 0 or j + 1 >= n:
            return None
        following = data[j + 1]
        if following == 0x00 or following in _RST:
            i = j + 2
        elif following == 0xFF:
            i = j + 1
        else:
            return j


def appended_video(data: bytes) -> int | None:
    """The offset of a motion photo's video after the picture (and after any further pictures such as a gain map),
    or None when what follows the picture is not one. Google writes the MP4 straight after; Samsung puts
    "MotionPhoto_Data" before it."""
    end = end_of_picture(data)
    while end is not None and data.startswith(b"\xff\xd8", end):
        more = end_of_picture(data[end:])
        end = end + more if more else None
    if end is None:
        return None
    if data[end + 4 : end + 8] == b"ftyp" or data.startswith(b"MotionPhoto_Data", end):
        return end
    return None
