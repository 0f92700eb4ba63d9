"""The money tables stage (pipeline/money.py): the roles it gives columns and rows, and the traps of budget
tables that gave false errors on unseen documents, each on generated tables: a two-level header under a
ratio, of-which columns, a subject-code hierarchy and numbered blocks. Every trap test also plants one wrong
figure and expects exactly that one finding, so that a pass is never a rule that stopped looking."""

import random

import pytest

from pipeline.checks import check_document
from pipeline.extract import assembled
from pipeline.model import Cell, Provenance, RawTable, Table, TableMeta, TableQuality


def _raw(grid, spans=()):
    """A grid with explicit spans: `spans` lists (row, col, colspan) of cells printed over several columns."""
    wide = {(r, c): n for r, c, n in spans}
    covered = {(r, c + k) for (r, c), n in wide.items() for k in range(1, n)}
    cells = [Cell(text, r, c, colspan=wide.get((r, c), 1)) for r, row in enumerate(grid) for c, text in enumerate(row)
             if (r, c) not in covered and text]
    return RawTable(tuple(cells), len(grid), max(len(r) for r in grid))


def _doc(grid, spans=(), title="支出决算表"):
    q = TableQuality("other", None, "t", True, 1, 0, 0, 0, 0.0, 1.0, 1)
    table = Table(Provenance("t.txt", "0" * 64, 1, None, 0), "other", title, None, (), [], TableMeta(), q, _raw(grid, spans))
    return assembled("t.txt", [table], [])


def _findings(doc, rule):
    return [f for f in check_document(doc) if f.rule == rule]


def _fmt(x: float) -> str:
    return f"{x:,.2f}"


# ---------------------------------------------------------------- a ratio under a two-level header

def _two_level(rng: random.Random, rows: int):
    """预算数 and 决算数 each over 合计 | 基本支出 | 项目支出, then 执行率 = 决算合计 / 预算合计."""
    grid = [["项目", "2025年预算数", "", "", "2025年决算数", "", "", "执行率"],
            ["", "合计", "基本支出", "项目支出", "合计", "基本支出", "项目支出", ""]]
    for i in range(rows):
        basic, project = rng.randint(1000, 90000) / 100, rng.choice([0, rng.randint(100, 9000) / 100])
        spent_basic, spent_project = round(basic * rng.uniform(0.8, 1.0), 2), round(project * rng.uniform(0.5, 1.0), 2)
        budget, spent = basic + project, spent_basic + spent_project
        grid.append([f"支出科目{i + 1}", _fmt(budget), _fmt(basic), _fmt(project), _fmt(spent), _fmt(spent_basic),
                     _fmt(spent_project), f"{spent / budget * 100:.2f}%"])
    return grid, [(0, 1, 3), (0, 4, 3)]


@pytest.mark.parametrize("seed", range(8))
def test_a_ratio_under_a_two_level_header_divides_the_group_totals(seed):
    """The 执行率 is 决算 合计 / 预算 合计, not the 项目支出 sub-column nearest the ratio (0/56 for 56/56:
    18 false errors from one table before)."""
    grid, spans = _two_level(random.Random(seed), rows=6)
    assert _findings(_doc(grid, spans), "C06") == []
    planted = [row[:] for row in grid]
    planted[3][7] = "50.00%"
    [found] = _findings(_doc(planted, spans), "C06")
    assert found.evidence["printed"] == "50.00%"
    assert found.evidence["numerator"] == float(grid[3][4].replace(",", ""))
    assert found.evidence["denominator"] == float(grid[3][1].replace(",", ""))


def test_column_roles_of_a_two_level_header():
    grid, spans = _two_level(random.Random(0), rows=2)
    [mt] = _doc(grid, spans).money
    assert [(c.path, c.role, c.is_total) for c in mt.columns] == [
        (("项目",), None, False),
        (("2025年预算数", "合计"), "budget", True), (("2025年预算数", "基本支出"), "budget", False),
        (("2025年预算数", "项目支出"), "budget", False),
        (("2025年决算数", "合计"), "final", True), (("2025年决算数", "基本支出"), "final", False),
        (("2025年决算数", "项目支出"), "final", False),
        (("执行率",), "rate", False)]
    assert [c.year for c in mt.columns[1:7]] == [2025] * 6 and mt.columns[7].rate_kind == "exec"
    assert [(s.total, s.parts) for s in mt.splits] == [(1, (2, 3)), (4, (5, 6))]


# ---------------------------------------------------------------- of-which columns

@pytest.mark.parametrize("seed", range(6))
def test_of_which_columns_are_subsets_never_addends(seed):
    """小计 | 其中：预留给中小企业 | 其中：预留给小微企业: the reserved shares are subsets of the 小计 (and of
    each other), so they never have to add up to it."""
    rng = random.Random(seed)
    grid = [["项目名称", "政府采购预算", "", ""], ["", "小计", "其中：预留给中小企业", "其中：预留给小微企业"]]
    for i in range(5):
        total = rng.randint(10000, 500000) / 100
        small = round(total * rng.uniform(0.1, 0.6), 2)
        grid.append([f"采购项目{i + 1}", _fmt(total), _fmt(small), _fmt(round(small * rng.uniform(0.3, 1.0), 2))])
    doc = _doc(grid, [(0, 1, 3)])
    [mt] = doc.money
    assert [c.of_which for c in mt.columns] == [False, False, True, True] and mt.splits == ()
    assert _findings(doc, "C09") == []


