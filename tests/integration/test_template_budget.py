"""The templates' render budget: huge strings, lists, numbers and endless loops are refused on save and at send."""

from __future__ import annotations

import tracemalloc
from datetime import date

import pytest
from support.regua_helpers import regua_db

from cobranca.contacting import templates
from cobranca.core.errors import TemplateError
from cobranca.regua.plan import Step
from cobranca.regua.templates import render

DOUBLING = ("{% set ns = namespace(s='x') %}{% for i in range(30) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
            "{{ cliente }} {{ ns.s|length }}")

ATTACKS = [
    DOUBLING,
    "{% set ns = namespace(s='x') %}{% for i in range(30) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ cliente }}",
    "{% set ns = namespace(l=[1]) %}{% for i in range(30) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ cliente }}",
    "{% set l = [1] %}{% for i in range(30) %}{% set _ = l.extend(l) %}{% endfor %}{{ cliente }}",
    "{{ cliente }}{% set s = 'x'|center(10**9) %}",
    "{{ cliente }}{% set s = 'x'.ljust(10**9) %}",
    "{{ cliente }}{% set s = ('x' * 40000)|replace('x', 'xxxxxxxxxx') %}",
    "{{ cliente }}{% set s = ('x' * 40000).replace('x', 'xxxxxxxxxx') %}",
    "{{ cliente }}{% set s = '%0999999999d' % 1 %}",
    "{{ cliente }}{% set s = '{:>999999999}'.format(1) %}",
    "{{ cliente }}{% set ns = namespace(n=10**60) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}{% endfor %}",
    "{{ cliente }}{% set ns = namespace(n=7) %}{% for i in range(20) %}{% set ns.n = ns.n ** 60 %}{% endfor %}",
    "{{ cliente }}{{ range(1000)|join('x' * 1000) }}",
]

SLOW = ("{{ cliente }}{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
        "{% endfor %}{% endfor %}{% endfor %}")

MAX_PEAK_BYTES = 64 * 1024 * 1024


@pytest.mark.parametrize("body", ATTACKS)
def test_a_template_growing_without_bound_is_refused_on_save(db_path, body):
    db = regua_db(db_path)
    tracemalloc.start()
    try:
        with pytest.raises(TemplateError, match="grande demais"):
            db.regua.add_step("Ataque", 45, "E-mail", body=body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MAX_PEAK_BYTES  # refused before the huge value was built (each attack would take >= 1 GB)
    assert "Ataque" not in [s.name for s in db.regua.steps()]


def test_endless_loops_are_refused_on_save_within_the_time_budget(db_path):
    db = regua_db(db_path)
    with pytest.raises(TemplateError, match="demora demais"):  # 10⁹ loop steps: only the time budget ends it
        db.regua.add_step("Lenta", 45, "E-mail", body=SLOW)


def test_message_templates_setting_is_refused_too(db_path):
    db = regua_db(db_path)
    with pytest.raises(Exception, match="grande demais"):
        db.settings.set("template_customer_email_body", DOUBLING)


def test_the_budget_also_applies_at_send(db_path):
    """A text saved before the budget existed (straight into the table) fails at send, it does not hang."""
    db = regua_db(db_path)
    rows = db.worklists.rows(None, date(2020, 6, 8)).to_dict("records")[:1]
    with pytest.raises(TemplateError, match="grande demais"):
        render(Step("Ataque", 45, "E-mail", body=DOUBLING), rows, db.settings.all(), "Ana", date(2020, 6, 8))
    with pytest.raises(TemplateError, match="demora demais"):
        render(Step("Lenta", 45, "E-mail", body=SLOW), rows, db.settings.all(), "Ana", date(2020, 6, 8))


def test_ordinary_templates_still_work(db_path):
    db = regua_db(db_path)
    step = db.regua.add_step("Normal", 45, "E-mail", subject="Aviso: {{ total }}",
                             body="{% set ns = namespace(s='') %}{% for c in contas %}{% set ns.s = ns.s ~ c.documento "
                                  "~ ' ' %}{% endfor %}{{ cliente }}: {{ ns.s }}{{ 'x' * 3 }} {{ 2 ** 10 }} "
                                  "{{ '%05d' % 42 }} {{ 'a-b'.replace('-', '+') }} {{ 'ok'|center(6) }}")
    rows = db.worklists.rows(None, date(2020, 6, 8)).to_dict("records")
    alfa = [r for r in rows if r["customer"] == "Alfa Comércio"]
    text = render(step, alfa, db.settings.all(), "Ana", date(2020, 6, 8)).body
    assert text.startswith("Alfa Comércio: ") and "xxx 1024 00042 a+b   ok" in text
    assert templates.MAX_OUTPUT_CHARS == 50_000
