"""Spreadsheet formula injection: cells a spreadsheet would run are written with a leading quote.

OWASP's advice for CSV files opened in Excel, LibreOffice or Google Sheets: a cell starting
with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula (or becomes one), so it is
written as `'=...`. Reading strips exactly that quote again. A cell that itself starts with a
quote followed by one of those characters (or by another quote) gets one more quote on
writing, so every text round-trips: `'=x` is written `''=x` and read back as `'=x`.
"""

from __future__ import annotations

FORMULA_STARTS = frozenset("=+-@\t\r")
QUOTE = "'"
_QUOTED_STARTS = FORMULA_STARTS | {QUOTE}


def escape_cell(text: str) -> str:
    """The cell as written: a leading quote where a spreadsheet would run it or reading would strip one."""
    if not text:
        return text
    if text[0] in FORMULA_STARTS or (text[0] == QUOTE and text[1:2] in _QUOTED_STARTS):
        return QUOTE + text
    return text


def unescape_cell(text: str) -> str:
    """The cell as meant: one leading quote dropped when it guards a formula character or a quote."""
    if len(text) >= 2 and text[0] == QUOTE and text[1] in _QUOTED_STARTS:
        return text[1:]
    return text
