"""LibreOffice headless as the converter of last resort: files our own readers cannot open (a .doc that
antiword and catdoc reject, a .ppt catppt reads nothing from, an .xls xlrd refuses, WordPerfect,
Publisher, Word/Excel 2003 XML) become DOCX/XLSX/PPTX/PDF and are read by the normal readers.

Each process gets its own LibreOffice profile (two instances sharing one lock each other out and the
second converts nothing), conversions in one process take turns, and every conversion has a deadline
after which the whole process group is killed (soffice forks soffice.bin).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from crawler.documents import Extraction

from .common import ExtractError, failed

DEFAULT_TIMEOUT = 90.0
MAX_OUTPUT = 200 * 1024 * 1024  # a converted file bigger than this is not read
_PROFILE_PREFIX = "oit-lo-profile-"
_LOCK = threading.Lock()  # one soffice per process: a profile serves one running instance
_profile: tuple[int, Path] | None = None  # (pid, folder): a forked child must not reuse its parent's

# LibreOffice's import filters by the kind our sniffer saw. Left to itself, LibreOffice opens a file it
# cannot parse as plain text and "converts" the garbage; naming the filter makes it refuse instead.
INFILTERS: dict[str, tuple[str, ...]] = {
    "doc": ("MS Word 97", "MS Word 95"),  # Word 6.0 and 95 share the second
    "xls": ("MS Excel 97",),  # xlrd reads Excel 5.0/95 itself
    "ppt": ("MS PowerPoint 97",),
}


class Route(NamedTuple):
    suffix: str  # the file name LibreOffice is given ends so
    target: str  # what it converts to, read by our reader for that format
    kind: str  # Extraction kind
    infilters: tuple[str, ...]


# Formats only LibreOffice reads, by sniffed kind. Drawings (Publisher, Visio) open in Draw, which
# writes PDF but no text format.
FOREIGN: dict[str, Route] = {
    "wpd": Route(".wpd", "docx", "other", ("WordPerfect",)),
    "doc-xml": Route(".xml", "docx", "doc", ("MS Word 2003 XML",)),  # often served as .doc
    "xls-xml": Route(".xml", "xlsx", "xls", ("MS Excel 2003 XML",)),  # web apps' "export to Excel"
    "pub": Route(".pub", "pdf", "other", ("Publisher Document",)),
    "vsd": Route(".vsd", "pdf", "other", ("Visio Document",)),
}

# Settings for a new profile: no macros run whatever the document asks, and nothing a document links to
# is fetched (by default LibreOffice downloads a linked remote image while converting: tests/test_legacy.py).
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" \
oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" \
oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sweep(base: Path) -> None:
    """Remove the profiles of processes that have gone (recycled workers leave theirs behind)."""
    for path in base.glob(f"{_PROFILE_PREFIX}*"):
        m = re.match(rf"{_PROFILE_PREFIX}(\d+)-", path.name)
        if m and not _alive(int(m.group(1))):
            shutil.rmtree(path, ignore_errors=True)


def profile_dir() -> Path:
    """This process's private LibreOffice profile, made (and seeded with safe settings) on first use."""
    global _profile
    pid = os.getpid()
    if _profile is None or _profile[0] != pid or not _profile[1].is_dir():
        base = Path(tempfile.gettempdir())
        _sweep(base)
        path = Path(tempfile.mkdtemp(prefix=f"{_PROFILE_PREFIX}{pid}-", dir=base))
        (path / "user").mkdir()
        (path / "user" / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
        _profile = (pid, path)
    return _profile[1]


def _discard_profile() -> None:
    """After a kill the profile may be half-written: the next conversion starts from a fresh one."""
    global _profile
    if _profile is not None:
        shutil.rmtree(_profile[1], ignore_errors=True)
        _profile = None


def _killpg(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _stderr_tail(path: Path) -> str:
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 4000))
        lines = fh.read().decode("utf-8", "replace").splitlines()
    return " ".join(line.strip() for line in lines if line.strip() and "javaldx" not in line)[-160:]


