"""The auditor's HTML report: one self-contained file (inline CSS, images as data URIs, no script).

At the top, the counts by severity, by document and by rule; then, per document and per table, the
rows with the cells at fault highlighted, and each finding with its message in Chinese and English,
its numbers, where it is printed and, on a PDF, a crop of the page region rendered with pypdfium2.
Elements carry stable ids (`finding-<n>`, `row-<doc>-<table>-<row>`) and data attributes
(`data-rule`, `data-severity`, `data-field`) so that the report can be queried. A report beyond a size
is split: an index with every finding, and one page per document with its rows and pictures.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Mapping, Sequence

from ..model import SEVERITIES, DocumentResult, Finding, IndicatorRow, Table
from ..errors import escape_controls
from .files import GENERATOR, atomic_path, strict_json
from .page_crops import Crop, crop_requests, render_crops
from .report_xlsx import as_finding, cells_at_fault, findings_by_cell, row_key, rule_titles, worst

DISPLAY = (("row_index", "#"), ("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标"), ("op", "性质"),
           ("target", "指标值"), ("unit", "单位"), ("actual", "实际完成值"), ("weight", "分值"), ("score", "得分"),
           ("reason", "偏差原因分析及改进措施"))
DISPLAY_FIELDS = tuple(f for f, _ in DISPLAY)


CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;margin:1.5em;color:#222;font-size:14px}
h1{font-size:1.6em;margin:0 0 .5em}h2{font-size:1.3em;border-bottom:2px solid #555;margin-top:2em}h3{font-size:1.1em;margin:.4em 0}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#eee}td.num{text-align:right}
.sev-error{background:#f8d7da;color:#842029}.sev-warning{background:#fff3cd;color:#664d03}.sev-info{background:#dbe9f8;color:#1f4e79}
td.flag.sev-error{outline:2px solid #c81e2d;outline-offset:-2px}td.flag.sev-warning{outline:2px solid #d78c00;outline-offset:-2px}
td.flag.sev-info{outline:2px solid #2864b4;outline-offset:-2px}
.badge{display:inline-block;padding:2px 8px;border-radius:4px;font-weight:bold;margin-right:.4em}
ul.counts{list-style:none;padding:0;display:flex;gap:.6em}ul.counts li{font-size:1.2em}
section.table{margin:1em 0 2em;padding-left:.8em;border-left:4px solid #ddd}
section.table.has-findings{border-left-color:#c81e2d}.meta{color:#555;font-size:.9em}
.finding{border:1px solid #ccc;border-left:6px solid #999;margin:.6em 0;padding:.4em .8em;background:#fff;max-width:1150px}
.finding.sev-error{border-left-color:#c81e2d}.finding.sev-warning{border-left-color:#d78c00}.finding.sev-info{border-left-color:#2864b4}
.finding p{margin:.2em 0}.finding .en{color:#444}.prov{color:#555;font-size:.9em}
dl.evidence{display:grid;grid-template-columns:max-content auto;gap:0 1em;margin:.3em 0;font-family:monospace}
dl.evidence dt{font-weight:bold}dl.evidence dd{margin:0}
figure{margin:.4em 0}img.crop{border:1px solid #999;max-width:100%;height:auto}figcaption{color:#555;font-size:.85em}
sup a{text-decoration:none}details>summary{cursor:pointer;color:#333}
"""


SPLIT_BYTES = 25 * 2**20  # a report larger than this is written as an index and one page per document


