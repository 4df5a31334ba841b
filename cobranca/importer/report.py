"""What an import did (`ImportReport`): rows read, receivables inserted/updated, every skipped line and why."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..core import formatting as fmt
from ..core.errors import Problem
from ..report.sheet_safe import safe_row


def _n(value: int) -> str:
    return fmt.number(value, 0)


@dataclass
class ImportReport:
    """What an import did: rows read, receivables inserted/updated, rows skipped (with every problem) and warnings."""

    path: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped_rows: int = 0
    absent: list[str] = field(default_factory=list)  # optional columns the file did not have (pt-BR headers)
    keep: tuple[str, ...] = ()  # what the upsert keeps as stored because the file did not carry it

    def absent_text(self) -> str:
        """pt-BR note naming the optional columns the file lacked, or '' when it had them all."""
        if not self.absent:
            return ""
        return f"Colunas ausentes no arquivo (valores já gravados mantidos): {', '.join(self.absent)}."

    def summary(self) -> str:
        """One pt-BR sentence, e.g. 'contas.csv: 15 linha(s) lida(s); 12 conta(s) nova(s), 3 atualizada(s).'"""
        text = (
            f"{Path(self.path).name}: {_n(self.rows_read)} linha(s) lida(s); "
            f"{_n(self.inserted)} conta(s) nova(s), {_n(self.updated)} atualizada(s)."
        )
        if self.skipped_rows:
            text += f" {_n(self.skipped_rows)} linha(s) com erro ignorada(s)."
        return text

    def skipped_lines(self) -> dict[int, list[Problem]]:
        """Every skipped line (in file order) with all of its problems."""
        lines: dict[int, list[Problem]] = {}
        for problem in self.skipped:
            lines.setdefault(problem.line, []).append(problem)
        return lines

    def skipped_text(self) -> list[str]:
        """One pt-BR line per skipped file line with every reason: "linha 3, coluna Valor: 'abc' não é ...; ..."."""
        out = []
        for problems in self.skipped_lines().values():
            first, rest = str(problems[0]), problems[1:]
            out.append("; ".join([first, *(str(Problem(None, p.column, p.value, p.message)) for p in rest)]))
        return out

    def skipped_csv(self) -> bytes:
        """The skipped lines as a CSV a spreadsheet opens (Linha; Coluna; Valor; Problema), UTF-8 with BOM."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(safe_row(["Linha", "Coluna", "Valor", "Problema"]))
        for p in self.skipped:  # column names and values come from the file: never a formula in a spreadsheet
            writer.writerow(safe_row(["" if p.line is None else p.line, p.column or "", p.value or "", p.message]))
        return buffer.getvalue().encode("utf-8-sig")
