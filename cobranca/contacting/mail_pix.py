"""The Pix part of an e-mail: an HTML alternative with the QR code as an inline image (cid:) and the code below it."""

from __future__ import annotations

import html
from email.message import EmailMessage
from email.utils import make_msgid

from ..pix import qr as pix_qr

_HTML = """<!DOCTYPE html>
<html lang="pt-BR"><body style="font-family: Arial, sans-serif; font-size: 14px;">
<div style="white-space: pre-wrap;">{body}</div>
<p style="margin-top: 18px;"><b>Pix</b> (QR Code):<br>
<img src="cid:{cid}" alt="QR Code Pix" width="{size}" height="{size}"></p>
<p>Pix copia e cola:<br><code style="word-break: break-all; font-size: 12px;">{code}</code></p>
</body></html>
"""


def add_pix_qr(message: EmailMessage, body: str, code: str, domain: str | None = None) -> None:
    """Turn a plain-text `message` into text + HTML alternatives, the HTML showing the QR (multipart/related).

    The plain text stays as it is (it already carries the code when the template has the Pix paragraph).
    Customer text in the HTML is escaped.
    """
    png = pix_qr.png_bytes(code, scale=5)
    cid = make_msgid(idstring="pix", domain=domain)
    message.add_alternative(
        _HTML.format(body=html.escape(body), cid=cid[1:-1], code=html.escape(code), size=220), subtype="html",
    )
    html_part = message.get_payload()[-1]
    html_part.add_related(png, maintype="image", subtype="png", cid=cid, filename="pix-qrcode.png",
                          disposition="inline")
