"""Each bank's own occurrence-code table: which codes are a liquidation (a payment) and what each code says.

Where banks disagree on a number, the bank's table wins: Caixa's CNAB 400 '06' is "uso da empresa alterado"
and its liquidation is '21'; Itaú's '17' is a rejection while Bradesco's '17' is a liquidation.
Sources: FEBRABAN CNAB 240 v10.x note C044 and each bank's CNAB 400 return manual (see docs/baixa.md).
"""

from __future__ import annotations

# FEBRABAN CNAB 240, código de movimento de retorno (C044), used by every 240 bank below except where overridden.
FEBRABAN_240 = {
    "02": "Entrada confirmada", "03": "Entrada rejeitada", "04": "Transferência de carteira/entrada",
    "05": "Transferência de carteira/baixa", "06": "Liquidação", "07": "Confirmação do recebimento da instrução "
    "de desconto", "08": "Confirmação do recebimento do cancelamento do desconto", "09": "Baixa",
    "11": "Títulos em carteira (em ser)", "12": "Confirmação recebimento instrução de abatimento",
    "13": "Confirmação recebimento instrução de cancelamento abatimento",
    "14": "Confirmação recebimento instrução alteração de vencimento", "17": "Liquidação após baixa ou "
    "liquidação título não registrado", "19": "Confirmação recebimento instrução de protesto",
    "20": "Confirmação recebimento instrução de sustação/cancelamento de protesto",
    "23": "Remessa a cartório (aponte em cartório)", "24": "Retirada de cartório e manutenção em carteira",
    "25": "Protestado e baixado (baixa por ter sido protestado)", "26": "Instrução rejeitada",
    "27": "Confirmação do pedido de alteração de outros dados", "28": "Débito de tarifas/custas",
    "29": "Ocorrências do pagador", "30": "Alteração de dados rejeitada",
}
FEBRABAN_240_PAID = frozenset({"06", "17"})

