"""Time and peak memory to clean a 12 MP and a 48 MP photo, against a naive Pillow pipeline measured in the same run.

Like with like: the naive pipeline makes renditions of exactly the sizes clean_image makes (passed to it) with the
same encoder settings (JPEG quality 86, 80 for the thumbnail, optimised, progressive); it differs only in how it gets
there (a full-size decode, each rendition resized from the full picture). The runs alternate, pipeline then naive,
so a busy machine slows both alike. Each run is its own process, so Pillow's C buffers are counted: the peak resident
set (VmHWM) is reset after imports and read at the end. `python -m bench.images` prints the figures, the rendition
sizes and bytes of both, and the time and memory ratios (target: 48 MP peak at most half of the naive one).
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


QUALITY = {"master": 86, "display": 86, "thumb": 80}  # clean_image's encoder settings (images._encode)


def _pipeline(data: bytes, sizes: dict) -> dict:
    from portal.core.files.images import clean_image

    return {
        r.name: {"size": [r.width, r.height], "bytes": len(r.data)}
        for r in clean_image(io.BytesIO(data)).renditions.values()
    }


def _naive(data: bytes, sizes: dict) -> dict:
    """What a first version would do: decode in full, rotate, resize each rendition from the full picture, save;
    to the same sizes, with the same encoder settings, as clean_image."""
    from PIL import Image, ImageOps

    img = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    out = {}
    for name, (w, h) in sizes.items():
        buf = io.BytesIO()
        img.resize((w, h), Image.Resampling.LANCZOS).save(
            buf, "JPEG", quality=QUALITY[name], optimize=True, progressive=True
        )
        out[name] = {"size": [w, h], "bytes": len(buf.getvalue())}
    return out


def child(mode: str, path: str, sizes_json: str) -> None:
    """Runs in the measured process: imports first, then reset the peak, then the work alone."""
    import PIL.Image  # noqa: F401

    import portal.core.files.images  # noqa: F401

    data = Path(path).read_bytes()
    sizes = json.loads(sizes_json)
    base = _status("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    except OSError:
        pass
    start = time.perf_counter()
    renditions = (_pipeline if mode == "pipeline" else _naive)(data, sizes)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak_kb": _status("VmHWM"), "base_kb": base, "renditions": renditions}))


def _once(mode: str, path: Path, sizes: dict) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.images", "--child", mode, str(path), json.dumps(sizes)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _summary(runs: list[dict]) -> dict:
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_mb": max(r["peak_kb"] for r in runs) / 1024,
        "work_mb": max(r["peak_kb"] - r["base_kb"] for r in runs) / 1024,
        "renditions": runs[-1]["renditions"],
    }


def measure_pair(path: Path) -> tuple[dict, dict]:
    """RUNS of each, alternating; the naive one makes the sizes the pipeline made."""
    ours, naive = [], []
    for _ in range(RUNS):
        ours.append(_once("pipeline", path, {}))
        sizes = {name: r["size"] for name, r in ours[-1]["renditions"].items()}
        naive.append(_once("naive", path, sizes))
    return _summary(ours), _summary(naive)


def main() -> dict:
    results = {}
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as tmp:
        print(
            f"images: clean_image vs naive Pillow, same sizes and encoder settings (median of {RUNS} alternating "
            "runs; memory = peak RSS above the imports)"
        )
        for label, size in SIZES.items():
            path = Path(tmp, f"{label.replace(' ', '')}.jpg")
            make_photo(path, size)
            ours, naive = measure_pair(path)
            results[label] = {"pipeline": ours, "naive": naive}
            print(f"  {label} ({path.stat().st_size / 1e6:.1f} MB file)")
            for name, r in (("clean_image", ours), ("naive", naive)):
                print(
                    f"    {name:<12} {r['seconds']:6.2f} s   peak {r['peak_mb']:7.1f} MB   work {r['work_mb']:7.1f} MB"
                )
            for name, r in ours["renditions"].items():
                theirs = naive["renditions"][name]
                same = "same size" if r["size"] == theirs["size"] else f"NAIVE {theirs['size']}"
                print(
                    f"    {name:<8} {r['size'][0]}x{r['size'][1]} ({same})   "
                    f"{r['bytes'] / 1e3:8.0f} kB vs naive {theirs['bytes'] / 1e3:8.0f} kB"
                )
            print(
                f"    ratio        time {ours['seconds'] / naive['seconds']:.2f}x   "
                f"memory {ours['work_mb'] / naive['work_mb']:.2f}x (peak RSS {ours['peak_mb'] / naive['peak_mb']:.2f}x) "
                "of naive"
            )
        ratio = results["48 MP"]["pipeline"]["work_mb"] / results["48 MP"]["naive"]["work_mb"]
        print(f"  48 MP memory target (at most 0.50x of naive): {'met' if ratio <= 0.5 else 'NOT met'} ({ratio:.2f}x)")
    return results


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()
