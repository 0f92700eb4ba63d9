"""The money stage's records: percentages as printed, money tables with their column and row roles,
column splits and panels, 三公 figures, and the budget and 三公 sentences of the running text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .places import BBox


@dataclass(frozen=True)
class Percent:
    """A printed percentage, with the precision it was printed at."""

    value: float  # as printed, in percent unless printed as a fraction
    decimals: int
    sign: bool  # printed with %

    @classmethod
    def of(cls, value: float) -> "Percent":
        """A rate already parsed to a float (funds block): its precision from its digits."""
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return cls(value, len(text.split(".")[1]) if "." in text else 0, True)

    def shown(self) -> str:
        """As printed: 91.14%, 100.00, 83%."""
        return f"{self.value:.{self.decimals}f}" + ("%" if self.sign else "")


@dataclass(frozen=True)
class MoneyColumn:
    """One column of a money table, with the role its header gives it."""

    index: int
    path: tuple[str, ...]  # header texts from top to bottom, normalised, repeats removed
    role: str | None  # rate | budget_initial | budget | final | weight | score | amount; None for text
    rate_kind: str | None  # exec | control | score | saving, for a rate column
    year: int | None  # a year printed in the header (2022年决算数)
    is_total: bool  # 合计 / 小计 / 总额 / 总计
    of_which: bool  # printed under 其中: a subset of a total, never its addend
    numeric: bool  # most filled body cells are amounts

    @property
    def label(self) -> str:
        return "".join(self.path)


@dataclass(frozen=True)
class ColumnSplit:
    """A total column and the columns that add up to it (its siblings under one group, or one split
    printed under it: 按收入性质分 | 按支出性质分). An of-which split may be partial."""

    total: int
    name: str  # the split's printed label, "" for plain siblings
    parts: tuple[int, ...]
    partial: bool


@dataclass(frozen=True)
class MoneyRow:
    """One body row of a money table, with the role of its label."""

    grid_row: int
    cells: tuple[str, ...]  # a merged value once, at its own cell
    label: str  # the first text cell that is neither a number, a sequence number nor a rate
    code: str | None  # the subject code (201, 20106, 2010601) when the table prints a code column
    code_level: int | None  # 1 类, 2 款, 3 项: how many shorter codes of the table it extends, plus one
    sequence: str | None  # 序号 as printed (3, 3.1)
    block: str | None  # a numbered block marker (一、) that starts the label
    is_total: bool  # 合计 / 总计
    boxes: tuple[BBox | None, ...] = ()  # each cell's page region, where the reader knew it


@dataclass(frozen=True)
class Sangong:
    """三公 figures of one measure (预算数, 决算数, 2019年决算数 …) with where they were printed."""

    measure: str  # budget | final | amount
    year: int | None
    values: dict[str, float | None]  # total | abroad | reception | vehicle | vehicle_buy | vehicle_run -> value
    label: str  # the measure's header as printed
    row: int | None = None  # grid row for row-wise figures

    def total(self) -> float | None:
        if self.values.get("total") is not None:
            return self.values["total"]
        parts = [self.vehicle(), self.values.get("abroad"), self.values.get("reception")]
        return sum(v or 0 for v in parts) if any(v is not None for v in parts) else None

    def vehicle(self) -> float | None:
        if self.values.get("vehicle") is not None:
            return self.values["vehicle"]
        subs = [self.values.get(k) for k in ("vehicle_buy", "vehicle_run")]
        return sum(v or 0 for v in subs) if any(v is not None for v in subs) else None


@dataclass(frozen=True)
class MoneyTable:
    """One header band of a money table (a basic data table holds several) and the rows under it."""

    table_index: int | None  # the Table it was read from; None for a table flattened into narrative lines
    page: int | None
    band: int  # which header band of its table
    context: str  # the caption, or the narrative line above a flattened table
    from_grid: bool  # read from a table's grid (False: narrative lines, one cell per line)
    columns: tuple[MoneyColumn, ...]
    rows: tuple[MoneyRow, ...]
    splits: tuple[ColumnSplit, ...] = ()
    panels: tuple[tuple[int | None, tuple[int, ...]], ...] = ()  # (label column, its amount columns)
    sangong: tuple[Sangong, ...] = ()  # the 三公 figures, when the band holds them

    @property
    def where(self) -> str:
        return self.context[:40]


@dataclass(frozen=True)
class BudgetSentence:
    """A sentence that prints one budget, one amount spent and perhaps the rate between them."""

    budget: float
    budget_kind: str  # 全年 | 年初 | 预算 (the sentence does not say which)
    executed: float
    rate: Percent | None
    text: str


@dataclass(frozen=True)
class SangongSentence:
    budget: float
    final: float
    text: str


@dataclass(frozen=True)
class Passage:
    """A paragraph of running text (PDF lines joined back into sentences), or a long table cell."""

    text: str
    table_index: int | None  # the table that printed it; None for running text
    budgets: tuple[BudgetSentence, ...] = ()
    sangong: tuple[SangongSentence, ...] = ()
