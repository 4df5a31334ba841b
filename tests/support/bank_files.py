"""Writes CNAB 400 and CNAB 240 return files field by field, at the positions of each bank's layout manual
(written here independently of cobranca/baixa/layouts.py, so a wrong position there fails a test)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

NAMES = {"001": "BANCO DO BRASIL", "033": "SANTANDER", "041": "BANRISUL", "104": "C ECON FEDERAL",
         "237": "BRADESCO", "341": "BANCO ITAU S.A.", "748": "SICREDI", "756": "BANCOOB"}

# CNAB 400 detail: where each bank puts the nosso número (and its check digit / carteira), the fee, the
# credit date and its format, the detail record type, and whether 254-266 is the net credited amount.
BANK_400 = {
    "001": {"type": "7", "nosso": (64, 80), "fee": (182, 188), "credited": (176, 181)},
    "033": {"nosso": (63, 69), "dv": (70, 70)},
    "041": {"nosso": (63, 70), "dv": (71, 72)},
    "104": {"carteira": (57, 58), "nosso": (59, 73), "credited": (294, 299)},
    "237": {"nosso": (71, 81), "dv": (82, 82)},
    "341": {"carteira": (83, 85), "nosso": (86, 93), "dv": (94, 94), "net": True},
    "748": {"nosso": (48, 62), "credited": (329, 336), "ymd": True},
    "756": {"nosso": (63, 73), "fee": (182, 188), "credited": (176, 181)},
}
# The bank's liquidation code in CNAB 400 and a code that is not a payment.
PAID_400 = {"001": "06", "033": "06", "041": "06", "104": "21", "237": "06", "341": "06", "748": "06", "756": "06"}
BANK_240 = {
    "001": {}, "041": {}, "748": {}, "756": {},
    "033": {"nosso": (41, 52), "dv": (53, 53), "document": (55, 69), "due": (70, 77), "face": (78, 92),
            "fee": (194, 208)},
    "104": {"carteira": (40, 41), "nosso": (42, 57), "document": (59, 69)},
    "237": {"carteira": (38, 40), "nosso": (46, 56), "dv": (57, 57)},
    "341": {"carteira": (38, 40), "nosso": (41, 48), "dv": (49, 49), "document": (59, 68)},
}


class Record:
    def __init__(self, width: int, fill: str = " "):
        self.chars = [fill] * width

    def put(self, span: tuple[int, int], value, numeric: bool = False) -> Record:
        width = span[1] - span[0] + 1
        text = str(value)
        text = text.rjust(width, "0") if numeric else text.ljust(width)
        assert len(text) == width, (span, value)
        self.chars[span[0] - 1:span[1]] = list(text)
        return self

    def money(self, span, value: Decimal | str | int) -> Record:
        return self.put(span, int((Decimal(str(value)) * 100).to_integral_value()), numeric=True)

    def __str__(self) -> str:
        return "".join(self.chars)


def ddmmyy(day: date | None) -> str:
    return day.strftime("%d%m%y") if day else "000000"


def cnab400(bank: str, titles: list[dict], end: str = "\r\n") -> bytes:
    """A CNAB 400 return file: header, one detail per title (keys: code, nosso, dv, carteira, document, day,
    due, face, paid, fee, interest, discount, rebate, credited), trailer."""
    spec = BANK_400[bank]
    header = Record(400).put((1, 19), "02RETORNO01COBRANCA").put((77, 79), bank).put((80, 94), NAMES[bank])
    header.put((95, 100), "071226").put((395, 400), 1, numeric=True)
    lines = [str(header)]
    for i, t in enumerate(titles, start=2):
        r = Record(400).put((1, 1), spec.get("type", "1"))
        r.put(spec["nosso"], t.get("nosso", ""), numeric=bool(t.get("nosso")))
        if "dv" in spec and t.get("dv") is not None:
            r.put(spec["dv"], t["dv"])
        if "carteira" in spec and t.get("carteira"):
            r.put(spec["carteira"], t["carteira"], numeric=True)
        r.put((109, 110), t.get("code", PAID_400[bank])).put((111, 116), t.get("raw_day") or ddmmyy(t["day"]))
        r.put((117, 126), t.get("document", "")).put((147, 152), ddmmyy(t.get("due")))
        r.money((153, 165), t.get("face", "0")).money(spec.get("fee", (176, 188)), t.get("fee", "0"))
        r.money((228, 240), t.get("rebate", "0")).money((241, 253), t.get("discount", "0"))
        paid = Decimal(str(t.get("paid", "0")))
        if spec.get("net") and paid:
            paid -= Decimal(str(t.get("fee", "0")))
        r.money((254, 266), paid).money((267, 279), t.get("interest", "0"))
        credited = t.get("credited")
        if credited:
            r.put(spec.get("credited", (296, 301)), credited.strftime("%Y%m%d") if spec.get("ymd") else ddmmyy(credited))
        r.put((395, 400), i, numeric=True)
        text = str(r)
        for (a, b), raw in t.get("raw", {}).items():  # deliberate defects
            text = text[:a - 1] + raw + text[b:]
        lines.append(text)
    lines.append(str(Record(400).put((1, 1), "9").put((395, 400), len(lines) + 1, numeric=True)))
    return (end.join(lines) + end).encode("cp1252")


def cnab240(bank: str, titles: list[dict], end: str = "\r\n") -> bytes:
    """A CNAB 240 return file: file header, lot header, segments T and U per title, lot and file trailers."""
    spec = BANK_240[bank]
    header = Record(240).put((1, 3), bank).put((4, 7), "0000").put((8, 8), "0").put((103, 132), NAMES[bank])
    header.put((143, 143), "2").put((144, 151), "07122026")
    lot = Record(240).put((1, 3), bank).put((4, 7), "0001").put((8, 8), "1").put((9, 9), "T")
    lines = [str(header), str(lot)]
    seq = 0
    for t in titles:
        seq += 1
        tr = Record(240).put((1, 3), bank).put((4, 7), "0001").put((8, 8), "3").put((9, 13), seq, numeric=True)
        tr.put((14, 14), "T").put((16, 17), t.get("code", "06"))
        tr.put(spec.get("nosso", (38, 57)), t.get("nosso", ""))
        if "dv" in spec and t.get("dv") is not None:
            tr.put(spec["dv"], t["dv"])
        if "carteira" in spec and t.get("carteira"):
            tr.put(spec["carteira"], t["carteira"], numeric=True)
        tr.put(spec.get("document", (59, 73)), t.get("document", ""))
        due = t.get("due")
        tr.put(spec.get("due", (74, 81)), due.strftime("%d%m%Y") if due else "00000000")
        tr.money(spec.get("face", (82, 96)), t.get("face", "0")).money(spec.get("fee", (199, 213)), t.get("fee", "0"))
        seq += 1
        u = Record(240).put((1, 3), bank).put((4, 7), "0001").put((8, 8), "3").put((9, 13), seq, numeric=True)
        u.put((14, 14), "U").put((16, 17), t.get("code", "06"))
        u.money((18, 32), t.get("interest", "0")).money((33, 47), t.get("discount", "0"))
        u.money((48, 62), t.get("rebate", "0")).money((63, 77), "0").money((78, 92), t.get("paid", "0"))
        u.money((93, 107), Decimal(str(t.get("paid", "0"))) - Decimal(str(t.get("fee", "0"))))
        u.put((138, 145), t.get("raw_day") or t["day"].strftime("%d%m%Y"))
        credited = t.get("credited")
        u.put((146, 153), credited.strftime("%d%m%Y") if credited else "00000000")
        lines += [str(tr), str(u)]
    lines.append(str(Record(240).put((1, 3), bank).put((4, 7), "0001").put((8, 8), "5")))
    lines.append(str(Record(240).put((1, 3), bank).put((4, 7), "9999").put((8, 8), "9")))
    return (end.join(lines) + end).encode("cp1252")
