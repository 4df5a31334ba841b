"""Import file columns: the fields, their pt-BR headers, and matching a file's header row to them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..core.errors import InputError, Problem


@dataclass(frozen=True)
class Field:
    """One column of the import format."""

    name: str  # English identifier, also accepted as a header
    header: str  # pt-BR header a Brazilian ERP export uses
    required: bool
    kind: str  # text, money, date or tax_id


FIELDS: tuple[Field, ...] = (
    Field("customer_code", "Código Cliente", False, "text"),
    Field("customer", "Cliente", True, "text"),
    Field("tax_id", "CPF/CNPJ", False, "tax_id"),
    Field("document", "Documento", True, "text"),
    Field("installment", "Parcela", False, "text"),
    Field("issue_date", "Emissão", False, "date"),
    Field("due_date", "Vencimento", True, "date"),
    Field("amount", "Valor", True, "money"),
    Field("paid_amount", "Valor Pago", False, "money"),
    Field("paid_date", "Data Pagamento", False, "date"),
    Field("mobile", "Celular", False, "text"),
    Field("phone", "Telefone", False, "text"),
    Field("email", "E-mail", False, "text"),
    Field("description", "Histórico", False, "text"),
    Field("nosso_numero", "Nosso Número", False, "text"),
)
BY_NAME = {f.name: f for f in FIELDS}

# A few unambiguous spellings other exports use; anything else goes through an explicit mapping.
_ALIASES = {
    "codigo": "customer_code", "codcliente": "customer_code", "codigodocliente": "customer_code",
    "cpf": "tax_id", "cnpj": "tax_id", "cpfcnpj": "tax_id", "cnpjcpf": "tax_id",
    "numerodocumento": "document", "documentonumero": "document",
    "parc": "installment", "dataemissao": "issue_date", "datadeemissao": "issue_date",
    "datavencimento": "due_date", "datadevencimento": "due_date",
    "valordocumento": "amount", "valororiginal": "amount",
    "datadepagamento": "paid_date", "datapagto": "paid_date",
    "nossonro": "nosso_numero", "nossonum": "nosso_numero",
}
IGNORE_TARGETS = ("", "-")  # mapping a column to one of these drops it without a warning


def normalise(text: str) -> str:
    """Header key: lowercase, accents stripped, only letters and digits ('CPF/CNPJ' -> 'cpfcnpj')."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", plain.lower())


_KEYS: dict[str, str] = {**_ALIASES}
for _f in FIELDS:
    _KEYS[normalise(_f.name)] = _f.name
    _KEYS[normalise(_f.header)] = _f.name


def field_for(name: str) -> Field | None:
    """The field a header (pt-BR, English or a known alias, any case/accents/punctuation) names."""
    found = _KEYS.get(normalise(name))
    return BY_NAME[found] if found else None


def valid_targets() -> str:
    return ", ".join(f"{f.name} ({f.header})" for f in FIELDS)


@dataclass
class ColumnMatch:
    """Which file column (by position) feeds each field, plus what was left over."""

    positions: dict[str, int] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _cut(text, width: int = 40) -> str:
    text = str(text)
    return text if len(text) <= width else text[:width] + "…"


def _found_list(header: list[str], limit: int = 30) -> str:
    """The file's column names for a message: each cut short, at most `limit` of them."""
    names = [str(h).strip() for h in header if str(h).strip()]
    shown = [_cut(n) for n in names[:limit]]
    more = f" e mais {len(names) - limit}" if len(names) > limit else ""
    return (", ".join(shown) + more) or "(nenhuma)"


def match_columns(header: list[str], mapping: dict[str, str] | None = None) -> ColumnMatch:
    """Match header cells to fields; an explicit `mapping` {file column: field} wins over the automatic match."""
    result = ColumnMatch()
    explicit: dict[int, str | None] = {}
    by_key: dict[str, list[int]] = {}
    for pos, name in enumerate(header):
        by_key.setdefault(normalise(name), []).append(pos)
    found_list = _found_list(header)
    for source, target in (mapping or {}).items():
        target_field = None
        if str(target).strip() not in IGNORE_TARGETS:
            target_field = field_for(target)
            if target_field is None:
                raise InputError(f"Mapeamento '{_cut(source)}={_cut(target)}': campo desconhecido '{_cut(target)}'. "
                                 f"Campos: {valid_targets()}.")
        exact = [pos for pos, name in enumerate(header) if str(name).strip() == str(source).strip()]
        positions = exact or by_key.get(normalise(source))
        if not positions:
            result.problems.append(Problem(
                None, None, _cut(source), f"não existe no arquivo (coluna indicada no mapeamento). Colunas encontradas: {found_list}"
            ))
            continue
        for pos in positions:
            explicit[pos] = target_field.name if target_field else None

    claims: dict[str, list[int]] = {}
    for pos, name in enumerate(header):
        if pos in explicit:
            target = explicit[pos]
            if target is not None:
                claims.setdefault(target, []).append(pos)
            continue
        fld = field_for(name)
        if fld is not None and fld.name not in explicit.values():
            claims.setdefault(fld.name, []).append(pos)
        elif str(name).strip():  # unknown, or its field was taken by an explicit mapping
            result.ignored.append(str(name))

    for name, positions in claims.items():
        if len(positions) > 1:
            cols = " e ".join(f"'{_cut(header[p])}'" for p in positions)
            result.problems.append(Problem(
                None, None, None,
                f"as colunas {cols} correspondem ao mesmo campo {BY_NAME[name].header}; "
                "remova uma delas ou indique qual usar com um mapeamento",
            ))
        result.positions[name] = positions[0]

    missing = [fld.header for fld in FIELDS if fld.required and fld.name not in result.positions]
    if missing:
        what = f"falta a coluna obrigatória {missing[0]}" if len(missing) == 1 else (
            f"faltam as colunas obrigatórias {', '.join(missing)}")
        result.problems.append(Problem(
            None, None, None,
            f"{what}. Colunas encontradas: {found_list}. Renomeie a coluna no arquivo ou use um mapeamento "
            "(por exemplo --map 'Dt. Venc.=Vencimento')",
        ))
    return result
