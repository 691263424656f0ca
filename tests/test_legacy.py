"""LibreOffice headless as the fallback converter for legacy files our own readers cannot read.

The tests run the real soffice (skipped, with the reason, only where LibreOffice is not installed).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crawler.extract import extract, libreoffice
from crawler.extract.common import ExtractError

DOCS = Path(__file__).parent / "fixtures" / "docs"
needs_soffice = pytest.mark.skipif(libreoffice.soffice() is None, reason="LibreOffice (soffice) is not installed")


def without(tmp_path: Path, *tools: str) -> str:
    """This machine's PATH minus these programs (a folder of links to all the others)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for folder in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            if name not in tools and not (bin_dir / name).exists():
                (bin_dir / name).symlink_to(Path(folder) / name)
    return str(bin_dir)


@needs_soffice
def test_a_doc_no_reader_of_ours_can_open_is_read_through_libreoffice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", without(tmp_path, "catdoc", "antiword"))
    ex = extract((DOCS / "manual.doc").read_bytes(), "https://www.example.go.th/files/manual.doc")
    assert ex.error is None, ex.error
    assert (ex.kind, ex.method) == ("doc", "libreoffice+docx")
    direct = extract((DOCS / "manual.docx").read_bytes(), "https://www.example.go.th/files/manual.docx")
    assert "".join(ex.text.split())[:200] == "".join(direct.text.split())[:200]  # the same Thai text


@needs_soffice
def test_a_conversion_that_overruns_is_killed_with_a_reason() -> None:
    with pytest.raises(ExtractError, match=r"^timeout: LibreOffice took longer than"):
        libreoffice.convert((DOCS / "manual.doc").read_bytes(), ".doc", "docx", timeout=0.05)


@needs_soffice
def test_garbage_named_doc_is_corrupt_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    junk = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000  # an OLE header and nothing behind it
    ex = extract(junk, "https://www.example.go.th/files/broken.doc")
    assert ex.error is not None and ex.error.startswith(("corrupt:", "unsupported:")), ex.error


def test_without_libreoffice_the_reason_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ExtractError, match="^unsupported: LibreOffice is not installed"):
        libreoffice.convert(b"x", ".doc", "docx")


@pytest.mark.parametrize(("encoding", "content_type"), [
    ("utf-8-sig", "text/csv"), ("cp874", "text/csv; charset=windows-874"), ("cp874", "text/csv"),
])
def test_csv_exports_keep_their_thai(encoding: str, content_type: str) -> None:
    """Monthly procurement summaries exported as CSV, in UTF-8 with a BOM or in TIS-620 (Excel's Thai)."""
    rows = "ลำดับ,งานที่จัดซื้อจัดจ้าง,วงเงิน,วิธีซื้อหรือจ้าง\n1,จัดซื้อวัสดุสำนักงาน,12500,เฉพาะเจาะจง\n"
    ex = extract(rows.encode(encoding), "https://www.example.go.th/files/summary-2567-10.csv", content_type)
    assert ex.error is None and ex.kind == "text"
    assert "จัดซื้อวัสดุสำนักงาน" in ex.text and "\ufeff" not in ex.text
