"""Default pt-BR texts of the régua's steps (per customer: `contas`, `total`) and rendering a step's message."""

from __future__ import annotations

from datetime import date

from ..contacting import templates
from ..core.errors import InputError, TemplateError
from .plan import Step

_LIST = (
    "{% for c in contas %}\n"
    "- Documento {{ c.documento }}, parcela {{ c.parcela }}, vencimento {{ c.vencimento }}"
    "{% if c.dias_atraso > 0 %} ({{ c.dias_atraso }} {{ 'dia' if c.dias_atraso == 1 else 'dias' }} de atraso){% endif %}: {{ c.valor_atualizado }}\n"
    "{% endfor %}\n"
)
_SIGNATURE = ("Atenciosamente,\n{{ responsavel }}\n{{ empresa }}\n"
              "{% if telefone_empresa %}Fone: {{ telefone_empresa }}{% endif %}")
_PIX = templates._PIX_EMAIL  # the customer's total as Pix (QR + copia e cola) when pix_key is set
_IGNORE = "Caso o pagamento já tenha sido efetuado, por favor desconsidere esta mensagem.\n\n"

# (subject, body) of e-mail steps by moment: before the due date, on it, after it.
EMAIL_TEXTS = {
    "before": (
        "{{ empresa }}: lembrete de vencimento, total {{ total }}",
        "Prezado(a) {{ cliente }},\n\nLembramos que as contas abaixo vencem em breve:\n\n" + _LIST +
        "\nTotal: {{ total }}\n\n" + _PIX + "Se já programou o pagamento, obrigado e desconsidere esta mensagem.\n\n" + _SIGNATURE,
    ),
    "today": (
        "{{ empresa }}: contas com vencimento hoje, total {{ total }}",
        "Prezado(a) {{ cliente }},\n\nLembramos que vencem hoje:\n\n" + _LIST +
        "\nTotal: {{ total }}\n\n" + _PIX + _IGNORE + _SIGNATURE,
    ),
    "after": (
        "{{ empresa }}: contas em aberto, total atualizado {{ total }}",
        "Prezado(a) {{ cliente }},\n\nNão identificamos o pagamento das contas abaixo:\n\n" + _LIST +
        "\nTotal atualizado (com multa e juros): {{ total }}\n\n"
        "Por favor, regularize ou entre em contato para combinarmos o pagamento.\n\n" + _PIX + _IGNORE + _SIGNATURE,
    ),
}

# Body of task steps: the WhatsApp/SMS text to send, or the script of a call or a letter.
TASK_TEXTS = {
    "short": ("Olá, {{ cliente }}! Aqui é {{ responsavel }}, da {{ empresa }}.\n"
              "Constam em aberto {{ contas|length }} {{ 'conta' if contas|length == 1 else 'contas' }}:\n"
              "{% for c in contas %}\n- Doc. {{ c.documento }}/{{ c.parcela }}, venc. {{ c.vencimento }}: "
              "{{ c.valor_atualizado }}\n{% endfor %}\n"
              "Total atualizado: {{ total }}.\n" + templates._PIX_SHORT + "Se já pagou, por favor desconsidere esta mensagem."),
    "call": ("Ligar para {{ cliente }} sobre {{ contas|length }} {{ 'conta' if contas|length == 1 else 'contas' }} em aberto, total atualizado {{ total }}:\n"
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


def render(step: Step, rows: list[dict], settings: dict, responsible: str, as_of: date) -> templates.Rendered:
    """The message of `step` for one customer's rows (an e-mail has a subject; a task only a text).

    `as_of` is the day of the figures: the Pix code (when pix_key is set) charges the total valid that day.
    """
    if not rows:
        raise InputError("Nenhuma conta informada para a mensagem do cliente.")
    subject, body = texts(step)
    name = f"da etapa '{step.name}'"
    # the per-customer templates' own context and renderer, so a step's text has exactly their fields
    context = templates._customer_context(rows, settings, responsible, as_of)
    text = templates._render(body, context, "customer", name)
    if not text:
        raise TemplateError(f"O modelo {name} gerou uma mensagem vazia.")
    line = None
    if subject is not None:
        line = " ".join(templates._render(subject, context, "customer", name).split())
        if not line:
            raise TemplateError(f"O modelo {name} gerou um assunto vazio.")
    return templates.Rendered(subject=line, body=text, pix=context["pix"])
