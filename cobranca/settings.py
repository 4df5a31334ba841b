"""Settings declared once: key, default, parser and pt-BR help; values are stored as text."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .contacting.hours import (
    DEFAULT_CONTACT_HOURS,
    DEFAULT_TIMEZONE,
    ContactHours,
    parse_schedule,
    parse_timezone,
    unlimited_warning,
)
from .contacting.mailer import (
    parse_host,
    parse_optional_mailbox,
    parse_port,
    parse_security,
    parse_timeout,
    security_warning,
)
from .contacting.templates import DEFAULT_TEMPLATES, template_setting_parser
from .core.calendar import BankCalendar, parse_local_dates, parse_region
from .core.errors import CobrancaError, InputError, NotFoundError
from .core.money import parse_percent
from .core.parsing import int_between
from .core.text import cut
from .pix.key import parse_on_off, parse_pix_city, parse_pix_key, parse_pix_name
from .receivables.rules import ChargeRules


def _non_negative_int(text: str) -> int:
    return int_between(text, 0, 3650)


def _text(text: str) -> str:
    value = str(text).strip()
    if len(value) > 200:
        raise ValueError("texto longo demais (máximo 200 caracteres)")
    return value


def _optional_tax_id(text: str) -> str:
    from .core.taxid import parse_tax_id

    return parse_tax_id(text) if str(text).strip() else ""


def _fine_warning(value: Decimal) -> str | None:
    if value > 2:
        return "Atenção: multa acima de 2% excede o limite do Código de Defesa do Consumidor (art. 52, § 1º)."
    return None


@dataclass(frozen=True)
class Setting:
    """One configurable value."""

    key: str
    default: str
    parse: Callable[[str], Any]
    help: str
    warn: Callable[[Any], str | None] | None = None
    store_parsed: bool = False  # store the normalised value (pix_key: CPF/CNPJ digits only), not the text typed


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in [
        Setting("fine_percent", "2", parse_percent, "Multa por atraso, em % do saldo (CDC: até 2%).", _fine_warning),
        Setting("monthly_interest_percent", "1", parse_percent, "Juros de mora ao mês, em %, simples e pro rata die."),
        Setting("grace_days", "0", _non_negative_int, "Dias de carência sem multa e juros após o vencimento."),
        Setting("recovery_window_days", "7", _non_negative_int,
                "Resultados: um pagamento conta como recuperado após contato se vier até N dias depois dele."),
        Setting("agreement_grace_days", "5", _non_negative_int,
                "Acordos: dias de atraso de uma parcela tolerados antes de o acordo ser quebrado."),
        Setting("company_name", "Minha Empresa Ltda", _text, "Nome da empresa (mensagens e cabeçalho do PDF)."),
        Setting("company_phone", "", _text, "Telefone da empresa (mensagens e cabeçalho do PDF)."),
        Setting("company_tax_id", "", _optional_tax_id, "CNPJ (ou CPF) da empresa: o credor no termo de acordo.",
                store_parsed=True),
        # -- messages: templates and e-mail over SMTP (cobranca/contacting/templates.py, cobranca/contacting/mailer.py) --
        Setting("template_whatsapp", DEFAULT_TEMPLATES["template_whatsapp"],
                template_setting_parser("template_whatsapp"), "Modelo da mensagem de WhatsApp/SMS de uma conta."),
        Setting("template_email_subject", DEFAULT_TEMPLATES["template_email_subject"],
                template_setting_parser("template_email_subject"), "Modelo do assunto do e-mail de uma conta."),
        Setting("template_email_body", DEFAULT_TEMPLATES["template_email_body"],
                template_setting_parser("template_email_body"), "Modelo do texto do e-mail de uma conta."),
        Setting("template_customer_whatsapp", DEFAULT_TEMPLATES["template_customer_whatsapp"],
                template_setting_parser("template_customer_whatsapp"),
                "Modelo da mensagem de WhatsApp/SMS com todas as contas do cliente (contas, total)."),
        Setting("template_customer_email_subject", DEFAULT_TEMPLATES["template_customer_email_subject"],
                template_setting_parser("template_customer_email_subject"),
                "Modelo do assunto do e-mail com todas as contas do cliente."),
        Setting("template_customer_email_body", DEFAULT_TEMPLATES["template_customer_email_body"],
                template_setting_parser("template_customer_email_body"),
                "Modelo do texto do e-mail com todas as contas do cliente (contas, total)."),
        Setting("smtp_host", "", parse_host, "Servidor SMTP para enviar e-mails (vazio: usar o programa de e-mail)."),
        Setting("smtp_port", "587", parse_port, "Porta do servidor SMTP (587 com starttls, 465 com ssl)."),
        Setting("smtp_security", "starttls", parse_security, "Criptografia do SMTP: none, starttls ou ssl.",
                security_warning),
        Setting("smtp_user", "", _text, "Usuário do SMTP (vazio: sem login); a senha vem de COBRANCA_SMTP_PASSWORD."),
        Setting("smtp_sender", "", parse_optional_mailbox, "Remetente dos e-mails, ex.: Empresa <cobranca@empresa.com.br>."),
        Setting("smtp_reply_to", "", parse_optional_mailbox, "Endereço para respostas (opcional)."),
        Setting("smtp_timeout_seconds", "15", parse_timeout, "Tempo máximo de espera pelo servidor SMTP, em segundos."),
        # -- Pix "copia e cola" and QR code in messages, dashboard and PDF (cobranca/pix/brcode.py) --
        Setting("pix_key", "", parse_pix_key, "Chave Pix da empresa: CPF, CNPJ, e-mail, celular +55 ou chave "
                "aleatória (vazio: sem Pix).", store_parsed=True),
        Setting("pix_name", "", parse_pix_name, "Nome do recebedor no Pix (vazio: company_name; no código vão "
                "25 letras sem acento)."),
        Setting("pix_city", "", parse_pix_city, "Cidade do recebedor no Pix (no código vão 15 letras sem acento)."),
        Setting("pix_in_report", "sim", parse_on_off, "Incluir QR Code e código Pix de cada conta no PDF (sim/não)."),
        # -- legal contact hours (cobranca/contacting/hours.py) --
        Setting("contact_hours", DEFAULT_CONTACT_HOURS, parse_schedule,
                "Horários permitidos para enviar cobranças, ex.: 'seg-sex 08:00-20:00; sab 08:00-14:00' "
                "(nunca em feriados nacionais); 'livre' tira o limite.", unlimited_warning),
        Setting("timezone", DEFAULT_TIMEZONE, parse_timezone,
                "Fuso horário da empresa para os horários de contato (ex.: America/Sao_Paulo, America/Manaus)."),
        # -- the bank's calendar: local holidays (cobranca/core/calendar.py); a change recomputes "pagável até" --
        Setting("holiday_region", "", parse_region,
                "Estado (sigla, ex.: SP) ou município (São Paulo Capital) da empresa: seus feriados adiam o "
                "'pagável até' e fecham o horário de contato (vazio: só feriados nacionais e Carnaval).",
                store_parsed=True),
        Setting("holiday_extra", "", parse_local_dates,
                "Feriados do município, ex.: '25/01, 20/11, corpus christi' (dd/mm: todo ano; dd/mm/aaaa: um ano "
                "só).", store_parsed=True),
    ]
}


def parse_setting(key: str, text: str) -> Any:
    """Typed value of `text` for `key`; InputError with a pt-BR message when it does not fit."""
    setting = SETTINGS.get(key)
    if setting is None:
        known = ", ".join(sorted(SETTINGS))
        raise NotFoundError(f"Configuração desconhecida: '{cut(key)}'. Use uma destas: {known}.")
    try:
        str(text).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (a mis-decoded command line or paste): not storable text
        raise InputError(f"Valor inválido para {key}: contém caracteres inválidos (texto corrompido).") from None
    try:
        return setting.parse(text)
    except ValueError as exc:
        raise InputError(f"Valor inválido para {cut(key)}: '{cut(text)}' {exc}.") from exc


def text_to_store(key: str, text: str) -> str:
    """The text kept in the settings table: the normalised value for keys that ask for it, else the text typed."""
    value = parse_setting(key, text)
    return str(value) if SETTINGS[key].store_parsed else str(text).strip()


def warning_for(key: str, text: str) -> str | None:
    """A pt-BR warning to show when an accepted value is unwise, or None."""
    setting = SETTINGS[key]
    return setting.warn(parse_setting(key, text)) if setting.warn else None


def _lenient(stored: dict[str, str], keys) -> tuple[dict[str, Any], list[str]]:
    """Typed values of `keys`; a stored value that today's validation refuses falls back to its default."""
    values, warnings = {}, []
    for key in keys:
        setting = SETTINGS[key]
        text = stored.get(key, setting.default)
        try:
            values[key] = setting.parse(text)
        except (ValueError, CobrancaError) as exc:
            values[key] = setting.parse(setting.default)
            warnings.append(f"A configuração {key} guardada não é mais aceita ({exc}); usando o padrão. "
                            f"Corrija com: cobranca settings set {key} VALOR")
    return values, warnings


