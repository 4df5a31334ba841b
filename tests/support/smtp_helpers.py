"""A real SMTP server on loopback for tests (aiosmtpd), and the settings that point cobranca at it."""

from __future__ import annotations

from contextlib import contextmanager
from email import message_from_bytes
from email import policy as email_policy

from aiosmtpd.controller import Controller

from benchmarks.measure import free_port


class Recorder:
    """aiosmtpd handler keeping every accepted message; refuses the recipients in `refuse` with 550."""

    def __init__(self):
        self.messages = []
        self.authenticated: list[bool] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Caixa postal inexistente"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # SMTP carries CRLF line ends; compare texts with plain newlines
        parsed = message_from_bytes(envelope.content.replace(b"\r\n", b"\n"), policy=email_policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        self.authenticated.append(bool(session.authenticated))
        return "250 Mensagem aceita"


@contextmanager
def serving(handler):
    """`handler` answering SMTP on a free loopback port (its `port` set) until the block ends."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    try:
        yield handler
    finally:
        controller.stop()


def configure(db, port, **extra):
    values = {"smtp_host": "127.0.0.1", "smtp_port": str(port), "smtp_security": "none",
              "smtp_sender": "cobranca@minhaempresa.com.br", "smtp_timeout_seconds": "5", **extra}
    for key, value in values.items():
        db.settings.set(key, value)
    return db.settings.all()
