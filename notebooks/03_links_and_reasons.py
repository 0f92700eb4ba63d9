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
# # Linking tiers and deviation reasons
#
# Two things the pipeline adds to each row: the canonical indicator it is linked to (and how sure the
# link is), and for self-evaluation rows the classes of its deviation reason (DOMAIN.md §4).
#
# Corpus: `PERFAUDIT_CORPUS`; plots: `PERFAUDIT_NOTEBOOK_OUT`. Lines `key NAME = VALUE` are checked by
# the test suite.

# %%
import pandas as pd

from nbsupport import connect, departments, key, out_dir, save, setup_plots, show
from pipeline.reasons import SLUGS

con = connect()
plt = setup_plots()
OUT = out_dir()
TIERS = ("exact", "normalised", "prefix", "fuzzy", "ambiguous", "unmatched")  # from surest to none
con.register("tiers", pd.DataFrame({"link_status": TIERS, "tier": range(len(TIERS))}))

# %% [markdown]
# ## Linking tiers
#
# `exact`: the printed name or an alias is in the catalog; `normalised`: equal after width, quotes,
# prefixes and suffix variants are evened out; `prefix`: a name cut short by its cell, completed;
# `fuzzy`: a close match with a clear lead over the runner-up; `ambiguous`: several candidates fit
# equally (none is picked); `unmatched`: no candidate. `link_score` is the link's 0–1 confidence.

# %%
show(con, """
    SELECT r.link_status, count(*) AS rows, round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS percent,
           count(DISTINCT r.source) AS documents, round(avg(r.link_score), 3) AS mean_score,
           round(min(r.link_score), 3) AS min_score
    FROM rows r LEFT JOIN tiers t USING (link_status)
    GROUP BY r.link_status, t.tier ORDER BY t.tier NULLS LAST
""")
for status, n in con.execute("SELECT link_status, count(*) FROM rows GROUP BY link_status ORDER BY link_status").fetchall():
    key(f"links.{status}", n)
linked, total = con.execute(
    "SELECT count(*) FILTER (WHERE link_status NOT IN ('unmatched', 'ambiguous')), count(*) FROM rows").fetchone()
key("links.linked_share", linked / total if total else 0.0)

# %% [markdown]
# By table kind: target tables of budgets print project-specific names more often than the
# self-evaluation templates, whose names follow the common frameworks.

# %%
show(con, """
    PIVOT (SELECT table_kind, link_status FROM rows) ON link_status IN ('exact', 'normalised', 'prefix', 'fuzzy', 'ambiguous', 'unmatched')
    USING count(*) GROUP BY table_kind ORDER BY table_kind
""")

# %% [markdown]
# The distribution of `link_score` for the rows that were linked short of an exact match (exact links
# score 1 and unmatched rows 0, so they would only flatten the plot).

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
counts = con.execute("""
    SELECT link_status, count(*) FROM rows LEFT JOIN tiers USING (link_status) GROUP BY link_status, tier ORDER BY tier
""").fetchall()
left.bar([c[0] for c in counts], [c[1] for c in counts], color="#4C72B0")
left.set(title="Rows by linking tier", ylabel="rows")
left.tick_params(axis="x", rotation=30)
for status, colour in (("normalised", "#55A868"), ("prefix", "#8172B2"), ("fuzzy", "#DD8452"), ("ambiguous", "#C44E52")):
    scores = [r[0] for r in con.execute("SELECT link_score FROM rows WHERE link_status = ?", [status]).fetchall()]
    if scores:
        right.hist(scores, bins=20, range=(0, 1), alpha=0.7, color=colour, label=f"{status} ({len(scores)})")
right.set(title="link_score below exact", xlabel="link_score", ylabel="rows")
if right.get_legend_handles_labels()[0]:
    right.legend()
save(fig, OUT, "03_links.png")

# %% [markdown]
# ## Unmatched names
#
# The names nothing in the catalog fits, most frequent first. A name recurring across documents is a
# candidate for the catalog (`perfaudit catalog build`); a name seen once is often project-specific
# (`完成XX路段改造`) and rightly left unlinked.

# %%
show(con, """
    SELECT name, count(*) AS rows, count(DISTINCT doc_sha256) AS documents, any_value(table_kind) AS a_table_kind
    FROM rows WHERE link_status = 'unmatched' AND name IS NOT NULL
    GROUP BY name ORDER BY documents DESC, rows DESC, name LIMIT 25
""")
distinct_unmatched, recurring = con.execute("""
    SELECT count(*), count(*) FILTER (WHERE documents > 1)
    FROM (SELECT name, count(DISTINCT doc_sha256) AS documents FROM rows
          WHERE link_status = 'unmatched' AND name IS NOT NULL GROUP BY name)
""").fetchone()
key("unmatched.distinct_names", distinct_unmatched)
key("unmatched.in_several_documents", recurring)

