"""Error types: one base class whose subclasses carry a pt-BR message for the user."""

from __future__ import annotations

from dataclasses import dataclass

from .text import cut, noun


class CobrancaError(Exception):
    """Base of every error meant for the user; the message is pt-BR and shown as is."""

    exit_code = 2


class InputError(CobrancaError):
    """A value typed or passed by the user is not acceptable."""


class NotFoundError(InputError):
    """A named thing (receivable, filter, setting) does not exist."""


class AmbiguousError(InputError):
    """A name matches more than one thing; the message lists the candidates."""


class StoreBusyError(CobrancaError):
    """The database stayed locked by another process longer than the wait allowed."""

    exit_code = 1


class StoreUnavailableError(CobrancaError):
    """The database server could not be reached or refused the connection (the message names host and port)."""


class TemplateError(CobrancaError):
    """A message template does not parse or uses an unknown field."""


class SendError(CobrancaError):
    """A message could not be delivered; nothing was recorded."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One bad cell of an import file."""

    line: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"linha {self.line}")
        if self.column:
            where.append(f"coluna {self.column}")
        prefix = ", ".join(where)
        value = f"'{cut(self.value)}' " if self.value is not None else ""
        return f"{prefix}: {value}{self.message}" if prefix else f"{value}{self.message}"


class ImportFileError(CobrancaError):
    """An import file was rejected; `problems` lists every bad cell found."""

    def __init__(self, path: str, problems: list[Problem], summary: str | None = None):
        self.path = path
        self.problems = problems
        head = summary or (f"O arquivo {path} não foi importado: {len(problems)} "
                           f"{noun(len(problems), 'problema encontrado', 'problemas encontrados')}.")
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... e mais {len(problems) - 50} {noun(len(problems) - 50, 'problema', 'problemas')}." if len(problems) > 50 else ""
        super().__init__(f"{head}\n{shown}{more}" if problems else head)
