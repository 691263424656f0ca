"""Bytes → str for HTML and plain text, the way a browser would pick the encoding.

Order: byte-order mark, HTTP ``Content-Type`` charset, ``<meta charset>`` / ``<meta http-equiv>``,
then charset_normalizer. HTML parsers fed raw bytes mis-decode legacy Thai pages (see
docs/extraction.md §6), so the parser only ever sees the ``str`` made here.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# cp874 is a superset of TIS-620 / ISO-8859-11 (adds smart quotes, ellipsis, euro sign).
_THAI = {"tis620", "tis-620", "tis_620", "iso-8859-11", "iso8859-11", "iso8859_11", "iso_8859_11",
         "x-windows-874", "windows-874", "cp874", "dos-874", "thai", "ms874", "x-cp874"}
_WESTERN = {"latin_1", "iso8859_1", "ascii", "cp1252", "iso8859_15"}  # codecs.lookup() names
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META = re.compile(
    rb"<meta[^>]+?(?:charset\s*=\s*[\"']?\s*([\w.:-]+)|content\s*=\s*[\"'][^\"'>]*?charset\s*=\s*([\w.:-]+))",
    re.IGNORECASE,
)
_HIGH_BYTES = re.compile(rb"[\x80-\xff]")


def normalize_encoding(name: str | None) -> str | None:
    """A Python codec name for a declared charset, or None if unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _THAI:
        return "cp874"
    if name in {"utf8", "utf-8", "unicode-1-1-utf-8", "x-unicode20utf8"}:
        return "utf-8"
    if name in {"iso-8859-1", "latin1", "us-ascii", "ascii", "iso8859-1"}:
        return "cp1252"  # the WHATWG encoding standard maps these labels to windows-1252
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    m = _CT_CHARSET.search(content_type or "")
    return normalize_encoding(m.group(1)) if m else None


def charset_from_meta(body: bytes) -> str | None:
    m = _META.search(body[:16384])  # legacy pages put long scripts before the meta tag
    if not m:
        return None
    return normalize_encoding((m.group(1) or m.group(2)).decode("ascii", "ignore"))


def detect(body: bytes) -> str | None:
    best = from_bytes(body[:1_000_000]).best()
    return normalize_encoding(best.encoding) if best else None


def _bom(body: bytes) -> str | None:
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly(body: bytes, encoding: str) -> str | None:
    """A page with a few stray bytes (a pasted Windows character) is still in its declared encoding;
    a page in another encoding altogether produces many errors."""
    try:
        text = body.decode(encoding, "replace")
        bad = text.count("\ufffd") - body.decode(encoding, "ignore").count("\ufffd")
    except LookupError:
        return None
    return text if bad <= 2 + len(body) // 2000 else None


def decode_bytes(body: bytes, content_type: str | None = None, *, html: bool = True) -> tuple[str, str]:
    """Decode ``body``; returns ``(text, codec_name)``. Never raises."""
    bom = _bom(body)
    if bom:
        return body.decode(bom, "replace"), bom
    declared = [charset_from_content_type(content_type)]
    if html:
        declared.append(charset_from_meta(body))
    for enc in declared:
        if not enc:
            continue
        if enc in _WESTERN and _HIGH_BYTES.search(body):
            # "iso-8859-1" is a common server default stuck on UTF-8 or TIS-620 pages: a browser
            # shows mojibake, but the checker needs the Thai text.
            if (text := _strict(body, "utf-8")) is not None:
                return text, "utf-8"
            if detect(body) == "cp874":
                return body.decode("cp874", "replace"), "cp874"
        text = _strict(body, enc)
        if text is not None:
            return text, enc
    text = _strict(body, "utf-8")  # the commonest encoding and a cheap, reliable test
    if text is not None:
        return text, "utf-8"
    for enc in declared:
        text = _mostly(body, enc) if enc else None
        if text is not None:
            return text, enc
    guess = detect(body)
    if guess:
        return body.decode(guess, "replace"), guess
    return body.decode("utf-8", "replace"), "utf-8"
