"""Office packages (XLSX, DOCX) read member by member, so that damage costs only what it touches.

A package is a zip: a central directory at its end lists the members, and every member also has a
local header in front of its data. A download cut short loses the directory but keeps the headers; a
flipped byte breaks the one member it falls in. `salvage_package` finds every member it can (from the
directory, or else from the local headers), inflates each one on its own, and rebuilds a sound
package in memory for openpyxl or python-docx:

* a member the document cannot do without (the workbook, the Word body) that is lost: InputError;
* a worksheet that is lost: replaced by an empty sheet, with a warning naming it;
* anything else lost (theme, styles, properties, pictures): dropped, with a warning or a note;
* worksheets whose declared extent is absurd (a merge over the whole sheet, a stray cell at
  XFD1048576) are bounded by the cells that hold values, before openpyxl allocates the range;
* a number too long to be one (thousands of digits) is kept as the text it is.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import DocError

MAX_UNZIPPED_BYTES = 512 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_NUMBER_DIGITS = 300  # beyond this a float is infinite: a "number" this long is text
REQUIRED = {"XLSX": "xl/workbook.xml", "DOCX": "word/document.xml"}
_SHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")
_HARMLESS = re.compile(r"docProps/|xl/theme/|word/theme/|customXml/|/media/|thumbnail|word/(webSettings|fontTable|stylesWithEffects)\.xml")
_EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')


@dataclass
class Package:
    data: bytes  # a sound zip, the original bytes when nothing had to change
    warnings: list[DocError] = field(default_factory=list)


def _local_members(data: bytes) -> list[tuple[str, int, int, int, int]]:
    """(name, method, data start, compressed size or -1, crc) of every local file header."""
    found = []
    for m in re.finditer(rb"PK\x03\x04", data):
        at = m.start()
        if at + 30 > len(data):
            break
        _, flags, method, _, _, crc, csize, _, nlen, elen = struct.unpack("<HHHHHIIIHH", data[at + 4: at + 30])
        name = data[at + 30: at + 30 + nlen].decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
        start = at + 30 + nlen + elen
        found.append((name, method, start, -1 if flags & 0x08 else csize, crc))
    return found


def _inflate(raw: bytes, method: int, crc: int | None, limit: int) -> bytes:
    if method == 0:
        body = raw
    elif method == 8:
        z = zlib.decompressobj(-15)
        body = z.decompress(raw, limit)
        if z.unconsumed_tail:
            raise ValueError("unpacks past the size limit")
        if not z.eof:
            raise ValueError("is cut short")
    else:
        raise ValueError(f"uses compression method {method}")
    if crc is not None and zlib.crc32(body) != crc:
        raise ValueError("fails its CRC")
    return body


def _members(data: bytes, what: str) -> tuple[dict[str, bytes | str], list[DocError]]:
    """Every member's bytes, or the reason it is lost."""
    out: dict[str, bytes | str] = {}
    notes: list[DocError] = []
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, struct.error, OSError):
        zf, infos = None, []
    if zf is not None:
        total = sum(i.file_size for i in infos)
        packed = max(1, sum(i.compress_size for i in infos))
        if total > MAX_UNZIPPED_BYTES or total / packed > MAX_ZIP_RATIO:
            raise InputError(f"{what} unpacks to {total // (1024 * 1024)} MiB (ratio {total / packed:.0f}:1): refused as a zip bomb")
        for info in infos:
            try:
                with zf.open(info) as fh:
                    out[info.filename] = fh.read(MAX_UNZIPPED_BYTES + 1)
            except RuntimeError:  # zipfile's word for a member flagged as encrypted
                out[info.filename] = "is marked encrypted"
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, struct.error) as exc:
                out[info.filename] = "fails its CRC" if "CRC" in str(exc) else "does not decompress"
        return out, notes
    local = _local_members(data)
    if not local:
        raise InputError(f"corrupt or truncated {what} (not a zip archive: no member found)")
    notes.append(DocError(f"corrupt or truncated {what}: its zip directory is lost; members read from their local headers"))
    budget = MAX_UNZIPPED_BYTES
    for k, (name, method, start, csize, crc) in enumerate(local):
        end = start + csize if csize >= 0 else (local[k + 1][2] if k + 1 < len(local) else len(data))
        try:
            body = _inflate(data[start:end], method, crc if csize >= 0 else None, budget)
        except (ValueError, zlib.error) as exc:
            out[name] = str(exc)
            continue
        budget -= len(body)
        if budget <= 0 or len(body) > MAX_ZIP_RATIO * max(1, end - start):
            raise InputError(f"{what} unpacks past {MAX_UNZIPPED_BYTES >> 20} MiB: refused as a zip bomb")
        out[name] = body
    return out, notes


