"""A re-import never erases what it does not carry: absent optional columns keep the stored values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cobranca import open_db
from cobranca.cli import main

FULL = ("Código Cliente;Cliente;CPF/CNPJ;Documento;Parcela;Emissão;Vencimento;Valor;Valor Pago;Data Pagamento;"
        "Celular;Telefone;E-mail;Histórico\n"
        "77;José Açúcar;898.168.483-92;NF-1;1;01/05/2020;01/06/2020;3.577,87;3.577,87;02/06/2020;"
        "(11) 98765-4321;(11) 3333-4444;jose@example.com;Venda balcão\n")
SHORT = "Cliente;Documento;Parcela;Vencimento;Valor\nJosé Açúcar;NF-1;1;01/06/2020;3.577,87\n"


def _stored(db) -> tuple:
    with db.store.session() as con:
        return con.execute(
            """SELECT r.issue_date, r.paid_amount, r.paid_date, r.description, c.mobile, c.phone, c.email, c.tax_id
               FROM receivables r JOIN customers c ON c.id = r.customer_id WHERE r.document = 'NF-1'""").fetchone()


def _events(db) -> int:
    with db.store.session() as con:
        return con.execute("SELECT count(*) FROM payment_events").fetchone()[0]


def test_reimport_without_paid_columns_keeps_the_payment(db_path, tmp_path):
    db = open_db(db_path)
    (tmp_path / "full.csv").write_text(FULL, encoding="utf-8")
    (tmp_path / "short.csv").write_text(SHORT.replace("José Açúcar", "José Açúcar"), encoding="utf-8")
    db.receivables.import_file(tmp_path / "full.csv")
    before, events = _stored(db), _events(db)
    assert before[1] == Decimal("3577.87")
    report = db.receivables.import_file(tmp_path / "short.csv", mapping=None)
    assert report.updated == 1 and report.inserted == 0
    assert _stored(db) == before  # paid amount, paid date, issue date, description, contacts: as stored
    assert _events(db) == events  # and no payment "reversal" recorded
    assert db.worklists.rows(as_of=date(2020, 7, 1)).empty  # still paid: never dunned again


def test_the_report_names_the_absent_optional_columns(db_path, tmp_path, capsys):
    (tmp_path / "short.csv").write_text(SHORT, encoding="utf-8")
    report = open_db(db_path).receivables.import_file(tmp_path / "short.csv")
    assert report.absent == ["Código Cliente", "CPF/CNPJ", "Emissão", "Valor Pago", "Data Pagamento", "Celular",
                             "Telefone", "E-mail", "Histórico", "Nosso Número"]
    assert main(["--db", str(tmp_path / "cli.duckdb"), "import", str(tmp_path / "short.csv")]) == 0
    out = capsys.readouterr()
    assert ("Colunas ausentes no arquivo (valores já gravados mantidos): Código Cliente, CPF/CNPJ, Emissão, "
            "Valor Pago, Data Pagamento, Celular, Telefone, E-mail, Histórico, Nosso Número.") in out.out + out.err


def test_a_present_column_with_an_empty_cell_sets_the_value_empty(db_path, tmp_path):
    db = open_db(db_path)
    (tmp_path / "full.csv").write_text(FULL, encoding="utf-8")
    db.receivables.import_file(tmp_path / "full.csv")
    emptied = FULL.replace("3.577,87;3.577,87;02/06/2020", "3.577,87;;").replace("Venda balcão", "")
    (tmp_path / "emptied.csv").write_text(emptied, encoding="utf-8")
    db.receivables.import_file(tmp_path / "emptied.csv")
    issue, paid, paid_date, description, *_ = _stored(db)
    assert (paid, paid_date, description) == (Decimal("0.00"), None, None)  # the export says: not paid (any more)
    assert issue == date(2020, 5, 1)


def test_a_new_receivable_without_paid_columns_is_open(db_path, tmp_path):
    db = open_db(db_path)
    (tmp_path / "short.csv").write_text(SHORT, encoding="utf-8")
    db.receivables.import_file(tmp_path / "short.csv")
    assert _stored(db)[1] == Decimal("0.00")


def test_the_dashboard_import_panel_names_the_absent_columns(db_path):
    from cobranca.dashboard import build_app

    db = open_db(db_path)
    board = build_app(db)
    board.importer.run_import(SHORT.encode(), "contas.csv", skip_invalid=False)
    assert "Colunas ausentes no arquivo (valores já gravados mantidos): Código Cliente, CPF/CNPJ" \
        in board.importer.report.value