def write_html_report(results: Sequence[DocumentResult], findings: Sequence[Finding | Mapping], path: Path,
                      failures: Sequence[tuple[Path, str]] = (), split_bytes: int = SPLIT_BYTES) -> list[Path]:
    """Render every document's tables and findings into one HTML file, written atomically; the files written.

    When that file would be larger than `split_bytes` (and holds more than one document), `path` becomes
    an index (the counts, the filter and every finding, without pictures) and each document gets its own
    page, with its rows and crops, in the folder `<stem>_files` beside it. Findings keep their numbers."""
    found = [as_finding(f) for f in findings]
    crops: dict[int, Crop] = {}
    notes: list[str] = []
    for res in results:
        if res.format == "pdf":
            mine = [(n, f) for n, f in enumerate(found) if f.source == res.source]
            got, why = render_crops(res.source, crop_requests(res, mine))
            crops.update(got)
            notes.extend(why)
    path = Path(path)
    folder = path.with_name(f"{path.stem}_files")
    page = render_report(results, found, crops, list(failures), notes)
    split = len(page.encode("utf-8")) > split_bytes and len(results) > 1
    pages = {d: f"{folder.name}/doc-{d:04d}.html" for d in range(len(results))} if split else {}
    if split:
        folder.mkdir(parents=True, exist_ok=True)
        by_cell, titles = findings_by_cell(found), rule_titles()  # once for every document's page
        for d, res in enumerate(results):
            _write(path.parent / pages[d], render_document_page(d, res, found, crops, path.name, by_cell, titles))
        page = render_report(results, found, {}, list(failures), notes, pages=pages)
    _write(path, page)
    for stale in sorted(folder.glob("doc-*.html")) if folder.is_dir() else ():  # pages of an earlier run
        if f"{folder.name}/{stale.name}" not in pages.values():
            stale.unlink()
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    return [path.parent / p for p in pages.values()] + [path]


def _write(path: Path, page: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")


def _page(title: str, body: Sequence[str], images: Mapping[str, str]) -> str:
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="generator" content="{GENERATOR}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head>\n<body>\n"
            + "\n".join(body) + f'\n<script type="application/json" id="crops">{_crop_json(images)}</script>'
            + f"\n<script>{CROPS_JS}\n{FILTER_JS}</script>\n</body></html>\n")


def _keyed(crops: Mapping[int, Crop]) -> tuple[dict[int, Crop], dict[str, str]]:
    """Each crop with the key of its picture; a picture shown by several findings is stored once."""
    images: dict[str, str] = {}  # data URI -> key
    for n in sorted(crops):
        images.setdefault(crops[n].uri, f"c{len(images)}")
    return {n: replace(c, key=images[c.uri]) for n, c in crops.items()}, images


def render_report(results: Sequence[DocumentResult], found: list[Finding], crops: Mapping[int, Crop],
                  failures: list[tuple[Path, str]], notes: list[str], pages: Mapping[int, str] | None = None) -> str:
    """The whole report; with `pages` (document number -> its own page), the index of a split report."""
    titles = rule_titles()
    by_cell = findings_by_cell(found)
    crops, images = _keyed(crops)
    placed = {res.source for res in results}
    body = [_summary(results, found, titles, failures, notes, pages), _filter_bar(results, found, titles)]
    for d, res in enumerate(results):
        body.append(_document(d, res, found, by_cell, crops, titles) if pages is None
                    else _document_findings(d, res, found, titles, pages[d]))
    stray = [(n, f) for n, f in enumerate(found) if f.source not in placed]
    if stray:
        body.append('<section id="unplaced"><h2>Findings without an extracted document</h2>'
                    + "".join(_finding(n, f, titles, crops.get(n), None) for n, f in stray) + "</section>")
    return _page("perfaudit report", body, images)


def render_document_page(d: int, res: DocumentResult, found: list[Finding], crops: Mapping[int, Crop], index: str,
                         by_cell, titles: Mapping[str, str]) -> str:
    """One document's page of a split report: its tables, rows and findings with their crops."""
    mine = {n for n, f in enumerate(found) if f.source == res.source}
    crops, images = _keyed({n: c for n, c in crops.items() if n in mine})
    back = f'<p class="meta"><a href="../{_e(index)}#doc-{d}">← the report</a></p>'
    return _page(f"perfaudit: {res.source}", [back, _document(d, res, found, by_cell, crops, titles)], images)


def _document_findings(d: int, res: DocumentResult, found: list[Finding], titles, page: str) -> str:
    """A document in the index of a split report: its findings, each linking to its row on the document's page."""
    mine = [(n, f) for n, f in enumerate(found) if f.source == res.source]
    return (f'<section class="document" id="doc-{d}" data-source="{_e(res.source)}"><h2><a href="{_e(page)}">{_e(res.source)}</a></h2>'
            f'<p class="meta">rows {len(res.rows)} · findings {len(mine)} · tables, rows and page pictures on '
            f'<a href="{_e(page)}">the document\'s page</a></p>'
            + "".join(_finding(n, f, titles, None, d, page) for n, f in mine) + "</section>")


def _crop_json(images: Mapping[str, str]) -> str:
    """Each picture once, by key ("</" cannot occur in base64 data URIs, so the script cannot be closed early)."""
    return json.dumps({key: uri for uri, key in images.items()}, sort_keys=True)


