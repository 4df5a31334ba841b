"""Hostile input: property-based tests on every parser, hostile import files, SQL-looking text, header injection."""

from __future__ import annotations

import csv
import io
import operator
import random
import re
import zipfile
from datetime import date
from decimal import Decimal
from email import message_from_bytes
from email import policy as email_policy

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, assume, event, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from support.known import AS_OF

from cobranca import open_db
from cobranca import settings as settings_mod
from cobranca.contacting import mailer, templates
from cobranca.core import calendar as calendar_br
from cobranca.core import money, phones, taxid
from cobranca.core.errors import CobrancaError, ImportFileError, InputError, NotFoundError, TemplateError
from cobranca.core.formatting import brl, day, number
from cobranca.importer import headers
from cobranca.importer.headers import FIELDS
from cobranca.receivables.filters import CHANNELS, MAX_DAYS, Filter

FUZZ = hyp_settings(
    max_examples=300, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
FUZZ_DB = hyp_settings(FUZZ, max_examples=60)  # each example opens the DuckDB file a few times

HEADER = [f.header for f in FIELDS]
CPF = "898.168.483-92"
VALID_ROW = {
    "Código Cliente": "77", "Cliente": "José Açúcar", "CPF/CNPJ": CPF, "Documento": "9001", "Parcela": "1",
    "Emissão": "01/05/2020", "Vencimento": "01/06/2020", "Valor": "1.234,56", "Valor Pago": "0,00",
    "Data Pagamento": "", "Celular": "(11) 98765-4321", "Telefone": "", "E-mail": "jose@example.com",
    "Histórico": "Venda",
}

# -- hostile text ------------------------------------------------------------------------------------------
NASTY = [
    "", " ", "\x00", "\x00" * 10, "\ufeff", "\u202e", "\u200b", "\u00a0", "R$", "R$ ", "-", "--1", "+1", "1e999999999",
    "1E-999999999", "NaN", "sNaN", "-Infinity", "Infinity", "1_000", "١٢٣,٤٥", "１２３", "²", "0x10", "9" * 5000,
    "0" * 100_000, "1" * 4301, "{{", "{%", "%}", "}}", "{#", "{{ 7*7 }}", "'); DROP TABLE contacts; --", "%", "_",
    "\\", "\r\n", "\r", "\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "=1+1", "@SUM(1)", "\t=1",
    "a@b.com\r\nBcc: x@y.com", "(" * 3000, "[" * 3000, "<" * 3000, '"' * 3000, "31/02/2020", "00/00/0000",
    "2020-13-01", "29/02/2019", "9999-12-31", "0001-01-01", "01/01/10000", "000.000.000-00", "111.111.111-11",
    "+55 (49) 99912-3456", "Nome <a@b.com>", "a@b", "@", "a@[1.2.3.4]", "\ud800", "\udfff", "é" * 70_000,
]
SHORT_TEXT = st.one_of(
    st.text(),  # any code point but surrogates: control characters, NUL, combining marks, RTL ...
    st.text(st.characters(codec="utf-8", exclude_categories=()), max_size=50),
    st.text(st.one_of(st.characters(), st.characters(categories=["Cs"])), max_size=20),  # lone surrogates
    st.sampled_from([t for t in NASTY if len(t) < 1_000]),
    st.from_regex(r"\A[ R$\-+0-9.,e%]{0,24}\Z"),  # near-miss money and percentages
    st.from_regex(r"\A[0-9/\- :T.]{0,24}\Z"),  # near-miss dates and tax ids
    st.from_regex(r"\A[a-z0-9.@<>\"(), ;\[\]]{0,40}\Z"),  # near-miss e-mail addresses
)
TEXT = st.one_of(
    SHORT_TEXT,
    st.sampled_from(NASTY),
    st.builds(operator.mul, st.text(min_size=1, max_size=3), st.integers(1_000, 200_000)),  # huge strings
)
ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-(10**40), 10**40), st.floats(),
    st.decimals(), st.decimals(allow_nan=True, allow_infinity=True), TEXT,
)


def refused(exc: BaseException, *types: type[BaseException]) -> None:
    """The exception is one of the documented `types` and says something."""
    assert isinstance(exc, types), f"{type(exc).__name__}: {exc}"
    assert str(exc).strip()


