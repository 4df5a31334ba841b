"""E-mail: a header-safe message, delivery through the company's SMTP server, and mailto links as fallback.

The SMTP password is read only from the environment variable COBRANCA_SMTP_PASSWORD at send
time: it is never stored, printed, or put in an error message.
"""

from __future__ import annotations

import functools
import os
import smtplib
import socket
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid, parseaddr
from urllib.parse import quote

from email_validator import EmailNotValidError, validate_email

from ..core.errors import InputError, SendError
from ..core.parsing import int_between
from ..core.text import cut

PASSWORD_ENV = "COBRANCA_SMTP_PASSWORD"
SECURITY_CHOICES = ("none", "starttls", "ssl")
MAX_RECIPIENTS = 10


class ServerError(SendError):
    """The server itself could not be used (connection, TLS, login, sender): later messages would fail too."""


class PermanentRefusal(SendError):
    """The server refused this message for good (a 5xx reply to its recipients or data): retrying will not help."""


def _refusal(codes, text: str) -> SendError:
    """PermanentRefusal when every reply code is 5xx (RFC 5321: permanent), else SendError (4xx: try later)."""
    codes = [int(c) for c in codes if isinstance(c, int)]
    return PermanentRefusal(text) if codes and all(500 <= c < 600 for c in codes) else SendError(text)


# -- addresses and headers -------------------------------------------------------------------
_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # every separator str.splitlines() knows


def _refuse_line_breaks(value: str, label: str) -> str:
    text = "" if value is None else str(value)
    if any(c in _LINE_BREAKS for c in text):
        raise InputError(f"{label} não pode conter quebra de linha (recusado para evitar injeção de cabeçalhos).")
    if any(c < " " and c != "\t" or c == "\x7f" for c in text):
        raise InputError(f"{label} não pode conter caracteres de controle invisíveis; apague-os e digite de novo.")
    return _encodable(text, label)


def _encodable(text: str, label: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (a mis-decoded command line or paste) cannot be sent
        raise InputError(f"{label} contém caracteres inválidos (texto corrompido); digite de novo.") from None
    return text


def valid_address(text: str, label: str = "E-mail") -> str:
    """The address, validated (syntax only, no DNS) and normalised; InputError in pt-BR otherwise."""
    address = _refuse_line_breaks(text, label).strip()
    if not address:
        raise InputError(f"{label} vazio.")
    try:
        result = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InputError(f"{label} inválido: '{cut(address)}' ({exc}).") from None
    return result.ascii_email or result.normalized


def parse_recipients(text: str) -> list[str]:
    """Addresses of a recipient field such as 'a@x.com; b@y.com' (ERPs often keep several), validated."""
    raw = _refuse_line_breaks(text, "Destinatário").strip()
    if not raw:
        raise InputError("Destinatário vazio: informe o e-mail do cliente.")
    try:
        pairs = getaddresses([raw.replace(";", ",")])
    except RecursionError:  # deeply nested (comments) make the stdlib parser recurse
        raise InputError(f"Destinatário inválido: '{cut(raw)}'.") from None
    addresses = [valid_address(addr or name, "Destinatário") for name, addr in pairs if (addr or name).strip()]
    if not addresses:
        raise InputError(f"Destinatário inválido: '{cut(raw)}'.")
    if len(addresses) > MAX_RECIPIENTS:
        raise InputError(f"Destinatários demais ({len(addresses)}; máximo {MAX_RECIPIENTS}).")
    return list(dict.fromkeys(addresses))


def _mailbox(text: str, label: str) -> Address:
    """'Nome <a@x.com>' or 'a@x.com' as a header Address."""
    raw = _refuse_line_breaks(text, label).strip()
    try:
        name, addr = parseaddr(raw)
    except RecursionError:  # deeply nested (comments) make the stdlib parser recurse
        raise InputError(f"{label} inválido: '{cut(raw)}'.") from None
    if not addr:
        raise InputError(f"{label} inválido: '{cut(raw)}'.")
    local, _, domain = valid_address(addr, label).rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


MAX_SUBJECT_CHARS = 500


def build_message(sender: str, to: str, subject: str, body: str, reply_to: str | None = None,
                  pix: str = "") -> EmailMessage:
    """A UTF-8 plain-text message (plus an HTML part with the QR when `pix` holds a Pix code);
    InputError on a bad address or a line break in any header value."""
    subject_text = _refuse_line_breaks(subject, "Assunto").strip()
    if not subject_text:
        raise InputError("Informe o assunto do e-mail.")
    if len(subject_text) > MAX_SUBJECT_CHARS:
        # A receiver decoding a huge encoded subject can take gigabytes (CPython's parser blew up in our fuzz test)
        raise InputError(f"O assunto do e-mail é longo demais ({len(subject_text)} caracteres; máximo "
                         f"{MAX_SUBJECT_CHARS}). Encurte o assunto ou o modelo template_email_subject.")
    if not _encodable(str(body or ""), "O texto do e-mail").strip():
        raise InputError("O texto do e-mail está vazio.")
    from_address = _mailbox(sender, "Remetente (smtp_sender)")
    recipients = parse_recipients(to)
    message = EmailMessage()
    message["From"] = from_address
    message["To"] = ", ".join(recipients)
    if reply_to and str(reply_to).strip():
        message["Reply-To"] = _mailbox(reply_to, "Responder para (smtp_reply_to)")
    message["Subject"] = subject_text
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=from_address.domain)
    message.set_content(str(body).replace("\r\n", "\n"), charset="utf-8")
    if pix:
        from .mail_pix import add_pix_qr  # segno loads only when a message carries a Pix code

        add_pix_qr(message, str(body).replace("\r\n", "\n"), pix, domain=from_address.domain)
    return message


