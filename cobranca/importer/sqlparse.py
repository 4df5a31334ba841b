"""SQL expressions that parse import text: money, dates, CPF/CNPJ check digits, installments, customer keys.

They mirror `money.parse_money`, `calendar_br.parse_date` and `taxid.parse_tax_id` (same formats, same pt-BR
reasons) so a column of a million cells is parsed by DuckDB in one vectorised pass. Digits are ASCII only.
"""

from __future__ import annotations

from ..core.money import (
    AMBIGUOUS_MONEY,
    AMBIGUOUS_SHAPE,
    COMMA,
    COMMA_SHAPE,
    DOT,
    DOT_SHAPE,
    INVALID_MONEY,
    THREE_DECIMALS,
)

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_CELL_CHARS = 2_000  # longer text is not one ERP field (and would bloat every screen and message)
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"  # tab and line breaks are allowed
# What Python's str.strip() removes, so cells are trimmed as the previous importer trimmed them.
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
              "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")  # every c with c.isspace()
SEPARATOR = "\ue000"  # joins a row's cells for one regex per row (a private-use character, never whitespace)
_WS_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]"
# A joined row that may have a cell to trim or a control character: only such rows get the per-cell checks.
SUSPICIOUS = f"(^|{SEPARATOR}){_WS_CLASS}|{_WS_CLASS}($|{SEPARATOR})|{CONTROL}"
DATE_BR = r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: 00:00(?::00)?)?$"
DATE_ISO = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$"
SIMPLE_NAME = "[ -~À-ÖØ-öø-ÿ]*"  # where lower(strip_accents()) equals the NFKD key of `customer_name_key`
CPF_WEIGHTS = (tuple(range(10, 1, -1)), tuple(range(11, 1, -1)))
CNPJ_WEIGHTS = ((5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2), (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2))

INVALID_DATE_FORMAT = "não é uma data válida (use dd/mm/aaaa ou aaaa-mm-dd)"
INVALID_DATE = "não é uma data válida"
DATE_OUT_OF_RANGE = f"não é uma data aceita (ano fora de {MIN_YEAR} a {MAX_YEAR})"
TAX_ID_CHARS = "não é um CPF/CNPJ válido (use só números, pontos, barra e hífen)"
BAD_CPF = "não é um CPF válido (dígitos verificadores não conferem)"
BAD_CNPJ = "não é um CNPJ válido (dígitos verificadores não conferem)"


def lit(text: str) -> str:
    """A SQL string literal (only for constants written in this package, never for file content)."""
    return "'" + text.replace("'", "''") + "'"


def _check_digit(digits: str, weights: tuple[int, ...]) -> str:
    total = " + ".join(f"(ord({digits}[{i + 1}]) - 48) * {w}" for i, w in enumerate(weights))
    return f"(CASE WHEN ({total}) % 11 < 2 THEN 0 ELSE 11 - ({total}) % 11 END)"


def _valid_digits(digits: str, size: int, weights) -> str:
    first, second = weights
    return (f"({digits} <> repeat({digits}[1], {size}) "
            f"AND {_check_digit(digits, first)} = ord({digits}[{size - 1}]) - 48 "
            f"AND {_check_digit(digits, second)} = ord({digits}[{size}]) - 48)")


MACROS = [
    f"CREATE MACRO clean(x) AS regexp_replace(coalesce(x, ''), {lit(f'^{_WS_CLASS}+|{_WS_CLASS}+$')}, '', 'g')",
    f"CREATE MACRO has_control(x) AS regexp_matches(x, {lit(CONTROL)})",
    f"CREATE MACRO cpf_ok(d) AS {_valid_digits('d', 11, CPF_WEIGHTS)}",
    f"CREATE MACRO cnpj_ok(d) AS {_valid_digits('d', 14, CNPJ_WEIGHTS)}",
    # The shape of an unsigned amount, as money.evidence: 1 comma convention, 2 dot, 3 ambiguous, 0 digits only.
    f"""CREATE MACRO money_shape(u) AS CASE
            WHEN regexp_full_match(u, '[0-9]+') THEN 0
            WHEN regexp_full_match(u, {lit(AMBIGUOUS_SHAPE)}) THEN 3
            WHEN regexp_full_match(u, {lit(COMMA_SHAPE)}) THEN 1
            WHEN regexp_full_match(u, {lit(DOT_SHAPE)}) THEN 2 END""",
    """CREATE MACRO money_number(u, shape) AS CASE
            WHEN shape IN (0, 1) THEN replace(replace(u, '.', ''), ',', '.')
            WHEN shape = 2 THEN replace(u, ',', '') END""",
    f"""CREATE MACRO date_iso_text(t) AS CASE
            WHEN regexp_full_match(t, {lit(DATE_BR)}) THEN regexp_replace(t, {lit(DATE_BR)}, '\\3-\\2-\\1')
            WHEN regexp_full_match(t, {lit(DATE_ISO)}) THEN regexp_replace(t, {lit(DATE_ISO)}, '\\1-\\2-\\3') END""",
    """CREATE MACRO date_of(n) AS CASE WHEN CAST(string_split(n, '-')[1] AS INTEGER) >= 1 THEN
            try(make_date(CAST(string_split(n, '-')[1] AS INTEGER), CAST(string_split(n, '-')[2] AS INTEGER),
                          CAST(string_split(n, '-')[3] AS INTEGER))) END""",
]


