"""Message templates (sandboxed Jinja2): pt-BR defaults and rendering of one receivable or one customer."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2 import meta as jinja_meta
from jinja2.exceptions import SecurityError, UndefinedError

from ..core import clock
from ..core.errors import InputError, TemplateError
from ..core.formatting import brl, day, is_missing
from ..core.formatting import text as fmt_text
from ..pix import charge as pix_charge
from .sandbox import MAX_OUTPUT_CHARS, MAX_RENDER_SECONDS, Sandbox, TooBig, TooSlow, budget

MAX_TEMPLATE_CHARS = 5000

RECEIVABLE_FIELDS: tuple[str, ...] = (
    "cliente", "documento", "parcela", "vencimento", "dias_atraso", "valor", "multa", "juros",
    "valor_atualizado", "empresa", "telefone_empresa", "responsavel", "pix", "pix_validade",
)
CUSTOMER_FIELDS: tuple[str, ...] = (
    "cliente", "contas", "total", "empresa", "telefone_empresa", "responsavel", "pix", "pix_validade",
)

_CLOSING = "{% if telefone_empresa %} Dúvidas: {{ telefone_empresa }}.{% endif %}"
# `pix` is empty unless pix_key is set: the paragraph appears only then.
_PIX_SHORT = ("{% if pix %}\nPague com Pix copia e cola (valor válido para pagamento até {{ pix_validade }}):\n"
              "{{ pix }}\n\n{% endif %}\n")
_PIX_EMAIL = ("{% if pix %}\nPague com Pix: leia o QR Code ou use o código copia e cola abaixo "
              "(valor válido para pagamento até {{ pix_validade }}).\n{{ pix }}\n\n{% endif %}\n")

DEFAULT_TEMPLATES: dict[str, str] = {
    "template_whatsapp": (
        "Olá, {{ cliente }}! Aqui é {{ responsavel }}, da {{ empresa }}.\n"
        "{% if dias_atraso > 0 %}\n"
        "Consta em aberto o documento {{ documento }}, parcela {{ parcela }}, vencido em {{ vencimento }}"
        " ({{ dias_atraso }} dia(s) de atraso).\n"
        "Valor atualizado: {{ valor_atualizado }} ({{ valor }} + multa {{ multa }} + juros {{ juros }}).\n"
        "{% else %}\n"
        "Lembrete: o documento {{ documento }}, parcela {{ parcela }}, tem vencimento em {{ vencimento }},"
        " no valor de {{ valor_atualizado }}.\n"
        "{% endif %}\n" + _PIX_SHORT +
        "Se já pagou, por favor desconsidere esta mensagem." + _CLOSING
    ),
    "template_email_subject": (
        "{{ empresa }}: lembrete de pagamento do documento {{ documento }}, parcela {{ parcela }}"
        " (vencimento {{ vencimento }})"
    ),
    "template_email_body": (
        "Prezado(a) {{ cliente }},\n\n"
        "{% if dias_atraso > 0 %}\n"
        "Consta em aberto o documento {{ documento }}, parcela {{ parcela }}, vencido em {{ vencimento }}"
        " ({{ dias_atraso }} dia(s) de atraso):\n\n"
        "{% else %}\n"
        "Lembramos que o documento {{ documento }}, parcela {{ parcela }}, tem vencimento em {{ vencimento }}:\n\n"
        "{% endif %}\n"
        "  Valor em aberto:  {{ valor }}\n"
        "  Multa:            {{ multa }}\n"
        "  Juros:            {{ juros }}\n"
        "  Valor atualizado: {{ valor_atualizado }}\n\n" + _PIX_EMAIL +
        "Caso o pagamento já tenha sido efetuado, por favor desconsidere esta mensagem.\n\n"
        "Atenciosamente,\n{{ responsavel }}\n{{ empresa }}\n"
        "{% if telefone_empresa %}Fone: {{ telefone_empresa }}{% endif %}"
    ),
    "template_customer_whatsapp": (
        "Olá, {{ cliente }}! Aqui é {{ responsavel }}, da {{ empresa }}.\n"
        "Constam em aberto {{ contas|length }} conta(s):\n"
        "{% for c in contas %}\n"
        "- Doc. {{ c.documento }}/{{ c.parcela }}, venc. {{ c.vencimento }}: {{ c.valor_atualizado }}\n"
        "{% endfor %}\n"
        "Total atualizado: {{ total }}.\n" + _PIX_SHORT +
        "Se já pagou, por favor desconsidere esta mensagem." + _CLOSING
    ),
    "template_customer_email_subject": (
        "{{ empresa }}: lembrete de pagamento, {{ contas|length }} conta(s) em aberto, total {{ total }}"
    ),
    "template_customer_email_body": (
        "Prezado(a) {{ cliente }},\n\n"
        "Constam em aberto as seguintes contas:\n\n"
        "{% for c in contas %}\n"
        "- Documento {{ c.documento }}, parcela {{ c.parcela }}, vencimento {{ c.vencimento }}"
        "{% if c.dias_atraso > 0 %} ({{ c.dias_atraso }} dia(s) de atraso){% endif %}:"
        " {{ c.valor }} + multa {{ c.multa }} + juros {{ c.juros }} = {{ c.valor_atualizado }}\n"
        "{% endfor %}\n\n"
        "Total atualizado: {{ total }}\n\n" + _PIX_EMAIL +
        "Caso o pagamento já tenha sido efetuado, por favor desconsidere esta mensagem.\n\n"
        "Atenciosamente,\n{{ responsavel }}\n{{ empresa }}\n"
        "{% if telefone_empresa %}Fone: {{ telefone_empresa }}{% endif %}"
    ),
}

# Which context a template key is rendered with.
TEMPLATE_KINDS: dict[str, str] = {
    key: ("customer" if key.startswith("template_customer_") else "receivable") for key in DEFAULT_TEMPLATES
}

# (subject key, body key) per channel family and scope.
_KEYS: dict[tuple[str, str], tuple[str | None, str]] = {
    ("short", "receivable"): (None, "template_whatsapp"),
    ("email", "receivable"): ("template_email_subject", "template_email_body"),
    ("short", "customer"): (None, "template_customer_whatsapp"),
    ("email", "customer"): ("template_customer_email_subject", "template_customer_email_body"),
}

_ENV = Sandbox(
    undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
)

_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined")
_MISSING_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'")
_UNSAFE_ATTRIBUTE = re.compile(r"attribute '([^']+)'")


@dataclass(frozen=True)
class Rendered:
    """A message ready to show or send (subject only for e-mail)."""

    subject: str | None
    body: str
    pix: str = ""  # the copia-e-cola code the message carries ('' without Pix), for the e-mail's QR image


def _label(name: str | None) -> str:
    return f"O modelo {name}" if name else "O modelo de mensagem"


def _fields_for(kind: str) -> tuple[str, ...]:
    return CUSTOMER_FIELDS if kind == "customer" else RECEIVABLE_FIELDS


@lru_cache(maxsize=128)
def _compile(text: str) -> Template:
    """The compiled template; cached because settings are parsed (and so validated) on every read."""
    return _ENV.from_string(text)


def _parse(text: str, name: str | None) -> Template:
    if not isinstance(text, str) or not text.strip():
        raise TemplateError(f"{_label(name)} está vazio: escreva o texto da mensagem.")
    if len(text) > MAX_TEMPLATE_CHARS:
        raise TemplateError(f"{_label(name)} é longo demais ({len(text)} caracteres; máximo {MAX_TEMPLATE_CHARS}).")
    try:
        return _compile(text)
    except TemplateSyntaxError as exc:
        raise TemplateError(
            f"{_label(name)} tem um erro de sintaxe na linha {exc.lineno} ({(exc.message or '').rstrip('.')}). "
            "Confira se cada {{ fecha com }} e cada {% if %}/{% for %} tem seu {% endif %}/{% endfor %}."
        ) from None
    except (RecursionError, MemoryError):  # the parser recurses once per nesting level
        raise TemplateError(f"{_label(name)} tem parênteses, colchetes ou blocos aninhados demais.") from None


def _static_check(text: str, kind: str, name: str | None) -> None:
    """Unknown top-level fields and private attributes, found in every branch, not only the one rendered."""
    tree = _ENV.parse(text)
    if next(tree.find_all((nodes.Macro, nodes.CallBlock)), None) is not None:
        # a recursive macro can double a string at each call and exhaust memory before any limit applies
        raise TemplateError(f"{_label(name)} usa macro ({{% macro %}}), o que não é permitido em modelos de mensagem.")
    allowed = set(_fields_for(kind)) | set(_ENV.globals)
    unknown = sorted(jinja_meta.find_undeclared_variables(tree) - allowed)
    if unknown:
        raise TemplateError(_unknown_field_message(unknown[0], kind, name))
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        attr = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(attr, str) and attr.startswith("_"):
            raise TemplateError(_unsafe_message(attr, name))


def _unknown_field_message(field: str, kind: str, name: str | None) -> str:
    known = ", ".join(_fields_for(kind))
    extra = f" (em cada item de contas: {', '.join(RECEIVABLE_FIELDS)})" if kind == "customer" else ""
    return f"{_label(name)} usa um campo desconhecido: '{field}'. Campos disponíveis: {known}{extra}."


def _unsafe_message(attr: str, name: str | None) -> str:
    return f"{_label(name)} tenta acessar '{attr}', o que não é permitido por segurança. Use apenas os campos da mensagem."


def _render(text: str, context: dict, kind: str, name: str | None) -> str:
    """Render all or nothing; every failure becomes a TemplateError with a pt-BR message."""
    template = _parse(text, name)
    try:
        chunks, size = [], 0
        with budget():
            for chunk in template.generate(context):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise TooBig("output")
                chunks.append(chunk)
    except TooBig:
        raise TemplateError(f"{_label(name)} gera uma mensagem grande demais (máximo {MAX_OUTPUT_CHARS} caracteres, "
                            "contando cada texto montado no caminho); simplifique o modelo.") from None
    except TooSlow:
        raise TemplateError(f"{_label(name)} demora demais para gerar a mensagem (máximo {MAX_RENDER_SECONDS:g} s); "
                            "simplifique os laços do modelo.") from None
    except SecurityError as exc:
        match = _UNSAFE_ATTRIBUTE.search(str(exc))
        raise TemplateError(_unsafe_message(match.group(1) if match else str(exc), name)) from None
    except UndefinedError as exc:
        match = _UNDEFINED_NAME.search(str(exc)) or _MISSING_ATTRIBUTE.search(str(exc))
        field = match.group(1) if match else str(exc)
        raise TemplateError(_unknown_field_message(field, kind, name)) from None
    except Exception as exc:  # a template is user text: any failure is reported, never half-rendered
        raise TemplateError(f"{_label(name)} não pôde ser aplicado: {type(exc).__name__}: {exc}.") from None
    return _tidy("".join(chunks))


def _tidy(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()).strip()


def _sample_rows() -> list[dict]:
    base = {
        "customer_id": 1, "customer": "Cliente Exemplo", "document": "123", "installment": "1",
        "due_date": date(2020, 6, 1), "days_overdue": 7, "balance": Decimal("1000.00"), "fine": Decimal("20.00"),
        "interest": Decimal("2.33"), "updated_amount": Decimal("1022.33"),
    }
    return [base, {**base, "installment": "2", "due_date": date(2020, 7, 1), "days_overdue": -23,
                   "fine": Decimal("0.00"), "interest": Decimal("0.00"), "updated_amount": Decimal("1000.00")}]


def validate_template(text: str, kind: str = "receivable", name: str | None = None) -> None:
    """Raise TemplateError unless `text` compiles, uses only known fields and renders a sample message.

    `kind` is "receivable" (one account) or "customer" (a list `contas` and a `total`).
    """
    if kind not in ("receivable", "customer"):
        raise ValueError(f"unknown template kind {kind!r}")
    _parse(text, name)
    _validated(text, kind, name)


@lru_cache(maxsize=128)
def _validated(text: str, kind: str, name: str | None) -> None:
    """The expensive part of validation, cached: settings are parsed on every read. Failures are not cached."""
    _static_check(text, kind, name)
    settings = {"company_name": "Empresa Exemplo", "company_phone": "(49) 3442-2970",  # Pix on: its branch runs too
                "pix_key": "123e4567-e12b-12d1-a456-426655440000", "pix_city": "Cidade Exemplo"}
    sample_day = date(2020, 6, 8)
    if kind == "customer":
        contexts = [_customer_context(_sample_rows(), settings, "Responsável", sample_day)]
    else:  # overdue and not yet due, so both usual branches run
        contexts = [_receivable_context(row, settings, "Responsável", sample_day) for row in _sample_rows()]
    for context in contexts:
        if not _render(text, context, kind, name):
            raise TemplateError(f"{_label(name)} gera uma mensagem vazia.")


def template_setting_parser(key: str) -> Callable[[str], str]:
    """A settings parser for template `key`: the text, if it validates (ValueError otherwise)."""

    def parse(text: str) -> str:
        value = str(text).strip()
        try:
            validate_template(value, TEMPLATE_KINDS[key], key)
        except TemplateError as exc:
            raise ValueError(f"recusado: {str(exc).rstrip('.')}") from None
        return value

    return parse




def _money(value) -> str:
    return "" if is_missing(value) else brl(Decimal(value))


def _pix_fields(settings: dict, as_of: date, make) -> dict:
    """`pix` (the code, '' when Pix is not configured or there is nothing to charge) and `pix_validade`."""
    if not pix_charge.enabled(settings):
        return {"pix": "", "pix_validade": ""}
    try:
        code = make().code
    except (InputError, ArithmeticError, TypeError, ValueError, KeyError):  # no amount in the row: no code
        code = ""
    return {"pix": code, "pix_validade": day(as_of) if code else ""}


def _receivable_context(row: dict, settings: dict, responsible: str, as_of: date) -> dict:
    days = row.get("days_overdue")
    return {
        "cliente": fmt_text(row.get("customer")),
        "documento": fmt_text(row.get("document")),
        "parcela": fmt_text(row.get("installment")),
        "vencimento": "" if is_missing(row.get("due_date")) else day(row["due_date"]),
        "dias_atraso": 0 if is_missing(days) else int(days),
        "valor": _money(row.get("balance")),
        "multa": _money(row.get("fine")),
        "juros": _money(row.get("interest")),
        "valor_atualizado": _money(row.get("updated_amount")),
        "empresa": fmt_text(settings.get("company_name")),
        "telefone_empresa": fmt_text(settings.get("company_phone")),
        "responsavel": fmt_text(responsible),
        **_pix_fields(settings, as_of, lambda: pix_charge.for_row(row, settings, as_of)),
    }


def customer_total(rows: list[dict]) -> Decimal:
    """Sum of the updated amounts (exact Decimals)."""
    return sum((Decimal(r["updated_amount"]) for r in rows), Decimal("0.00"))


def _customer_context(rows: list[dict], settings: dict, responsible: str, as_of: date) -> dict:
    ordered = sorted(rows, key=lambda r: (r.get("due_date") or date.max, str(r.get("document")), str(r.get("installment"))))
    contas = [_receivable_context(r, settings, responsible, as_of) for r in ordered]
    return {
        "cliente": contas[0]["cliente"],
        "contas": contas,
        "total": brl(customer_total(rows)),
        "empresa": contas[0]["empresa"],
        "telefone_empresa": contas[0]["telefone_empresa"],
        "responsavel": contas[0]["responsavel"],
        **_pix_fields(settings, as_of, lambda: pix_charge.for_customer(rows, settings, as_of)),
    }


def channel_family(channel: str) -> str:
    """'short' for WhatsApp and SMS, 'email' for e-mail; InputError for channels without a message."""
    key = str(channel).strip().lower().replace("-", "").replace(" ", "")
    if key in ("whatsapp", "sms"):
        return "short"
    if key in ("email", "mail"):
        return "email"
    raise InputError(f"Não há modelo de mensagem para a forma de contato '{channel}'. Use WhatsApp, SMS ou E-mail.")


def _render_pair(family: str, kind: str, context: dict, settings: dict) -> Rendered:
    subject_key, body_key = _KEYS[(family, kind)]
    body = _render(settings.get(body_key) or DEFAULT_TEMPLATES[body_key], context, kind, body_key)
    if not body:
        raise TemplateError(f"O modelo {body_key} gerou uma mensagem vazia.")
    subject = None
    if subject_key:
        text = _render(settings.get(subject_key) or DEFAULT_TEMPLATES[subject_key], context, kind, subject_key)
        subject = " ".join(text.split())  # one line: a line break in a header is refused when sending
        if not subject:
            raise TemplateError(f"O modelo {subject_key} gerou um assunto vazio.")
    return Rendered(subject=subject, body=body, pix=context["pix"])


def render_for_receivable(row: dict, channel: str, settings: dict, responsible: str,
                          as_of: date | None = None) -> Rendered:
    """The message about one worklist row (`frame.iloc[i].to_dict()`) for `channel`.

    `as_of` is the day the row's amounts were computed for (default today): the Pix amount is valid that day.
    """
    family = channel_family(channel)
    context = _receivable_context(row, settings, responsible, as_of or clock.today_of(settings.get("timezone")))
    return _render_pair(family, "receivable", context, settings)


def render_for_customer(rows: list[dict], channel: str, settings: dict, responsible: str,
                        as_of: date | None = None) -> Rendered:
    """One message covering every given worklist row of a single customer, with the total (and its Pix code)."""
    family = channel_family(channel)
    if not rows:
        raise InputError("Nenhuma conta informada para a mensagem do cliente.")
    customers = {r.get("customer_id", r.get("customer")) for r in rows}
    if len(customers) > 1:
        raise InputError("As contas informadas são de clientes diferentes; a mensagem é de um cliente só.")
    return _render_pair(family, "customer", _customer_context(rows, settings, responsible, as_of or clock.today_of(settings.get("timezone"))),
                        settings)

