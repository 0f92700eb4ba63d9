"""A seeded fuzz corpus: damaged and hostile copies of the bundled samples and of real PDFs.

Every mutation copies how a published file really goes wrong (a download cut short, a flipped byte,
one corrupt member of a zip, a text export re-encoded, an absurd declared size, a hostile name) or
how a hostile file is built (external entities, a decompression bomb). `generate` writes the files and
a manifest; the same seed gives the same bytes.

A mutation is *mild* when the file keeps most of what it held: the reader is expected to recover the
rows of the intact part and to say what it lost (status partial, never ok and never silent).

    tests/test_fuzz.py      a small subset, in CI
    bench/bench_fuzz.py     the full set (over 1,000 files) and its outcome table
"""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

Mutate = Callable[[bytes, random.Random], "bytes | None"]


@dataclass(frozen=True)
class Case:
    file: str  # name in the fuzz folder
    base: str  # name of the clean file it was made from
    format: str  # the base's format (pdf, xlsx, docx, xls, html, text)
    mutation: str
    mild: bool


FORMATS = {".pdf": "pdf", ".xlsx": "xlsx", ".docx": "docx", ".xls": "xls", ".html": "html", ".txt": "text"}
MANIFEST = "MANIFEST.fuzz"  # not a readable extension: a run over the folder skips it


# ---------------------------------------------------------------- byte-level damage (every format)


def cut_tail(data: bytes, rng: random.Random) -> bytes:
    return data[: int(len(data) * rng.uniform(0.95, 0.995))]


