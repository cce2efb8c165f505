"""Time and peak memory to clean a 12 MP and a 48 MP photo, against a naive Pillow pipeline measured in the same run.

Each case runs in its own process, so Pillow's C buffers are counted: the peak resident set (VmHWM) is reset after
imports and read at the end. `python -m bench.images` prints the figures and the ratios (target: 48 MP peak at most
half of the naive one).
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 3
SIZES = {"12 MP": (4000, 3000), "48 MP": (8000, 6000)}


def make_photo(path: Path, size: tuple[int, int]) -> None:
    """A camera-like JPEG: noisy (so it is as large as a real one), stored sideways with EXIF orientation 6."""
    from PIL import Image

    w, h = size
    img = Image.merge(
        "RGB",
        [Image.effect_noise((w, h), 30), Image.linear_gradient("L").resize((w, h)), Image.effect_noise((w, h), 60)],
    )
    exif = Image.Exif()
    exif[0x0112] = 6
    img.save(path, "JPEG", quality=88, exif=exif.tobytes())


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])  # kB
    return 0


def _pipeline(data: bytes) -> int:
    from portal.core.files.images import clean_image

    return sum(len(r.data) for r in clean_image(io.BytesIO(data)).renditions.values())


def _naive(data: bytes) -> int:
    """What a first version would do: decode in full, rotate, resize each rendition from the full picture, save."""
    from PIL import Image, ImageOps

    img = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    total = 0
    for edge in (4096, 1600, 400):
        scale = edge / max(img.size)
        out = io.BytesIO()
        img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.LANCZOS).save(out, "JPEG")
        total += len(out.getvalue())
    return total


def child(mode: str, path: str) -> None:
    """Runs in the measured process: imports first, then reset the peak, then the work alone."""
    import PIL.Image  # noqa: F401

    import portal.core.files.images  # noqa: F401

    data = Path(path).read_bytes()
    base = _status("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    except OSError:
        pass
    start = time.perf_counter()
    (_pipeline if mode == "pipeline" else _naive)(data)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_kb": _status("VmHWM"), "base_kb": base}))


def measure(mode: str, path: Path) -> dict:
    runs = []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-m", "bench.images", "--child", mode, str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_mb": max(r["peak_kb"] for r in runs) / 1024,
        "work_mb": max(r["peak_kb"] - r["base_kb"] for r in runs) / 1024,
    }


def main() -> dict:
    results = {}
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as tmp:
        print(f"images: clean_image vs naive Pillow (median of {RUNS} runs; memory = peak RSS above the imports)")
        for label, size in SIZES.items():
            path = Path(tmp, f"{label.replace(' ', '')}.jpg")
            make_photo(path, size)
            ours, naive = measure("pipeline", path), measure("naive", path)
            results[label] = {"pipeline": ours, "naive": naive}
            print(f"  {label} ({path.stat().st_size / 1e6:.1f} MB file)")
            for name, r in (("clean_image", ours), ("naive", naive)):
                print(
                    f"    {name:<12} {r['seconds']:6.2f} s   peak {r['peak_mb']:7.1f} MB   work {r['work_mb']:7.1f} MB"
                )
            print(
                f"    ratio        time {ours['seconds'] / naive['seconds']:.2f}x   "
                f"memory {ours['work_mb'] / naive['work_mb']:.2f}x of naive"
            )
        ratio = results["48 MP"]["pipeline"]["work_mb"] / results["48 MP"]["naive"]["work_mb"]
        print(f"  48 MP memory target (at most 0.50x of naive): {'met' if ratio <= 0.5 else 'NOT met'} ({ratio:.2f}x)")
    return results


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
