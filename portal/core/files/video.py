"""Video: remuxed by ffmpeg with every metadata atom dropped (a phone video carries where it was filmed), plus a
poster frame that goes through the picture pipeline. Without ffmpeg, video is refused rather than kept uncleaned."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from portal.core.files import UploadRejected
from portal.core.files.images import CleanImage, clean_image

MAX_SECONDS = 10 * 60


@dataclass
class CleanVideo:
    data: bytes
    poster: CleanImage
    duration_seconds: float
    width: int
    height: int


def ffmpeg_available() -> bool:
    return shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None


def _run(args: list[str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, timeout=timeout, check=False)


def clean_video(stream: BinaryIO) -> CleanVideo:
    if not ffmpeg_available():
        raise UploadRejected("Videos cannot be uploaded at the moment. Upload photos instead, or try again later")
    with tempfile.TemporaryDirectory(prefix="hearth-video-") as tmp:
        src, out, poster = Path(tmp, "in"), Path(tmp, "out.mp4"), Path(tmp, "poster.png")
        stream.seek(0)
        with src.open("wb") as f:
            shutil.copyfileobj(stream, f)
        probe = _run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(src)], 60)
        try:
            info = json.loads(probe.stdout or b"{}")
            video = next(s for s in info.get("streams", []) if s.get("codec_type") == "video")
            duration = float(info.get("format", {}).get("duration") or 0)
        except (StopIteration, ValueError):
            raise UploadRejected("This video is damaged or incomplete. Choose the file again") from None
        if duration > MAX_SECONDS:
            raise UploadRejected("This video is longer than 10 minutes. Choose a shorter clip")
        # Streams are copied, not re-encoded (fast, lossless); every container and stream tag is dropped.
        remux = _run(
            [
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-i",
                str(src),
                "-map",
                "0:v:0",
                "-map",
                "0:a:0?",
                "-c",
                "copy",
                "-map_metadata",
                "-1",
                "-map_metadata:s",
                "-1",
                "-map_chapters",
                "-1",
                "-metadata",
                "creation_time=",
                "-fflags",
                "+bitexact",
                "-flags:v",
                "+bitexact",
                "-flags:a",
                "+bitexact",
                "-movflags",
                "+faststart",
                str(out),
            ]
        )
        if remux.returncode != 0 or not out.exists():
            raise UploadRejected("This video could not be processed. Save it as an MP4 and try again")
        frame = _run(
            [
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-ss",
                str(min(1.0, duration / 2)),
                "-i",
                str(out),
                "-frames:v",
                "1",
                "-map_metadata",
                "-1",
                str(poster),
            ],
            120,
        )
        if frame.returncode != 0 or not poster.exists():
            raise UploadRejected("This video could not be processed. Save it as an MP4 and try again")
        with poster.open("rb") as p:
            clean_poster = clean_image(io.BytesIO(p.read()))
        return CleanVideo(
            out.read_bytes(), clean_poster, duration, int(video.get("width", 0)), int(video.get("height", 0))
        )
