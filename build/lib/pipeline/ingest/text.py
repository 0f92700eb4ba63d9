"""Plain-text dumps of reports, in the two styles seen in the wild.

* cell-per-line: every cell starts with a TAB at line start, a line without a leading TAB
  continues the cell above (a line break inside the cell), a blank line ends the row;
* tab-separated: one row per line, cells split on TAB, leading empty cells often lost.

Both land in RawTable(aligned=False): later stages must not trust column positions blindly.
"""

from __future__ import annotations

import re

from ..errors import InputError
from ..levels import is_level_label
from ..model import Document, RawTable, TextBlock
from .base import register, table_from_rows
from .encoding import decode, decoded_losses

_TAG = re.compile(r"</?[a-zA-Z][^>]{0,200}>")
_DASHES = re.compile(r"^[-—–=\s|:]*$")
_CONTEXT_LINES = 4


def _is_cell_line(line: str) -> bool:
    return line.startswith("\t") and "\t" not in line[1:]


def _clean_cell(text: str) -> str:
    return _TAG.sub("", text)


def _cell_block_rows(block: list[str]) -> tuple[list[str], list[str] | None]:
    """A blank-line delimited block in cell-per-line style → (narrative lines, cells)."""
    lead: list[str] = []
    i = 0
    while i < len(block) and not block[i].startswith("\t"):
        lead.append(block[i])
        i += 1
    if i == len(block):
        return lead, None
    cells: list[str] = []
    for line in block[i:]:
        if line.startswith("\t"):
            cells.append(line[1:])
        else:
            cells[-1] += "\n" + line
    return lead, [_clean_cell(c) for c in cells]


def _blocks(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = []
    cur: list[str] = []
    for line in lines:
        if line.strip(" \u3000") == "" and "\t" not in line:
            if cur:
                out.append(cur)
                cur = []
            out.append([])  # keep blank separators visible to the assembler
        else:
            cur.append(line)
    if cur:
        out.append(cur)
    return out


def _is_sandwich_label(line: str) -> bool:
    """A short level label printed on its own line inside a tab table (seed 004 "效益指标")."""
    t = line.strip(" \u3000")
    return len(t) <= 12 and is_level_label(t)


def _is_separator(cells: list[str]) -> bool:
    return all(_DASHES.match(c) for c in cells) and any("-" in c for c in cells)


class _Assembler:
    """Collects rows into tables and narrative into text blocks, in reading order."""

    def __init__(self) -> None:
        self.tables: list[RawTable] = []
        self.text: list[TextBlock] = []
        self.rows: list[list[str]] = []
        self.recent: list[str] = []  # narrative lines since the last table

    def narrative(self, line: str) -> None:
        self.close()
        t = line.strip()
        if t:
            self.text.append(TextBlock(t))
            self.recent.append(t)

    def row(self, cells: list[str]) -> None:
        if _is_separator(cells):
            return
        self.rows.append(cells)

    def close(self) -> None:
        if self.rows:
            context = tuple(self.recent[-_CONTEXT_LINES:])
            self.tables.append(table_from_rows(self.rows, context=context, aligned=False, source_engine="text"))
            self.rows = []
            self.recent = []


def parse_text(text: str) -> tuple[list[RawTable], list[TextBlock]]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    asm = _Assembler()
    blocks = _blocks(lines)
    for bi, block in enumerate(blocks):
        if not block:
            continue
        first_tab = next((ln for ln in block if ln.startswith("\t")), None)
        if first_tab is not None and all(_is_cell_line(ln) or not ln.startswith("\t") for ln in block) and not any(
            "\t" in ln and not ln.startswith("\t") for ln in block
        ):
            lead, cells = _cell_block_rows(block)
            for ln in lead:
                asm.narrative(ln)
            if cells is not None:
                asm.row(cells)
            continue
        for ln in block:
            if "\t" in ln:
                asm.row([_clean_cell(c) for c in ln.split("\t")])
            elif asm.rows and _is_sandwich_label(ln) and _next_is_row(blocks, bi, block, ln):
                asm.row([ln.strip()])
            else:
                asm.narrative(ln)
    asm.close()
    return asm.tables, asm.text


def _next_is_row(blocks: list[list[str]], bi: int, block: list[str], line: str) -> bool:
    """True when a table row follows the label (within this block or after blank lines)."""
    idx = block.index(line)
    for ln in block[idx + 1:]:
        return "\t" in ln
    for nxt in blocks[bi + 1:]:
        if nxt:
            return "\t" in nxt[0]
    return False


@register("text")
def read_text(source: str, data: bytes, sha256: str, options: dict | None = None) -> Document:
    decoded = decode(data)
    if not decoded.text.strip():
        raise InputError("empty text file")
    tables, blocks = parse_text(decoded.text)
    return Document(source=source, sha256=sha256, format="text", tables=tables, text=blocks,
                    errors=decoded_losses(decoded))
