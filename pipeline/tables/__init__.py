"""The tables stage: a reader's RawTable → a Table whose header is understood, body rows mapped to
roles, levels, funds block, totals and kind read, and continued parts stitched (a quality report
beside). columns.py (header roles, row mapping) → context.py (levels, title, kind) and funds.py →
body.py (one grid) → document.py (a whole document, stitching).
"""

from .body import normalise_table
from .columns import INDICATOR_KINDS, SELF_EVAL_KINDS, cell_index, expand_spans, find_header, header_role
from .context import LevelState, detect_kind
from .document import normalise_document

__all__ = ["INDICATOR_KINDS", "SELF_EVAL_KINDS", "LevelState", "cell_index", "detect_kind", "expand_spans", "find_header", "header_role",
           "normalise_document", "normalise_table"]
