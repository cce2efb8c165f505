"""Every stored derivative of a memory (display, thumbnail, master, video, exported copy) is free of metadata."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

from tests.memories.conftest import add, approve_all, items, press, signed_in, yesterday
from tests.memories.test_moderation import _grant
from tests.uploads import benign, corpus

LEAKS = (
    "GPS",
    "Canary",
    "CANARY",
    "Secret Street",
    "51.50",
    "Artist",
    "Creator",
    "City",
    "DateTimeOriginal",
    "2021:06:05",
    "Comment",
    "Location",
)


def _tags(path: Path) -> dict:
    out = subprocess.run(["exiftool", "-j", "-G1", "-a", "-u", "-ee", str(path)], capture_output=True, timeout=120)
    return json.loads(out.stdout)[0]


def _assert_clean(path: Path) -> None:
    tags = _tags(path)
    flat = json.dumps(tags)
    leaked = [word for word in LEAKS if word in flat]
    assert not leaked, f"{path.name} keeps {leaked}: " + flat[:600]


def test_photos_and_videos_keep_no_location_or_device_details_in_any_rendition(app, box, tmp_path):
    photo_path, video_path = tmp_path / "phone.jpg", tmp_path / "phone.mp4"
    photo_path.write_bytes(corpus.jpeg((320, 240), "orange"))
    benign.plant_canary([photo_path])
    assert "GPSLatitude" in json.dumps(_tags(photo_path))  # the canary really is there before upload
    benign.mp4_with_canary(video_path)
    carer = signed_in(app, box.carer)
    assert add(carer, box.child, files=[(photo_path.read_bytes(), "phone.jpg")]).status_code == 302
    assert (
        add(
            carer, box.child, kind="video", files=[(video_path.read_bytes(), "phone.mp4")], when=yesterday()
        ).status_code
        == 302
    )
    photo_item, video_item = items()
    assert photo_item.memory_date.isoformat() == "2021-06-05"  # the date was read before the tags were removed
    storage = app.extensions["hearth_storage"]
    checked = 0
    for item in (photo_item, video_item):
        for name, rendition in item.file.renditions.items():
            target = tmp_path / f"{item.kind}-{name}.{rendition['key'].rsplit('.', 1)[-1]}"
            with storage.open(rendition["key"]) as f:
                target.write_bytes(f.read())
            _assert_clean(target)
            checked += 1
    assert checked == 6  # master, display and thumb of each

    approve_all(app, box)
    sw = _grant(app, box)
    press(sw, f"/memory-box/{box.child.id}/copies")
    import re

    link = re.search(
        r'href="(/memory-box/copies/\d+/zip\?token=[^"]+)"', sw.get(f"/memory-box/{box.child.id}/copies").text
    )
    archive = sw.get(link.group(1).replace("&amp;", "&"))
    with zipfile.ZipFile(io.BytesIO(archive.data)) as z:
        for name in z.namelist():
            if name.endswith((".jpg", ".mp4")):
                target = tmp_path / f"zip-{Path(name).name}"
                target.write_bytes(z.read(name))
                _assert_clean(target)