def convert(body: bytes, suffix: str, target: str, *, infilters: Sequence[str] = (),
            timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """``body`` (a file ending in ``suffix``) converted to ``target`` ("docx", "pptx", "xlsx", "pdf"), opened
    with the first of ``infilters`` that can (LibreOffice's own detection when there are none).

    Raises ExtractError("unsupported: …") when LibreOffice is not installed, ("timeout: …") when it
    overruns, ("encrypted: …") for a password-protected file, ("corrupt: …") when it produces nothing.
    """
    exe = soffice()
    if not exe:
        raise ExtractError("unsupported: LibreOffice is not installed (the fallback converter)")
    deadline = time.monotonic() + timeout
    with _LOCK, tempfile.TemporaryDirectory(prefix="oit-lo-") as tmp:
        work = Path(tmp)
        src = work / f"input{suffix}"
        src.write_bytes(body)
        out = work / f"input.{target.split(':', 1)[0]}"
        details = []
        for infilter in infilters or [None]:
            detail = _run(exe, src, target, infilter, deadline, timeout)
            if out.exists() and out.stat().st_size > 0:
                if out.stat().st_size > MAX_OUTPUT:
                    raise ExtractError(f"too_large: LibreOffice's {target} is over {MAX_OUTPUT // 2**20} MB")
                return out.read_bytes()
            details.append(f"{infilter}: {detail}" if infilter else detail)
        if any("password" in d.lower() for d in details):
            raise ExtractError("encrypted: password-protected (LibreOffice cannot open it)")
        raise ExtractError(f"corrupt: LibreOffice could not convert it ({'; '.join(details)[:200]})")


def _run(exe: str, src: Path, target: str, infilter: str | None, deadline: float, timeout: float) -> str:
    """One soffice run; what it said on stderr."""
    err_path = src.parent / "stderr"
    argv = [exe, f"-env:UserInstallation={profile_dir().as_uri()}", "--headless", "--invisible", "--nologo",
            "--norestore", "--nolockcheck", "--nodefault"]
    if infilter:
        argv.append(f"--infilter={infilter}")
    argv += ["--convert-to", target, "--outdir", str(src.parent), str(src)]
    with open(err_path, "wb") as err:  # a file, not a pipe: a chatty soffice cannot fill our memory
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired as exc:
            _killpg(proc.pid)
            proc.wait()
            _discard_profile()
            raise ExtractError(f"timeout: LibreOffice took longer than {timeout:g}s") from exc
        finally:
            _killpg(proc.pid)  # helpers left behind by a soffice that exited
    return _stderr_tail(err_path) or f"exit status {proc.returncode}, no output"


def via(body: bytes, suffix: str, target: str, reader: Callable[[bytes], Extraction], kind: str,
        problems: list[str], timeout: float, infilters: Sequence[str] = ()) -> Extraction:
    """Our reader failed (``problems`` say how): LibreOffice converts the file, the normal reader reads it.

    The error, if LibreOffice fails too, keeps every reason; its code is the converter's, except that
    "unsupported" (no LibreOffice) becomes "corrupt" when a reader of ours did run and fail on the file.
    """
    try:
        # At least 30 s: a cold start alone takes 1–2 s, more on a busy machine.
        converted = convert(body, suffix, target, infilters=infilters, timeout=max(timeout, 30.0))
    except ExtractError as exc:
        code = str(exc).split(":", 1)[0]
        if code == "unsupported" and any("not installed" not in p for p in problems):
            code = "corrupt"
        raise ExtractError(f"{code}: {suffix} unreadable (" + "; ".join([*problems, str(exc)]) + ")") from exc
    ex = reader(converted)
    ex.kind, ex.method = kind, f"libreoffice+{ex.method or target}"
    if problems:
        ex.notes = [*ex.notes, "read through LibreOffice: " + "; ".join(problems)][:20]
    return ex


def extract_foreign(sniffed: str, body: bytes, *, max_pages: int, timeout: float) -> Extraction:
    """A format only LibreOffice reads (see FOREIGN). Never raises ExtractError: its kind is set here."""
    # Imported here: office and sheets import this module for their own fallbacks.
    from .office import extract_docx, extract_pptx
    from .pdf import extract_pdf
    from .sheets import extract_xlsx

    route = FOREIGN[sniffed]
    readers: dict[str, Callable[[bytes], Extraction]] = {
        "docx": extract_docx, "xlsx": extract_xlsx, "pptx": extract_pptx,
        "pdf": lambda data: extract_pdf(data, max_pages=max_pages, timeout=timeout),
    }
    try:
        return via(body, route.suffix, route.target, readers[route.target], route.kind, [], timeout, route.infilters)
    except ExtractError as exc:
        return failed(route.kind, str(exc))
