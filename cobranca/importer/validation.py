"""Validation of the staged rows in SQL: parsed values per row, and every problem (line, column, value, message).

`checked` holds, for every staged row with something in it, the trimmed text of each field, the parsed values
and one error text per parsed field; `problems` is built from queries of the bad rows only. A row with any
problem is bad: nothing is imported unless the caller asked to skip bad rows.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

import pyarrow as pa

from ..core import formatting as fmt
from ..core.errors import Problem
from . import sqlparse as sp
from .headers import FIELDS
from .reading import Staged

SHOWN_CHARS = 80  # a bad value is quoted in messages up to this length
_CONTROL = re.compile(sp.CONTROL)
MONEY = ("amount", "paid_amount")
FIELD_NAMES = tuple(f.name for f in FIELDS)
DATES = ("issue_date", "due_date", "paid_date")
OUTPUT_COLUMNS = (  # what `Cobranca.receivables.upsert` takes (store RECEIVABLE_COLUMNS), in file order
    "customer_key", "customer_code", "customer", "tax_id", "mobile", "phone", "email", "document", "installment",
    "issue_date", "due_date", "payable_until", "amount", "paid_amount", "paid_date", "description", "nosso_numero",
)


# Optional fields whose absence keeps stored values (installment is part of the key: absent means '1').
_KEPT_WHEN_ABSENT = ("issue_date", "paid_amount", "paid_date", "description")


def absent_headers(staged: Staged) -> list[str]:
    """pt-BR headers of the optional columns the file does not have (installment aside), in format order."""
    return [f.header for f in FIELDS
            if not f.required and f.name != "installment" and f.name not in staged.match.positions]


def kept_columns(staged: Staged) -> tuple[str, ...]:
    """The upsert's `keep`: stored receivable fields the file does not carry; the stored customer of an existing
    receivable when the file names customers by name only (no code, no CPF/CNPJ column)."""
    positions = staged.match.positions
    keep = tuple(name for name in _KEPT_WHEN_ABSENT if name not in positions)
    if "customer_code" not in positions and "tax_id" not in positions:
        keep += ("customer_key",)
    return keep


def install_macros(con) -> None:
    for statement in sp.MACROS:
        con.execute(statement)


def prepare_cells(con, staged: Staged) -> None:
    """Trim, in place in `src`, the rows where one regex over the joined row finds whitespace at a cell's edge
    or a control character, and flag them (`suspicious`) for the per-cell control-character check.

    Most exports have neither, so the rest of the rows are used as read, without a copy.
    """
    positions = staged.match.positions
    width = len(staged.header)
    columns = [f"c{positions[f.name]}" for f in FIELDS if f.name in positions]
    columns += [f"c{i}" for i in range(width, width + staged.spare)]
    joined = f"concat_ws({sp.lit(sp.SEPARATOR)}, {', '.join(columns)})"
    trimmed = ", ".join(f"{c} = clean({c})" for c in columns)
    con.execute("ALTER TABLE src ADD COLUMN suspicious BOOLEAN DEFAULT false")
    con.execute(f"UPDATE src SET suspicious = true, {trimmed} "  # noqa: S608 - generated from constants
                f"WHERE regexp_matches({joined}, {sp.lit(sp.SUSPICIOUS)})")


def cells_sql(staged: Staged) -> str:
    """The text per field of every row of `src` with content (in a mapped field or a spare column: `extra`).

    Rows without content (blank lines, separators only) are left out but keep their line numbers.
    """
    positions = staged.match.positions
    width = len(staged.header)
    fields = [f"coalesce(c{positions[f.name]}, '') AS {f.name}" if f.name in positions else f"'' AS {f.name}"
              for f in FIELDS]
    for name in MONEY:  # whether the cell was a number (XLSX, Parquet): then it shows no text convention
        pos = positions.get(name)
        fields.append(f"coalesce(t{pos}, false) AS {name}__typed" if pos in staged.typed else f"false AS {name}__typed")
    extra = " OR ".join(f"coalesce(c{i}, '') <> ''" for i in range(width, width + staged.spare)) or "false"
    filled = " OR ".join([f"{f.name} <> ''" for f in FIELDS if f.name in positions] + ["extra"])
    select = f"SELECT rowid + {int(staged.first_line)} AS line, suspicious, {', '.join(fields)}, ({extra}) AS extra"
    return f"SELECT * FROM ({select} FROM src) WHERE {filled}"  # noqa: S608 - generated from constants


def parsed_sql(source: str) -> str:
    """`source` (a query with the field columns) plus parsed money, dates, tax id, installment, customer key."""
    money = {name: sp.money_layers(name) for name in MONEY}
    dates = {name: sp.date_layers(name) for name in DATES}
    layer1 = ", ".join([money[m][0] for m in MONEY] + [dates[d][0] for d in DATES] + [sp.tax_id_layers()])
    layer2 = ", ".join([money[m][1] for m in MONEY] + [dates[d][1] for d in DATES])
    layer3 = ", ".join([money[m][2] for m in MONEY] + [dates[d][2] for d in DATES])
    layer4 = ", ".join(sp.money_number(m) for m in MONEY)
    values = []
    for name in MONEY:
        values.append(f"{sp.money_value(name)} AS {name}__v")
    for name in DATES:
        value, error = sp.date_value(name)
        values += [f"{value} AS {name}__v", f"{error} AS {name}__e"]
    value, error = sp.tax_id_value()
    values += [f"{value} AS tax_id__v", f"{error} AS tax_id__e", f"{sp.INSTALLMENT} AS inst"]
    kept = ", ".join(["line", "suspicious", "extra", *(f.name for f in FIELDS), *(f"{n}__typed" for n in MONEY),
                      *(f"{n}__v, {sp.money_error(n)} AS {n}__e, {sp.money_kept(n)}" for n in MONEY),
                      *(f"{n}__v, {n}__e" for n in (*DATES, "tax_id")), "inst"])
    return f"""SELECT {kept}, {sp.CUSTOMER_KEY} AS customer_key, false AS bad FROM (
                   SELECT *, {', '.join(values)} FROM (SELECT *, {layer4} FROM (
                       SELECT *, {layer3} FROM (
                           SELECT *, {layer2} FROM (SELECT *, {layer1} FROM ({source}))))))"""  # noqa: S608


def build_checked(con, staged: Staged) -> int:
    """`checked`: the rows with content, their text per field, parsed values and error texts; returns the count.

    `src` must have been through `prepare_cells`."""
    con.execute("CREATE TABLE checked AS " + parsed_sql(cells_sql(staged)))
    resolve_money(con, [name for name in MONEY if name in staged.match.positions])
    con.execute("DROP TABLE src")
    return con.execute("SELECT count(*) FROM checked").fetchall()[0][0]


def resolve_money(con, names) -> None:
    """Decide each money column's convention from its own cells, then read or refuse its ambiguous cells."""
    for name in names:
        if con.execute(f"SELECT count(*) FROM checked WHERE {name}__amb IS NOT NULL").fetchall()[0][0]:  # noqa: S608
            convention = con.execute(sp.money_convention_sql(name)).fetchall()[0][0]
            con.execute(sp.resolve_ambiguous_sql(name, convention))


