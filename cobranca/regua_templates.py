"""Default pt-BR texts of the régua's steps (per customer: `contas`, `total`) and rendering a step's message."""

from __future__ import annotations

from . import templates
from .regua_plan import Step

_LIST = (
    "{% for c in contas %}\n"
    "- Documento {{ c.documento }}, parcela {{ c.parcela }}, vencimento {{ c.vencimento }}"
    "{% if c.dias_atraso > 0 %} ({{ c.dias_atraso }} dia(s) de atraso){% endif %}: {{ c.valor_atualizado }}\n"
    "{% endfor %}\n"
)
_SIGNATURE = ("Atenciosamente,\n{{ responsavel }}\n{{ empresa }}\n"
              "{% if telefone_empresa %}Fone: {{ telefone_empresa }}{% endif %}")
_IGNORE = "Caso o pagamento já tenha sido efetuado, por favor desconsidere esta mensagem.\n\n"

# (subject, body) of e-mail steps by moment: before the due date, on it, after it.
EMAIL_TEXTS = {
    "before": (
        "{{ empresa }}: lembrete de vencimento, total {{ total }}",
        "Prezado(a) {{ cliente }},\n\nLembramos que as contas abaixo vencem em breve:\n\n" + _LIST +
        "\nTotal: {{ total }}\n\nSe já programou o pagamento, obrigado e desconsidere esta mensagem.\n\n" + _SIGNATURE,
    ),
    "today": (
        "{{ empresa }}: contas com vencimento hoje, total {{ total }}",
        "Prezado(a) {{ cliente }},\n\nLembramos que vencem hoje:\n\n" + _LIST +
        "\nTotal: {{ total }}\n\n" + _IGNORE + _SIGNATURE,
    ),
    "after": (
        "{{ empresa }}: contas em aberto, total atualizado {{ total }}",
        "Prezado(a) {{ cliente }},\n\nNão identificamos o pagamento das contas abaixo:\n\n" + _LIST +
        "\nTotal atualizado (com multa e juros): {{ total }}\n\n"
        "Por favor, regularize ou entre em contato para combinarmos o pagamento.\n" + _IGNORE + _SIGNATURE,
    ),
}

# Body of task steps: the WhatsApp/SMS text to send, or the script of a call or a letter.
TASK_TEXTS = {
    "short": ("Olá, {{ cliente }}! Aqui é {{ responsavel }}, da {{ empresa }}.\n"
              "Constam em aberto {{ contas|length }} conta(s):\n"
              "{% for c in contas %}\n- Doc. {{ c.documento }}/{{ c.parcela }}, venc. {{ c.vencimento }}: "
              "{{ c.valor_atualizado }}\n{% endfor %}\n"
              "Total atualizado: {{ total }}.\nSe já pagou, por favor desconsidere esta mensagem."),
    "call": ("Ligar para {{ cliente }} sobre {{ contas|length }} conta(s) em aberto, total atualizado {{ total }}:\n"
             + _LIST + "Perguntar a data de pagamento e registrar uma promessa, se houver."),
}


def _moment(days: int) -> str:
    return "before" if days < 0 else "today" if days == 0 else "after"


def texts(step: Step) -> tuple[str | None, str]:
    """(subject template, body template) of a step: its own, else the default for its channel and moment."""
    if step.is_email:
        subject, body = EMAIL_TEXTS[_moment(step.days)]
        return step.subject or subject, step.body or body
    default = TASK_TEXTS["short" if step.channel in ("WhatsApp", "SMS") else "call"]
    return None, step.body or default


def validate(step: Step) -> None:
    """TemplateError (pt-BR) unless the step's own texts are valid per-customer templates."""
    if step.subject:
        templates.validate_template(step.subject, "customer", f"assunto da etapa '{step.name}'")
    if step.body:
        templates.validate_template(step.body, "customer", f"texto da etapa '{step.name}'")


def render(step: Step, rows: list[dict], settings: dict, responsible: str, as_of=None) -> templates.Rendered:
    """The message of `step` for one customer's rows (an e-mail has a subject; a task only a text).

    `as_of` is the day of the figures (for the Pix amount once the pix branch is merged).
    """
    subject, body = texts(step)
    return templates.render_customer_texts(subject, body, rows, settings, responsible, f"da etapa '{step.name}'")
