"""argparse's English messages in pt-BR: usage errors are translated before they are shown."""

from __future__ import annotations

import re

from ..core.text import SHOWN_CHARS

MAX_MESSAGE = 400

# argparse (3.11–3.13) builds its errors from these templates; each English template, as a regex, and its pt-BR text.
_MESSAGES = [
    (r"^argument COMANDO: invalid choice: (.*?) \(choose from (.*)\)$", r"comando inválido: \1 (comandos: \2)"),
    (r"^argument (.+?): ", r"argumento \1: "),
    (r"expected one argument$", "espera um valor"),
    (r"expected at most one argument$", "espera no máximo um valor"),
    (r"expected at least one argument$", "espera pelo menos um valor"),
    (r"expected 1 argument$", "espera 1 valor"),
    (r"expected (\d+) arguments$", r"espera \1 valores"),
    (r"invalid int value: (.*)$", r"número inteiro inválido: \1"),
    (r"invalid float value: (.*)$", r"número inválido: \1"),
    (r"invalid \w+ value: (.*)$", r"valor inválido: \1"),
    (r"invalid choice: (.*?) \(choose from (.*)\)$", r"opção inválida: \1 (escolha entre \2)"),
    (r"^the following arguments are required: ([^,]*)$", r"falta o argumento obrigatório: \1"),
    (r"^the following arguments are required: (.*)$", r"faltam os argumentos obrigatórios: \1"),
    (r"^unrecognized arguments: ([^ ]*)$", r"argumento não reconhecido: \1"),
    (r"^unrecognized arguments: (.*)$", r"argumentos não reconhecidos: \1"),
    (r"not allowed with argument (.*)$", r"não pode ser usado com o argumento \1"),
    (r"^one of the arguments (.*) is required$", r"informe um dos argumentos \1"),
    (r"^ambiguous option: (.*) could match (.*)$", r"opção ambígua: \1 pode ser \2"),
    (r"ignored explicit argument (.*)$", r"valor não esperado: \1"),
    (r"^unexpected option string: (.*)$", r"opção inesperada: \1"),
]
_COMPILED = [(re.compile(pattern, re.DOTALL), text) for pattern, text in _MESSAGES]
_QUOTED = re.compile("'([^']{" + str(SHOWN_CHARS + 1) + ",})'")


def translate(message: str) -> str:
    """`message` of an argparse error in pt-BR; quoted values longer than SHOWN_CHARS are cut."""
    for pattern, text in _COMPILED:
        message = pattern.sub(text, message)
    message = _QUOTED.sub(lambda m: f"'{m.group(1)[:SHOWN_CHARS]}…'", message)
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE] + "…"