# Shows only the findings that match the chosen severity, rule and document; the choice is kept in the
# address (#severity=error&rule=C09), so a filtered view can be shared, and works from a file, offline.
# Every picture is stored once, in the JSON block; each finding's <img> takes its own from there.
CROPS_JS = """(function () {
  var data = document.getElementById('crops');
  if (!data) return;
  var images = JSON.parse(data.textContent);
  document.querySelectorAll('img[data-crop]').forEach(function (img) { img.src = images[img.dataset.crop]; });
})();"""

FILTER_JS = """(function () {
  var bar = document.getElementById('filter');
  if (!bar) return;
  var selects = bar.querySelectorAll('select');
  function apply() {
    var v = {}, shown = 0, q = [];
    selects.forEach(function (s) { v[s.name] = s.value; if (s.value) q.push(s.name + '=' + encodeURIComponent(s.value)); });
    document.querySelectorAll('article.finding').forEach(function (a) {
      var ok = (!v.severity || a.dataset.severity === v.severity) && (!v.rule || a.dataset.rule === v.rule)
        && (!v.doc || a.dataset.doc === v.doc);
      a.hidden = !ok; if (ok) shown++;
    });
    bar.querySelector('output').textContent = shown + ' shown';
    try { history.replaceState(null, '', q.length ? '#' + q.join('&') : location.pathname); } catch (e) {}
  }
  var init = {};
  location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
    var i = kv.indexOf('='); if (i > 0) init[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1));
  });
  selects.forEach(function (s) { if (init[s.name]) s.value = init[s.name]; s.addEventListener('change', apply); });
  apply();
})();"""


def _filter_bar(results, found: list[Finding], titles: Mapping[str, str]) -> str:
    def select(name: str, label: str, options: list[tuple[str, str]]) -> str:
        opts = "".join(f'<option value="{_e(v)}">{_e(t)}</option>' for v, t in options)
        return f'<label>{label} <select name="{name}"><option value="">all</option>{opts}</select></label>'
    severities = [(s, s) for s in SEVERITIES if any(f.severity == s for f in found)]
    rules = [(r, f"{r} {titles.get(r, '')}") for r in sorted({f.rule for f in found})]
    docs = [(str(d), Path(res.source).name) for d, res in enumerate(results) if any(f.source == res.source for f in found)]
    return (f'<nav id="filter"><b>Findings</b> {select("severity", "severity", severities)} {select("rule", "rule", rules)} '
            f'{select("doc", "document", docs)} <output>{len(found)} shown</output></nav>')


def _e(v) -> str:
    return escape(escape_controls("" if v is None else str(v)), quote=True)


def _num(v) -> str:
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
    return "" if v is None else str(v)


def _badge(severity: str, text: str) -> str:
    return f'<span class="badge sev-{severity}" data-severity="{severity}">{_e(text)}</span>'


def _summary(results, found: list[Finding], titles: Mapping[str, str], failures, notes, pages=None) -> str:
    from ..checks import RULES

    sev = Counter(f.severity for f in found)
    counts = "".join(f'<li class="badge sev-{s}" data-severity="{s}">{s} <b class="count">{sev[s]}</b></li>' for s in SEVERITIES)
    docs = "".join(
        f'<tr data-doc="{d}"><td><a href="{_e(pages[d]) if pages else f"#doc-{d}"}">{_e(res.source)}</a></td><td>{_e(res.format)}</td>'
        f'<td class="num">{_num(res.pages)}</td><td class="num">{len(res.rows)}</td>'
        + "".join(f'<td class="num">{n}</td>' for n in _severity_counts(found, res.source)) + "</tr>"
        for d, res in enumerate(results))
    by_rule = Counter(f.rule for f in found)
    rules = "".join(
        f'<tr data-rule="{_e(rid)}"><td>{_e(rid)}</td><td>{_e(titles.get(rid, ""))}</td>'
        f'<td>{_badge(RULES[rid].severity if rid in RULES else "info", RULES[rid].severity if rid in RULES else "?")}</td>'
        f'<td class="num">{by_rule[rid]}</td></tr>'
        for rid in sorted(titles.keys() | by_rule.keys()))
    failed = "".join(f"<li>{_e(p)}: {_e(why)}</li>" for p, why in failures)
    noted = "".join(f"<li>{_e(n)}</li>" for n in notes)
    return (f'<header id="summary"><h1>perfaudit report</h1>'
            f'<p>{len(results)} documents, {sum(len(r.rows) for r in results)} indicator rows, {len(found)} findings</p>'
            f'<ul class="counts">{counts}</ul>'
            '<h2>Documents</h2><table id="documents"><tr><th>source</th><th>format</th><th>pages</th><th>rows</th>'
            + "".join(f"<th>{s}</th>" for s in SEVERITIES) + f"</tr>{docs}</table>"
            f'<h2>Rules</h2><table id="rules"><tr><th>rule</th><th>title</th><th>severity</th><th>findings</th></tr>{rules}</table>'
            + (f'<h2>Files that failed</h2><ul id="failures">{failed}</ul>' if failed else "")
            + (f'<ul id="notes">{noted}</ul>' if noted else "") + "</header>")


