"""A PDF whose cross-reference or trailer is lost (a download cut short) still holds its objects:
find them by their `N G obj` headers, and those packed in object streams by the streams' own
tables, then append a cross-reference stream and trailer so that pdfium can open the file.

Neither pdfium nor qpdf recovers a file cut in its last pages when its catalog sits in an object
stream; a rebuilt cross-reference stream does. The pages whose objects survive are read."""

from __future__ import annotations

import base64
import re
import struct
import zlib

_OBJ = re.compile(rb"(?:^|[\r\n\s])(\d{1,10})\s+(\d{1,5})\s+obj\b")
_CATALOG = re.compile(rb"/Type\s*/Catalog\b")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b")
_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")
_PAGES_REF = re.compile(rb"/Pages\s+(\d+)\s+\d+\s+R")
_INT = {k: re.compile(rb"/" + k.encode() + rb"\s+(\d+)\b") for k in ("N", "First")}
MAX_OBJECTS = 2_000_000


def _stream_parts(body: bytes) -> tuple[bytes, bytes] | None:
    """(dictionary, raw data) of the stream object `body`, None when it holds no stream; a stream cut
    short keeps the data up to the cut."""
    s = re.search(rb"stream\r?\n", body)
    if s is None:
        return None
    raw = body[s.end():]
    e = raw.rfind(b"endstream")
    return body[:s.start()], raw[:e] if e >= 0 else raw


def _stream_data(data: bytes, start: int, end: int) -> bytes | None:
    """The decoded data of the stream object in data[start:end] (Flate or none), None if unreadable."""
    parts = _stream_parts(data[start:end])
    if parts is None:
        return None
    head, raw = parts
    if b"/FlateDecode" in head:
        try:
            return zlib.decompressobj().decompress(raw)
        except zlib.error:
            return None
    return raw


def rebuild_xref(data: bytes) -> tuple[bytes, int] | None:
    """The file with a fresh cross-reference stream and trailer appended, and the number of objects
    it lists; None when no document catalog can be found."""
    direct: dict[int, tuple[int, int]] = {}  # object number -> (offset, generation); the last one wins
    starts = []
    for m in _OBJ.finditer(data):
        num, gen = int(m.group(1)), int(m.group(2))
        if num > MAX_OBJECTS:
            continue
        off = m.start(1)
        direct[num] = (off, gen)
        starts.append(off)
    if not direct:
        return None
    starts.append(len(data))
    extent = {off: nxt for off, nxt in zip(starts, starts[1:])}
    packed: dict[int, tuple[int, int]] = {}  # object number -> (object stream number, index)
    root = None
    pages_of_root = None  # the /Pages object the catalog names
    page_objects: list[int] = []  # every page object, in file order
    for num, (off, _) in sorted(direct.items()):
        head = data[off:min(extent[off], off + 4096)]
        if _OBJSTM.search(head):
            n, first = (_INT[k].search(head) for k in ("N", "First"))
            decoded = _stream_data(data, off, extent[off])
            if n is None or first is None or decoded is None:
                continue
            pairs = decoded[:int(first.group(1))].split()
            nums = [int(x) for x in pairs[0::2][:int(n.group(1))] if x.isdigit()]
            offsets = [int(x) for x in pairs[1::2][:len(nums)] if x.isdigit()]
            begin = int(first.group(1))
            bounds = [begin + rel for rel in offsets] + [len(decoded)]
            for index, (inner, rel) in enumerate(zip(nums, offsets)):
                if inner not in direct:
                    packed[inner] = (num, index)
                body = decoded[bounds[index]:bounds[index + 1]]
                root, pages_of_root = _note(inner, body, root, pages_of_root, page_objects)
        else:
            root, pages_of_root = _note(num, head, root, pages_of_root, page_objects)
    if root is None and not page_objects:
        return None
    base = data if data.endswith(b"\n") else data + b"\n"
    size = max([*direct, *packed]) + 1
    if root is None or pages_of_root not in direct and pages_of_root not in packed:
        # the catalog or its page tree was in the lost part: a new catalog over the pages that remain
        pages_num, root = size, size + 1
        kids = " ".join(f"{k} 0 R" for k in page_objects)
        for num, text in ((pages_num, f"<< /Type /Pages /Kids [{kids}] /Count {len(page_objects)} >>"),
                          (root, f"<< /Type /Catalog /Pages {pages_num} 0 R >>")):
            direct[num] = (len(base), 0)
            base += f"{num} 0 obj\n{text}\nendobj\n".encode()
        size = root + 1
    size += 1
    xref_num = size - 1
    xref_off = len(base)
    entries = []
    for k in range(size):
        if k == xref_num:
            entries.append(struct.pack(">BIH", 1, xref_off, 0))
        elif k in direct:
            off, gen = direct[k]
            entries.append(struct.pack(">BIH", 1, off, min(gen, 0xFFFF)))
        elif k in packed:
            entries.append(struct.pack(">BIH", 2, packed[k][0], packed[k][1]))
        else:
            entries.append(struct.pack(">BIH", 0, 0, 0xFFFF if k == 0 else 0))
    table = b"".join(entries)
    xref = (f"{xref_num} 0 obj\n<< /Type /XRef /Size {size} /W [1 4 2] /Root {root} 0 R /Length {len(table)} >>\n"
            f"stream\n").encode() + table + f"\nendstream\nendobj\nstartxref\n{xref_off}\n%%EOF\n".encode()
    return base + xref, len(direct) + len(packed)


def _note(num: int, body: bytes, root: int | None, pages: int | None, page_objects: list[int]) -> tuple[int | None, int | None]:
    """Record what one object is: the catalog (and the page tree it names) or a page."""
    if root is None and _CATALOG.search(body):
        ref = _PAGES_REF.search(body)
        return num, int(ref.group(1)) if ref else None
    if _PAGE.search(body):
        page_objects.append(num)
    return root, pages


_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/\w+)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")


def decode_stream(raw: bytes, filters: list[bytes]) -> bytes | None:
    """The data of a Flate (or ASCII85 + Flate) stream; None if it does not decode to its end.
    ValueError for filter chains this does not decode."""
    if filters == [b"ASCII85Decode", b"FlateDecode"]:
        text = raw.strip()
        text = text[:-2] if text.endswith(b"~>") else text
        try:
            raw = base64.a85decode(text)
        except ValueError:
            return None
    elif filters != [b"FlateDecode"]:
        raise ValueError(b" ".join(filters).decode("latin-1"))
    z = zlib.decompressobj()
    try:
        out = z.decompress(raw)
    except zlib.error:
        return None
    return out if z.eof else None


def stream_filters(head: bytes) -> list[bytes]:
    f = _FILTER.search(head)
    return re.findall(rb"/(\w+)", f.group(1)) if f else []


def damaged_streams(data: bytes) -> list[int]:
    """Objects whose compressed stream does not decode to its end: a flipped byte in a page's
    drawing or a font. pdfium draws what it can of such a stream and says nothing, so the page
    would pass for whole. Images are not checked (their loss costs no text)."""
    if b"/Encrypt" in data:
        return []  # encrypted streams decode only after decryption
    starts = [(m.start(1), int(m.group(1))) for m in _OBJ.finditer(data)]
    bad = []
    for (off, num), (nxt, _) in zip(starts, [*starts[1:], (len(data), 0)]):
        parts = _stream_parts(data[off:nxt])
        if parts is None or _IMAGE.search(parts[0]):
            continue
        head, raw = parts
        filters = stream_filters(head)
        try:
            if filters and decode_stream(raw, filters) is None:
                bad.append(num)
        except ValueError:
            continue
    return bad
