"""Typed cells (spreadsheet, Parquet, DataFrame) turned into the text a user would have typed.

Everything is validated as text, so nothing is silently coerced. A float money cell (Excel stores binary
doubles) becomes its decimal text rounded half up to the cent, never a float computation; a number in a
CPF/CNPJ column gets back the leading zeros a spreadsheet dropped. Python cells (openpyxl) go through
`as_text` once per distinct value; typed DuckDB columns (Parquet, DataFrames) through the SQL of `sql_text`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd

from ..core.money import round_cents
from ..core.taxid import pad_numeric_tax_id


def cell_text(value, kind: str) -> str:
    """Text of a typed spreadsheet cell, as the user would have typed it."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if kind == "date":
            return value.date().isoformat()
        return value.strftime("%d/%m/%Y" if value.time() == datetime.min.time() else "%d/%m/%Y %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat() if kind == "date" else value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if kind == "money":
            try:
                return str(round_cents(Decimal(repr(value))))  # shortest decimal of the double, half up
            except ArithmeticError:
                return repr(value)
        value = int(value) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, Decimal):
        try:
            if kind == "money" and value.is_finite() and value == round_cents(value):
                return str(round_cents(value))
            value = int(value) if value.is_finite() and value == value.to_integral_value() else value
        except ArithmeticError:  # more digits than the decimal context holds: the parser will refuse it
            return str(value)
    if isinstance(value, int):
        return pad_numeric_tax_id(str(value)) if kind == "tax_id" and value >= 0 else str(value)
    return str(value)


def as_text(values: list, kind: str) -> list[str]:
    """`cell_text` of every value, computed once per distinct value."""
    series = pd.Series(values, dtype=object)
    try:
        codes, uniques = pd.factorize(series)
        texts = np.array([cell_text(u, kind) for u in uniques] + [""], dtype=object)
        return texts[codes].tolist()  # code -1 (missing) picks the trailing ""
    except TypeError:  # unhashable cells
        return [cell_text(v, kind) for v in values]


def _pad_tax_id(expr: str) -> str:
    return f"CASE WHEN length({expr}) <= 11 THEN lpad({expr}, 11, '0') ELSE lpad({expr}, 14, '0') END"


def sql_text(col: str, type_name: str, kind: str) -> str:
    """SQL turning the DuckDB column `col` of type `type_name` into text, as `cell_text` does for Python cells."""
    t = type_name.upper()
    if t in ("VARCHAR", "STRING") or t.startswith("VARCHAR"):
        return col
    if t == "BOOLEAN":
        return f"CASE WHEN {col} THEN 'True' WHEN NOT {col} THEN 'False' END"
    if t == "DATE":
        return f"strftime({col}, '%Y-%m-%d')" if kind == "date" else f"strftime({col}, '%d/%m/%Y')"
    if t.startswith("TIMESTAMP"):
        if kind == "date":
            return f"strftime(CAST({col} AS DATE), '%Y-%m-%d')"
        return (f"CASE WHEN CAST({col} AS TIME) = TIME '00:00:00' THEN strftime({col}, '%d/%m/%Y') "
                f"ELSE strftime({col}, '%d/%m/%Y %H:%M:%S') END")
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
             "UBIGINT", "UHUGEINT"):
        text = f"CAST({col} AS VARCHAR)"
        return f"CASE WHEN {col} >= 0 THEN {_pad_tax_id(text)} ELSE {text} END" if kind == "tax_id" else text
    if t in ("FLOAT", "DOUBLE", "REAL"):
        text = f"CAST({col} AS VARCHAR)"
        if kind == "money":
            cents = f"TRY_CAST({text} AS DECIMAL(38,2))"
            return f"CASE WHEN isnan({col}) THEN NULL ELSE coalesce(CAST({cents} AS VARCHAR), {text}) END"
        whole = f"CAST(TRY_CAST({col} AS HUGEINT) AS VARCHAR)"
        integral = f"isfinite({col}) AND {col} = trunc({col})"
        number = f"CASE WHEN {integral} THEN coalesce({whole}, {text}) ELSE {text} END"
        if kind == "tax_id":
            number = f"CASE WHEN {integral} AND {col} >= 0 THEN {_pad_tax_id(f'coalesce({whole}, {text})')} " \
                     f"ELSE {number} END"
        return f"CASE WHEN isnan({col}) THEN NULL ELSE {number} END"
    if t.startswith("DECIMAL"):
        text = f"CAST({col} AS VARCHAR)"
        cents = f"CAST(TRY_CAST({col} AS DECIMAL(38,2)) AS VARCHAR)"
        whole = f"CAST(TRY_CAST({col} AS HUGEINT) AS VARCHAR)"
        integral = f"{col} = trunc({col})"
        if kind == "money":
            return f"CASE WHEN {col} = round({col}, 2) THEN coalesce({cents}, {text}) ELSE {text} END"
        number = f"CASE WHEN {integral} THEN coalesce({whole}, {text}) ELSE {text} END"
        if kind == "tax_id":
            return f"CASE WHEN {integral} AND {col} >= 0 THEN {_pad_tax_id(number)} ELSE {number} END"
        return number
    return f"TRY_CAST({col} AS VARCHAR)"  # lists, structs, blobs ...: their text fails validation by name
