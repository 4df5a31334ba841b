"""Message templates: the default texts carry the worklist's figures to the cent; errors are clear and pt-BR."""

from __future__ import annotations

from decimal import Decimal

import pytest
from support.known import AS_OF

from cobranca.contacting import templates
from cobranca.contacting.templates import render_for_customer, render_for_receivable, validate_template
from cobranca.core.errors import InputError, TemplateError
from cobranca.core.formatting import brl, day
from cobranca.workflows.messaging import worklist_row


def _row(db, document, installment="1"):
    frame = db.worklists.rows(None, AS_OF)
    match = frame[(frame["document"] == document) & (frame["installment"] == installment)]
    assert len(match) == 1
    return match.iloc[0].to_dict()


@pytest.mark.parametrize("channel", ["whatsapp", "WhatsApp", "sms", "email", "E-mail"])
def test_seed_example_figures_in_every_default_template(db, channel):
    row = _row(db, "144")
    rendered = render_for_receivable(row, channel, db.settings.all(), "SUPERVISOR")
    text = rendered.body
    for expected in ("R$ 1.000,00", "R$ 20,00", "R$ 2,33", "R$ 1.022,33", "01/06/2020", "7 dias de atraso",
                     "CompuFour Software", "144", "SUPERVISOR", "Minha Empresa Ltda"):
        assert expected in text
    if channel.lower().replace("-", "") == "email":
        assert rendered.subject is not None and "144" in rendered.subject and "\n" not in rendered.subject
    else:
        assert rendered.subject is None


@pytest.mark.parametrize("channel", ["whatsapp", "email"])
def test_every_row_of_the_worklist_renders_its_own_figures(db, channel):
    frame = db.worklists.rows(None, AS_OF)
    assert len(frame) >= 4
    for row in frame.to_dict("records"):
        body = render_for_receivable(row, channel, db.settings.all(), "Ana").body
        assert brl(row["updated_amount"]) in body
        assert brl(row["balance"]) in body
        assert day(row["due_date"]) in body
        assert row["document"] in body
        if row["days_overdue"] > 0:
            assert brl(row["fine"]) in body and brl(row["interest"]) in body


def test_not_yet_due_receivable_gets_a_reminder_without_delay(db):
    row = worklist_row(db, "200/A", "2", AS_OF)
    assert row["days_overdue"] < 0
    for channel in ("whatsapp", "email"):
        body = render_for_receivable(row, channel, db.settings.all(), "Ana").body
        assert "05/07/2020" in body and "R$ 89,90" in body
        assert "atraso" not in body


def test_worklist_row_matches_the_worklist(db):
    row, expected = worklist_row(db, "144", None, AS_OF), _row(db, "144")
    keys = ("document", "installment", "customer_id", "due_date", "days_overdue", "balance", "fine", "interest",
            "updated_amount")
    assert {k: row[k] for k in keys} == {k: expected[k] for k in keys}
    assert row["updated_amount"] == Decimal("1022.33")


@pytest.mark.parametrize("channel", ["whatsapp", "sms", "email"])
def test_per_customer_message_lists_every_receivable_and_the_total(db, channel):
    frame = db.worklists.rows(None, AS_OF)
    rows = frame[frame["customer"] == "CompuFour Software"].to_dict("records")
    assert {r["document"] for r in rows} == {"144", "145"}
    expected_total = sum((r["updated_amount"] for r in rows), Decimal("0"))
    assert expected_total == Decimal("1227.60")
    rendered = render_for_customer(rows, channel, db.settings.all(), "Ana")
    assert "R$ 1.227,60" in rendered.body
    assert "R$ 1.022,33" in rendered.body and "R$ 205,27" in rendered.body
    assert rendered.body.index("145") < rendered.body.index("144")  # oldest due date first
    if channel == "email":
        assert "R$ 1.227,60" in rendered.subject


def test_per_customer_refuses_rows_of_two_customers(db):
    rows = db.worklists.rows(None, AS_OF).to_dict("records")
    with pytest.raises(InputError, match="clientes diferentes"):
        render_for_customer(rows, "whatsapp", db.settings.all(), "Ana")
    with pytest.raises(InputError, match="Nenhuma conta"):
        render_for_customer([], "whatsapp", db.settings.all(), "Ana")


def test_channel_without_template_is_refused(db):
    with pytest.raises(InputError, match="Telefone"):
        render_for_receivable(_row(db, "144"), "Telefone", db.settings.all(), "Ana")