def typed(stored: dict[str, str]) -> dict[str, Any]:
    """Every declared setting as a typed value, stored text over defaults (read leniently, see `_lenient`)."""
    return _lenient(stored, SETTINGS)[0]


def stored_value_warnings(stored: dict[str, str]) -> list[str]:
    """pt-BR warnings for stored values that fell back to their defaults."""
    return _lenient(stored, SETTINGS)[1]


_CHARGE_KEYS = ("fine_percent", "monthly_interest_percent", "grace_days")


def charge_rules_from(stored: dict[str, str]) -> ChargeRules:
    """The charge rules from stored settings, parsing only their own keys."""
    return charge_rules(_lenient(stored, _CHARGE_KEYS)[0])


def charge_rules(values: dict[str, Any]) -> ChargeRules:
    """The charge settings of a typed settings dict."""
    return ChargeRules(
        fine_percent=values["fine_percent"],
        monthly_interest_percent=values["monthly_interest_percent"],
        grace_days=values["grace_days"],
    )


CALENDAR_KEYS = ("holiday_region", "holiday_extra")


def bank_calendar_from(stored: dict[str, str]) -> BankCalendar:
    """The bank's calendar (local holidays) from stored settings, parsing only its own keys (leniently)."""
    return bank_calendar(_lenient(stored, CALENDAR_KEYS)[0])


