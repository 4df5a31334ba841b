"""Field positions (1-based, inclusive, as the layout manuals print them) of each bank's return records.

CNAB 400: one detail record per title. CNAB 240: segment T (the title) followed by segment U (the amounts),
whose positions FEBRABAN fixes for every bank; only segment T's nosso número and document differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BANK_NAMES = {
    "001": "Banco do Brasil", "033": "Santander", "041": "Banrisul", "104": "Caixa Econômica Federal",
    "237": "Bradesco", "341": "Itaú", "748": "Sicredi", "756": "Sicoob",
}

Span = tuple[int, int]


@dataclass(frozen=True)
class Layout400:
    """A bank's CNAB 400 detail record."""

    record_types: tuple[str, ...] = ("1",)
    nosso: Span = (63, 70)
    check_digit: Span | None = None  # the nosso número's DV, kept out of the number
    carteira: Span | None = None
    nosso_by_type: dict[str, Span] = field(default_factory=dict)  # BB: record '1' (convênio 6) vs '7'
    document: Span = (117, 126)
    occurrence: Span = (109, 110)
    occurred: Span = (111, 116)
    due: Span = (147, 152)
    face: Span = (153, 165)
    fee: Span = (176, 188)
    rebate: Span = (228, 240)
    discount: Span = (241, 253)
    paid: Span = (254, 266)
    interest: Span = (267, 279)
    credited: Span = (296, 301)
    paid_is_net: bool = False  # the paid field is what was credited, after the fee (Itaú's "valor principal")


LAYOUTS_400 = {
    "001": Layout400(record_types=("7", "1"), nosso=(64, 80), nosso_by_type={"1": (63, 73)}, credited=(176, 181),
                     fee=(182, 188)),
    "033": Layout400(nosso=(63, 69), check_digit=(70, 70)),
    "041": Layout400(nosso=(63, 70), check_digit=(71, 72)),
    "104": Layout400(carteira=(57, 58), nosso=(59, 73), credited=(294, 299)),
    "237": Layout400(nosso=(71, 81), check_digit=(82, 82), carteira=(108, 108)),
    "341": Layout400(carteira=(83, 85), nosso=(86, 93), check_digit=(94, 94), paid_is_net=True),
    "748": Layout400(nosso=(48, 62), credited=(329, 336)),
    "756": Layout400(nosso=(63, 73), credited=(176, 181), fee=(182, 188)),
}


@dataclass(frozen=True)
class Layout240:
    """A bank's CNAB 240 segment T; segment U is FEBRABAN's for all."""

    nosso: Span = (38, 57)
    check_digit: Span | None = None
    carteira: Span | None = None
    document: Span = (59, 73)
    due: Span = (74, 81)
    face: Span = (82, 96)
    payer_tax_id: Span = (134, 148)
    payer_name: Span = (149, 188)
    fee: Span = (199, 213)


LAYOUTS_240 = {
    "001": Layout240(),
    "033": Layout240(nosso=(41, 52), check_digit=(53, 53), document=(55, 69), due=(70, 77), face=(78, 92),
                     payer_tax_id=(129, 143), payer_name=(144, 183), fee=(194, 208)),
    "041": Layout240(),
    "104": Layout240(carteira=(40, 41), nosso=(42, 57), document=(59, 69)),
    "237": Layout240(carteira=(38, 40), nosso=(46, 56), check_digit=(57, 57)),
    "341": Layout240(carteira=(38, 40), nosso=(41, 48), check_digit=(49, 49), document=(59, 68)),
    "748": Layout240(),
    "756": Layout240(),
}

# Segment U (FEBRABAN, every bank)
U_INTEREST, U_DISCOUNT, U_REBATE, U_PAID, U_NET = (18, 32), (33, 47), (48, 62), (78, 92), (93, 107)
U_OCCURRED, U_CREDITED = (138, 145), (146, 153)