# -- money -------------------------------------------------------------------------------------------------
@FUZZ
@given(TEXT)
def test_parse_money_returns_cents_or_value_error(text):
    try:
        value = money.parse_money(text)
    except ValueError as exc:
        assert type(exc) is ValueError and str(exc).strip()
    else:
        assert isinstance(value, Decimal) and value.is_finite()
        assert abs(value) <= money.MAX_AMOUNT and value.as_tuple().exponent >= -2


@FUZZ
@given(st.decimals(min_value=-money.MAX_AMOUNT, max_value=money.MAX_AMOUNT, places=2))
def test_money_formatted_pt_br_parses_back(amount):
    assert money.parse_money(brl(amount)) == amount  # R$ 1.234,56 / -R$ 1.234,56
    assert money.parse_money(number(amount, 2)) == amount  # 1.234,56
    assert money.parse_money(f"{amount:.2f}") == amount  # 1234.56
    assert money.parse_money(f"{amount:,.2f}") == amount  # 1,234.56


@FUZZ
@given(TEXT)
def test_parse_percent_returns_0_to_100_or_value_error(text):
    try:
        value = money.parse_percent(text)
    except ValueError as exc:
        assert type(exc) is ValueError and str(exc).strip()
    else:
        assert isinstance(value, Decimal) and value.is_finite() and 0 <= value <= 100


@FUZZ
@given(st.decimals(min_value=0, max_value=100, places=4))
def test_percent_round_trips_with_dot_or_comma(value):
    assert money.parse_percent(str(value)) == value
    assert money.parse_percent(str(value).replace(".", ",") + "%") == value


# -- dates -------------------------------------------------------------------------------------------------
@FUZZ
@given(TEXT)
def test_parse_date_returns_a_date_or_value_error(text):
    try:
        value = calendar_br.parse_date(text)
    except ValueError as exc:
        assert type(exc) is ValueError and str(exc).strip()
    else:
        assert isinstance(value, date)


@FUZZ
@given(st.dates(min_value=date(1000, 1, 1)))
def test_dates_round_trip_in_both_formats(value):
    assert calendar_br.parse_date(day(value)) == value  # 01/06/2020
    assert calendar_br.parse_date(value.isoformat()) == value  # 2020-06-01


# -- CPF / CNPJ --------------------------------------------------------------------------------------------
def _mod11(digits: str, weights: list[int]) -> str:
    rest = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return "0" if rest < 2 else str(11 - rest)


def with_cpf_check_digits(base: str) -> str:
    first = _mod11(base, list(range(10, 1, -1)))
    return base + first + _mod11(base + first, list(range(11, 1, -1)))


def with_cnpj_check_digits(base: str) -> str:
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    first = _mod11(base, weights)
    return base + first + _mod11(base + first, [6, *weights])


@FUZZ
@given(TEXT)
def test_parse_tax_id_returns_valid_ascii_digits_or_value_error(text):
    try:
        digits = taxid.parse_tax_id(text)
    except ValueError as exc:
        assert type(exc) is ValueError and str(exc).strip()
    else:
        assert re.fullmatch(r"[0-9]{11}|[0-9]{14}", digits)
        assert taxid.is_valid_cpf(digits) or taxid.is_valid_cnpj(digits)


@FUZZ
@given(st.text("0123456789", min_size=9, max_size=9), st.integers(1, 9))
def test_generated_cpf_validates_and_a_wrong_check_digit_does_not(base, delta):
    assume(len(set(base)) > 1)
    cpf = with_cpf_check_digits(base)
    assert taxid.is_valid_cpf(cpf)
    assert taxid.parse_tax_id(cpf) == cpf
    assert taxid.parse_tax_id(taxid.format_tax_id(cpf)) == cpf
    assert taxid.parse_tax_id(taxid.pad_numeric_tax_id(str(int(cpf)))) == cpf  # leading zeros a spreadsheet lost
    wrong = cpf[:10] + str((int(cpf[10]) + delta) % 10)
    with pytest.raises(ValueError, match="CPF"):
        taxid.parse_tax_id(wrong)


@FUZZ
@given(st.text("0123456789", min_size=12, max_size=12), st.integers(1, 9))
def test_generated_cnpj_validates_and_a_wrong_check_digit_does_not(base, delta):
    assume(len(set(base)) > 1)
    cnpj = with_cnpj_check_digits(base)
    assert taxid.is_valid_cnpj(cnpj)
    assert taxid.parse_tax_id(taxid.format_tax_id(cnpj)) == cnpj
    wrong = cnpj[:13] + str((int(cnpj[13]) + delta) % 10)
    with pytest.raises(ValueError, match="CNPJ"):
        taxid.parse_tax_id(wrong)


