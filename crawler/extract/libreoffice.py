"""LibreOffice headless as the converter of last resort: legacy files our own readers cannot open
(a .doc that antiword and catdoc reject, a .ppt without catppt) become DOCX/PPTX and are read by the
normal readers.

Each process gets its own LibreOffice profile (two instances sharing one lock each other out) and
every conversion has a deadline after which the whole process group is killed (soffice forks).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .common import ExtractError

DEFAULT_TIMEOUT = 90.0


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(body: bytes, suffix: str, target: str, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """``body`` (a file ending in ``suffix``) converted to ``target`` ("docx", "pptx", "xlsx", "pdf").

    Raises ExtractError("unsupported: …") when LibreOffice is not installed, ("timeout: …") when it
    overruns, ("corrupt: …") when it produces nothing.
    """
    exe = soffice()
    if not exe:
        raise ExtractError("unsupported: LibreOffice is not installed (the fallback converter)")
    profile = Path(tempfile.gettempdir()) / f"oit-lo-profile-{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="oit-lo-") as tmp:
        src = Path(tmp) / f"doc{suffix}"
        src.write_bytes(body)
        argv = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
                "--convert-to", target, "--outdir", tmp, str(src)]
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ExtractError(f"timeout: LibreOffice took longer than {timeout:.0f}s") from exc
        out = Path(tmp) / f"doc.{target}"
        if not out.exists() or out.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip()[:120] or "no output"
            raise ExtractError(f"corrupt: LibreOffice could not convert it ({detail})")
        return out.read_bytes()