def _checks(staged: Staged) -> list[tuple[str, int, str, str, str]]:
    """(field, seq, condition, value, message) of every per-cell check, in the order problems are listed."""
    out = []
    for f in FIELDS:
        if f.name not in staged.match.positions:
            continue
        shown = f"left({f.name}, {SHOWN_CHARS + 1})"
        if f.required:
            out.append((f.name, 0, f"{f.name} = ''", "NULL", sp.lit("campo obrigatório vazio")))
        out.append((f.name, 1, f"strlen({f.name}) > {sp.MAX_CELL_CHARS} AND length({f.name}) > {sp.MAX_CELL_CHARS}",
                    shown, f"'é longo demais (' || length({f.name}) || ' caracteres; máximo {sp.MAX_CELL_CHARS})'"))
        out.append((f.name, 2, f"suspicious AND has_control({f.name})", shown,
                    sp.lit("contém caracteres de controle invisíveis; apague-os e digite o valor de novo")))
    for name in MONEY + DATES + ("tax_id",):
        if name in staged.match.positions:
            out.append((name, 3, f"{name}__e IS NOT NULL", f"left({name}, {SHOWN_CHARS + 1})", f"{name}__e"))
    if "amount" in staged.match.positions:
        out.append(("amount", 4, "amount__v <= 0", "left(amount, 81)",
                    sp.lit("não é aceito: o valor deve ser maior que zero")))
    if "paid_amount" in staged.match.positions:
        out.append(("paid_amount", 4, "paid_amount__v < 0", "left(paid_amount, 81)",
                    sp.lit("não é aceito: o valor pago não pode ser negativo")))
        out.append(("paid_amount", 5, "amount__v > 0 AND coalesce(paid_amount__v, 0) > amount__v",
                    "left(paid_amount, 81)", "NULL"))  # message needs the amount in pt-BR: built in Python
    return out