# -- phones ------------------------------------------------------------------------------------------------
@FUZZ
@given(ANY_VALUE)
def test_normalize_mobile_never_raises(value):
    check = phones.normalize_mobile(value)
    assert isinstance(check, phones.PhoneCheck)
    if check.e164 is not None:
        assert re.fullmatch(r"\+[1-9][0-9]{6,14}", check.e164)
    if check.ok:
        assert check.e164.startswith("+55")
    else:
        assert check.warning and check.warning.strip()
        assert len(check.warning) < 500  # the text is quoted, but never a huge input


@FUZZ
@given(st.sampled_from(["11", "21", "31", "41", "47", "49", "51", "61", "71", "81", "85", "91"]),
       st.text("0123456789", min_size=8, max_size=8))
def test_one_mobile_in_every_format_normalises_the_same(ddd, rest):
    number_ = "9" + rest
    forms = [f"({ddd}) {number_[:5]}-{number_[5:]}", f"0{ddd} {number_[:5]} {number_[5:]}",
             f"+55 {ddd} {number_[:5]}-{number_[5:]}", f"{ddd}{number_}", f"55{ddd}{number_}"]
    checks = {phones.normalize_mobile(form) for form in forms}
    assert len(checks) == 1
    check = checks.pop()
    if check.e164 is not None:
        assert check.e164 == f"+55{ddd}{number_}"


# -- e-mail ------------------------------------------------------------------------------------------------
@FUZZ
@given(TEXT)
def test_valid_address_returns_one_clean_address_or_input_error(text):
    try:
        address = mailer.valid_address(text)
    except InputError as exc:
        refused(exc, InputError)
    else:
        assert address.count("@") == 1 and not re.search(r"\s", address)


@FUZZ
@given(TEXT)
def test_parse_recipients_returns_addresses_or_input_error(text):
    try:
        addresses = mailer.parse_recipients(text)
    except InputError as exc:
        refused(exc, InputError)
    else:
        assert 1 <= len(addresses) <= mailer.MAX_RECIPIENTS
        assert all(a.count("@") == 1 and not re.search(r"\s", a) for a in addresses)


@FUZZ
@given(to=st.one_of(TEXT, st.just("cliente@example.com")), subject=TEXT, body=TEXT,
       reply_to=st.one_of(st.none(), TEXT))
def test_build_message_never_lets_text_add_a_header(to, subject, body, reply_to):
    try:
        link = mailer.mailto_link(to, subject, body)
        assert link.startswith("mailto:") and not re.search(r"\s", link)
    except InputError as exc:
        refused(exc, InputError)
    try:
        message = mailer.build_message("Empresa <cobranca@empresa.com.br>", to, subject, body, reply_to)
        raw = message.as_bytes()
    except InputError as exc:
        refused(exc, InputError)
        return
    parsed = message_from_bytes(raw, policy=email_policy.default)
    names = [name.lower() for name in parsed.keys()]
    expected = {"from", "to", "subject", "date", "message-id", "content-type", "content-transfer-encoding",
                "mime-version"} | ({"reply-to"} if "reply-to" in names else set())
    assert sorted(names) == sorted(expected), names
    if "=?" not in subject:  # literal encoded-word text is decoded by any reader; it still is one header
        assert parsed["Subject"] == subject.strip()


@pytest.mark.parametrize("brk", ["\r\n", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])
@pytest.mark.parametrize("where", ["subject", "to", "sender", "reply_to"])
def test_line_break_in_any_header_value_is_refused(brk, where):
    values = {"sender": "cobranca@empresa.com.br", "to": "cliente@example.com", "subject": "Lembrete",
              "reply_to": "financeiro@empresa.com.br"}
    values[where] += f"{brk}Bcc: vitima@example.com"
    with pytest.raises(InputError, match="quebra de linha"):
        mailer.build_message(values["sender"], values["to"], values["subject"], "Texto", values["reply_to"])


def test_control_character_in_subject_is_refused():
    with pytest.raises(InputError, match="controle"):
        mailer.build_message("cobranca@empresa.com.br", "cliente@example.com", "Lembrete\x00", "Texto")


