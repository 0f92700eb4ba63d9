"""What the corpus notebooks share: where the corpus and the figures are, printing a query's result,
the figures that tests compare with SQL, matplotlib set up for Chinese labels, and the department a
document belongs to.

Environment:
    PERFAUDIT_CORPUS         the corpus file built by `perfaudit corpus build` (required)
    PERFAUDIT_NOTEBOOK_OUT   folder for the plots (default: a new temporary folder)
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path

CORPUS_ENV = "PERFAUDIT_CORPUS"
OUT_ENV = "PERFAUDIT_NOTEBOOK_OUT"
CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "SimHei", "Microsoft YaHei")
UNNAMED = "（未标明）"  # department label prefix when neither a title nor the file name names the unit


def connect():
    """A read-only connection to the corpus named by PERFAUDIT_CORPUS (one clear line if it is not there)."""
    import duckdb

    path = os.environ.get(CORPUS_ENV)
    if not path:
        sys.exit(f"{CORPUS_ENV} is not set: build a corpus with `perfaudit corpus build PATH... --db F` and set {CORPUS_ENV}=F")
    if not Path(path).is_file():
        sys.exit(f"{path}: no such corpus ({CORPUS_ENV})")
    return duckdb.connect(path, read_only=True)


def out_dir() -> Path:
    """The folder the plots go to: PERFAUDIT_NOTEBOOK_OUT, created if need be, else a temporary folder."""
    given = os.environ.get(OUT_ENV)
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="perfaudit-notebook-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def show(con, sql: str, params: list | None = None, max_rows: int = 40):
    """Run a query, print its result as a plain table (readable in a notebook and in a terminal), return
    it as a DataFrame."""
    df = con.execute(sql, params or []).df().convert_dtypes()  # integer columns stay integers, NULL shows as <NA>
    if df.empty:
        print("(no rows)")
    else:
        print(df.to_string(index=False, max_rows=max_rows))
    return df


def key(name: str, value) -> None:
    """Print one key figure as `key NAME = VALUE`; the tests compare these lines with their own SQL."""
    if isinstance(value, float):
        value = round(value, 4)
    print(f"key {name} = {value}")


def setup_plots():
    """matplotlib without a display (Agg), with a CJK font when one is installed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    cjk = [f for f in CJK_FONTS if f in installed]
    if cjk:
        plt.rcParams["font.sans-serif"] = cjk + list(plt.rcParams["font.sans-serif"])
    else:
        print("no CJK font installed: Chinese labels will show as boxes (Debian: apt-get install fonts-wqy-microhei)")
    plt.rcParams["axes.unicode_minus"] = False  # the CJK fonts lack U+2212
    return plt


def save(fig, folder: Path, name: str) -> Path:
    """Write a figure as PNG and close it."""
    import matplotlib.pyplot as plt

    target = folder / name
    fig.tight_layout()
    fig.savefig(target, dpi=100)
    plt.close(fig)
    print(f"plot written: {target}")
    return target


# ---------------------------------------------------------------- departments

# A unit's name: Chinese characters ending in an organisation word. Greedy, so that 公安局交通警察局 stays whole.
_UNIT_GREEDY = re.compile(rf"[\u4e00-\u9fff（）()]*(?:委员会|办事处|局|厅|委|办公室|大队|支队|中心|院|所|街道)")
# a title that says whose table it is: 部门：X, 单位名称：X, 预算单位：X
_LABELLED = re.compile(r"(?:部门名称|单位名称|预算单位|部门|单位)\s*[：:]\s*([\u4e00-\u9fff（）()]+)")
_YEAR = re.compile(r"\d{4}\s*年度?")


def _unit_in(text: str) -> str | None:
    """The first unit name in a piece of text cut at digits, underscores and spaces (years, codes)."""
    for part in re.split(r"[\d_\s\-—.]+", _YEAR.sub(" ", text)):
        m = _UNIT_GREEDY.match(part) or _UNIT_GREEDY.search(part)
        if m and len(m.group(0)) >= 2:
            return m.group(0)
    return None


HEADER_LABELS = ("部门名称", "预算部门名称", "主管部门", "预算单位", "实施单位")  # in order of preference


def department_of(source: str, titles: list[str | None], headers: list[dict] | None = None) -> tuple[str, str]:
    """(department, how it was found) for one document.

    0. a table's header block cell (部门名称, 主管部门, … stored in the table's `meta`) — the document
       says it in a field made for it;
    1. a table title that labels its unit (`部门：曲靖市…支队`) — the document says it;
    2. else the file name: a `PLACE__REST` name (as in ../shared/corpus/real) gives the place, and the
       first unit name in the rest (years and codes cut away) gives the unit; the place is put in
       front when the unit does not already start with it;
    3. else the document is unnamed and keeps its file name, so it still has a line of its own.
    """
    for label in HEADER_LABELS:
        for meta in headers or []:
            if (meta or {}).get(label) and (unit := _unit_in(meta[label])):
                return unit, "header"
    for title in titles:
        m = _LABELLED.search(title or "")
        if m and (unit := _unit_in(m.group(1))):
            return unit, "title"
    stem = Path(source).stem
    place, _, rest = stem.rpartition("__")
    unit = _unit_in(rest)
    if unit:
        if place and not unit.startswith(place):
            unit = f"{place}·{unit}"
        return unit, "file name"
    return f"{UNNAMED}{Path(source).name}", "none"


def departments(con):
    """One line per stored document that owns content: source, department, how it was found. Registered
    in the connection as the view `departments`, for SQL joins on `source`."""
    import pandas as pd

    docs = con.execute("""
        SELECT d.path AS source, list(t.table_title ORDER BY t.table_index) AS titles,
               list(CAST(t.meta AS VARCHAR) ORDER BY t.table_index) AS metas
        FROM documents d LEFT JOIN tables t ON t.source = d.path
        WHERE d.status IN ('ok', 'partial', 'empty') GROUP BY d.path ORDER BY d.path
    """).fetchall()
    found = [(src, *department_of(src, titles or [], [json.loads(m) for m in metas or [] if m]))
             for src, titles, metas in docs]
    frame = pd.DataFrame(found, columns=["source", "department", "named_by"])
    con.register("departments", frame)
    return frame