def _severity_counts(found: list[Finding], source: str) -> list[int]:
    c = Counter(f.severity for f in found if f.source == source)
    return [c[s] for s in SEVERITIES]


def _document(d: int, res: DocumentResult, found: list[Finding], by_cell, crops, titles) -> str:
    mine = [(n, f) for n, f in enumerate(found) if f.source == res.source]
    parts = [f'<section class="document" id="doc-{d}" data-source="{_e(res.source)}">',
             f"<h2>{_e(res.source)}</h2>",
             f'<p class="meta status-{_e(res.status)}">status {_e(res.status)}'
             + (f": {_e(res.status_reason)}" if res.status_reason else "") + "</p>",
             f'<p class="meta">format {_e(res.format)} · pages {_num(res.pages)} · tables {len(res.tables)} · '
             f"rows {len(res.rows)} · findings {len(mine)} · sha256 {_e(res.sha256[:16])}…</p>"]
    parts += [f'<p class="meta">{"warning" if e.partial else "note"}: {_e(e.message)}</p>' for e in res.errors]
    loose = [(n, f) for n, f in mine if f.table_index is None]
    if loose:
        parts.append('<h3>Document findings</h3>' + "".join(_finding(n, f, titles, crops.get(n), d) for n, f in loose))
    rows_by_table: dict[int, list[IndicatorRow]] = {}
    for r in res.rows:
        rows_by_table.setdefault(r.table_index, []).append(r)
    for t in res.tables:
        ti = t.provenance.table_index
        of_table = [(n, f) for n, f in mine if f.table_index == ti]
        if rows_by_table.get(ti) or of_table:
            parts.append(_table(d, t, rows_by_table.get(ti, []), of_table, found, by_cell, crops, titles))
    parts.append("</section>")
    return "\n".join(parts)


def _table(d: int, t: Table, rows: list[IndicatorRow], of_table, found, by_cell, crops, titles) -> str:
    ti = t.provenance.table_index
    meta = " · ".join(x for x in (
        f"table {ti}", t.kind, f"page {t.provenance.page}" if t.provenance.page else "", f"sheet {t.provenance.sheet}" if t.provenance.sheet else "",
        f"总分 {_num(t.meta.total_score)}" if t.meta.total_score is not None else "",
        f"等级 {t.meta.grade}" if t.meta.grade else "", f"{len(of_table)} findings") if x)
    body = _rows_table(d, ti, rows, found, by_cell)
    listed = "".join(_finding(n, f, titles, crops.get(n), d) for n, f in of_table)
    cls = "table has-findings" if of_table else "table"
    return (f'<section class="{cls}" id="table-{d}-{ti}" data-table="{ti}">'
            f"<h3>{_e(t.title or '(untitled table)')}</h3>"
            + (f'<p class="meta">项目 {_e(t.project)}</p>' if t.project else "")
            + f'<p class="meta">{_e(meta)}</p>'
            + f'<details{" open" if of_table else ""}><summary>{len(rows)} rows</summary>{body}</details>'
            + listed + "</section>")


def _rows_table(d: int, ti: int, rows: list[IndicatorRow], found: list[Finding], by_cell) -> str:
    head = "".join(f"<th>{_e(label)}</th>" for _, label in DISPLAY)
    lines = [f'<table class="rows"><thead><tr>{head}</tr></thead><tbody>']
    for r in rows:
        marks = _marks(by_cell.get(row_key(r.source, r.table_index, r.row_index), {}))
        cells = "".join(_cell(field, getattr(r, field), marks.get(field, []), found) for field in DISPLAY_FIELDS)
        lines.append(f'<tr id="row-{d}-{ti}-{r.row_index}" data-row="{r.row_index}">{cells}</tr>')
    lines.append("</tbody></table>")
    return "".join(lines)


