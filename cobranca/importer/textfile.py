"""CSV bytes made ready for DuckDB's reader: encoding checked, Windows-1252/UTF-16 transcoded, blank lines kept.

One streaming pass reads the file in blocks: it looks for NUL bytes, checks that the text is UTF-8 and counts
line breaks (the progress total). DuckDB reads UTF-8 only, and its latin-1 differs from Windows-1252 at
0x80–0x9F (“ ” € …), so other encodings are transcoded to a UTF-8 copy in a second streaming pass.
DuckDB drops blank lines, which would shift every later line number: when DuckDB read fewer rows than the
file has lines, `has_inner_blank_lines` looks, and such lines get one space (outside quoted values).
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import ImportFileError, Problem

BLOCK = 8 << 20
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def rejected(name: str, message: str, line: int | None = None) -> ImportFileError:
    """The whole file is refused with one problem (nothing was read into the database)."""
    return ImportFileError(name, [Problem(line, None, None, message)], summary=f"O arquivo {name} não foi importado.")


@dataclass
class TextFile:
    """A UTF-8 CSV DuckDB can read, and what the scan learnt about it."""

    path: Path  # the original file or a transcoded copy
    line_breaks: int  # physical line breaks: the progress total, and a check that DuckDB kept every line
    ends_with_break: bool = True
    encoding: str = "utf-8"  # of the original file
    rewritten: bool = False  # blank lines already given a space


@dataclass
class _Scan:
    nul: bool = False
    utf8: bool = True
    line_breaks: int = 0
    ends_with_break: bool = True
    content: bool = False


def _scan(path: Path) -> _Scan:
    """NUL bytes, UTF-8 validity and line breaks, block by block (each test runs at memory speed)."""
    scan = _Scan()
    decoder = codecs.getincrementaldecoder("utf-8")()
    crs = 0
    last = b""
    with path.open("rb") as stream:
        while block := stream.read(BLOCK):
            if not scan.nul and b"\x00" in block:
                scan.nul = True
            if scan.utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    scan.utf8 = False
            scan.line_breaks += block.count(b"\n")
            if not scan.line_breaks:
                crs += block.count(b"\r")
            if not scan.content and block.strip():
                scan.content = True
            last = block[-1:]
    if scan.utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            scan.utf8 = False
    if not scan.line_breaks:
        scan.line_breaks = crs  # old Mac files end lines with CR alone
    scan.ends_with_break = last in (b"\n", b"\r")
    return scan


def has_inner_blank_lines(path: Path) -> bool:
    """True when a blank line has data after it (DuckDB would drop it and shift the later line numbers)."""
    last_blank = last_content = -1
    offset = 0
    tail = b""
    with path.open("rb") as stream:
        while block := stream.read(BLOCK):
            joined = tail + block
            if offset == 0 and block[:1] in (b"\n", b"\r"):
                last_blank = 0
            for pattern in (b"\n\n", b"\r\r", b"\n\r\n"):
                found = joined.rfind(pattern)
                if found >= 0:
                    last_blank = max(last_blank, offset - len(tail) + found)
            stripped = len(block.rstrip())
            if stripped:
                last_content = offset + stripped
            tail = block[-2:]
            offset += len(block)
    return 0 <= last_blank < last_content


def odd_quotes(path: Path) -> bool:
    """An odd number of '"' characters: some quoted value is never closed."""
    count = 0
    with path.open("rb") as stream:
        while block := stream.read(BLOCK):
            count += block.count(b'"')
    return count % 2 == 1


def _looks_utf16(head: bytes) -> bool:
    sample = head[:2000]
    return sample.count(0) * 3 > len(sample)


def _not_text(name: str, head: bytes, nul: bool) -> ImportFileError:
    if _looks_utf16(head):  # every other byte zero: UTF-16 text without a BOM
        return rejected(name, "o arquivo parece estar em UTF-16 sem marca de codificação (BOM); "
                              "salve como CSV UTF-8 e importe de novo.")
    if nul:
        return rejected(name, "o arquivo contém bytes nulos (\\0): não é um CSV de texto; "
                              "salve de novo como CSV UTF-8 ou .xlsx e importe de novo.")
    return rejected(name, "não foi possível ler o arquivo: não é um CSV de texto (UTF-8 ou Windows-1252) "
                          "nem uma planilha .xlsx ou um arquivo Parquet.")


def prepare_text(path: Path, name: str, workdir: Path) -> TextFile:
    """A UTF-8 version of the CSV at `path` (the file itself when it already is UTF-8)."""
    with path.open("rb") as stream:
        head = stream.read(4096)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return rewrite(path, name, workdir, "utf-16", head, fix_blanks=True)
    scan = _scan(path)
    if not scan.content:
        raise rejected(name, "o arquivo está vazio.")
    if scan.nul:
        raise _not_text(name, head, nul=True)
    if scan.utf8:
        encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
        return TextFile(path, scan.line_breaks, scan.ends_with_break, encoding)
    if head.startswith(codecs.BOM_UTF8):  # a UTF-8 mark on text that is not UTF-8
        raise _not_text(name, head, nul=False)
    return rewrite(path, name, workdir, "cp1252", head, fix_blanks=False)


def rewrite(path: Path, name: str, workdir: Path, encoding: str, head: bytes, fix_blanks: bool) -> TextFile:
    """Stream `path` decoded as `encoding` into a UTF-8 copy; with `fix_blanks`, blank lines outside quoted
    values get one space so that DuckDB keeps them as (empty) rows."""
    target = workdir / f"texto-utf8-{int(fix_blanks)}.csv"
    line_breaks = 0
    last = ""
    try:
        with path.open("rb") as raw, target.open("w", encoding="utf-8", newline="") as out:
            text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
            if fix_blanks:
                inside = False
                for line in text:
                    if "\x00" in line:
                        raise _not_text(name, head, nul=True)
                    if not inside and not _LINE_BREAK.sub("", line):
                        line = " " + line
                    inside ^= line.count('"') % 2 == 1
                    line_breaks += 1
                    out.write(line)
                    last = line[-1:]
            else:
                while block := text.read(BLOCK):
                    if "\x00" in block:
                        raise _not_text(name, head, nul=True)
                    line_breaks += block.count("\n") or block.count("\r")
                    out.write(block)
                    last = block[-1:]
    except UnicodeError as exc:
        raise _not_text(name, head, nul=False) from exc
    return TextFile(target, line_breaks, last in ("\n", "\r"), encoding, rewritten=fix_blanks)