def bank_calendar(values: dict[str, Any]) -> BankCalendar:
    """The bank's calendar of a typed settings dict."""
    return BankCalendar(values["holiday_region"], values["holiday_extra"])


def contact_hours_from(stored: dict[str, str]) -> ContactHours:
    """The legal contact hours from stored settings, parsing only their own keys (leniently); the company's local
    holidays close the window as national ones do."""
    values, warned = _lenient(stored, ("contact_hours", "timezone"))
    refused = any(w.startswith("A configuração contact_hours ") for w in warned)
    text = DEFAULT_CONTACT_HOURS if refused else stored.get("contact_hours", DEFAULT_CONTACT_HOURS).strip()
    return ContactHours(values["contact_hours"].windows, values["timezone"], text, bank_calendar_from(stored))


def warnings(stored: dict[str, str]) -> list[str]:
    """pt-BR warnings of every stored value that is accepted but unwise (for `settings show`)."""
    found = []
    for key, setting in SETTINGS.items():
        if setting.warn and key in stored:
            try:
                message = setting.warn(setting.parse(stored[key]))
            except (ValueError, CobrancaError):
                continue
            if message:
                found.append(message)
    return found


def default_responsible() -> str:
    """Who is registering contacts: COBRANCA_USER, else the OS user."""
    env = os.environ.get("COBRANCA_USER", "").strip()
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "usuario"