ITAU = {
    "02": "Entrada confirmada", "03": "Entrada rejeitada", "04": "Alteração de dados - nova entrada",
    "05": "Alteração de dados - baixa", "06": "Liquidação normal", "07": "Liquidação parcial - cobrança "
    "inteligente (B2B)", "08": "Liquidação em cartório", "09": "Baixa simples", "10": "Baixa por ter sido "
    "liquidado", "11": "Em ser", "12": "Abatimento concedido", "13": "Abatimento cancelado",
    "14": "Vencimento alterado", "15": "Baixas rejeitadas", "16": "Instruções rejeitadas",
    "17": "Alteração/exclusão de dados rejeitados", "19": "Confirma recebimento de instrução de protesto",
    "23": "Título enviado a cartório/tarifa", "24": "Instrução de protesto rejeitada/sustada/pendente",
    "25": "Alegações do pagador", "32": "Baixa por ter sido protestado",
}
BRADESCO_400 = {
    "02": "Entrada confirmada", "03": "Entrada rejeitada", "06": "Liquidação normal",
    "09": "Baixado automaticamente via arquivo", "10": "Baixado conforme instruções da agência",
    "11": "Em ser - títulos pendentes", "12": "Abatimento concedido", "13": "Abatimento cancelado",
    "14": "Vencimento alterado", "15": "Liquidação em cartório", "16": "Título pago em cheque - vinculado",
    "17": "Liquidação após baixa ou título não registrado", "19": "Confirmação recebimento instrução de protesto",
    "22": "Título com pagamento cancelado", "23": "Entrada do título em cartório",
    "24": "Entrada rejeitada por CEP irregular", "28": "Débito de tarifas/custas",
    "32": "Instrução rejeitada",
}
BB_400 = {
    "02": "Confirmação de entrada de título", "03": "Comando recusado", "05": "Liquidado sem registro",
    "06": "Liquidação normal", "07": "Liquidação por conta", "08": "Liquidação por saldo", "09": "Baixa de título",
    "10": "Baixa solicitada", "11": "Títulos em ser", "12": "Abatimento concedido", "13": "Abatimento cancelado",
    "14": "Alteração de vencimento do título", "15": "Liquidação em cartório", "19": "Confirmação de instrução "
    "de protesto", "20": "Débito em conta", "23": "Indicação de encaminhamento a cartório",
    "24": "Sustar protesto", "46": "Título pago com cheque, aguardando compensação", "61": "Confirmação de "
    "alteração do valor nominal do título",
}
SANTANDER_400 = {
    "02": "Entrada confirmada", "03": "Entrada rejeitada", "06": "Liquidação", "07": "Liquidação por conta",
    "08": "Liquidação por saldo", "09": "Baixa automática", "10": "Título baixado conforme instrução ou por "
    "título protestado", "11": "Em ser", "12": "Abatimento concedido", "13": "Abatimento cancelado",
    "14": "Prorrogação de vencimento", "15": "Enviado para cartório", "16": "Título já baixado/liquidado",
    "17": "Liquidado em cartório", "21": "Entrada em cartório", "22": "Retirado de cartório",
    "24": "Custas de cartório", "25": "Protestar título", "26": "Sustar protesto",
}
BANRISUL_400 = {
    "02": "Confirmação de entrada", "03": "Entrada rejeitada", "04": "Baixa de título liquidado por edital",
    "06": "Liquidação normal", "07": "Liquidação parcial", "08": "Baixa por pagamento, liquidação pelo saldo",
    "09": "Devolução automática", "10": "Baixado conforme instruções", "12": "Concessão de abatimento",
    "13": "Cancelamento de abatimento", "14": "Vencimento alterado", "15": "Pagamento em cartório",
    "16": "Alteração de dados", "23": "Confirmação da entrada em cartório",
    "25": "Devolução, liquidado anteriormente",
}
CAIXA_400 = {
    "01": "Entrada confirmada", "02": "Baixa confirmada", "03": "Abatimento concedido",
    "04": "Abatimento cancelado", "05": "Vencimento alterado", "06": "Uso da empresa alterado",
    "07": "Prazo de protesto alterado", "08": "Prazo de devolução alterado", "09": "Alteração confirmada",
    "21": "Liquidação", "22": "Liquidação em cartório", "23": "Baixa por devolução",
    "24": "Baixa por franco pagamento", "25": "Baixa por protesto", "99": "Rejeição do título",
}
SICREDI_400 = {
    "02": "Entrada confirmada", "03": "Entrada rejeitada", "06": "Liquidação normal",
    "09": "Baixado automaticamente via arquivo", "10": "Baixado conforme instruções da cooperativa",
    "12": "Abatimento concedido", "13": "Abatimento cancelado", "14": "Vencimento alterado",
    "15": "Liquidação em cartório", "17": "Liquidação após baixa", "19": "Confirmação de recebimento de "
    "instrução de protesto", "23": "Entrada de título em cartório", "24": "Entrada rejeitada por CEP irregular",
    "28": "Tarifa", "33": "Confirmação de alteração de dados",
}
SICOOB_400 = {
    "02": "Confirmação entrada título", "03": "Entrada rejeitada", "05": "Liquidação sem registro",
    "06": "Liquidação normal", "09": "Baixa de título", "10": "Baixa solicitada", "11": "Títulos em ser",
    "12": "Abatimento concedido", "13": "Abatimento cancelado", "14": "Alteração de vencimento",
    "15": "Liquidação em cartório", "23": "Encaminhado a protesto", "27": "Confirmação alteração dados",
    "48": "Confirmação de instrução de transferência de carteira",
}

# (layout, bank) -> (codes and their words, codes that are a liquidation)
TABLES: dict[tuple[str, str], tuple[dict[str, str], frozenset[str]]] = {
    ("cnab400", "001"): (BB_400, frozenset({"05", "06", "07", "08", "15"})),
    ("cnab400", "033"): (SANTANDER_400, frozenset({"06", "07", "08", "17"})),
    ("cnab400", "041"): (BANRISUL_400, frozenset({"06", "07", "08", "15"})),
    ("cnab400", "104"): (CAIXA_400, frozenset({"21", "22"})),
    ("cnab400", "237"): (BRADESCO_400, frozenset({"06", "15", "17"})),
    ("cnab400", "341"): (ITAU, frozenset({"06", "07", "08"})),
    ("cnab400", "748"): (SICREDI_400, frozenset({"06", "15", "17"})),
    ("cnab400", "756"): (SICOOB_400, frozenset({"05", "06", "15"})),
    ("cnab240", "341"): (ITAU, frozenset({"06", "07", "08"})),
    **{("cnab240", bank): (FEBRABAN_240, FEBRABAN_240_PAID) for bank in ("001", "033", "041", "104", "237", "748",
                                                                          "756")},
}


def describe(layout: str, bank: str, code: str) -> tuple[str, bool]:
    """(the bank's words for `code`, whether it is a liquidation); an unknown code is reported, never paid."""
    words, paid = TABLES[(layout, bank)]
    return words.get(code, f"Ocorrência {code} (não consta da tabela do banco)"), code in paid
