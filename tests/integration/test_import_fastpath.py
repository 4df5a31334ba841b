"""The import's happy path (importer/fastpath.py): a clean file gives exactly the rows the full path gives, and
every file the full path finds a problem in (or an ambiguous amount) is left to the full path."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest

from cobranca.importer import _staging, fastpath, reading, validation
from cobranca.importer.headers import FIELDS

HEADER = ";".join(f.header for f in FIELDS)
CLEAN = [
    "77;José Açúcar;898.168.483-92;D1;1;01/05/2020;01/06/2020;1.234,56;0,00;;(11) 98765-4321;;jose@example.com;Venda",
    ";Łukasz ’Ferreira’;;D2;02;2020-05-01;2020-06-01;R$ 10,00;10,00;2020-06-02;;;;",
    "  78 ;  Ana  Maria ;11.444.777/0001-61;D3; 3 ; 01/05/2020 ;1/6/2020; 1234.5 ; ;;;(11) 3333-4444;;\u00a0x\u00a0",
    "79;ÁGUA   Viva;;D1;2;;01/06/2020 00:00;12345;;;;;;",
    '80;"Cliente; com ponto e vírgula";;D4;1;;01/06/2020;99,9;1,5;;;;;"duas\nlinhas"',
]
BAD = [
    "81;Sem Valor;;D9;1;;01/06/2020;;;;;;;",  # required amount empty
    "81;Data Ruim;;D9;1;;32/13/2020;1,00;;;;;;",  # invalid date
    "81;Doc Ruim;111.111.111-11;D9;1;;01/06/2020;1,00;;;;;;",  # bad CPF
    "81;Zero;;D9;1;;01/06/2020;0,00;;;;;;",  # amount must be > 0
    "81;Pago demais;;D9;1;;01/06/2020;1,00;2,00;;;;;",  # paid more than the amount
    "81;Ambíguo;;D9;1;;01/06/2020;1.234;;;;;;",  # ambiguous alone in its column
    "81;Controle;;D9;1;;01/06/2020;1,00;;;;;;a\x01b",  # control character
    "81;Campos a mais;;D9;1;;01/06/2020;1,00;;;;;;x;y;z",  # more fields than the header
    "81;Repetido;;D1;1;;01/06/2020;1,00;;;;;;",  # D1 installment 1 already on the first line
    "81;Longo;;D9;1;;01/06/2020;1,00;;;;;;" + "x" * 2001,  # too long
]


def _both(lines: list[str]):
    """(fast path's rows or None, full path's (rows, problems)) of one CSV."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "f.csv"
        path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
        with _staging(work) as con:
            staged = reading.stage_csv(con, path, "f.csv", work, None, None)
            validation.prepare_cells(con, staged)
            fast = fastpath.clean_rows(con, staged)
            validation.build_checked(con, staged)
            validation.build_problems(con, staged)
            problems, _bad = validation.problem_list(con, staged)
            return fast, validation.good_rows(con), problems


def test_a_clean_file_gives_the_full_paths_rows_column_for_column():
    fast, full, problems = _both(CLEAN)
    assert problems == []
    assert fast is not None and fast.num_rows == len(CLEAN)
    assert fast.schema == full.schema
    assert fast.to_pylist() == full.to_pylist()


@pytest.mark.parametrize("bad", BAD, ids=range(len(BAD)))
def test_a_row_the_full_path_refuses_sends_the_file_to_the_full_path(bad):
    fast, _full, problems = _both([*CLEAN, bad])
    assert fast is None
    assert problems or "1.234" in bad  # the ambiguous amount: the full path reads it in its column's convention


def test_random_files_agree_with_the_full_path():
    """Mixtures of clean and bad rows: the fast path answers only when the full path finds nothing, and then
    the same rows."""
    rng = random.Random(22)
    for _ in range(12):
        lines = rng.sample(CLEAN, rng.randint(1, len(CLEAN)))
        if rng.random() < 0.5:
            lines.append(rng.choice(BAD))
        fast, full, problems = _both(lines)
        if problems:
            assert fast is None
        elif fast is not None:
            assert fast.to_pylist() == full.to_pylist()
