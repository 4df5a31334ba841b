"""Charts of a worklist (aging) and of the contact log (contacts per day), pt-BR labels, matplotlib Agg.

Figures are built with `matplotlib.figure.Figure` and rendered by the Agg canvas directly, never through
pyplot: nothing is registered in pyplot's global figure list, so a long-running kernel does not keep them
alive, and the notebook's own backend is left untouched. `close()` (or `plt.close(fig)`) is still safe.
"""

from __future__ import annotations

import io
import sys
import textwrap
from datetime import date, datetime, timedelta

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..core import formatting as fmt
from ..receivables.filters import CHANNELS

BAR_COLOUR = "#2f6f9f"
CHANNEL_COLOURS = {
    "WhatsApp": "#25a244", "E-mail": "#2f6f9f", "Telefone": "#e08a1e", "SMS": "#8e5cc4",
    "Carta": "#8c6d46", "Presencial": "#c4455a", "Nenhum": "#9a9a9a",
}


def _money_tick(value: float, _pos=None) -> str:
    """Axis label in whole reais, pt-BR: 'R$ 1.234'. Floats are for drawing only, never for sums."""
    return f"R$ {fmt.number(round(value), 0)}"


def fmt_tick(value: float, _pos=None) -> str:
    """A plain axis label in pt-BR: '0', '0,2', '1.500' (never '0.2')."""
    whole = abs(value - round(value)) < 1e-9
    return fmt.number(round(value) if whole else round(value, 2), 0 if whole else (1 if abs(value * 10 - round(value * 10)) < 1e-9 else 2))


def _new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def band_tick(label: str) -> str:
    """An aging band's label on two lines when long ("Mais de 90\ndias")."""
    return "\n".join(textwrap.wrap(str(label), 10))


def aging_chart(aging_frame: pd.DataFrame, figsize: tuple[float, float] = (6.4, 3.0)) -> Figure:
    """Bars of the balance per aging bucket, each annotated with its number of receivables."""
    fig = _new_figure(*figsize)
    ax = fig.add_subplot()
    labels = [band_tick(label) for label in aging_frame["label"]]
    heights = [float(v) for v in aging_frame["balance"]]
    bars = ax.bar(labels, heights, color=BAR_COLOUR, width=0.6)
    counts = [int(c) for c in aging_frame["count"]]
    ax.bar_label(bars, labels=[f"{c} conta{'s' if c != 1 else ''}" for c in counts], padding=2, fontsize=7)
    ax.set_title("Saldo por faixa de atraso (dias)", fontsize=9)
    ax.set_xlabel("Dias de atraso", fontsize=8)
    ax.yaxis.set_major_formatter(FuncFormatter(_money_tick))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    top = max(heights, default=0)
    ax.set_ylim(0, top * 1.18 if top > 0 else 1)
    ax.tick_params(labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def contacts_chart(per_day_frame: pd.DataFrame, since: date, until: date) -> Figure:
    """Contacts per day in [since, until], every day shown, bars stacked by channel."""
    days = [since + timedelta(days=i) for i in range((until - since).days + 1)] if until >= since else []
    table = pd.DataFrame(0, index=pd.Index(days, dtype=object), columns=list(CHANNELS), dtype="int64")
    for row in per_day_frame.itertuples(index=False):
        day = row.day.date() if isinstance(row.day, datetime) else row.day  # pd.Timestamp is a datetime
        if day in table.index:
            channel = row.channel if row.channel in table.columns else "Nenhum"
            table.loc[day, channel] += int(row.contacts)
    table = table.loc[:, table.sum() > 0]

    fig = _new_figure(max(6.4, min(14.0, 0.28 * len(days) + 2)), 3.2)
    ax = fig.add_subplot()
    positions = list(range(len(days)))
    bottom = [0] * len(days)
    for channel in table.columns:
        values = table[channel].tolist()
        ax.bar(positions, values, bottom=bottom, label=channel, color=CHANNEL_COLOURS.get(channel), width=0.8)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    step = max(1, len(days) // 15)
    ax.set_xticks(positions[::step], [d.strftime("%d/%m") for d in days[::step]], rotation=45, ha="right")
    ax.set_title(f"Contatos por dia — {fmt.day(since)} a {fmt.day(until)}", fontsize=10)
    ax.set_ylabel("Contatos", fontsize=9)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos=None: fmt.number(round(value), 0)))
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    if len(table.columns):
        ax.legend(fontsize=8, frameon=False, ncols=min(4, len(table.columns)))
        ax.set_ylim(0, max(bottom) * 1.25)
    else:
        ax.set_ylim(0, 1)
        ax.text(0.5, 0.5, "Nenhum contato no período", transform=ax.transAxes, ha="center", va="center", color="#666")
    return fig


def close(fig: Figure) -> None:
    """Release a figure: drop it from pyplot if pyplot made it, and clear its artists."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)
    fig.clear()


def figure_png(fig: Figure, dpi: int = 150, close_after: bool = True) -> bytes:
    """PNG bytes of `fig`; by default the figure is closed afterwards so its memory is released."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    if close_after:
        close(fig)
    return buffer.getvalue()
