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
# # Corpus overview
#
# What the research corpus holds: documents by outcome and format, tables and indicator rows by kind,
# then how self-evaluations score themselves and how far actuals land from their targets.
#
# The corpus is the DuckDB file named by `PERFAUDIT_CORPUS` (built with `perfaudit corpus build`);
# plots go to `PERFAUDIT_NOTEBOOK_OUT` (a temporary folder when unset). Lines `key NAME = VALUE` are
# the figures the test suite checks against its own SQL.

# %%
from nbsupport import connect, key, out_dir, save, setup_plots, show

con = connect()
plt = setup_plots()
OUT = out_dir()

# %% [markdown]
# ## Documents
#
# One line per input file. `ok` documents were read; `failed` ones carry a one-line reason; `skipped`
# ones had the same bytes as a document already stored (`duplicate_of`). `pages` counts PDF pages or
# workbook sheets, and is empty for formats without pages.

# %%
show(con, """
    SELECT status, format, count(*) AS documents, sum(pages) AS pages,
           sum(n_tables) AS tables, sum(n_rows) AS rows, sum(n_findings) AS findings
    FROM documents GROUP BY status, format ORDER BY status, documents DESC, format
""")
for status, n in con.execute("SELECT status, count(*) FROM documents GROUP BY status ORDER BY status").fetchall():
    key(f"documents.{status}", n)
key("documents.total", con.execute("SELECT count(*) FROM documents").fetchone()[0])

# %%
show(con, "SELECT path, error FROM documents WHERE status = 'failed' ORDER BY seq")

# %% [markdown]
# ## Tables by kind
#
# Every table the readers found, with the mean quality `confidence` (0–1, from the share of empty
# cells, numbers parsed and whether a header was found) and the indicator rows each kind gave.
# `other` tables (budget statements, fund tables) are kept but give no rows.

# %%
show(con, """
    SELECT table_kind, count(*) AS tables, count(DISTINCT source) AS documents,
           round(avg(confidence), 3) AS mean_confidence, sum(rows_emitted) AS rows_emitted,
           sum(rows_dropped) AS rows_dropped, sum((stitched_parts > 1)::INT) AS stitched
    FROM tables GROUP BY table_kind ORDER BY tables DESC, table_kind
""")
for kind, n in con.execute("SELECT table_kind, count(*) FROM tables GROUP BY table_kind ORDER BY table_kind").fetchall():
    key(f"tables.{kind}", n)

# %% [markdown]
# ## Indicator rows by kind
#
# Rows come from target tables (targets only) and self-evaluation tables (targets, actuals, weights,
# scores, reasons). `qualitative` rows have a target without a number (`不断提升`).

# %%
show(con, """
    SELECT table_kind, count(*) AS rows, count(DISTINCT source) AS documents,
           sum(qualitative::INT) AS qualitative, count(target_value) AS numeric_target,
           count(actual_value) AS numeric_actual, count(score) AS scored
    FROM rows GROUP BY table_kind ORDER BY rows DESC, table_kind
""")
for kind, n in con.execute("SELECT table_kind, count(*) FROM rows GROUP BY table_kind ORDER BY table_kind").fetchall():
    key(f"rows.{kind}", n)
key("rows.total", con.execute("SELECT count(*) FROM rows").fetchone()[0])

# %% [markdown]
# ## Scores
#
# The score rate of a row is its score over its weight (得分 / 分值): 1 is full marks. Self-evaluations
# are known to award full marks generously, so the mass at 1 is the expected shape; rows below it lost
# points and should give a reason (rule C14). Only rows with a printed score and a positive weight count.

# %%
show(con, """
    SELECT table_kind, count(*) AS scored_rows,
           round(avg(score / weight), 3) AS mean_rate, round(median(score / weight), 3) AS median_rate,
           sum((score = weight)::INT) AS full_marks, sum((score < weight)::INT) AS below_full
    FROM rows WHERE score IS NOT NULL AND weight > 0
    GROUP BY table_kind ORDER BY scored_rows DESC
""")
scored, full = con.execute(
    "SELECT count(*), sum((score = weight)::INT) FROM rows WHERE score IS NOT NULL AND weight > 0").fetchone()
key("scores.rows", scored)
key("scores.full_marks_share", full / scored if scored else 0.0)