def cut_half(data: bytes, rng: random.Random) -> bytes:
    return data[: len(data) // 2]


def flip_byte(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1:]


def flip_many(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(20):
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def zero_block(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(max(1, len(data) - 4096))
    return data[:i] + bytes(min(4096, len(data) - i)) + data[i + 4096:]


def empty(data: bytes, rng: random.Random) -> bytes:
    return b""


def head_only(data: bytes, rng: random.Random) -> bytes:
    return data[:16]


def appended_junk(data: bytes, rng: random.Random) -> bytes:
    return data + rng.randbytes(2048)


# ---------------------------------------------------------------- PDF


def _streams(data: bytes) -> list[tuple[int, int, bytes]]:
    """(start, end, dictionary) of every stream's raw data."""
    out = []
    for m in re.finditer(rb"<<((?:(?!>>\s*stream).){0,2000}?)>>\s*stream\r?\n", data, re.S):
        start = m.end()
        end = data.find(b"endstream", start)
        if end > start:
            out.append((start, end, m.group(1)))
    return out


def _is_content(data: bytes, start: int, end: int, head: bytes) -> bool:
    """A page's drawing: a stream of text operators that is no font, image or form."""
    from pipeline.ingest.pdf_repair import decode_stream, stream_filters

    if b"/Length1" in head or b"/Subtype" in head or b"/Type" in head:
        return False
    filters = stream_filters(head)
    try:
        text = decode_stream(data[start:end], filters) if filters else data[start:end]
    except ValueError:
        return False
    return text is not None and b"BT" in text and (b"Tj" in text or b"TJ" in text)


def _flip_in(data: bytes, rng: random.Random, keep: Callable[[int, int, bytes], bool], flips: int = 1) -> bytes | None:
    found = [(s, e) for s, e, head in _streams(data) if e - s > 64 and keep(s, e, head)]
    if not found:
        return None
    s, e = rng.choice(found)
    b = bytearray(data)
    for _ in range(flips):
        i = rng.randrange(s + (e - s) // 4, e)  # past the stream's first bytes: a damaged, not a lost, stream
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def pdf_content_flip(data: bytes, rng: random.Random) -> bytes | None:
    return _flip_in(data, rng, lambda s, e, head: _is_content(data, s, e, head))


def pdf_font_flip(data: bytes, rng: random.Random) -> bytes | None:
    return _flip_in(data, rng, lambda s, e, head: b"/Length1" in head or b"/FontFile" in head or b"/Subtype/Type1C" in head
                    or b"/Subtype /Type1C" in head or b"/Subtype/CIDFontType0C" in head)


def pdf_no_trailer(data: bytes, rng: random.Random) -> bytes | None:
    i = data.rfind(b"startxref")
    j = data.rfind(b"\nxref", 0, i) if i > 0 else -1
    cut = j if j > 0 else i
    return data[:cut] if cut > 0 else None


def pdf_bad_xref_offset(data: bytes, rng: random.Random) -> bytes | None:
    m = list(re.finditer(rb"startxref\s+(\d+)", data))
    if not m:
        return None
    last = m[-1]
    return data[: last.start(1)] + str(int(last.group(1)) + 17).encode() + data[last.end(1):]


# ---------------------------------------------------------------- zip containers (xlsx, docx)


def _members(data: bytes) -> list[zipfile.ZipInfo]:
    return zipfile.ZipFile(io.BytesIO(data)).infolist()


def _rezip(data: bytes, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = change(info.filename, src.read(info.filename))
            if body is not None:
                z.writestr(info.filename, body)
        for name, body in (extra or {}).items():
            z.writestr(name, body)
    return out.getvalue()


def _main_part(data: bytes, rng: random.Random) -> str | None:
    names = [i.filename for i in _members(data)]
    sheets = [n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
    if sheets:
        return rng.choice(sheets)
    return "word/document.xml" if "word/document.xml" in names else None


def zip_corrupt_member(data: bytes, rng: random.Random) -> bytes | None:
    """Damage the compressed bytes of one member: a CRC or inflate error in that member only."""
    part = _main_part(data, rng)
    if part is None:
        return None
    info = next(i for i in _members(data) if i.filename == part)
    name_len, extra_len = int.from_bytes(data[info.header_offset + 26: info.header_offset + 28], "little"), \
        int.from_bytes(data[info.header_offset + 28: info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    b = bytearray(data)
    for _ in range(8):
        b[rng.randrange(start + info.compress_size // 3, start + info.compress_size)] ^= 0xFF
    return bytes(b)


def zip_corrupt_other_member(data: bytes, rng: random.Random) -> bytes | None:
    """Damage a member the readers do not need (theme, thumbnail): nothing should be lost."""
    others = [i for i in _members(data) if "theme" in i.filename or "thumbnail" in i.filename or "docProps" in i.filename]
    if not others:
        return None
    info = rng.choice(others)
    name_len = int.from_bytes(data[info.header_offset + 26: info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28: info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    b = bytearray(data)
    b[start + info.compress_size // 2] ^= 0xFF
    return bytes(b)


def zip_no_central_directory(data: bytes, rng: random.Random) -> bytes | None:
    i = data.rfind(b"PK\x01\x02", 0, len(data))
    first = data.find(b"PK\x01\x02")
    return data[:first] if first > 0 and i > 0 else None


def _xml_change(data: bytes, rng: random.Random, edit: Callable[[bytes], bytes]) -> bytes | None:
    part = _main_part(data, rng)
    if part is None:
        return None
    return _rezip(data, lambda name, body: edit(body) if name == part else body)


def zip_xxe(data: bytes, rng: random.Random) -> bytes | None:
    doctype = (b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa">'
               b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    return _xml_change(data, rng, lambda body: re.sub(rb"(<\?xml[^>]*\?>)", lambda m: m.group(1) + doctype, body, count=1))


def zip_bomb(data: bytes, rng: random.Random) -> bytes | None:
    return _rezip(data, lambda name, body: body, {"xl/media/padding.bin" if b"xl/" in data else "word/media/padding.bin":
                                                   bytes(300 * 1024 * 1024)})


def xlsx_huge_range(data: bytes, rng: random.Random) -> bytes | None:
    if b"xl/worksheets" not in data:
        return None

    def edit(body: bytes) -> bytes:
        body = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', body)
        return body.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
    return _xml_change(data, rng, edit)


def xlsx_huge_merge(data: bytes, rng: random.Random) -> bytes | None:
    if b"xl/worksheets" not in data:
        return None

    def edit(body: bytes) -> bytes:
        merge = b'<mergeCell ref="A1:XFD1048576"/>'
        if b"<mergeCells" in body:
            return re.sub(rb"(<mergeCells[^>]*>)", lambda m: m.group(1) + merge, body, count=1)
        return body.replace(b"</sheetData>", b"</sheetData><mergeCells count=\"1\">" + merge + b"</mergeCells>")
    return _xml_change(data, rng, edit)


def docx_huge_span(data: bytes, rng: random.Random) -> bytes | None:
    if b"word/document.xml" not in data:
        return None
    return _xml_change(data, rng, lambda body: body.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="1000000000"/>', 1)
                       .replace(b"<w:trPr>", b'<w:trPr><w:gridBefore w:val="1000000000"/>', 1))


def ooxml_control_chars(data: bytes, rng: random.Random) -> bytes | None:
    """Control characters as Office writes them (_x001B_ escapes, which readers decode)."""
    def edit(body: bytes) -> bytes:
        return re.sub(rb"(<(?:w:)?t(?: [^>]*)?>)([^<]{2})", lambda m: m.group(1) + b"_x001B__x0007_" + m.group(2), body, count=3)
    return _xml_change(data, rng, edit)


def ooxml_big_number(data: bytes, rng: random.Random) -> bytes | None:
    digits = b"9" * 5000

    def edit(body: bytes) -> bytes:
        body, n = re.subn(rb"<v>(\d+(?:\.\d+)?)</v>", b"<v>" + digits + b"</v>", body, count=2)
        if not n:
            body = re.sub(rb"(<w:t(?: [^>]*)?>)(\d+)(</w:t>)", lambda m: m.group(1) + digits + m.group(3), body, count=2)
        return body
    return _xml_change(data, rng, edit)


# ---------------------------------------------------------------- text and HTML


def _decoded(data: bytes) -> str:
    return data.decode("utf-8")


def bad_byte(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data) // 4, len(data))
    while i < len(data) and (data[i] & 0xC0) == 0x80:  # not inside a character
        i += 1
    return data[:i] + b"\xff" + data[i:]


def encoded(codec: str, bom: bytes = b"") -> Mutate:
    def mutate(data: bytes, rng: random.Random) -> bytes:
        return bom + _decoded(data).encode(codec, errors="replace")
    mutate.__name__ = f"as_{codec.replace('-', '')}{'_bom' if bom else ''}"
    return mutate


def control_chars(data: bytes, rng: random.Random) -> bytes:
    text = _decoded(data)
    spots = sorted(rng.sample(range(len(text)), 5))
    for k, i in enumerate(reversed(spots)):
        text = text[:i] + "\x1b\x07\x0b\x01\x7f"[k] + text[i:]
    return text.encode("utf-8")


def big_number(data: bytes, rng: random.Random) -> bytes | None:
    text, n = re.subn(r"(?<![\d.])(\d{2,3})(?![\d.])", "9" * 5000, _decoded(data), count=3)
    return text.encode("utf-8") if n else None


def huge_line(size: int) -> Mutate:
    def mutate(data: bytes, rng: random.Random) -> bytes:
        return data + ("十" * (size // 3)).encode("utf-8")
    mutate.__name__ = f"huge_line_{size >> 20}mb"
    return mutate


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"<body>", b"<body>" + b"<div>" * 50000, 1) + b"</div>" * 50000


def cr_only(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")


# ---------------------------------------------------------------- which mutations each format gets

COMMON: list[tuple[Mutate, bool]] = [(cut_tail, False), (cut_half, False), (flip_byte, False), (flip_many, False),
                                     (zero_block, False), (head_only, False), (appended_junk, False)]
ZIPPED: list[tuple[Mutate, bool]] = [(zip_corrupt_member, False), (zip_corrupt_other_member, True),
                                     (zip_no_central_directory, True), (zip_xxe, False), (zip_bomb, False),
                                     (ooxml_control_chars, True), (ooxml_big_number, True)]
BY_FORMAT: dict[str, list[tuple[Mutate, bool]]] = {
    "pdf": [(cut_tail, True), (pdf_no_trailer, True), (pdf_bad_xref_offset, True), (pdf_content_flip, True),
            (pdf_font_flip, False), *COMMON[1:]],
    "xlsx": [*COMMON, *ZIPPED, (xlsx_huge_range, True), (xlsx_huge_merge, False)],
    "docx": [*COMMON, *ZIPPED, (docx_huge_span, False)],
    "xls": COMMON,
    "text": [*COMMON, (bad_byte, True), (encoded("utf-16"), True), (encoded("utf-16-le"), True),
             (encoded("utf-16-be"), True), (encoded("utf-32"), True), (encoded("gb18030"), True),
             (encoded("big5"), False), (encoded("utf-8", b"\xef\xbb\xbf"), True), (control_chars, True),
             (big_number, True), (cr_only, True), (huge_line(8 << 20), True)],
    "html": [*COMMON, (bad_byte, True), (encoded("gb18030"), True), (control_chars, True), (big_number, True),
             (deep_nesting, True), (huge_line(8 << 20), True)],
}
ONCE = {"empty", "head_only", "cut_half", "zip_bomb", "zip_xxe", "xlsx_huge_range", "xlsx_huge_merge", "docx_huge_span",
        "pdf_no_trailer", "pdf_bad_xref_offset", "zip_no_central_directory", "deep_nesting", "cr_only",
        "huge_line_8mb"} | {m.__name__ for m, _ in BY_FORMAT["text"] if m.__name__.startswith("as_")}
# names a hostile or careless publisher gives a file: rich markup, an emoji code, an escape sequence
HOSTILE_NAMES = ("[red]报告[bold] :warning:", "\x1b[31m红\x1b[0m", "tab\tand\u202eevil", "[bold]")


def generate(bases: list[Path], out_dir: Path, seed: int = 12, copies: int = 3) -> list[Case]:
    """Write mutated copies of every base into out_dir, and FUZZ.tsv; return the cases.

    Mutations that draw random positions get `copies` copies each; the others one."""
    cases = _write(bases, out_dir, seed, copies)
    write_manifest(cases, out_dir)
    return cases


def write_manifest(cases: list[Case], out_dir: Path) -> None:
    with (out_dir / MANIFEST).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["file", "base", "format", "mutation", "mild"])
        for c in cases:
            w.writerow([c.file.encode("unicode_escape").decode("ascii"), c.base, c.format, c.mutation, int(c.mild)])


def read_manifest(out_dir: Path) -> list[Case]:
    with (out_dir / MANIFEST).open(encoding="utf-8", newline="") as fh:
        return [Case(r["file"].encode("ascii").decode("unicode_escape"), r["base"], r["format"], r["mutation"], r["mild"] == "1")
                for r in csv.DictReader(fh, delimiter="\t")]


def _write(bases: list[Path], out_dir: Path, seed: int, copies: int) -> list[Case]:
    out_dir.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    for base in sorted(bases):
        fmt = FORMATS.get(base.suffix.lower())
        if fmt is None:
            continue
        data = base.read_bytes()
        for mutate, mild in BY_FORMAT[fmt]:
            name = mutate.__name__
            for k in range(1 if name in ONCE else copies):
                rng = random.Random(f"{seed}:{base.name}:{name}:{k}")
                try:
                    body = mutate(data, rng)
                except (zipfile.BadZipFile, UnicodeDecodeError, ValueError):
                    body = None
                if body is None:
                    continue
                file = f"{base.stem}__{name}__{k}{base.suffix}"
                (out_dir / file).write_bytes(body)
                cases.append(Case(file, base.name, fmt, name, mild))
        for k, hostile in enumerate(HOSTILE_NAMES[:1 if fmt == "pdf" else 2]):
            file = f"{base.stem}__{hostile}__{k}{base.suffix}"
            (out_dir / file).write_bytes(data)
            cases.append(Case(file, base.name, fmt, "hostile_name", True))
        other = ".docx" if base.suffix != ".docx" else ".pdf"
        (out_dir / f"{base.stem}__wrong_extension__0{other}").write_bytes(data)
        cases.append(Case(f"{base.stem}__wrong_extension__0{other}", base.name, fmt, "wrong_extension", False))
    (out_dir / f"empty__empty__0.pdf").write_bytes(b"")
    cases.append(Case("empty__empty__0.pdf", "-", "pdf", "empty", False))
    return cases
