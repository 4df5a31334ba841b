"""pt-BR text of the screen (issue 21): numbers, plurals, sizes, phones, CPF/CNPJ, hours, axes, bands, CLI tables."""

from __future__ import annotations

import re
from datetime import time

import pytest

from cobranca.cli.common import table_lines
from cobranca.contacting.hours import DEFAULT_CONTACT_HOURS, parse_contact_hours, summarize_contact_hours
from cobranca.core import formatting as fmt
from cobranca.core.phones import shown_phone
from cobranca.dashboard.grid import COLUMNS, DECISION_COLUMNS, OPTIONAL_COLUMNS, display_frame
from cobranca.dashboard.table import table_html
from cobranca.receivables.bands import LEGEND, WORK_BANDS, work_band
from cobranca.report.charts import fmt_tick
from cobranca.results.text import explanation


@pytest.mark.parametrize(("count", "text"), [(0, "0 contas"), (1, "1 conta"), (2, "2 contas"), (36500, "36.500 contas")])
def test_plural_with_thousands_separators(count, text):
    assert fmt.plural(count, "conta", "contas") == text


@pytest.mark.parametrize(("count", "text"), [(-1, "-1 dia"), (-20, "-20 dias"), (1, "1 dia")])
def test_negative_day_counts_agree_too(count, text):
    assert fmt.plural(count, "dia", "dias") == text


def test_no_message_of_the_product_writes_a_plural_in_parentheses():
    """"3 e-mail(s) enviado(s)" reads as a form, not a sentence: every count picks singular or plural."""
    import ast
    from pathlib import Path

    import cobranca

    found = []
    for path in Path(cobranca.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(r"\w\((s|es|m|ns)\)", node.value):
                found.append(f"{path.name}:{node.lineno}: {node.value[:60]!r}")
    assert found == []


@pytest.mark.parametrize(("size", "text"), [(0, "0 bytes"), (1, "1 byte"), (1023, "1.023 bytes"), (5000, "4,9 KB"),
                                            (3_400_000, "3,2 MB")])
def test_file_sizes_never_say_0_kb(size, text):
    assert fmt.file_size(size) == text


@pytest.mark.parametrize(("raw", "shown"), [
    ("+5579965849015", "(79) 96584-9015"), ("11987654321", "(11) 98765-4321"), ("(49) 99912-3456", "(49) 99912-3456"),
    ("+1 650 253 0000", "+1 650-253-0000"), ("ligar à tarde", "ligar à tarde"), ("", ""), (None, ""),
])
def test_phones_in_national_format(raw, shown):
    assert shown_phone(raw) == shown


def test_tax_ids_are_formatted_for_display():
    from cobranca.core.taxid import format_tax_id

    assert format_tax_id("57953679000150") == "57.953.679/0001-50"


def test_contact_hours_summarised_by_runs_of_days():
    assert summarize_contact_hours(parse_contact_hours(DEFAULT_CONTACT_HOURS)) == "seg–sex 08:00–20:00; sáb 08:00–14:00"
    windows = {0: ((time(8), time(12)), (time(13), time(18))), 1: ((time(8), time(12)),), 6: ((time(10), time(11)),)}
    assert summarize_contact_hours(windows) == "seg 08:00–12:00, 13:00–18:00; ter 08:00–12:00; dom 10:00–11:00"
    assert summarize_contact_hours(None) == "sem restrição de horário"


@pytest.mark.parametrize(("value", "label"), [(0.0, "0"), (0.2, "0,2"), (1.0, "1"), (1500.0, "1.500"), (2.25, "2,25")])
def test_chart_ticks_in_pt_br(value, label):
    assert fmt_tick(value) == label


def test_the_two_sets_of_bands_are_named_and_the_list_uses_the_work_bands():
    assert [work_band(d) for d in (0, 1, 10, 11, 30, 31, 400)] == [
        "band-0", "band-1", "band-1", "band-2", "band-2", "band-3", "band-3"]
    assert [b.label for b in WORK_BANDS] == ["1–10 dias", "11–30 dias", "mais de 30 dias"]
    assert "faixas de vencimento: 1–30, 31–60, 61–90" in LEGEND


def test_results_terms_have_a_one_line_explanation():
    for label in ("DSO (prazo médio de recebimento) no fim do período", "CEI (eficiência de cobrança)"):
        assert explanation(label) and "\n" not in explanation(label)


def test_table_draws_only_the_chosen_columns_and_keeps_the_header_index_for_sorting():
    cells = display_frame(None)
    html = table_html(cells, [], 0, None, None, list(DECISION_COLUMNS))
    for column in DECISION_COLUMNS:
        assert f">{column}<" in html
    for column in OPTIONAL_COLUMNS:
        assert f">{column}<" not in html
    assert f'class="h{COLUMNS.index("Valor atualizado")} num"' in html


def test_cli_tables_wrap_between_words_and_never_cut_a_value():
    rows = [["Descrição", "Seleciona"], ["Promessas quebradas", "vencidas ou vencendo hoje, com promessa quebrada"],
            ["Promessas para hoje", "vencidas ou vencendo hoje, com promessa para hoje"]]
    lines = table_lines([[*r, "x"] for r in rows], max_width=40)
    text = "\n".join(lines)
    assert len(lines) == 5  # the header, then each long row on two lines
    assert "quebrada" in lines[2] and "para hoje" in lines[4]  # the two filters no longer look identical
    words = set(" ".join(" ".join(r) for r in rows).split())
    assert words <= set(text.split())  # every word whole
    assert all(len(line.split("  ")[0]) <= 40 for line in lines)


def test_a_word_longer_than_the_column_widens_it():
    lines = table_lines([["a", "b"], ["x" * 50, "y"]], max_width=40)
    assert "x" * 50 in lines[1]
