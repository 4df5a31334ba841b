"""CSV bytes made ready for DuckDB's reader: encoding checked, Windows-1252/UTF-16 transcoded, blank lines kept.

One streaming pass reads the file in blocks: it looks for NUL bytes, checks that the text is UTF-8, counts
line breaks (the progress total) and quote characters, and notices blank lines followed by more data.
DuckDB reads UTF-8 only, and its latin-1 differs from Windows-1252 at 0x80–0x9F (“ ” € …), so other
encodings are transcoded to a UTF-8 copy in a second streaming pass. DuckDB drops blank lines, which would
shift every later line number; such lines get one space (outside quoted values) so they still count.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ImportFileError, Problem

BLOCK = 8 << 20
_BLANK_LINE = re.compile(rb"\n\n|\r\r|\n\r\n")  # a line break right after another one
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def rejected(name: str, message: str, line: int | None = None) -> ImportFileError:
    """The whole file is refused with one problem (nothing was read into the database)."""
    return ImportFileError(name, [Problem(line, None, None, message)], summary=f"O arquivo {name} não foi importado.")


@dataclass
class TextFile:
    """A UTF-8 CSV DuckDB can read, and what the scan learnt about it."""

    path: Path  # the original file or a transcoded copy
    line_breaks: int  # physical line breaks: the progress total before DuckDB counts rows
    odd_quotes: bool  # an odd number of '"' characters: some quoted value is never closed


@dataclass
class _Scan:
    nul: bool = False
    utf8: bool = True
    line_breaks: int = 0
    quotes: int = 0
    blank_inside: bool = False  # a blank line with data after it
    content: bool = False


def _scan(path: Path) -> _Scan:
    scan = _Scan()
    decoder = codecs.getincrementaldecoder("utf-8")()
    last_blank = -1
    last_content = -1
    offset = 0
    tail = b""
    crs = 0
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
            crs += block.count(b"\r")
            scan.quotes += block.count(b'"')
            joined = tail + block
            if offset == 0 and block[:1] in (b"\n", b"\r"):
                last_blank = 0
            for match in _BLANK_LINE.finditer(joined):
                last_blank = offset - len(tail) + match.start()
            stripped = len(block.rstrip())
            if stripped:
                last_content = offset + stripped
            tail = block[-2:]
            offset += len(block)
    if scan.utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            scan.utf8 = False
    if not scan.line_breaks:
        scan.line_breaks = crs  # old Mac files end lines with CR alone
    scan.content = last_content >= 0
    scan.blank_inside = 0 <= last_blank < last_content
    return scan


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
    """A UTF-8 version of the CSV at `path` (the file itself when it already is one without blank lines)."""
    with path.open("rb") as stream:
        head = stream.read(4096)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _rewrite(path, name, workdir, "utf-16", head, fix_blanks=True)
    scan = _scan(path)
    if not scan.content:
        raise rejected(name, "o arquivo está vazio.")
    if scan.nul:
        raise _not_text(name, head, nul=True)
    bom = head.startswith(codecs.BOM_UTF8)
    if scan.utf8:
        if not scan.blank_inside:
            return TextFile(path, scan.line_breaks, scan.quotes % 2 == 1)
        return _rewrite(path, name, workdir, "utf-8-sig" if bom else "utf-8", head, fix_blanks=True)
    if bom:  # a UTF-8 mark on text that is not UTF-8
        raise _not_text(name, head, nul=False)
    return _rewrite(path, name, workdir, "cp1252", head, fix_blanks=scan.blank_inside)


def _rewrite(path: Path, name: str, workdir: Path, encoding: str, head: bytes, fix_blanks: bool) -> TextFile:
    """Stream `path` decoded as `encoding` into a UTF-8 copy; blank lines outside quotes get one space."""
    target = workdir / "texto-utf8.csv"
    line_breaks = quotes = 0
    try:
        with path.open("rb") as raw, target.open("w", encoding="utf-8", newline="") as out:
            text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
            if fix_blanks:
                inside = False
                for line in text:
                    if "\x00" in line:
                        raise _not_text(name, head, nul=True)
                    count = line.count('"')
                    if not inside and not _LINE_BREAK.sub("", line):
                        line = " " + line
                    inside ^= count % 2 == 1
                    quotes += count
                    line_breaks += 1
                    out.write(line)
            else:
                while block := text.read(BLOCK):
                    if "\x00" in block:
                        raise _not_text(name, head, nul=True)
                    quotes += block.count('"')
                    line_breaks += block.count("\n") or block.count("\r")
                    out.write(block)
    except UnicodeError as exc:
        raise _not_text(name, head, nul=False) from exc
    return TextFile(target, line_breaks, quotes % 2 == 1)