def money_layers(name: str) -> tuple[str, str, str]:
    """Three projection layers for a money column `name`: stripped text, unsigned number text, number text."""
    stripped = f"replace(replace(replace({name}, 'R$', ''), chr(160), ''), ' ', '')"
    first = (f"CASE WHEN contains({name}, 'R$') OR contains({name}, ' ') OR contains({name}, chr(160)) "
             f"THEN {stripped} ELSE {name} END AS {name}__s")  # most cells need no replace (and no copy)
    second = (f"starts_with({name}__s, '-') AS {name}__neg, "
              f"CASE WHEN starts_with({name}__s, '-') THEN substr({name}__s, 2) ELSE {name}__s END AS {name}__u")
    third = (f"money_shape({name}__u)::UTINYINT AS {name}__shape")
    return first, second, third


def money_number(name: str) -> str:
    """The number text of an unambiguous cell (NULL for an ambiguous or invalid one); needs `{name}__shape`."""
    return f"money_number({name}__u, {name}__shape) AS {name}__num"


def money_kept(name: str) -> str:
    """What `checked` keeps of a money column for `resolve_ambiguous_sql`: its shape, sign and ambiguous text."""
    return (f"{name}__shape, {name}__neg, "
            f"CASE WHEN {name}__shape = 3 AND NOT {name}__typed THEN {name}__u END AS {name}__amb")


def money_value(name: str) -> str:
    """The exact DECIMAL(18,2) value (NULL when empty, invalid or too large)."""
    dec = f"TRY_CAST({name}__num AS DECIMAL(18,2))"
    return f"CASE WHEN {name} = '' THEN NULL WHEN {name}__neg THEN -{dec} ELSE {dec} END"


def money_error(name: str) -> str:
    """The pt-BR reason a money cell is refused (NULL when fine); needs `{name}__v` computed before."""
    return (f"CASE WHEN {name} = '' THEN NULL WHEN {name}__u = '' THEN 'valor vazio' "
            f"WHEN {name}__shape = 3 AND {name}__typed THEN {lit(THREE_DECIMALS[DOT])} "
            f"WHEN {name}__shape = 3 THEN {lit(AMBIGUOUS_MONEY)} "
            f"WHEN {name}__num IS NULL THEN {lit(INVALID_MONEY)} "
            f"WHEN {name}__v IS NULL THEN 'valor grande demais' END")


def date_layers(name: str) -> tuple[str, str, str]:
    """Three projection layers: a fast parse of dd/mm/yyyy, the regex path for the rest, its date."""
    fast = (f"CASE WHEN strlen({name}) = 10 AND substr({name}, 3, 1) = '/' AND substr({name}, 6, 1) = '/' "
            f"THEN CAST(try_strptime({name}, '%d/%m/%Y') AS DATE) END")
    first = f"CASE WHEN year({fast}) BETWEEN {MIN_YEAR} AND {MAX_YEAR} THEN {fast} END AS {name}__f"
    second = f"CASE WHEN {name}__f IS NULL AND {name} <> '' THEN date_iso_text({name}) END AS {name}__n"
    third = f"CASE WHEN {name}__n IS NOT NULL THEN date_of({name}__n) END AS {name}__d"
    return first, second, third