def test_custom_template_from_settings_is_used(db):
    db.settings.set("template_whatsapp", "{{ cliente }} deve {{ valor_atualizado }} desde {{ vencimento }}.")
    db.settings.set("company_phone", "(49) 3442-2970")
    db.settings.set("template_email_subject", "Cobrança {{ documento }} - {{ telefone_empresa }}")
    settings = db.settings.all()
    row = _row(db, "144")
    assert render_for_receivable(row, "whatsapp", settings, "Ana").body == \
        "CompuFour Software deve R$ 1.022,33 desde 01/06/2020."
    assert render_for_receivable(row, "email", settings, "Ana").subject == "Cobrança 144 - (49) 3442-2970"


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Olá {{ cliente }", "receivable", "erro de sintaxe na linha 1"),
        ("{% if dias_atraso > 0 %}atrasado", "receivable", "erro de sintaxe"),
        ("Olá {{ nome }}", "receivable", "campo desconhecido: 'nome'"),
        ("{% if dias_atraso > 999 %}{{ saldo }}{% endif %}", "receivable", "campo desconhecido: 'saldo'"),
        ("{{ documento.numero }}", "receivable", "campo desconhecido: 'numero'"),
        ("{% for c in contas %}{{ c.desconto }}{% endfor %}", "customer", "campo desconhecido: 'desconto'"),
        ("{{ contas }}", "receivable", "campo desconhecido: 'contas'"),
        ("{{ ''.__class__ }}", "receivable", "'__class__', o que não é permitido"),
        ("{{ cliente.__class__.__mro__ }}", "receivable", "não é permitido"),
        ("{{ ''|attr('__class__') }}", "receivable", "não é permitido"),
        ("{{ cliente['__class__'] }}", "receivable", "não é permitido"),
        ("{{ valor + 1 }}", "receivable", "não pôde ser aplicado"),
        ("   ", "receivable", "está vazio"),
        ("{{ 'x' * 1000000000 }}", "receivable", "grande demais"),
        ("{{ cliente * 100000 }}", "receivable", "grande demais"),
        ("{{ 10 ** 100000000 }}", "receivable", "grande demais"),
        ("{% for i in range(1000000000) %}{% endfor %}x", "receivable", "grande demais"),
        ("{% for i in range(999) %}{% for c in contas %}{{ c.documento * 999 }}{% endfor %}{% endfor %}",
         "customer", "grande demais"),
    ],
)
def test_template_errors_are_pt_br(text, kind, expected):
    with pytest.raises(TemplateError) as info:
        validate_template(text, kind, "template_x")
    assert expected in str(info.value)
    assert "template_x" in str(info.value)


def test_unknown_field_message_lists_the_available_fields():
    with pytest.raises(TemplateError) as info:
        validate_template("{{ nome }}")
    assert "Campos disponíveis: cliente, documento, parcela" in str(info.value)


def test_every_default_template_validates():
    for key, text in templates.DEFAULT_TEMPLATES.items():
        validate_template(text, templates.TEMPLATE_KINDS[key], key)


def test_broken_template_reaching_render_raises_template_error_not_a_crash(db):
    row = _row(db, "144")
    for bad in ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "{{ nome }}", "{% for %}", "{{ 1 / 0 }}"):
        settings = {**db.settings.all(), "template_whatsapp": bad}
        with pytest.raises(TemplateError, match="template_whatsapp"):
            render_for_receivable(row, "whatsapp", settings, "Ana")


def test_settings_refuse_a_broken_template_and_keep_the_old_one(db):
    before = db.settings.all()["template_email_body"]
    with pytest.raises(InputError, match="campo desconhecido: 'nome'"):
        db.settings.set("template_email_body", "Prezado {{ nome }}")
    with pytest.raises(InputError, match="não é permitido"):
        db.settings.set("template_customer_whatsapp", "{{ cliente.__class__ }}")
    with pytest.raises(InputError, match="campo desconhecido: 'documento'"):
        db.settings.set("template_customer_whatsapp", "{{ documento }}")  # a customer template has `contas`
    assert db.settings.all()["template_email_body"] == before


def test_customer_data_cannot_break_the_subject_line(db):
    row = {**_row(db, "144"), "customer": "Evil\r\nBcc: all@example.com"}
    settings = {**db.settings.all(), "template_email_subject": "Cobrança {{ cliente }}"}
    subject = render_for_receivable(row, "email", settings, "Ana").subject
    assert "\n" not in subject and "\r" not in subject
    assert subject == "Cobrança Evil Bcc: all@example.com"


def test_customer_text_is_data_not_template_code(db):
    row = {**_row(db, "144"), "customer": "{{ ''.__class__ }} {% raw %}"}
    body = render_for_receivable(row, "whatsapp", db.settings.all(), "Ana").body
    assert "{{ ''.__class__ }} {% raw %}" in body


def test_recursive_macro_that_doubles_a_string_is_refused_before_rendering():
    doubling = ('{% macro f(s, n) %}{% if n > 0 %}{{ f(s ~ s, n - 1) }}{% endif %}{% endmacro %}'
                '{{ f("ab", 60) }}{{ cliente }}')
    with pytest.raises(TemplateError, match="macro"):
        validate_template(doubling)