_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*?(?:/>|>(.*?)</c>)', re.S)
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"\s*/>')
_LONG_NUMBER = re.compile(rb'<c ([^>]*?)(?:\s*t="n")?>\s*<v>([-+]?\d{' + str(MAX_NUMBER_DIGITS).encode() + rb',}(?:\.\d*)?(?:[eE][-+]?\d+)?)</v>\s*</c>')


def _col(letters: bytes) -> int:
    from openpyxl.utils.cell import column_index_from_string  # openpyxl only when a workbook is read

    return column_index_from_string(letters.decode("ascii"))


def bound_sheet(xml: bytes) -> tuple[bytes, list[str]]:
    """The worksheet with its merges bounded by the cells that hold values, and numbers too long to
    be numbers kept as text; what was changed, in words."""
    changes = []
    xml, n = _LONG_NUMBER.subn(lambda m: b"<c " + m.group(1) + b' t="inlineStr"><is><t>' + m.group(2) + b"</t></is></c>", xml)
    if n:
        changes.append(f"{n} number{'s' if n > 1 else ''} too long for a number kept as text")
    filled = sorted((int(m.group(2)), _col(m.group(1))) for m in _CELL.finditer(xml)
                    if m.group(3) and (b"<v>" in m.group(3) or b"<is>" in m.group(3)))
    last_row = max((r for r, _ in filled), default=0)
    last_col = max((c for _, c in filled), default=0)
    dropped = clamped = 0

    def bound(m: re.Match) -> bytes:
        nonlocal dropped, clamped
        c0, r0, c1, r1 = _col(m.group(1)), int(m.group(2)), _col(m.group(3)), int(m.group(4))
        # Excel keeps only the first cell's value in a merge: one that covers other values is damage
        if c0 > last_col or r0 > last_row or any(
                r0 <= r <= r1 and c0 <= c <= c1 and (r, c) != (r0, c0) for r, c in filled):
            dropped += 1
            return b""
        if c1 > last_col or r1 > last_row:
            clamped += 1
            c1, r1 = min(c1, last_col), min(r1, last_row)
        from openpyxl.utils.cell import get_column_letter

        return b'<mergeCell ref="' + m.group(1) + m.group(2) + b":" + get_column_letter(c1).encode("ascii") + str(r1).encode() + b'"/>'
    xml = _MERGE.sub(bound, xml)
    if dropped:
        changes.append(f"{dropped} merged range{'s' if dropped > 1 else ''} over cells with values ignored")
    if clamped:
        changes.append(f"{clamped} merged range{'s' if clamped > 1 else ''} beyond the cells with values bounded")
    return xml, changes


_RELATIONSHIP = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*/>')


def _without_targets(rels_name: str, xml: bytes, present: set[str]) -> bytes:
    """The relationships file without the relationships to members that are lost (python-docx and
    openpyxl load every related part, and a missing one stops the whole package)."""
    base = posixpath.dirname(posixpath.dirname(rels_name))  # word/_rels/document.xml.rels -> word

    def keep(m: re.Match) -> bytes:
        if b'TargetMode="External"' in m.group(0):
            return m.group(0)
        target = m.group(1).decode("utf-8", "replace")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        return m.group(0) if path in present else b""
    return _RELATIONSHIP.sub(keep, xml)


def salvage_package(data: bytes, what: str) -> Package:
    """A sound package of what `data` still holds, and what was lost (see the module docstring)."""
    members, warnings = _members(data, what)
    required = REQUIRED[what]
    if required not in members:
        raise InputError(f"not {'an Excel workbook' if what == 'XLSX' else 'a Word document'} (no {required})")
    if isinstance(members[required], str):
        raise InputError(f"corrupt {what}: {required} {members[required]}")
    changed = bool(warnings)
    kept: dict[str, bytes] = {}
    for name, body in members.items():
        if isinstance(body, str):
            changed = True
            if _SHEET.fullmatch(name):
                kept[name] = _EMPTY_SHEET
                warnings.append(DocError(f"{what} member {name} {body}: the rows of that sheet are lost"))
            else:
                harmless = bool(_HARMLESS.search(name))
                warnings.append(DocError(f"{what} member {name} {body}: ignored", partial=not harmless))
            continue
        if _SHEET.fullmatch(name):
            bounded, changes = bound_sheet(body)
            if changes:
                changed = True
                warnings.extend(DocError(f"{name}: {c}", partial=False) for c in changes)
                body = bounded
        kept[name] = body
    if not changed:
        return Package(data)
    for name in [n for n in kept if n.endswith(".rels")]:
        kept[name] = _without_targets(name, kept[name], set(kept))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, body in kept.items():
            z.writestr(name, body)
    return Package(out.getvalue(), warnings)