# -- filters -----------------------------------------------------------------------------------------------
@FUZZ
@given(description=st.one_of(st.just("Meu filtro"), TEXT, ANY_VALUE), due_today=st.booleans(),
       min_days=ANY_VALUE, max_days=ANY_VALUE, channel=st.one_of(st.sampled_from(CHANNELS), TEXT, ANY_VALUE),
       min_balance=ANY_VALUE, max_balance=ANY_VALUE, customer_search=st.one_of(st.none(), TEXT, ANY_VALUE))
def test_filter_validation_accepts_or_names_the_problem(description, due_today, min_days, max_days, channel,
                                                        min_balance, max_balance, customer_search):
    flt = Filter(description=description, due_today=due_today, min_days=min_days, max_days=max_days,
                 channel=channel, min_balance=min_balance, max_balance=max_balance, customer_search=customer_search)
    try:
        ok = flt.validated()
    except InputError as exc:
        refused(exc, InputError)
        return
    assert 1 <= len(ok.description) <= 100
    assert ok.description.encode("utf-8") and (ok.customer_search or "").encode("utf-8") is not None  # storable
    assert 0 <= ok.min_days <= ok.max_days <= MAX_DAYS
    assert ok.channel in CHANNELS
    for amount in (ok.min_balance, ok.max_balance):
        assert amount is None or (isinstance(amount, Decimal) and amount.is_finite() and 0 <= amount <= money.MAX_AMOUNT)
    assert ok.validated() == ok  # idempotent
    assert ok.describe().strip()


@FUZZ
@given(st.integers(0, MAX_DAYS), st.integers(0, MAX_DAYS),
       st.decimals(min_value=0, max_value=money.MAX_AMOUNT, places=2))
def test_filter_accepts_pt_br_money_text_and_day_text(low, high, amount):
    low, high = min(low, high), max(low, high)
    ok = Filter(description="F", min_days=str(low), max_days=str(high), channel="whatsapp",
                min_balance=number(amount, 2), max_balance=brl(amount)).validated()
    assert (ok.min_days, ok.max_days, ok.channel) == (low, high, "WhatsApp")
    assert ok.min_balance == amount == ok.max_balance


# -- settings ----------------------------------------------------------------------------------------------
@FUZZ
@given(st.sampled_from(sorted(settings_mod.SETTINGS)), TEXT)
def test_every_setting_accepts_or_refuses_with_input_error(key, text):
    try:
        value = settings_mod.parse_setting(key, text)
    except InputError as exc:
        refused(exc, InputError)
        assert key in str(exc)
        return
    settings_mod.warning_for(key, text)  # an accepted value never makes the warning fail
    assert settings_mod.parse_setting(key, str(value)) == value  # what is stored parses back the same


@FUZZ
@given(TEXT)
def test_unknown_setting_is_not_found(key):
    assume(key not in settings_mod.SETTINGS)
    with pytest.raises(NotFoundError):
        settings_mod.parse_setting(key, "1")


def test_lone_surrogates_are_refused_before_reaching_the_database(db):
    before = db.receivables.counts()
    with pytest.raises(InputError, match="caracteres inválidos"):
        db.filters.add(description="Filtro \udcff")  # what a Latin-1 byte on a UTF-8 command line becomes
    with pytest.raises(InputError, match="caracteres inválidos"):
        db.filters.add(description="Filtro", customer_search="Jos\udce9")
    with pytest.raises(InputError, match="caracteres inválidos"):
        db.settings.set("company_name", "Empresa \ud800")
    with pytest.raises(InputError, match="caracteres inválidos"):
        mailer.build_message("cobranca@empresa.com.br", "cliente@example.com", "Assunto", "Texto \ud800")
    assert db.receivables.counts() == before and db.settings.all()["company_name"] == "Minha Empresa Ltda"


def test_every_default_setting_parses():
    typed = settings_mod.typed({})
    assert set(typed) == set(settings_mod.SETTINGS)


# -- templates ---------------------------------------------------------------------------------------------
TEMPLATE_TOKENS = st.sampled_from([
    "{{", "}}", "{%", "%}", "{#", "#}", " if ", " for ", " in ", " endif ", " endfor ", " else ", " set ", "=",
    "cliente", "documento", "dias_atraso", "valor", "contas", "total", "c", "c.valor", "x", "__class__", "_x",
    "(", ")", "[", "]", ".", "|", "length", "upper", "format", "join", "center", "indent", "range", "lipsum",
    "*", "**", "+", "-", "/", "0", "1", "9", "64", "1000", "99999999", "'", '"', "a", " ", "\n", ",", ":",
    "%s", "~", "attr", "self", "cycler", "namespace", "loop", "super", "caller", "\x00", "é",
])
TEMPLATE_TEXT = st.one_of(TEXT, st.lists(TEMPLATE_TOKENS, max_size=40).map("".join))