# -- settings ----------------------------------------------------------------------------------
def sender_from(settings: dict) -> str:
    """The From of outgoing mail: smtp_sender (the company name as display name if it has none)."""
    sender = str(settings.get("smtp_sender") or "").strip()
    if not sender:
        user = str(settings.get("smtp_user") or "").strip()
        sender = user if "@" in user else ""
    if not sender:
        return ""
    name, addr = parseaddr(sender)
    if not name and settings.get("company_name"):
        return str(Address(display_name=str(settings["company_name"]), addr_spec=addr))
    return sender


def smtp_configured(settings: dict) -> bool:
    """True when smtp_host and a sender address are set (otherwise offer a mailto link)."""
    return bool(str(settings.get("smtp_host") or "").strip()) and bool(sender_from(settings))


def not_configured_message() -> str:
    return ("O envio de e-mail pelo servidor SMTP não está configurado: defina smtp_host e smtp_sender "
            "(cobranca settings set smtp_host smtp.suaempresa.com.br) ou use o link mailto: no seu programa de e-mail.")


def parse_host(text: str) -> str:
    value = str(text).strip()
    if any(c.isspace() for c in value) or len(value) > 253:
        raise ValueError("não é um nome de servidor válido")
    return value


def parse_port(text: str) -> int:
    return int_between(text, 1, 65535, " (a porta vai de 1 a 65535: 587 para starttls, 465 para ssl)")


def parse_security(text: str) -> str:
    value = str(text).strip().lower()
    if value not in SECURITY_CHOICES:
        raise ValueError(f"use uma destas: {', '.join(SECURITY_CHOICES)}")
    return value


def security_warning(value: str) -> str | None:
    if value == "none":
        return "Atenção: sem criptografia, usuário, senha e mensagens trafegam abertos na rede; prefira starttls ou ssl."
    return None


def parse_timeout(text: str) -> int:
    return int_between(text, 1, 300, " (use um número inteiro de segundos entre 1 e 300)")


def parse_optional_mailbox(text: str) -> str:
    value = str(text).strip()
    if value:
        try:
            _mailbox(value, "E-mail")
        except InputError as exc:
            raise ValueError(str(exc)) from None
    return value


# -- sending -----------------------------------------------------------------------------------
def _tls_context() -> ssl.SSLContext:
    """Verifies the certificate and the host name. Cached: loading the CA store took ~0.1 s per message."""
    return _cached_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.lru_cache(maxsize=4)
def _cached_context(_cert_file: str | None, _cert_dir: str | None) -> ssl.SSLContext:
    return ssl.create_default_context()  # reads SSL_CERT_FILE/SSL_CERT_DIR, hence the cache key


def _reply(code, text) -> str:
    detail = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text or "")
    password = os.environ.get(PASSWORD_ENV, "")
    if password:
        detail = detail.replace(password, "***")
    return f"{code} {' '.join(detail.split())}".strip()


