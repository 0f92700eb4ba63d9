"""The encoding of a text export, and what was lost decoding it.

Text dumps and HTML pages arrive as UTF-8 (with or without a BOM), GB18030/GBK, Big5, or UTF-16/32
(Windows "Unicode" exports, often without a BOM). A stray byte or a zeroed block must cost those
bytes only, not the file: UTF-8 with a few undecodable bytes is decoded with them replaced, and the
loss is reported. Anything else goes to charset-normalizer; what no codec explains is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import DocError

_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# a UTF-8 file with at most this share of bad bytes is UTF-8 with damage, not another encoding
MAX_BAD_UTF8 = 0.01
MAX_NUL_SHARE = 0.25  # zeroed blocks in a text file; beyond this it is binary data


@dataclass
class Decoded:
    text: str
    encoding: str
    losses: list[str] = field(default_factory=list)  # one line per kind of damage met
    notes: list[str] = field(default_factory=list)  # what was cleaned without losing text


def decoded_losses(decoded: Decoded) -> list[DocError]:
    """Damage met while decoding a file's text as the document's warnings, and what was cleaned as notes."""
    return ([DocError(f"text encoding: {loss}") for loss in decoded.losses]
            + [DocError(f"text encoding: {note}", partial=False) for note in decoded.notes])


def unicode_layout(data: bytes) -> str | None:
    """UTF-16/32 recognised by a BOM or by where the zero bytes of CJK and ASCII text fall."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    head = data[:4096]
    n = len(head) - len(head) % 4
    if n < 8:
        return None
    quads = [head[i:i + 4] for i in range(0, n, 4)]
    if sum(q[2:] == b"\0\0" and q[:2] != b"\0\0" for q in quads) > 0.8 * len(quads):
        return "utf-32-le"
    if sum(q[:2] == b"\0\0" and q[2:] != b"\0\0" for q in quads) > 0.8 * len(quads):
        return "utf-32-be"
    odd, even = head[1:n:2], head[0:n:2]
    # ASCII in UTF-16 puts a zero in every other byte; CJK puts none, so look for one side only
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.02 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.02 * len(odd):
        return "utf-16-be"
    return None


def looks_like_text(data: bytes) -> bool:
    """Text whatever its zero bytes: UTF-16/32, or UTF-8 with a zeroed block."""
    return unicode_layout(data) is not None or (data.count(0) <= MAX_NUL_SHARE * len(data) and _utf8_errors(data.replace(b"\0", b"")) <= MAX_BAD_UTF8 * len(data))


def _utf8_errors(data: bytes) -> int:
    """Bad sequences in `data` read as UTF-8 (a replacement character printed in the file is no error)."""
    return data.decode("utf-8", errors="replace").count("\ufffd") - data.count("\ufffd".encode())


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
        return True
    except UnicodeDecodeError:
        return False


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes) -> Decoded:
    """The text of `data` and the damage met; InputError if no encoding explains it. Control
    characters other than tab and line breaks are removed: no report prints them, and inside a tag
    or as a vertical tab they would break the markup or the lines around them."""
    decoded = _decode(data)
    text, n = _CONTROLS.subn("", decoded.text)
    if n:
        decoded.text = text
        decoded.notes.append(f"{n} control character{'s' if n > 1 else ''} removed")
    return decoded


def _decode(data: bytes) -> Decoded:
    codec = unicode_layout(data)
    if codec is not None:
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd")
        return Decoded(text.lstrip("\ufeff"), codec, [f"{bad} undecodable characters replaced"] if bad else [])
    losses = []
    nuls = data.count(0)
    if nuls:
        if nuls > MAX_NUL_SHARE * len(data):
            raise InputError("not a text file (binary content)")
        losses.append(f"{nuls} zero bytes skipped (a damaged block)")
        data = data.replace(b"\0", b"")
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8", losses)
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    from charset_normalizer import from_bytes

    strict = [c for c in ("gb18030", "big5") if _decodes(data, c)]
    if len(strict) == 1:
        return Decoded(data.decode(strict[0]), strict[0], losses)
    if strict:  # GB18030 decodes most Big5 byte pairs too: let charset-normalizer's language model choose
        best = from_bytes(data[:1 << 20], cp_isolation=strict).best()
        codec = best.encoding if best is not None else strict[0]
        return Decoded(data.decode(codec), codec, losses)
    bad = _utf8_errors(data)
    if bad <= MAX_BAD_UTF8 * len(data) or (bad <= 64 and first_bad > 64):
        text = data.decode("utf-8-sig", errors="replace")
        return Decoded(text, "utf-8", [*losses, f"{bad} byte{'s' if bad > 1 else ''} not valid UTF-8 replaced"])
    best = from_bytes(data[:1 << 20]).best()
    if best is None or best.encoding in ("ascii",):
        raise InputError("not a text file (binary content or unknown encoding)")
    text = data.decode(best.encoding, errors="replace")
    bad = text.count("\ufffd")
    return Decoded(text, best.encoding, [*losses, *([f"{bad} undecodable characters replaced"] if bad else [])])