@FUZZ
@given(TEMPLATE_TEXT, st.sampled_from(["receivable", "customer"]))
def test_validate_template_passes_or_raises_template_error(text, kind):
    try:
        templates.validate_template(text, kind, "template_whatsapp")
    except TemplateError as exc:
        refused(exc, TemplateError)
        return
    row = {"customer": "Ana", "document": "1", "installment": "1", "due_date": date(2020, 6, 1),
           "days_overdue": 7, "balance": Decimal("10.00"), "fine": Decimal("0.20"), "interest": Decimal("0.02"),
           "updated_amount": Decimal("10.22"), "customer_id": 1}
    key = "template_customer_whatsapp" if kind == "customer" else "template_whatsapp"
    try:
        if kind == "customer":
            rendered = templates.render_for_customer([row], "WhatsApp", {key: text}, "Bia")
        else:
            rendered = templates.render_for_receivable(row, "WhatsApp", {key: text}, "Bia")
    except TemplateError as exc:
        refused(exc, TemplateError)
        return
    assert len(rendered.body) <= templates.MAX_OUTPUT_CHARS


@FUZZ
@given(SHORT_TEXT)
def test_customer_text_is_never_run_as_a_template(name):
    row = {"customer": name, "document": "{{ 7*7 }}", "installment": "{% for x in range(9) %}x{% endfor %}",
           "due_date": date(2020, 6, 1), "days_overdue": 7, "balance": Decimal("10.00"), "fine": Decimal("0.20"),
           "interest": Decimal("0.02"), "updated_amount": Decimal("10.22")}
    body = templates.render_for_receivable(row, "WhatsApp", {"template_whatsapp": "{{ documento }}|{{ parcela }}|{{ cliente }}"}, "Bia").body
    assert body.startswith("{{ 7*7 }}|{% for x in range(9) %}x{% endfor %}|")


# -- header matching ---------------------------------------------------------------------------------------
@FUZZ
@given(st.lists(TEXT, max_size=20), st.dictionaries(TEXT, st.one_of(TEXT, st.sampled_from(HEADER)), max_size=4))
def test_match_columns_returns_a_match_or_input_error(header, mapping):
    try:
        match = headers.match_columns(header, mapping)
    except InputError as exc:
        refused(exc, InputError)
        assert len(str(exc)) < 5_000
        return
    assert all(0 <= pos < len(header) for pos in match.positions.values())
    assert len(set(match.positions.values())) == len(match.positions)
    for problem in match.problems:
        assert str(problem).strip() and len(problem.message) < 5_000  # a huge header is not echoed whole
    if not match.problems:
        assert {f.name for f in FIELDS if f.required} <= set(match.positions)


@FUZZ
@given(st.permutations(FIELDS), st.lists(st.sampled_from([str.upper, str.lower, str.title, lambda s: f"  {s} "]),
                                         min_size=len(FIELDS), max_size=len(FIELDS)))
def test_pt_br_headers_match_in_any_order_and_case(fields, styles):
    header = [style(f.header) for f, style in zip(fields, styles, strict=True)]
    match = headers.match_columns(header)
    assert match.problems == [] and match.ignored == []
    assert match.positions == {f.name: pos for pos, f in enumerate(fields)}


# -- hostile files through the importer --------------------------------------------------------------------
@pytest.fixture(scope="module")
def shared_db(tmp_path_factory):
    """One database for fuzzed imports (hypothesis cannot use function-scoped fixtures)."""
    cob = open_db(tmp_path_factory.mktemp("fuzz") / "cobranca.duckdb")
    cob.receivables.import_bytes(csv_of([VALID_ROW]), "base.csv")
    return cob


def csv_of(rows: list[dict], header: list[str] = HEADER, sep: str = ";", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep)  # CRLF: the csv module quotes a lone CR only then
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(h, "") for h in header])
    return buffer.getvalue().encode(encoding, "surrogatepass")  # a lone surrogate becomes bytes no codec reads