def send(settings: dict, message: EmailMessage) -> list[str]:
    """Deliver `message` through the configured server; returns the recipients the server refused
    while accepting others (usually empty). Raises SendError (pt-BR) when nothing was delivered."""
    host = str(settings.get("smtp_host") or "").strip()
    if not host:
        raise InputError(not_configured_message())
    port = int(settings.get("smtp_port") or 587)
    security = str(settings.get("smtp_security") or "starttls")
    timeout = int(settings.get("smtp_timeout_seconds") or 15)
    user = str(settings.get("smtp_user") or "").strip()
    password = os.environ.get(PASSWORD_ENV, "")
    if user and not password:
        raise InputError(f"Defina a variável de ambiente {PASSWORD_ENV} com a senha do usuário SMTP {user}.")
    where = f"{host}:{port}"
    stage = "a conexão"
    client: smtplib.SMTP | None = None
    delivered = False
    try:
        context = _tls_context() if security != "none" else None
        if security == "ssl":
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        if security == "starttls":
            stage = "o STARTTLS"
            client.starttls(context=context)
        if user:
            stage = "a autenticação"
            client.login(user, password)
        stage = "o envio"
        refused = client.send_message(message)
        delivered = True
    except smtplib.SMTPAuthenticationError:
        raise ServerError(
            f"Falha de autenticação no servidor SMTP {where}: verifique usuário e a variável {PASSWORD_ENV}."
        ) from None
    except smtplib.SMTPNotSupportedError:
        hint = {
            "o STARTTLS": "o servidor não oferece STARTTLS; use smtp_security ssl (porta 465) ou none",
            "a autenticação": "o servidor não aceita autenticação; deixe smtp_user vazio ou use starttls/ssl",
        }.get(stage, "o servidor não aceita endereços com acentos (SMTPUTF8)")
        raise ServerError(f"O servidor SMTP {where} recusou {stage}: {hint}.") from None
    except smtplib.SMTPRecipientsRefused as exc:
        reasons = "; ".join(f"{addr} ({_reply(*reply)})" for addr, reply in exc.recipients.items())
        raise _refusal([code for code, _ in exc.recipients.values()],
                       f"O servidor SMTP {where} recusou o destinatário: {reasons}. Nada foi enviado.") from None
    except smtplib.SMTPSenderRefused as exc:
        raise ServerError(
            f"O servidor SMTP {where} recusou o remetente {exc.sender} ({_reply(exc.smtp_code, exc.smtp_error)}): "
            "confira smtp_sender e smtp_user."
        ) from None
    except smtplib.SMTPDataError as exc:
        raise _refusal([exc.smtp_code],
                       f"O servidor SMTP {where} recusou a mensagem ({_reply(exc.smtp_code, exc.smtp_error)}).") from None
    except smtplib.SMTPConnectError as exc:
        raise ServerError(
            f"O servidor SMTP {where} recusou a conexão ({_reply(exc.smtp_code, exc.smtp_error)})."
        ) from None
    except smtplib.SMTPServerDisconnected as exc:
        if "timed out" in str(exc):  # smtplib reports a read timeout as a disconnection
            raise ServerError(f"O servidor SMTP {where} não respondeu em {timeout} s durante {stage}.") from None
        raise ServerError(
            f"O servidor SMTP {where} encerrou a conexão durante {stage}. Confira smtp_port e smtp_security "
            "(ssl para a porta 465, starttls para a 587)."
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise SendError(f"O servidor SMTP {where} respondeu com erro durante {stage} "
                        f"({_reply(exc.smtp_code, exc.smtp_error)}).") from None
    except smtplib.SMTPException as exc:
        raise SendError(f"Falha no envio pelo servidor SMTP {where} durante {stage}: {type(exc).__name__}.") from None
    except ssl.SSLCertVerificationError as exc:
        raise ServerError(
            f"O certificado TLS do servidor SMTP {where} não é confiável ({exc.verify_message}); "
            "confira smtp_host (deve ser o nome que consta no certificado)."
        ) from None
    except ssl.SSLError as exc:
        raise ServerError(
            f"Falha na negociação TLS com o servidor SMTP {where} ({exc.reason or exc}): confira smtp_security "
            "(ssl para a porta 465, starttls para a 587)."
        ) from None
    except TimeoutError:
        raise ServerError(f"O servidor SMTP {where} não respondeu em {timeout} s durante {stage}.") from None
    except ConnectionRefusedError:
        raise ServerError(
            f"Não foi possível conectar ao servidor SMTP {where}: conexão recusada. Confira smtp_host e smtp_port."
        ) from None
    except socket.gaierror:
        raise ServerError(f"Servidor SMTP '{host}' não encontrado: confira smtp_host e a conexão de rede.") from None
    except OSError as exc:
        raise ServerError(f"Falha de rede com o servidor SMTP {where} durante {stage}: {exc.strerror or exc}.") from None
    finally:
        if client is not None and delivered:
            _quit_quietly(client)
        elif client is not None:
            client.close()
    return sorted(refused)


def _quit_quietly(client: smtplib.SMTP) -> None:
    """Say goodbye; once the server accepted the message, a failing QUIT must not turn it into a failure."""
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def mailto_link(to: str, subject: str, body: str) -> str:
    """mailto:...?subject=...&body=... (RFC 6068, CRLF line breaks) for the analyst's own e-mail program."""
    recipients = ",".join(quote(addr, safe="@") for addr in parse_recipients(to))
    subject_text = " ".join(_refuse_line_breaks(subject, "Assunto").split())
    text = _encodable(str(body or ""), "O texto do e-mail").replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{recipients}?subject={quote(subject_text, safe='')}&body={quote(text, safe='')}"
