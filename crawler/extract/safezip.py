"""Opening zip-based documents (DOCX, XLSX, PPTX, ODF) without trusting them: zip bombs are refused
before inflating, members are read with a hard cap, and XML is parsed without entity expansion,
network access or huge-tree mode (billion-laughs and XXE payloads stay inert)."""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from .common import ExtractError

MAX_TOTAL = 200 * 1024 * 1024  # sum of declared uncompressed sizes
MAX_RATIO = 200  # uncompressed / compressed, per member
RATIO_FLOOR = 1024 * 1024  # tiny members may compress extremely well; only judge big ones
MAX_MEMBER = 100 * 1024 * 1024  # hard cap while actually reading (declared sizes can lie)


def open_zip(body: bytes, label: str) -> zipfile.ZipFile:
    """A checked ZipFile; ExtractError("corrupt: ...") or ("too_large: ...") otherwise."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(body))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ExtractError(f"corrupt: not a valid {label} zip ({exc})") from exc
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            zf.close()
            raise ExtractError(
                f"too_large: zip member {info.filename} expands to {info.file_size} bytes "
                f"({info.file_size // max(info.compress_size, 1)}x)"
            )
        if info.flag_bits & 0x1:
            zf.close()
            raise ExtractError(f"encrypted: {label} zip member {info.filename} is password-protected")
    if total > MAX_TOTAL:
        zf.close()
        raise ExtractError(f"too_large: zip members expand to {total} bytes")
    return zf


def read_member(zf: zipfile.ZipFile, name: str, limit: int = MAX_MEMBER) -> bytes:
    """Read one member, stopping at ``limit`` bytes whatever the header claims."""
    chunks = []
    size = 0
    try:
        with zf.open(name) as fh:
            while chunk := fh.read(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    raise ExtractError(f"too_large: zip member {name} expands past {limit} bytes")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ExtractError(f"corrupt: zip member {name} unreadable ({exc})") from exc
    return b"".join(chunks)


def read_head(zf: zipfile.ZipFile, name: str, size: int) -> bytes:
    """The first ``size`` bytes of a member (only that much is inflated)."""
    try:
        with zf.open(name) as fh:
            return fh.read(size)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ExtractError(f"corrupt: zip member {name} unreadable ({exc})") from exc


def parse_xml(data: bytes, notes: list[str] | None = None, part: str = "XML") -> etree._Element | None:
    """Parse untrusted XML; None if nothing usable could be recovered.

    A billion-laughs DTD, nesting past 256 levels or a text node over 10 MB stop libxml2 where they
    occur; ``recover`` keeps what came before, and ``notes`` (if given) gets a line saying so.
    """
    # A fresh parser per call: lxml parsers must not be shared between threads.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             recover=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        return None
    limits = [e.message.split(",")[0] for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    if limits and notes is not None:
        notes.append(f"cut off: {part} read only up to where the parser stopped ({limits[0][:80]})")
    if root is not None and root.getroottree().docinfo.internalDTD is not None:
        _drop_entities(root)
    return root


def read_xml(zf: zipfile.ZipFile, name: str, notes: list[str] | None = None,
             limit: int = MAX_MEMBER) -> etree._Element | None:
    return parse_xml(read_member(zf, name, limit), notes, name)


def _drop_entities(root: etree._Element) -> None:
    """Remove the unexpanded entity references a DTD left in the tree, keeping the text that follows
    them (lxml hangs it on the reference, where readers looking at ``.text`` would miss it)."""
    for ent in list(root.iter(etree.Entity)):
        parent, prev, tail = ent.getparent(), ent.getprevious(), ent.tail or ""
        if parent is None:
            continue
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(ent)


def odf_encrypted(zf: zipfile.ZipFile) -> bool:
    """ODF encrypts members itself, leaving the zip flag clear: the manifest says which are encrypted."""
    if "META-INF/manifest.xml" not in zf.namelist():
        return False
    return b"encryption-data" in read_member(zf, "META-INF/manifest.xml", 4 * 1024 * 1024)
