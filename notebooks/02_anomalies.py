# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Anomalies by rule and by department
#
# The findings of the contradiction rules (DOMAIN.md §3, `perfaudit rules`), counted by rule and
# severity, then by department: which units' documents contradict themselves most, per indicator row.
#
# Corpus: `PERFAUDIT_CORPUS`; plots: `PERFAUDIT_NOTEBOOK_OUT`. Lines `key NAME = VALUE` are checked by
# the test suite.

# %%
import pandas as pd

from nbsupport import connect, departments, key, out_dir, save, setup_plots, show
from pipeline.checks import RULES

con = connect()
plt = setup_plots()
OUT = out_dir()
SEVERITY_COLOURS = {"error": "#C44E52", "warning": "#DD8452", "info": "#8C8C8C"}

# the rule legend, joinable in SQL as `rule_titles`
con.register("rule_titles", pd.DataFrame(
    [(r.id, r.slug, r.title) for r in RULES.values()], columns=["rule", "slug", "title"]))

# %% [markdown]
# ## Findings by severity
#
# `error`: the printed figures cannot all be right (a total that is not the sum of its parts);
# `warning`: very likely wrong or unexplained; `info`: worth a look (a vague target, an unusual unit).

# %%
show(con, """
    SELECT severity, count(*) AS findings, count(DISTINCT source) AS documents
    FROM findings GROUP BY severity
    ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END
""")
for severity, n in con.execute("SELECT severity, count(*) FROM findings GROUP BY severity ORDER BY severity").fetchall():
    key(f"findings.{severity}", n)
key("findings.total", con.execute("SELECT count(*) FROM findings").fetchone()[0])

# %% [markdown]
# ## Findings by rule
#
# One line per rule that fired, with its title, severities (a rule may lower one finding's severity),
# and in how many documents it fired: a rule firing many times in one document often points at one
# systematic habit of that document's authors rather than many separate mistakes.

# %%
by_rule = show(con, """
    SELECT f.rule, t.slug, count(*) AS findings, count(DISTINCT f.source) AS documents,
           count(*) FILTER (WHERE severity = 'error') AS error,
           count(*) FILTER (WHERE severity = 'warning') AS warning,
           count(*) FILTER (WHERE severity = 'info') AS info, t.title
    FROM findings f LEFT JOIN rule_titles t USING (rule)
    GROUP BY f.rule, t.slug, t.title ORDER BY findings DESC, f.rule
""")
for rule, n in con.execute("SELECT rule, count(*) FROM findings GROUP BY rule ORDER BY rule").fetchall():
    key(f"rule.{rule}", n)

# %%
fig, ax = plt.subplots(figsize=(9, max(3, 0.28 * len(by_rule))))
order = by_rule.sort_values(["findings", "rule"], ascending=[True, False])
left = [0] * len(order)
for severity, colour in SEVERITY_COLOURS.items():
    counts = order[severity].astype(int).tolist()
    ax.barh(order["rule"] + " " + order["slug"].fillna(""), counts, left=left, color=colour, label=severity)
    left = [a + b for a, b in zip(left, counts)]
ax.set(title="Findings by rule", xlabel="findings")
ax.legend(loc="lower right")
save(fig, OUT, "02_findings_by_rule.png")

# %% [markdown]
# ## Departments
#
# The corpus stores no department column, so each document's department is derived (see
# `nbsupport.department_of`):
#
# 1. a table title that labels its unit, such as `部门：…支队`;
# 2. else the file name: in `PLACE__REST` names (the layout of `../shared/corpus/real`) the place,
#    and the first unit name in the rest — Chinese characters ending in 局, 委员会, 厅, 办事处, 中心,
#    大队, 支队 … after years and codes are cut away;
# 3. else the document stays unnamed and is listed under its file name (`（未标明）…`).
#
# `named_by` says which of the three applied. Duplicates (`skipped` documents) own no findings and are
# left out.

# %%
dept = departments(con)
show(con, "SELECT named_by, count(*) AS documents FROM departments GROUP BY named_by ORDER BY documents DESC, named_by")
key("departments.documents", len(dept))
key("departments.named", int((dept["named_by"] != "none").sum()))
key("departments.distinct", dept["department"].nunique())

