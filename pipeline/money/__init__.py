"""The money tables stage: budget, 决算, basic data and 三公 tables read once into typed records (model.py:
MoneyTable, MoneyColumn, MoneyRow, Sangong), from raw grids (grids.py → typed.py, 三公 in sangong.py) or from
tables flattened into one cell per narrative line (linear.py); and the document's running text as passages with the budget and 三公 sentences they print (DOMAIN §1.3,
§1.5, §1.8; passages.py). The rules read these records, never a raw grid.

Everything is recognised by meaning (column labels such as 预算数/决算数/执行率, row labels such as
公务接待费, subject codes 201 > 20106 > 2010601), never by a document's own strings.
"""

from .grids import amount, parse_percent
from .linear import linear_tables
from .passages import read_passages
from .sangong import sangong_sums
from .typed import block_marker, read_money, total_label

__all__ = ["amount", "block_marker", "linear_tables", "parse_percent", "read_money", "read_passages", "sangong_sums",
           "total_label"]
