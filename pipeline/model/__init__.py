"""Typed records that flow one way through the stages.

ingest -> Document(RawTable, TextBlock) -> tables -> Table -> rows -> IndicatorRow.
Every record keeps enough provenance to point back to a page and a cell. records.py holds the
records of documents, tables, rows, results and findings; money_records.py the money stage's;
places.py boxes and sheet addresses.
"""

from .places import BBox, sheet_address, union_bbox
from .money_records import (BudgetSentence, ColumnSplit, MoneyColumn, MoneyRow, MoneyTable, Passage, Percent,
                            Sangong, SangongSentence)
from .records import (Cell, DocError, Document, DocumentFacts, DocumentResult, Finding, FundRow, GoalPair,
                      IndicatorRow, LogicalRow, ProjectGoal, Provenance, ROW_FIELDS, RawTable, SEVERITIES, Table,
                      TableMeta, TableQuality, TextBlock)

__all__ = ["BBox", "BudgetSentence", "Cell", "ColumnSplit", "DocError", "Document", "DocumentFacts",
           "DocumentResult", "Finding", "FundRow", "GoalPair", "IndicatorRow", "LogicalRow", "MoneyColumn",
           "MoneyRow", "MoneyTable", "Passage", "Percent", "ProjectGoal", "Provenance", "ROW_FIELDS", "RawTable",
           "SEVERITIES", "Sangong", "SangongSentence", "Table", "TableMeta", "TableQuality", "TextBlock",
           "sheet_address", "union_bbox"]