# ---------------------------------------------------------------- subject codes and numbered blocks

def _code_table(rng: random.Random):
    """序号 | 科目编码 | 科目名称 | 预算数: 类 > 款 > 项 rows under a 合计 row, each parent the sum of its children;
    returns the grid and the 类 totals. (A grid table's total is only checked where a 序号 or 一、 blocks print
    the hierarchy plainly: without them a total on one page of a table run over several is no sum of its rows.)"""
    grid = [["序号", "科目编码", "科目名称", "预算数"]]
    body, roots = [], []
    for k in range(rng.randint(2, 4)):
        root = f"2{k + 1:02d}"
        kuan_rows, root_total = [], 0.0
        for j in range(rng.randint(1, 3)):
            kuan = f"{root}{j + 1:02d}"
            items = [rng.randint(100, 50000) / 100 for _ in range(rng.randint(1, 3))]
            kuan_rows.append(["", kuan, f"款{kuan}", _fmt(sum(items))])
            kuan_rows += [["", f"{kuan}{i + 1:02d}", f"项{kuan}{i + 1:02d}", _fmt(v)] for i, v in enumerate(items)]
            root_total += sum(items)
        body += [["", root, f"类{root}", _fmt(root_total)]] + kuan_rows
        roots.append(root_total)
    body = [[str(i + 1), *row[1:]] for i, row in enumerate(body)]
    return grid + [["", "", "合计", _fmt(sum(roots))]] + body, roots


@pytest.mark.parametrize("seed", range(8))
def test_a_code_hierarchy_total_adds_up_the_roots(seed):
    grid, roots = _code_table(random.Random(seed))
    doc = _doc(grid, title="一般公共预算支出表")
    [mt] = doc.money
    levels = {row.code: row.code_level for row in mt.rows if row.code}
    assert all(levels[c] == (1 if len(c) == 3 else 2 if len(c) == 5 else 3) for c in levels)
    assert [row.is_total for row in mt.rows].count(True) == 1
    assert _findings(doc, "C09") == []
    planted = [row[:] for row in grid]
    first_root = next(i for i, row in enumerate(planted) if len(row[1]) == 3)
    planted[first_root][3] = _fmt(roots[0] + 10)
    [found] = _findings(_doc(planted, title="一般公共预算支出表"), "C09")
    assert found.evidence["computed"] == pytest.approx(round(sum(roots) + 10, 2))


@pytest.mark.parametrize("seed", range(6))
def test_numbered_blocks_are_the_addends_of_a_total(seed):
    """一、二、 blocks with （一）（二） rows under them: the 合计 adds up the blocks only."""
    rng = random.Random(seed)
    grid = [["项目", "预算数"]]
    blocks = []
    for k, mark in enumerate("一二三"[:rng.randint(2, 3)]):
        parts = [rng.randint(100, 90000) / 100 for _ in range(rng.randint(1, 3))]
        grid.append([f"{mark}、支出类别{k + 1}", _fmt(sum(parts))])
        grid += [[f"（{'一二三'[i]}）明细{i + 1}", _fmt(v)] for i, v in enumerate(parts)]
        blocks.append(sum(parts))
    grid.append(["合计", _fmt(sum(blocks))])
    doc = _doc(grid, title="项目支出表")
    assert [row.block for row in doc.money[0].rows if row.block] == [f"{m}、" for m in "一二三"[:len(blocks)]]
    assert _findings(doc, "C09") == []
    planted = [row[:] for row in grid]
    planted[1][1] = _fmt(blocks[0] + 5)
    [found] = _findings(_doc(planted, title="项目支出表"), "C09")
    assert found.evidence["computed"] == pytest.approx(round(sum(blocks) + 5, 2))


def test_a_money_table_finding_outlines_the_cells_it_read():
    """A ratio or sum finding on a money table points at its row's cells, not at the whole table."""
    grid, spans = _two_level(random.Random(1), rows=3)
    grid[3][7] = "50.00%"
    cells = []
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if text and (r, c - 1) not in {(0, 1), (0, 2), (0, 4), (0, 5)}:
                cells.append(Cell(text, r, c, colspan=3 if (r, c) in {(0, 1), (0, 4)} else 1,
                                  bbox=(100.0 * c, 20.0 * r, 100.0 * c + 90, 20.0 * r + 15), page=1))
    raw = RawTable(tuple(cells), len(grid), 8, page=1)
    q = TableQuality("other", None, "t", True, 1, 0, 0, 0, 0.0, 1.0, 1)
    table = Table(Provenance("t.txt", "0" * 64, 1, None, 0), "other", "支出决算表", None, (), [], TableMeta(), q, raw)
    [found] = _findings(assembled("t.txt", [table], []), "C06")
    assert found.bbox == [100.0, 60.0, 790.0, 75.0]  # row 3: the 合计 budget (col 1) to the rate (col 7)
    assert "_region" not in found.evidence