# %% [markdown]
# Ambiguous rows with their candidates: each needs a reader's decision (or a richer catalog entry).

# %%
show(con, """
    SELECT source, name, link_candidates FROM rows WHERE link_status = 'ambiguous' ORDER BY source, ordinal LIMIT 20
""")

# %% [markdown]
# ## Deviation reasons
#
# Self-evaluation rows carry `reason_labels`: R00 when the reason cell is blank or says there was no
# deviation (by rule), else the classes the classifier found. A row is flagged `reason_low_confidence`
# when no class reached the threshold and the best one was reported anyway.

# %%
con.register("reason_classes", pd.DataFrame(sorted(SLUGS.items()), columns=["label", "slug"]))
labels = show(con, """
    SELECT l.label, c.slug, count(*) AS rows, count(DISTINCT l.source) AS documents
    FROM (SELECT source, unnest(reason_labels) AS label FROM rows WHERE reason_labels IS NOT NULL) l
    LEFT JOIN reason_classes c USING (label)
    GROUP BY l.label, c.slug ORDER BY rows DESC, l.label
""")
for label, n in con.execute("""
    SELECT label, count(*) FROM (SELECT unnest(reason_labels) AS label FROM rows) GROUP BY label ORDER BY label
""").fetchall():
    key(f"reasons.{label}", n)

# %%
labelled, explained, low = con.execute("""
    SELECT count(*), count(*) FILTER (WHERE NOT list_contains(reason_labels, 'R00')),
           count(*) FILTER (WHERE list_contains(flags, 'reason_low_confidence'))
    FROM rows WHERE reason_labels IS NOT NULL
""").fetchone()
print(f"rows with reason labels: {labelled}; with a deviation reason (not R00): {explained}; low confidence: {low}")
key("reasons.labelled_rows", labelled)
key("reasons.explained_rows", explained)
key("reasons.low_confidence_share", low / explained if explained else 0.0)

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
non_r00 = labels[labels["label"] != "R00"]
ax.bar(non_r00["label"] + "\n" + non_r00["slug"].fillna("").str.lower(), non_r00["rows"], color="#8172B2")
ax.set(title=f"Deviation-reason classes (R00, no deviation: {int(labels.loc[labels['label'] == 'R00', 'rows'].sum())} rows, left out)",
       ylabel="rows")
ax.tick_params(axis="x", labelsize=7)
save(fig, OUT, "03_reasons.png")

# %% [markdown]
# ## R16 and R17 per department
#
# R16 (a circular reason: it restates the shortfall) and R17 (vague, or measures only) explain
# nothing; DOMAIN.md §4.5 counts them per department as a quality signal. The share is over the rows
# of that department that give a deviation reason at all (labels other than R00). Departments are
# derived as in `02_anomalies` (`nbsupport.department_of`).

# %%
departments(con)
per_dept = show(con, """
    SELECT d.department, count(*) AS with_reason,
           count(*) FILTER (WHERE list_contains(r.reason_labels, 'R16')) AS r16,
           count(*) FILTER (WHERE list_contains(r.reason_labels, 'R17')) AS r17,
           round(count(*) FILTER (WHERE list_contains(r.reason_labels, 'R16') OR list_contains(r.reason_labels, 'R17'))
                 / count(*), 3) AS uninformative_share
    FROM rows r JOIN departments d ON d.source = r.source
    WHERE r.reason_labels IS NOT NULL AND NOT list_contains(r.reason_labels, 'R00')
    GROUP BY d.department ORDER BY uninformative_share DESC, with_reason DESC, d.department
""")
key("reasons.departments_with_reasons", len(per_dept))
key("reasons.r16_in_departments", int(per_dept["r16"].sum()) if len(per_dept) else 0)
key("reasons.r17_in_departments", int(per_dept["r17"].sum()) if len(per_dept) else 0)

# %% [markdown]
# The R16/R17 texts themselves, to judge whether the class is deserved.

# %%
show(con, """
    SELECT d.department, r.reason_labels, r.reason_confidence, r.reason
    FROM rows r JOIN departments d ON d.source = r.source
    WHERE list_contains(r.reason_labels, 'R16') OR list_contains(r.reason_labels, 'R17')
    ORDER BY d.department, r.source, r.ordinal
""")