def build_problems(con, staged: Staged) -> None:
    """`problems`: one row per problem (line, pos, seq, value, message, amount)."""
    positions = staged.match.positions
    extra = (f"SELECT line, -1 AS pos, -1 AS seq, NULL AS value, {sp.lit(staged.extra_message)} AS message, "  # noqa: S608
             "NULL::DECIMAL(18,2) AS amount FROM checked WHERE extra")
    selects = [extra]
    for name, seq, condition, value, message in _checks(staged):
        selects.append(f"SELECT line, {positions[name]}, {seq}, {value}, {message}, amount__v "  # noqa: S608 - ours
                       f"FROM checked WHERE {condition}")
    doc = positions["document"]
    selects.append(
        f"""SELECT c.line, {doc}, 6, left(c.document, {SHOWN_CHARS + 1}),
                   'já aparece na linha ' || d.first_line || ' com a mesma parcela (' || c.inst || '); '
                   || 'cada documento e parcela deve aparecer uma vez só no arquivo', NULL
            FROM checked c JOIN (
                SELECT document, inst, min(line) AS first_line FROM checked WHERE document <> ''
                GROUP BY ALL HAVING count(*) > 1) d USING (document, inst)
            WHERE c.line > d.first_line"""  # noqa: S608 - generated from constants; file text only as parameters
    )
    con.execute("CREATE TABLE problems AS " + " UNION ALL ".join(selects))


def _shown(value: str) -> str:
    """A bad value as quoted in a message: control characters made visible, long text cut."""
    value = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


def problem_list(con, staged: Staged) -> tuple[list[Problem], int]:
    """Every problem in file order (line, then column position), and the number of bad rows."""
    columns = {pos: staged.header[pos] for pos in staged.match.positions.values()}
    rows = con.execute("SELECT line, pos, value, message, amount FROM problems ORDER BY line, pos, seq").fetchall()
    problems = []
    for line, pos, value, message, amount in rows:
        if message is None:
            message = (f"é maior que o valor da conta ({fmt.brl(Decimal(amount))}): "
                       "o valor pago não pode passar do valor")
        problems.append(Problem(int(line), columns.get(pos), None if value is None else _shown(value), message))
    bad = con.execute("SELECT count(DISTINCT line) FROM problems").fetchall()[0][0]
    return problems, bad


def customer_name_key(name: str) -> str:
    """The key of a customer known only by name: accents and case ignored, spaces collapsed."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


def _table(con, name: str, columns: dict) -> None:
    con.register(f"{name}_arrow", pa.table(columns))
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")  # noqa: S608 - our table names
    con.unregister(f"{name}_arrow")


def _complete(con) -> None:
    """Fill in what needs Python: keys of names SQL cannot key exactly (rare), and flag the bad rows.

    In-place updates of the few rows concerned keep `checked` in file order for the final scan.
    """
    names = [r[0] for r in con.execute(
        "SELECT DISTINCT customer FROM checked WHERE customer_key IS NULL AND customer <> ''").fetchall()]
    if names:
        _table(con, "name_keys", {"customer": pa.array(names, pa.string()),
                                  "key": pa.array(["name:" + customer_name_key(n) for n in names], pa.string())})
        con.execute("UPDATE checked SET customer_key = n.key FROM name_keys n "
                    "WHERE checked.customer_key IS NULL AND n.customer = checked.customer")
    con.execute("UPDATE checked SET bad = true WHERE line IN (SELECT line FROM problems)")


def good_rows(con) -> pa.Table:
    """The typed receivables of the rows without problems, in file order (the last row of a customer wins).

    A plain scan of `checked` (no join, no sort): DuckDB keeps insertion order (preserve_insertion_order).
    """
    _complete(con)
    sql = f"SELECT {output_columns('c')} FROM checked c WHERE NOT c.bad"  # noqa: S608 - generated from constants
    return con.sql(sql).to_arrow_table()


def output_columns(alias: str) -> str:
    """The SELECT list of OUTPUT_COLUMNS over the parsed columns of `alias` (`checked` or its query)."""
    empty_is_null = {name: f"nullif({alias}.{name}, '')" for name in
                     ("customer_code", "customer", "mobile", "phone", "email", "document", "description",
                      "nosso_numero")}
    select = {
        **empty_is_null,
        "customer_key": f"{alias}.customer_key",
        "tax_id": f"{alias}.tax_id__v",
        "installment": f"{alias}.inst",
        "issue_date": f"{alias}.issue_date__v",
        "due_date": f"{alias}.due_date__v",
        "payable_until": "NULL::DATE",  # from the company's bank calendar, in the write's transaction
        "amount": f"{alias}.amount__v",
        "paid_amount": f"coalesce({alias}.paid_amount__v, 0)::DECIMAL(18,2)",
        "paid_date": f"{alias}.paid_date__v",
    }
    return ", ".join(f"{select[name]} AS {name}" for name in OUTPUT_COLUMNS)
