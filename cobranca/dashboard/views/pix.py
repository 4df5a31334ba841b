"""Pix for the selected receivable: the QR code (segno SVG), the copia-e-cola code and a button that copies it."""

from __future__ import annotations

import ipywidgets as widgets

from ...core import formatting as fmt
from ...pix import charge as pix_charge
from ...pix import qr as pix_qr
from .base import esc, show

# Copies in the browser (no kernel round trip): the code travels in a data- attribute, never inside the script.
# navigator.clipboard needs a secure context (localhost or https); elsewhere a hidden textarea and execCommand.
_COPY_JS = (
    "var b=this,t=b.dataset.code,done=function(){b.textContent='Código copiado';"
    "setTimeout(function(){b.textContent='Copiar código Pix'},2000)};"
    "var old=function(){var a=document.createElement('textarea');a.value=t;a.setAttribute('readonly','');"
    "a.style.position='fixed';a.style.opacity='0';document.body.appendChild(a);a.select();"
    "document.execCommand('copy');document.body.removeChild(a);done()};"
    "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(t).then(done,old)}else{old()}"
)


class PixView(widgets.VBox):
    """Shows one Pix charge; `show_charge(None, reason)` hides the code and says why."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_class("cobranca-pix")
        self.code = ""
        self.body = widgets.HTML()
        self.children = [self.body]

    def show_charge(self, charge: pix_charge.PixCharge | None, reason: str = "") -> None:
        if charge is None:
            self.code = ""
            self.body.value = f'<div class="cobranca-pix-off" style="color:#555">{esc(reason)}</div>' if reason else ""
            show(self, bool(reason))
            return
        self.code = charge.code
        self.body.value = (
            '<div style="display:flex;gap:12px;align-items:center;margin-top:6px">'
            f'<img class="cobranca-pix-qr" src="{pix_qr.svg_data_uri(charge.code)}" alt="QR Code Pix" '
            'width="180" height="180">'
            '<div style="flex:1;min-width:260px">'
            f"<div><b>Pix</b> — {esc(fmt.brl(charge.amount))}, valor válido para pagamento até "
            f"{esc(fmt.day(charge.valid_until))} (identificador {esc(charge.txid)})</div>"
            f'<textarea class="cobranca-pix-code" readonly rows="4" style="width:100%;font-family:monospace;'
            f'font-size:12px">{esc(charge.code)}</textarea>'
            f'<button type="button" class="cobranca-pix-copy jupyter-button" data-code="{esc(charge.code)}" '
            f'onclick="{esc(_COPY_JS)}">Copiar código Pix</button>'
            "</div></div>"
        )
        show(self, True)

    def show_row(self, contact, row: dict) -> None:
        """The charge of `row`'s updated amount from the contact state (`state.contact`), or why there is none."""
        problem = contact.pix_problem()
        if problem is not None:
            self.show_charge(None, problem)  # "" when no key is set at all: Pix is simply not in use
            return
        self.show_charge(contact.pix_for(row))