def refused_import(db, data: bytes, name: str = "contas.csv", via_file=None) -> CobrancaError:
    """Import must fail with a pt-BR CobrancaError and leave the database exactly as it was."""
    before = db.receivables.counts()
    with pytest.raises(CobrancaError) as info:
        if via_file is not None:
            via_file.write_bytes(data)
            db.receivables.import_file(via_file)
        else:
            db.receivables.import_bytes(data, name)
    assert db.receivables.counts() == before
    refused(info.value, ImportFileError, InputError)
    assert "não" in str(info.value)  # pt-BR: 'não foi importado', 'não foi possível', 'não encontrado'
    assert len(str(info.value)) < 20_000
    return info.value


@FUZZ_DB
@given(st.binary(max_size=5_000), st.sampled_from(["contas.csv", "contas.xlsx", "contas.parquet", "contas.txt"]))
def test_random_bytes_never_crash_the_import(shared_db, data, name):
    before = shared_db.receivables.counts()
    try:
        shared_db.receivables.import_bytes(data, name)
    except CobrancaError as exc:
        event(f"refused: {type(exc).__name__}")
        refused(exc, ImportFileError, InputError)
        assert shared_db.receivables.counts() == before
    else:
        event("imported")


CELL = st.one_of(SHORT_TEXT, st.sampled_from(list(VALID_ROW.values())),
                 st.builds(operator.mul, st.sampled_from(["a", "9", "é "]), st.integers(1_990, 2_010)))


@FUZZ_DB
@given(st.lists(st.fixed_dictionaries({h: st.one_of(st.just(v), CELL) for h, v in VALID_ROW.items()}),
                min_size=1, max_size=5),
       st.sampled_from([";", ",", "\t"]))
def test_hostile_cells_import_or_are_all_refused(shared_db, rows, sep):
    for i, r in enumerate(rows):
        r.setdefault("Documento", f"h{i}")
    data = csv_of(rows, sep=sep)
    before = shared_db.receivables.counts()
    try:
        shared_db.receivables.import_bytes(data, "contas.csv")
    except CobrancaError as exc:
        event(f"refused: {type(exc).__name__}")
        refused(exc, ImportFileError, InputError)
        assert shared_db.receivables.counts() == before
        assert len(str(exc)) < 40_000
        return
    event("imported")
    frame = shared_db.worklists.rows(Filter(description="tudo", min_days=0), as_of=date(2100, 12, 31))
    for column in ("customer", "document", "description", "email", "mobile"):
        texts = [t for t in frame[column] if isinstance(t, str)]
        assert not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", t) for t in texts)


@pytest.fixture
def db(db_path):
    """A database holding one imported receivable (overrides conftest's to start from an import)."""
    cob = open_db(db_path)
    cob.receivables.import_bytes(csv_of([VALID_ROW]), "base.csv")
    return cob


def test_empty_file(db, tmp_path):
    for data in (b"", b"   \n\r\n\t\n"):
        assert "vazio" in str(refused_import(db, data, via_file=tmp_path / "vazio.csv"))


def test_header_only(db):
    assert "só o cabeçalho" in str(refused_import(db, (";".join(HEADER) + "\n").encode()))
    assert "só o cabeçalho" in str(refused_import(db, (";".join(HEADER) + "\n;;;;\n\n").encode()))


@pytest.mark.parametrize("seed", range(8))
def test_random_bytes(db, seed, tmp_path):
    rnd = random.Random(seed)
    data = bytes(rnd.randrange(256) for _ in range(rnd.choice([10, 1_000, 100_000])))
    for name in ("contas.csv", "contas.xlsx", "contas.parquet"):
        refused_import(db, data, via_file=tmp_path / name)


@pytest.mark.parametrize("seed", range(4))
def test_random_csv_like_text(db, seed):
    rnd = random.Random(seed)
    data = "".join(rnd.choice('ab;,\t"\r\n 0123456789/.') for _ in range(20_000)).encode()
    refused_import(db, data)


def test_ten_megabyte_single_field(db):
    assert "cabeçalho" in str(refused_import(db, b"A" * 10_000_000))


def test_ten_megabyte_cell_is_refused_and_not_echoed(db):
    err = refused_import(db, csv_of([{**VALID_ROW, "Cliente": "A" * 10_000_000}]))
    assert "longo demais (10000000 caracteres" in str(err) and "linha 2, coluna Cliente" in str(err)


