"""Plain text from RTF (often served as ".doc"). Thai RTF stores text as \\uN escapes or as \\'hh bytes
in code page 874 (\\ansicpg874 or a \\fcharset222 font)."""

from __future__ import annotations

import codecs
import re

from crawler.documents import Extraction

from .common import clean_text, first_line

# Parameters are at most 10 digits (the spec: 16 or 32 bits); a longer run is text, not a huge int().
_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S)
# Groups whose content is not document text (font tables, metadata, pictures, field codes ...).
_SKIP_DEST = {
    b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"object", b"listtable", b"listoverridetable",
    b"rsidtbl", b"generator", b"themedata", b"colorschememapping", b"datastore", b"latentstyles",
    b"xmlnstbl", b"fldinst", b"filetbl", b"revtbl", b"nonshppict", b"bkmkstart", b"bkmkend", b"pgdsctbl",
    b"mmathPr", b"wgrffmtfilter", b"passwordhash", b"protusertbl", b"userprops", b"docvar", b"xe", b"tc",
}
_BREAKS = {b"par": "\n", b"line": "\n", b"row": "\n", b"sect": "\n", b"page": "\n", b"cell": " | ",
           b"tab": "\t", b"emdash": "—", b"endash": "–", b"bullet": "•", b"lquote": "‘", b"rquote": "’",
           b"ldblquote": "“", b"rdblquote": "”", b"~": " "}


def _codepage(data: bytes) -> str:
    codepage = "cp874" if re.search(rb"\\ansicpg874|\\fcharset222", data) else "cp1252"
    m = re.search(rb"\\ansicpg(\d{1,5})", data)
    if m and m.group(1) != b"874":
        codepage = f"cp{int(m.group(1))}"
    try:
        codecs.lookup(codepage)
    except LookupError:  # a code page Python does not know (or a made-up one): Western, as Word does
        return "cp1252"
    return codepage


def rtf_to_text(data: bytes) -> str:
    codepage = _codepage(data)
    out: list[str] = []
    pending = bytearray()  # \'hh bytes, decoded together (multi-byte code pages)
    stack: list[tuple[bool, int]] = []
    skip, uc, to_drop = False, 1, 0

    def flush() -> None:
        if pending:
            try:
                out.append(pending.decode(codepage, "replace"))
            except LookupError:
                out.append(pending.decode("cp1252", "replace"))
            pending.clear()

    for word, arg, hexbyte, symbol, brace, text in (m.groups() for m in _TOKEN.finditer(data)):
        if brace == b"{":
            flush()
            stack.append((skip, uc))
        elif brace == b"}":
            flush()
            skip, uc = stack.pop() if stack else (False, 1)
        elif to_drop and (hexbyte or text):  # the ANSI fallback written after a \uN character
            if text:
                take = min(to_drop, len(text))
                to_drop -= take
                text = text[take:]
                if not text:
                    continue
            else:
                to_drop -= 1
                continue
        if skip or brace:
            continue
        if word is not None:
            flush()
            if word in _SKIP_DEST:
                skip = True
            elif word == b"u" and arg is not None:
                n = int(arg)
                n = n + 65536 if n < 0 else n  # signed 16-bit in the spec
                out.append(chr(n) if 0 <= n <= 0x10FFFF else "\ufffd")
                to_drop = uc
            elif word == b"uc" and arg is not None:
                uc = min(max(int(arg), 0), 4)  # fallback bytes per \uN: 1 or 2 in practice
            elif word in _BREAKS:
                out.append(_BREAKS[word])
        elif hexbyte is not None:
            pending.append(int(hexbyte, 16))
        elif symbol is not None:
            flush()
            if symbol == b"*":
                skip = True
            elif symbol in (b"\\", b"{", b"}"):
                out.append(symbol.decode())
            elif symbol in _BREAKS:
                out.append(_BREAKS[symbol])
        elif text:
            flush()
            out.append(text.decode(codepage, "replace"))
    flush()
    return "".join(out)


def extract_rtf(body: bytes) -> Extraction:
    # \cell ends every cell including the last: drop the dangling separator.
    text = clean_text("\n".join(line.rstrip(" |") for line in rtf_to_text(body).splitlines()))
    return Extraction(kind="doc", title=first_line(text), text=text, method="rtf")