def date_value(name: str) -> tuple[str, str]:
    error = (f"CASE WHEN {name} = '' OR {name}__f IS NOT NULL THEN NULL "
             f"WHEN {name}__n IS NULL THEN {lit(INVALID_DATE_FORMAT)} "
             f"WHEN {name}__d IS NULL THEN {lit(INVALID_DATE)} "
             f"WHEN year({name}__d) NOT BETWEEN {MIN_YEAR} AND {MAX_YEAR} THEN {lit(DATE_OUT_OF_RANGE)} END")
    value = f"coalesce({name}__f, CASE WHEN year({name}__d) BETWEEN {MIN_YEAR} AND {MAX_YEAR} THEN {name}__d END)"
    return value, error


def tax_id_layers() -> str:
    return ("CASE WHEN tax_id <> '' THEN regexp_full_match(tax_id, '[0-9.\\-/\\s]+') END AS tax_id__ok, "
            "CASE WHEN tax_id <> '' THEN regexp_replace(tax_id, '[^0-9]', '', 'g') END AS tax_id__d")


def tax_id_value() -> tuple[str, str]:
    valid = ("CASE WHEN tax_id = '' THEN false WHEN length(tax_id__d) = 11 THEN cpf_ok(tax_id__d) "
             "WHEN length(tax_id__d) = 14 THEN cnpj_ok(tax_id__d) ELSE false END")
    error = (f"CASE WHEN tax_id = '' THEN NULL WHEN NOT tax_id__ok THEN {lit(TAX_ID_CHARS)} "
             f"WHEN length(tax_id__d) = 11 AND NOT ({valid}) THEN {lit(BAD_CPF)} "
             f"WHEN length(tax_id__d) = 14 AND NOT ({valid}) THEN {lit(BAD_CNPJ)} "
             f"WHEN length(tax_id__d) NOT IN (11, 14) THEN 'não é um CPF/CNPJ válido (tem ' || length(tax_id__d) "
             f"|| ' dígitos; CPF tem 11 e CNPJ tem 14)' END")
    value = f"CASE WHEN tax_id <> '' AND tax_id__ok AND ({valid}) THEN tax_id__d END"
    return value, error


INSTALLMENT = ("CASE WHEN installment = '' THEN '1' WHEN regexp_full_match(installment, '[0-9]+') "
               "THEN coalesce(nullif(ltrim(installment, '0'), ''), '0') ELSE installment END")

CUSTOMER_KEY = (f"CASE WHEN customer_code <> '' THEN 'code:' || customer_code "
                f"WHEN tax_id__v IS NOT NULL THEN 'doc:' || tax_id__v "
                f"WHEN regexp_full_match(customer, {lit(SIMPLE_NAME)}) "
                f"THEN 'name:' || lower(strip_accents(regexp_replace(customer, ' +', ' ', 'g'))) END")


def money_convention_sql(name: str) -> str:
    """The column's convention (money.money_convention) over `checked`: 'comma', 'dot' or NULL (none or both)."""
    comma, dot = (f"bool_or({name}__shape = {n} AND NOT {name}__typed)" for n in (1, 2))  # text cells only
    case = f"CASE WHEN {comma} AND NOT {dot} THEN {lit(COMMA)} WHEN {dot} AND NOT {comma} THEN {lit(DOT)} END"
    return f"SELECT {case} FROM checked"  # noqa: S608 - our column names


def resolve_ambiguous_sql(name: str, convention: str | None) -> str:
    """UPDATE of the ambiguous cells of `checked` in the column's `convention` (money.parse_money's rule)."""
    ambiguous = f"{name}__amb IS NOT NULL"
    text = f"{name}__amb"
    if convention is None:
        return f"UPDATE checked SET {name}__e = {lit(AMBIGUOUS_MONEY)} WHERE {ambiguous}"  # noqa: S608
    thousands = "." if convention == COMMA else ","
    number = f"TRY_CAST(replace({text}, {lit(thousands)}, '') AS DECIMAL(18,2))"
    is_thousands = f"substr({text}, -4, 1) = {lit(thousands)}"
    return (f"UPDATE checked SET "  # noqa: S608 - our column names and constants
            f"{name}__v = CASE WHEN {is_thousands} AND NOT starts_with({text}, '0') "
            f"THEN CASE WHEN {name}__neg THEN -{number} ELSE {number} END END, "
            f"{name}__e = CASE WHEN NOT {is_thousands} THEN {lit(THREE_DECIMALS[convention])} "
            f"WHEN starts_with({text}, '0') THEN {lit(INVALID_MONEY)} END "
            f"WHERE {ambiguous}")