def _marks(by_field: Mapping[str, list[int]]) -> dict[str, list[int]]:
    """A field the table does not show is marked on the name cell, so no finding goes unseen."""
    out: dict[str, list[int]] = {}
    for field, ns in by_field.items():
        out.setdefault(field if field in DISPLAY_FIELDS else "name", []).extend(ns)
    return {k: sorted(set(v)) for k, v in out.items()}


def _cell(field: str, value, numbers: list[int], found: list[Finding]) -> str:
    text = _e(_num(value))
    num = ' class="num"' if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
    if not numbers:
        return f'<td data-field="{field}"{num}>{text}</td>'
    sev = worst(found[n].severity for n in numbers)
    rules = " ".join(sorted({found[n].rule for n in numbers}))
    tip = "\n".join(f"{found[n].rule} {found[n].message} / {found[n].message_en}" for n in numbers)
    refs = " ".join(f'<a href="#finding-{n + 1}">{n + 1}</a>' for n in numbers)
    return (f'<td data-field="{field}" class="flag sev-{sev}" data-rules="{_e(rules)}" '
            f'data-findings="{" ".join(str(n + 1) for n in numbers)}" title="{_e(tip)}">{text}<sup>{refs}</sup></td>')


def _finding(n: int, f: Finding, titles: Mapping[str, str], crop: Crop | None, d: int | None, page: str = "") -> str:
    """Finding `n` (its position in the findings) is numbered n + 1, as on the workbook's findings sheet."""
    where = [f"page {f.page}" if f.page is not None else "", f"cell {f.address}" if f.address else "",
             f"table {f.table_index}" if f.table_index is not None else "",
             f"«{f.table_title}»" if f.table_title else "", f"项目 {f.project}" if f.project else "",
             f"row {f.row_index}" if f.row_index is not None else "table-level", f"«{f.name}»" if f.name else "",
             f"cells {', '.join(cells_at_fault(f))}" if cells_at_fault(f) else ""]
    row_link = (f' <a href="{_e(page)}#row-{d}-{f.table_index}-{f.row_index}">→ row</a>'
                if d is not None and f.row_index is not None else "")
    evidence = "".join(f"<dt>{_e(k)}</dt><dd>{_e(_evidence_value(v))}</dd>" for k, v in f.evidence.items())
    figure = ""
    if crop is not None:
        region = ", ".join(_num(v) for v in crop.region)
        figure = (f'<figure><img class="crop" data-crop="{crop.key}" width="{crop.width}" height="{crop.height}" '
                  f'alt="page {f.page}, region {region}"><figcaption>page {f.page}, region [{region}] pt</figcaption></figure>')
    return (f'<article class="finding sev-{f.severity}" id="finding-{n + 1}" data-rule="{_e(f.rule)}" data-severity="{f.severity}"'
            f' data-page="{_e(f.page)}" data-table="{_e(f.table_index)}" data-row="{_e(f.row_index)}"'
            f' data-doc="{"" if d is None else d}" data-id="{_e(f.id)}">'
            f'<p>{_badge(f.severity, f.severity)}<b>{_e(f.rule)}</b> {_e(titles.get(f.rule, ""))} <small>#{n + 1} · {_e(f.id)}</small>'
            f'{_review(f)}{row_link}</p>'
            f'<p class="zh" lang="zh">{_e(f.message)}</p><p class="en" lang="en">{_e(f.message_en)}</p>'
            f'<dl class="evidence">{evidence}</dl>'
            f'<p class="prov">{_e(" · ".join(w for w in where if w))}</p>{figure}</article>')


def _review(f: Finding) -> str:
    if not f.review_status:
        return ""
    note = f": {_e(f.review_note)}" if f.review_note else ""
    return f' <span class="review review-{_e(f.review_status)}">review: {_e(f.review_status)}{note}</span>'


def _evidence_value(v) -> str:
    if isinstance(v, (dict, list)):
        return strict_json(v, separators=(",", ":"), sort_keys=True)
    return _num(v)