# %% [markdown]
# Table totals (总分) as printed under each self-evaluation table, with their grade when printed.

# %%
show(con, """
    SELECT table_kind, count(*) AS tables,
           round(min(CAST(meta->>'$.total_score' AS DOUBLE)), 2) AS lowest,
           round(median(CAST(meta->>'$.total_score' AS DOUBLE)), 2) AS median,
           round(max(CAST(meta->>'$.total_score' AS DOUBLE)), 2) AS highest,
           count(meta->>'$.grade') AS with_grade
    FROM tables WHERE meta->>'$.total_score' IS NOT NULL
    GROUP BY table_kind ORDER BY tables DESC
""")

# %%
rates = [r[0] for r in con.execute("SELECT score / weight FROM rows WHERE score IS NOT NULL AND weight > 0").fetchall()]
table_totals = [r[0] for r in con.execute(
    "SELECT CAST(meta->>'$.total_score' AS DOUBLE) FROM tables WHERE meta->>'$.total_score' IS NOT NULL").fetchall()]
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
left.hist(rates, bins=20, range=(0, max([1.0, *rates])), color="#4C72B0")  # above 1 only if a score exceeds its weight (C01)
left.set(title="Score rate per row (score / weight)", xlabel="score / weight", ylabel="rows")
right.hist(table_totals, bins=20, color="#55A868")
right.set(title="Printed table totals (总分)", xlabel="total score", ylabel="tables")
save(fig, OUT, "01_scores.png")

# %% [markdown]
# ## Completion: actual against target
#
# Completion is the actual value over the target value, for rows where both are numbers, the target is
# positive and the two are in the same unit (or the actual prints none). For a `≥`, `>` or `=` target,
# 1 or more means met; for a `≤` or `<` target (a cost, a time limit) the target is a ceiling and
# below 1 means met. At 1.2 or more an over-achievement should be explained (rule C15).

# %%
COMPLETION = """
    SELECT source, table_kind, op, actual_value / target_value AS completion,
           CASE WHEN op IN ('<=', '<') THEN 'ceiling' ELSE 'floor' END AS direction
    FROM rows
    WHERE target_value > 0 AND actual_value IS NOT NULL
      AND (actual_unit IS NULL OR target_unit IS NULL OR actual_unit = target_unit)
"""
show(con, f"""
    SELECT direction, count(*) AS rows, round(median(completion), 3) AS median,
           sum((completion < 1)::INT) AS below_1, sum((completion = 1)::INT) AS exactly_1,
           sum((completion > 1 AND completion < 1.2)::INT) AS above_1, sum((completion >= 1.2)::INT) AS at_least_1_2
    FROM ({COMPLETION}) GROUP BY direction ORDER BY direction
""")
n_completion, met = con.execute(f"""
    SELECT count(*), sum(CASE WHEN direction = 'ceiling' THEN completion <= 1 ELSE completion >= 1 END::INT)
    FROM ({COMPLETION})
""").fetchone()
key("completion.rows", n_completion)
key("completion.met_share", (met or 0) / n_completion if n_completion else 0.0)

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
for direction, colour in (("floor", "#4C72B0"), ("ceiling", "#C44E52")):
    values = [min(r[0], 2.0) for r in con.execute(
        f"SELECT completion FROM ({COMPLETION}) WHERE direction = ?", [direction]).fetchall()]
    ax.hist(values, bins=40, range=(0, 2), alpha=0.7, color=colour, label=f"{direction} targets ({len(values)})")
ax.axvline(1.0, color="black", linewidth=0.8)
ax.axvline(1.2, color="grey", linewidth=0.8, linestyle="--")
ax.set(title="Completion (actual / target, capped at 2)", xlabel="actual / target", ylabel="rows")
ax.legend()
save(fig, OUT, "01_completion.png")

# %% [markdown]
# The documents with the most rows whose completion is far from 1 (below 0.5 or at 2 or more): worth
# a look for a unit misread or a misprinted figure before any conclusion.

# %%
show(con, f"""
    SELECT source, count(*) AS far_off, count(*) FILTER (WHERE completion >= 2) AS at_least_2
    FROM ({COMPLETION}) WHERE completion < 0.5 OR completion >= 2
    GROUP BY source ORDER BY far_off DESC, source LIMIT 10
""")