# %% [markdown]
# Findings per department, with the indicator rows its documents gave: `per_100_rows` puts documents
# of different sizes side by side (a budget with a thousand target rows against a three-table
# self-evaluation).

# %%
by_dept = show(con, """
    WITH r AS (SELECT source, count(*) AS n FROM rows GROUP BY source),
         f AS (SELECT source, severity, count(*) AS n FROM findings GROUP BY source, severity)
    SELECT d.department, any_value(d.named_by) AS named_by, count(DISTINCT d.source) AS documents,
           coalesce(sum(r.n), 0) AS indicator_rows,
           coalesce(sum(fe.n), 0) AS error, coalesce(sum(fw.n), 0) AS warning, coalesce(sum(fi.n), 0) AS info,
           coalesce(sum(fe.n), 0) + coalesce(sum(fw.n), 0) + coalesce(sum(fi.n), 0) AS findings,
           round(100.0 * (coalesce(sum(fe.n), 0) + coalesce(sum(fw.n), 0) + coalesce(sum(fi.n), 0))
                 / nullif(sum(r.n), 0), 1) AS per_100_rows
    FROM departments d
    LEFT JOIN r ON r.source = d.source
    LEFT JOIN f fe ON fe.source = d.source AND fe.severity = 'error'
    LEFT JOIN f fw ON fw.source = d.source AND fw.severity = 'warning'
    LEFT JOIN f fi ON fi.source = d.source AND fi.severity = 'info'
    GROUP BY d.department ORDER BY findings DESC, d.department
""")
key("departments.findings", int(by_dept["findings"].sum()))
key("departments.with_findings", int((by_dept["findings"] > 0).sum()))

# %%
shown = by_dept[by_dept["findings"] > 0].iloc[::-1]
fig, ax = plt.subplots(figsize=(9, max(3, 0.35 * len(shown))))
left = [0] * len(shown)
for severity, colour in SEVERITY_COLOURS.items():
    counts = shown[severity].astype(int).tolist()
    ax.barh(shown["department"], counts, left=left, color=colour, label=severity)
    left = [a + b for a, b in zip(left, counts)]
ax.set(title="Findings by department", xlabel="findings")
ax.legend(loc="lower right")
save(fig, OUT, "02_findings_by_department.png")

# %% [markdown]
# ## Rule × department
#
# Which rules fire where: a rule concentrated in one department is a habit of that department's
# templates or authors; a rule spread over many is a general weakness of the reports (or of a reader).

# %%
matrix = con.execute("""
    SELECT d.department, f.rule, count(*) AS n
    FROM findings f JOIN departments d ON d.source = f.source
    GROUP BY ALL ORDER BY ALL
""").df().pivot(index="department", columns="rule", values="n").fillna(0).astype(int)
print(matrix.to_string())

# %%
fig, ax = plt.subplots(figsize=(max(6, 0.45 * matrix.shape[1] + 3), max(3, 0.4 * matrix.shape[0] + 1)))
image = ax.imshow(matrix.values, cmap="Reds", aspect="auto")
ax.set_xticks(range(matrix.shape[1]), matrix.columns, rotation=90)
ax.set_yticks(range(matrix.shape[0]), matrix.index)
for (i, j), n in pd.DataFrame(matrix.values).stack().items():
    if n:
        ax.text(j, i, str(n), ha="center", va="center", fontsize=7, color="white" if n > matrix.values.max() / 2 else "black")
fig.colorbar(image, ax=ax, label="findings")
ax.set(title="Findings by rule and department")
save(fig, OUT, "02_rule_by_department.png")

# %% [markdown]
# ## The errors themselves
#
# Every `error` finding with its place in the document and its English message: these are the
# contradictions a reader can verify on the page in a minute.

# %%
show(con, """
    SELECT d.department, f.rule, f.page, f.table_title, f.name, f.message_en
    FROM findings f JOIN departments d ON d.source = f.source
    WHERE f.severity = 'error' ORDER BY d.department, f.source, f.ordinal
""", max_rows=60)
