"""Word and OpenDocument files to PDF with LibreOffice, headless, before they are drawn as pictures.

Each conversion gets a throw-away profile (macros off), no network (a private network
namespace where the kernel allows one), its own process group and a deadline; then the profile is deleted.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import signal
import subprocess
import warnings
import zipfile
from pathlib import Path

from PIL import Image, UnidentifiedImageError

# Pictures a document may hold, by the sizes their headers claim (summed): a few hundred phone photos' worth.
MAX_PICTURE_PIXELS = 600_000_000

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking"><value>false</value></prop></item>
</oor:items>
"""


class ConversionFailed(Exception):
    """LibreOffice could not open the file (`timed_out` False) or did not finish in time (`timed_out` True)."""

    def __init__(self, timed_out: bool = False) -> None:
        super().__init__("timed out" if timed_out else "could not convert")
        self.timed_out = timed_out


def find_soffice(configured: str = "") -> str | None:
    """The LibreOffice program: LIBREOFFICE_PATH if set (must be executable), else `soffice` on the PATH."""
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def picture_pixels(stream) -> int:
    """The pixels a DOCX/ODT's pictures claim, from their headers only (nothing decoded); raises zipfile errors."""
    stream.seek(0)
    total = 0
    try:
        with zipfile.ZipFile(stream) as package:
            for info in package.infolist():
                if info.is_dir() or not info.filename.startswith(("word/media/", "Pictures/", "media/")):
                    continue
                with package.open(info) as part:
                    head = io.BytesIO(part.read(min(info.file_size, 1 << 20)))
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                        with Image.open(head) as picture:
                            total += picture.width * picture.height
                except Image.DecompressionBombError:
                    return MAX_PICTURE_PIXELS + 1  # one picture alone is a decompression bomb
                except (UnidentifiedImageError, OSError, ValueError):
                    continue  # not a picture Pillow knows (EMF, SVG): LibreOffice draws it within the deadline
    finally:
        stream.seek(0)
    return total


@functools.cache
def _private_network_available() -> bool:
    unshare = shutil.which("unshare")
    if not unshare:
        return False
    try:
        return subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def to_pdf(source: Path, workdir: Path, soffice: str, seconds: float) -> Path:
    """Convert `source` (a .docx or .odt in `workdir`) to PDF and return its path. Raises ConversionFailed."""
    profile = workdir / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE)
    outdir = workdir / "converted"
    args = [
        soffice,
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(outdir),
        str(source),
    ]
    if _private_network_available():
        args = [shutil.which("unshare") or "unshare", "-rn", *args]  # no interface but loopback: nothing to fetch
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(workdir),
        "LANG": "C.UTF-8",
        "SAL_USE_VCLPLUGIN": "svp",
        # Where a network namespace cannot be made, any fetch goes to a closed local port.
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "no_proxy": "",
    }
    proc = subprocess.Popen(
        args,
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        proc.wait(timeout=max(seconds, 0.01))  # the caller's deadline, never extended
    except subprocess.TimeoutExpired:
        raise ConversionFailed(timed_out=True) from None
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # LibreOffice may leave helpers behind even after it exits
        except ProcessLookupError:
            pass
        proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
    result = outdir / (source.stem + ".pdf")
    if proc.returncode != 0 or not result.exists() or result.stat().st_size == 0:
        raise ConversionFailed()
    return result
