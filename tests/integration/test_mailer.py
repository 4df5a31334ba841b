"""E-mail through a real SMTP server on loopback (aiosmtpd): delivery, every failure mode, contact log, bulk runs."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
from email import message_from_bytes
from email import policy as email_policy
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from support.known import AS_OF, ENGINES
from support.smtp_helpers import Recorder, configure

from benchmarks.measure import free_port
from cobranca.contacting import mailer
from cobranca.contacting.templates import render_for_receivable
from cobranca.core.errors import AmbiguousError, InputError, SendError
from cobranca.core.formatting import brl
from cobranca.workflows import messaging

ENGINES = ENGINES  # every test here runs on a DuckDB file and on PostgreSQL (see conftest.py)

PASSWORD = "s3nh@-Secreta"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"cobranca" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


@pytest.fixture
def auth_smtp_server():
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), authenticator=_authenticator,
                            auth_require_tls=False)
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


def sample_email(db):
    row = messaging.worklist_row(db, "144", "1", AS_OF)
    return render_for_receivable(row, "email", db.settings.all(), "Ana")


def no_contacts(db, document="144", installment="1"):
    return db.contacts.history(document, installment).empty


# -- building messages -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("to", "cliente@example.com\r\nBcc: todos@example.com"),
        ("to", "cliente@example.com\nBcc: todos@example.com"),
        ("subject", "Cobrança\r\nBcc: todos@example.com"),
        ("subject", "Cobrança\nX-Injected: 1"),
        ("sender", "cobranca@minhaempresa.com.br\r\nBcc: todos@example.com"),
        ("reply_to", "resposta@minhaempresa.com.br\nBcc: todos@example.com"),
    ],
)
def test_header_injection_is_refused(field, value):
    args = {"sender": "cobranca@minhaempresa.com.br", "to": "cliente@example.com", "subject": "Cobrança",
            "body": "Texto", "reply_to": None, field: value}
    with pytest.raises(InputError, match="quebra de linha"):
        mailer.build_message(**args)


@pytest.mark.parametrize("to", ["", "sem arroba", "a@@example.com", "a@localhost", "fulano@exemplo"])
def test_invalid_recipient_is_refused(to):
    with pytest.raises(InputError):
        mailer.build_message("cobranca@minhaempresa.com.br", to, "Assunto", "Texto")


def test_build_message_is_utf8_with_several_recipients():
    message = mailer.build_message("Minha Empresa <cobranca@minhaempresa.com.br>",
                                   "a@example.com; José <b@example.com>", "Cobrança: ação", "Olá, José!\nValor: R$ 1,00",
                                   reply_to="financeiro@minhaempresa.com.br")
    parsed = message_from_bytes(message.as_bytes(), policy=email_policy.default)
    assert parsed["Subject"] == "Cobrança: ação"
    assert parsed["To"] == "a@example.com, b@example.com"
    assert parsed["Reply-To"] == "financeiro@minhaempresa.com.br"
    assert parsed.get_content() == "Olá, José!\nValor: R$ 1,00\n"
    assert parsed["Message-ID"] and parsed["Date"]


def test_mailto_link_round_trip():
    link = mailer.mailto_link("jose@example.com", "Cobrança 144 & 145", "Olá, José!\nTotal: R$ 1.227,60 (100%)")
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and unquote(parts.path) == "jose@example.com"
    query = parse_qs(parts.query, strict_parsing=True)
    assert query["subject"] == ["Cobrança 144 & 145"]
    assert query["body"] == ["Olá, José!\r\nTotal: R$ 1.227,60 (100%)"]
    with pytest.raises(InputError, match="quebra de linha"):
        mailer.mailto_link("jose@example.com\nBcc: x@example.com", "a", "b")


def test_smtp_settings(db):
    assert not mailer.smtp_configured(db.settings.all())
    db.settings.set("smtp_host", "smtp.minhaempresa.com.br")
    assert not mailer.smtp_configured(db.settings.all())  # no sender yet
    db.settings.set("smtp_sender", "cobranca@minhaempresa.com.br")
    settings = db.settings.all()
    assert mailer.smtp_configured(settings)
    assert (settings["smtp_port"], settings["smtp_security"], settings["smtp_timeout_seconds"]) == (587, "starttls", 15)
    assert mailer.sender_from(settings) == "Minha Empresa Ltda <cobranca@minhaempresa.com.br>"
    assert "sem criptografia" in db.settings.set("smtp_security", "none")
    for key, bad in (("smtp_port", "0"), ("smtp_port", "abc"), ("smtp_security", "tls"),
                     ("smtp_sender", "não é e-mail"), ("smtp_timeout_seconds", "0"), ("smtp_host", "a b")):
        with pytest.raises(InputError, match=key):
            db.settings.set(key, bad)


# -- sending -----------------------------------------------------------------------------------
def test_send_email_delivers_and_records(db, smtp_server):
    configure(db, smtp_server.port)
    rendered = sample_email(db)
    contact_id = messaging.send_email(db, "144", "1", "financeiro@compufour.com.br", rendered.subject,
                                      rendered.body, by="Ana")
    assert len(smtp_server.messages) == 1
    mail_from, rcpt_tos, received = smtp_server.messages[0]
    assert mail_from == "cobranca@minhaempresa.com.br"
    assert rcpt_tos == ["financeiro@compufour.com.br"]
    assert received["Subject"] == rendered.subject
    assert received["From"] == "Minha Empresa Ltda <cobranca@minhaempresa.com.br>"
    assert received.get_content().rstrip("\n") == rendered.body
    assert "R$ 1.022,33" in received.get_content() and "CompuFour Software" in received.get_content()
    history = db.contacts.history("144", "1")
    assert list(history["id"]) == [contact_id]
    entry = history.iloc[0]
    assert (entry["channel"], entry["destination"], entry["responsible"]) == (
        "E-mail", "financeiro@compufour.com.br", "Ana")
    assert entry["message"] == rendered.subject + "\n\n" + rendered.body


def test_login_with_the_password_from_the_environment(db, auth_smtp_server, monkeypatch):
    configure(db, auth_smtp_server.port, smtp_user="cobranca")
    monkeypatch.setenv(mailer.PASSWORD_ENV, PASSWORD)
    rendered = sample_email(db)
    messaging.send_email(db, "144", "1", "financeiro@compufour.com.br", rendered.subject, rendered.body)
    assert len(auth_smtp_server.messages) == 1 and auth_smtp_server.authenticated == [True]
    assert PASSWORD not in db.settings.all().values()


def test_authentication_failure(db, auth_smtp_server, monkeypatch):
    configure(db, auth_smtp_server.port, smtp_user="cobranca")
    monkeypatch.setenv(mailer.PASSWORD_ENV, "senha-errada")
    rendered = sample_email(db)
    with pytest.raises(SendError) as info:
        messaging.send_email(db, "144", "1", "financeiro@compufour.com.br", rendered.subject, rendered.body)
    assert str(info.value) == (
        f"Falha de autenticação no servidor SMTP 127.0.0.1:{auth_smtp_server.port}: "
        "verifique usuário e a variável COBRANCA_SMTP_PASSWORD."
    )
    assert "senha-errada" not in str(info.value) and info.value.__cause__ is None
    assert auth_smtp_server.messages == []
    assert no_contacts(db)


def test_missing_password_is_reported_before_connecting(db, auth_smtp_server, monkeypatch):
    configure(db, auth_smtp_server.port, smtp_user="cobranca")
    monkeypatch.delenv(mailer.PASSWORD_ENV, raising=False)
    rendered = sample_email(db)
    with pytest.raises(InputError, match="COBRANCA_SMTP_PASSWORD"):
        messaging.send_email(db, "144", "1", "financeiro@compufour.com.br", rendered.subject, rendered.body)
    assert no_contacts(db)


def test_refused_recipient(db, smtp_server):
    configure(db, smtp_server.port)
    smtp_server.refuse.add("financeiro@compufour.com.br")
    rendered = sample_email(db)
    with pytest.raises(SendError) as info:
        messaging.send_email(db, "144", "1", "financeiro@compufour.com.br", rendered.subject, rendered.body)
    message = str(info.value)
    assert "recusou o destinatário" in message and "financeiro@compufour.com.br" in message and "550" in message
    assert smtp_server.messages == []
    assert no_contacts(db)


def test_partly_refused_recipients_record_only_the_delivered_one(db, smtp_server):
    configure(db, smtp_server.port)
    smtp_server.refuse.add("antigo@compufour.com.br")
    rendered = sample_email(db)
    messaging.send_email(db, "144", "1", "financeiro@compufour.com.br; antigo@compufour.com.br",
                         rendered.subject, rendered.body)
    assert [m[1] for m in smtp_server.messages] == [["financeiro@compufour.com.br"]]
    assert db.contacts.history("144", "1").iloc[0]["destination"] == "financeiro@compufour.com.br"


def test_closed_port(db):
    port = free_port()
    configure(db, port)
    rendered = sample_email(db)
    with pytest.raises(SendError, match=f"Não foi possível conectar ao servidor SMTP 127.0.0.1:{port}: conexão recusada"):
        messaging.send_email(db, "144", "1", "financeiro@compufour.com.br", rendered.subject, rendered.body)
    assert no_contacts(db)


class RawServer:
    """A TCP server that either never answers or hangs up at once: what a broken SMTP server does."""

    def __init__(self, behaviour: str):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.behaviour = behaviour
        self.connections = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if self.behaviour == "hangup":
                conn.close()
            else:
                self.connections.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.connections:
            conn.close()


@pytest.mark.parametrize(
    ("behaviour", "expected"),
    [("silent", "não respondeu em 1 s durante a conexão"), ("hangup", "encerrou a conexão durante a conexão")],
)
def test_broken_server(db, behaviour, expected):
    server = RawServer(behaviour)
    try:
        configure(db, server.port, smtp_timeout_seconds="1")
        rendered = sample_email(db)
        with pytest.raises(SendError, match=expected):
            messaging.send_email(db, "144", "1", "financeiro@compufour.com.br", rendered.subject, rendered.body)
    finally:
        server.close()
    assert no_contacts(db)


def test_starttls_required_but_not_offered(db, smtp_server):
    configure(db, smtp_server.port, smtp_security="starttls")
    rendered = sample_email(db)
    with pytest.raises(SendError, match="não oferece STARTTLS"):
        messaging.send_email(db, "144", "1", "financeiro@compufour.com.br", rendered.subject, rendered.body)
    assert smtp_server.messages == []
    assert no_contacts(db)


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1 (cert file, key file)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@pytest.fixture
def tls_smtp_server(certificate):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    handler = Recorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), tls_context=context,
                            require_starttls=True, authenticator=_authenticator, auth_required=True)
    controller.start()
    handler.port = controller.port
    handler.cert_file = certificate[0]
    yield handler
    controller.stop()


def test_starttls_with_a_trusted_certificate_and_login(db, tls_smtp_server, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_smtp_server.cert_file))
    monkeypatch.setenv(mailer.PASSWORD_ENV, PASSWORD)
    configure(db, tls_smtp_server.port, smtp_security="starttls", smtp_user="cobranca")
    rendered = sample_email(db)
    messaging.send_email(db, "144", "1", "financeiro@compufour.com.br", rendered.subject, rendered.body)
    assert len(tls_smtp_server.messages) == 1 and tls_smtp_server.authenticated == [True]
    assert len(db.contacts.history("144", "1")) == 1


def test_starttls_with_an_untrusted_certificate_is_refused(db, tls_smtp_server, monkeypatch):
    monkeypatch.setenv(mailer.PASSWORD_ENV, PASSWORD)
    configure(db, tls_smtp_server.port, smtp_security="starttls", smtp_user="cobranca")
    rendered = sample_email(db)
    with pytest.raises(SendError, match="certificado TLS do servidor SMTP .* não é confiável"):
        messaging.send_email(db, "144", "1", "financeiro@compufour.com.br", rendered.subject, rendered.body)
    assert tls_smtp_server.messages == []
    assert no_contacts(db)


def test_nothing_is_sent_when_the_receivable_is_ambiguous(db, smtp_server):
    configure(db, smtp_server.port)
    with pytest.raises(AmbiguousError):
        messaging.send_email(db, "200/A", None, "jose@example.com", "Assunto", "Texto")
    assert smtp_server.messages == []


def test_send_email_without_smtp_settings_is_refused(db):
    with pytest.raises(InputError, match="smtp_host"):
        messaging.send_email(db, "144", "1", "financeiro@compufour.com.br", "Assunto", "Texto")
    assert no_contacts(db)


def test_record_whatsapp_stores_e164(db):
    contact_id = messaging.record_whatsapp(db, "144", "1", "(49) 99912-3456", "Olá!\nR$ 1.022,33", by="Ana")
    entry = db.contacts.history("144", "1").iloc[0]
    assert (entry["id"], entry["channel"], entry["destination"], entry["message"]) == (
        contact_id, "WhatsApp", "+5549999123456", "Olá!\nR$ 1.022,33")
    with pytest.raises(InputError, match="Celular inválido"):
        messaging.record_whatsapp(db, "144", "1", "123", "Olá")
    assert len(db.contacts.history("144", "1")) == 1


# -- bulk --------------------------------------------------------------------------------------
def test_bulk_sends_one_message_per_customer_and_a_rerun_sends_nothing(db, smtp_server):
    configure(db, smtp_server.port)
    frame = db.worklists.rows(None, AS_OF)
    dry = messaging.bulk_email(db, None, AS_OF, dry_run=True)
    assert sorted(p.customer for p in dry.planned) == ["CompuFour Software", "José da Silva Açougue",
                                                       "Padaria Pão Quente"]
    assert dry.skipped == [("Maria Souza ME", "sem e-mail cadastrado")]
    assert smtp_server.messages == [] and db.contacts.histories(list(frame["receivable_id"])).empty

    calls = []
    report = messaging.bulk_email(db, None, AS_OF, by="Ana", dry_run=False, progress=lambda d, t: calls.append((d, t)))
    assert report.failed == [] and len(report.sent) == 3 and calls[-1] == (3, 3)
    recipients = sorted(rcpt for _, rcpts, _ in smtp_server.messages for rcpt in rcpts)
    assert recipients == ["financeiro@compufour.com.br", "jose@example.com", "padaria@example.com"]

    compufour = next(m for _, r, m in smtp_server.messages if r == ["financeiro@compufour.com.br"])
    content = compufour.get_content()
    rows = frame[frame["customer"] == "CompuFour Software"]
    assert brl(sum(rows["updated_amount"])) == "R$ 1.227,60"
    assert "R$ 1.227,60" in content and "R$ 1.022,33" in content and "R$ 205,27" in content
    for document in ("144", "145"):
        entry = db.contacts.history(document, "1")
        assert len(entry) == 1 and entry.iloc[0]["channel"] == "E-mail"
        assert entry.iloc[0]["message"].startswith(compufour["Subject"] + "\n\n")
    assert len(db.contacts.history("200/A", "1")) == 1 and db.contacts.history("200/A", "2").empty  # not due: not in the worklist
    assert "3 e-mails enviados" in report.summary()

    again = messaging.bulk_email(db, None, AS_OF, dry_run=False)
    assert again.sent == [] and again.failed == []
    assert len(smtp_server.messages) == 3
    reasons = dict(again.skipped)
    assert reasons["CompuFour Software"].startswith("já recebeu e-mail hoje")
    assert reasons["Maria Souza ME"] == "sem e-mail cadastrado"


def test_bulk_reports_a_refused_recipient_and_records_nothing_for_it(db, smtp_server):
    configure(db, smtp_server.port)
    smtp_server.refuse.add("jose@example.com")
    report = messaging.bulk_email(db, None, AS_OF, dry_run=False)
    assert len(report.sent) == 2
    assert [c for c, _ in report.failed] == ["José da Silva Açougue"]
    assert "recusou o destinatário" in report.failed[0][1]
    assert db.contacts.history("200/A", "1").empty
    smtp_server.refuse.clear()
    retry = messaging.bulk_email(db, None, AS_OF, dry_run=False)
    assert [p.customer for p in retry.sent] == ["José da Silva Açougue"]
    assert len(smtp_server.messages) == 3


def test_bulk_stops_at_a_server_failure_and_records_nothing(db):
    configure(db, free_port())
    report = messaging.bulk_email(db, None, AS_OF, dry_run=False)
    assert report.sent == [] and len(report.failed) == 3
    assert "conexão recusada" in report.failed[0][1]
    assert all("interrompido" in reason for _, reason in report.failed[1:])
    frame = db.worklists.rows(None, AS_OF)
    assert db.contacts.histories(list(frame["receivable_id"])).empty
    assert "3 falhas" in report.summary()


def test_bulk_without_smtp_is_refused_but_dry_run_works(db):
    with pytest.raises(InputError, match="smtp_host"):
        messaging.bulk_email(db, None, AS_OF, dry_run=False)
    assert "Simulação: 3 e-mails seriam enviados" in messaging.bulk_email(db, None, AS_OF).summary()


def test_huge_subject_is_refused_before_anything_is_built():
    with pytest.raises(InputError, match="assunto do e-mail é longo demais"):
        mailer.build_message("cobranca@empresa.com.br", "cliente@example.com", "Ü" * (mailer.MAX_SUBJECT_CHARS + 1), "x")
    ok = mailer.build_message("cobranca@empresa.com.br", "cliente@example.com", "Ü" * mailer.MAX_SUBJECT_CHARS, "x")
    assert len(ok["Subject"]) == mailer.MAX_SUBJECT_CHARS