def test_huge_header_list_is_not_echoed_whole(db):
    header = [f"coluna_{i}_" + "x" * 500 for i in range(2_000)]
    err = refused_import(db, (";".join(header) + "\n" + ";" * 1999 + "\n").encode())
    assert "faltam as colunas obrigatórias" in str(err) and "e mais 1970" in str(err)


def test_utf16_without_bom(db):
    data = csv_of([VALID_ROW], encoding="utf-16-le")
    assert "UTF-16" in str(refused_import(db, data))


def test_latin1_bytes_are_read_as_windows_1252(db):
    row = {**VALID_ROW, "Documento": "L1", "Cliente": "Conceição Ângela Müller", "Histórico": "Pagto € “aspas” – ok"}
    data = csv_of([row], encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = db.receivables.import_bytes(data, "contas.csv")
    assert report.inserted == 1
    frame = db.worklists.rows(as_of=date(2030, 1, 1))
    got = frame[frame["document"] == "L1"].iloc[0]
    assert got["customer"] == "Conceição Ângela Müller" and got["description"] == "Pagto € “aspas” – ok"


def test_bytes_undecodable_as_utf8_and_windows_1252(db):
    data = csv_of([VALID_ROW], encoding="cp1252") + b"\x81\x8d\x8f\x90\x9d\n"  # undefined in both
    assert "Windows-1252" in str(refused_import(db, data))


def test_csv_with_nul_bytes(db):
    data = csv_of([VALID_ROW]).replace(b"Venda", b"Ven\x00da")
    assert "bytes nulos" in str(refused_import(db, data))


def test_classic_mac_line_ends_import(db):
    data = csv_of([{**VALID_ROW, "Documento": "CR1"}, {**VALID_ROW, "Documento": "CR2"}]).replace(b"\n", b"\r")
    assert db.receivables.import_bytes(data, "contas.csv").inserted == 2


def test_header_cell_longer_than_the_csv_field_limit(db):
    data = (";".join(HEADER) + ";" + "B" * 200_000 + "\n").encode() + csv_of([VALID_ROW]).split(b"\n", 1)[1]
    assert "cabeçalho não pôde ser lido" in str(refused_import(db, data))


def test_one_bad_row_at_the_end_of_100k_rows(db, tmp_path):
    good = ";".join(VALID_ROW.values())
    lines = [";".join(HEADER)] + [good.replace(";9001;", f";B{i};", 1) for i in range(99_999)]
    lines.append(good.replace(";9001;", ";LAST;", 1).replace("01/06/2020", "31/02/2020"))
    err = refused_import(db, ("\n".join(lines) + "\n").encode(), via_file=tmp_path / "grande.csv")
    assert len(err.problems) == 1
    assert err.problems[0].line == 100_001 and err.problems[0].column == "Vencimento"
    assert "linha 100001, coluna Vencimento: '31/02/2020' não é uma data válida" in str(err)
    assert "Nada foi gravado" in str(err)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("files", [
    {"leia-me.txt": b"nada aqui"},
    {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"},  # a .docx
    {"xl/workbook.xml": b"<workbook>"},  # broken workbook
])
def test_xlsx_that_is_a_zip_of_something_else(db, files, tmp_path):
    assert ".xlsx válido" in str(refused_import(db, _zip(files), via_file=tmp_path / "contas.xlsx"))


def test_xlsx_damaged_after_the_header(db):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for i in range(300):
        book.active.append([*VALID_ROW.values()][:3] + [f"X{i}"] + [*VALID_ROW.values()][4:])
    buffer = io.BytesIO()
    book.save(buffer)
    original = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    files = {item: original.read(item) for item in original.namelist()}
    sheet = files["xl/worksheets/sheet1.xml"]
    files["xl/worksheets/sheet1.xml"] = sheet[: len(sheet) // 2]
    assert "danificada" in str(refused_import(db, _zip(files), "contas.xlsx"))


def _parquet(columns: dict) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.table(columns), buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("amount, due", [
    (pa.array([[1, 2]]), pa.array([True])),
    (pa.array([{"reais": 10}]), pa.array([20200601], pa.int64())),
    (pa.array([b"\x00\xff"], pa.binary()), pa.array([1.5])),
    (pa.array([Decimal("1" * 30)], pa.decimal128(38, 0)), pa.array([date(2020, 6, 1)])),
    (pa.array([float("inf")]), pa.array([[date(2020, 6, 1)]])),
])
def test_parquet_with_wrong_column_types(db, amount, due):
    data = _parquet({"Cliente": ["Ana"], "Documento": ["P1"], "Valor": amount, "Vencimento": due})
    err = refused_import(db, data, "contas.parquet")
    assert "coluna Valor" in str(err) or "coluna Vencimento" in str(err)


def test_parquet_dates_python_cannot_hold(db):
    data = _parquet({"Cliente": ["Ana"], "Documento": ["P1"], "Valor": ["10"],
                     "Vencimento": pa.array([2**31 - 1], pa.date32())})
    assert "linha 2" in str(refused_import(db, data, "contas.parquet"))


def test_parquet_with_damaged_pages(db):
    size = 2_000
    data = bytearray(_parquet({"Cliente": [f"Cliente {i}" for i in range(size)], "Documento": [str(i) for i in range(size)],
                               "Valor": ["10"] * size, "Vencimento": ["01/06/2020"] * size}))
    for i in range(100, len(data) // 2, 7):
        data[i] ^= 0xFF
    refused_import(db, bytes(data), "contas.parquet")


def test_control_characters_in_cells_are_refused(db):
    data = _parquet({"Cliente": ["Ana\x00\x1b[31m"], "Documento": ["P1"], "Valor": ["10"], "Vencimento": ["01/06/2020"]})
    err = refused_import(db, data, "contas.parquet")
    assert "caracteres de controle" in str(err) and "\x00" not in str(err) and "\\x1b" in str(err)


def test_missing_file_and_folder(db, tmp_path):
    with pytest.raises(InputError, match="não encontrado"):
        db.receivables.import_file(tmp_path / "nao_existe.csv")
    with pytest.raises(InputError, match="pasta"):
        db.receivables.import_file(tmp_path)


# -- SQL-looking customer text -----------------------------------------------------------------------------
SQLISH = {
    "S1": "'); DROP TABLE contacts; --",
    "S2": "Loja 100% Natural",
    "S3": "Loja 100 Natural",
    "S4": "A_B Comércio",
    "S5": "AxB Comércio",
    "S6": "Barra \\ Invertida \\\\ e \\%",
    "S7": 'Aspas "duplas" e \'simples\'; ponto e vírgula',
    "S8": "Robert'); DELETE FROM receivables WHERE ('1'='1",
}


def test_sql_looking_text_is_stored_and_returned_as_typed(db):
    rows = [{**VALID_ROW, "Código Cliente": doc, "Documento": doc, "Cliente": name, "CPF/CNPJ": "",
             "Histórico": name, "E-mail": name} for doc, name in SQLISH.items()]
    before = db.receivables.counts()
    assert db.receivables.import_bytes(csv_of(rows), "contas.csv").inserted == len(SQLISH)
    after = db.receivables.counts()
    assert after["receivables"] == before["receivables"] + len(SQLISH) and after["contacts"] == before["contacts"]
    frame = db.worklists.rows(as_of=AS_OF)
    for doc, name in SQLISH.items():
        got = frame[frame["document"] == doc].iloc[0]
        assert (got["customer"], got["description"], got["email"]) == (name, name, name)
    db.contacts.register_one("S1", "1", "Telefone", observation=SQLISH["S8"], by=SQLISH["S1"])
    history = db.contacts.history("S1", "1")
    assert (history.iloc[0]["observation"], history.iloc[0]["responsible"]) == (SQLISH["S8"], SQLISH["S1"])


@pytest.mark.parametrize("search, expected", [
    ("%", {"S2", "S6"}),
    ("_", {"S4"}),
    ("\\", {"S6"}),
    ("\\%", {"S6"}),
    ("100%", {"S2"}),
    ("100 n", {"S3"}),
    ("a_b", {"S4"}),
    ("'); drop", {"S1"}),
    ("'1'='1", {"S8"}),
    ('"duplas"', {"S7"}),
    ("%%%", set()),
])
def test_customer_search_treats_wildcards_literally(db, search, expected):
    rows = [{**VALID_ROW, "Código Cliente": doc, "Documento": doc, "Cliente": name, "CPF/CNPJ": ""}
            for doc, name in SQLISH.items()]
    db.receivables.import_bytes(csv_of(rows), "contas.csv")
    flt = Filter(description="busca", min_days=0, customer_search=search)
    found = set(db.worklists.rows(flt, as_of=AS_OF)["document"]) - {"9001"}
    assert found == expected
    saved = db.filters.add(flt)
    assert db.filters.get("busca").customer_search == search.strip() == saved.customer_search
