"""Charts of the results (pt-BR, matplotlib Agg, no pyplot): aging today and over time, recovered by channel,
contacts per analyst per day. Floats are for drawing only; the figures come as Decimals from the facade."""

from __future__ import annotations

import textwrap
from datetime import date, datetime

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, ScalarFormatter

from ..core import formatting as fmt
from ..results.formulas import BUCKET_LABELS, BUCKETS
from .charts import BAR_COLOUR, CHANNEL_COLOURS, _money_tick, _new_figure, fmt_tick

BUCKET_COLOURS = {"a vencer": "#7fb77e", "1-30": "#f2c14e", "31-60": "#f08a4b", "61-90": "#d1495b", ">90": "#7a1f3d"}


def _tidy(ax, title: str) -> None:
    ax.set_title(title, fontsize=8)
    if isinstance(ax.yaxis.get_major_formatter(), ScalarFormatter):  # money axes have their own
        ax.yaxis.set_major_formatter(FuncFormatter(fmt_tick))
    ax.tick_params(labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)


def _empty(ax, text: str) -> None:
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color="#666", fontsize=8)


def aging_today_chart(aging: pd.DataFrame, as_of: date, figsize=(5.2, 2.8)) -> Figure:
    """Balance per bucket on `as_of`, each bar labelled with its number of receivables."""
    fig = _new_figure(*figsize)
    ax = fig.add_subplot()
    heights = [float(v) for v in aging["balance"]]
    labels = ["\n".join(textwrap.wrap(BUCKET_LABELS[b], 10)) for b in aging["bucket"]]  # "Mais de 90\ndias"
    bars = ax.bar(labels, heights,
                  color=[BUCKET_COLOURS[b] for b in aging["bucket"]], width=0.6)
    ax.bar_label(bars, labels=[f"{int(c)} conta{'s' if int(c) != 1 else ''}" for c in aging["receivables"]],
                 padding=2, fontsize=7)
    ax.yaxis.set_major_formatter(FuncFormatter(_money_tick))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    top = max(heights, default=0)
    ax.set_ylim(0, top * 1.18 if top > 0 else 1)
    _tidy(ax, f"Carteira por faixa em {fmt.day(as_of)}")
    return fig


def aging_trend_chart(trend: pd.DataFrame, figsize=(6.4, 2.8)) -> Figure:
    """Stacked areas of the balance per bucket, one point per import day (the snapshots)."""
    fig = _new_figure(*figsize)
    ax = fig.add_subplot()
    _tidy(ax, "Evolução por faixa (a cada importação)")
    if trend.empty:
        _empty(ax, "Nenhuma importação registrada ainda")
        return fig
    table = trend.pivot_table(index="day", columns="bucket", values="balance", aggfunc="first")
    table = table.reindex(columns=list(BUCKETS)).fillna(0).map(float).sort_index()
    days = [d.date() if isinstance(d, datetime) else d for d in table.index]
    if len(days) == 1:  # one snapshot: bars, an area needs two points
        bottom = 0.0
        for bucket in BUCKETS:
            value = table.iloc[0][bucket]
            ax.bar([fmt.day(days[0])], [value], bottom=bottom, color=BUCKET_COLOURS[bucket],
                   label=BUCKET_LABELS[bucket], width=0.4)
            bottom += value
    else:
        ax.stackplot(days, [table[b].tolist() for b in BUCKETS], labels=[BUCKET_LABELS[b] for b in BUCKETS],
                     colors=[BUCKET_COLOURS[b] for b in BUCKETS], alpha=0.9)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos=None: _day_tick(value)))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.yaxis.set_major_formatter(FuncFormatter(_money_tick))
    ax.legend(fontsize=6, frameon=False, loc="upper left", ncols=3)
    ax.set_ylim(0, max(table.sum(axis=1).max() * 1.3, 1))
    return fig


def _day_tick(value: float) -> str:
    from matplotlib.dates import num2date

    return num2date(value).strftime("%d/%m")


def recovered_chart(by_channel: pd.DataFrame, window_days: int, figsize=(5.2, 2.8)) -> Figure:
    """R$ recovered within N days of a contact, per channel."""
    fig = _new_figure(*figsize)
    ax = fig.add_subplot()
    _tidy(ax, f"Recuperado até {window_days} dias após contato")
    if by_channel.empty:
        _empty(ax, "Nenhum pagamento após contato no período")
        return fig
    heights = [float(v) for v in by_channel["recovered"]]
    bars = ax.bar(list(by_channel["grp"]), heights, width=0.6,
                  color=[CHANNEL_COLOURS.get(c, BAR_COLOUR) for c in by_channel["grp"]])
    ax.bar_label(bars, labels=[f"{fmt.brl(v)} ({int(n)})" for v, n in
                               zip(by_channel["recovered"], by_channel["receivables"], strict=True)],
                 padding=2, fontsize=7)
    ax.yaxis.set_major_formatter(FuncFormatter(_money_tick))
    ax.set_ylim(0, max(heights) * 1.2)
    return fig


ANALYST_COLOURS = ("#2f6f9f", "#e08a1e", "#25a244", "#8e5cc4", "#c4455a", "#8c6d46", "#4b9fa8", "#9a9a9a")


def contacts_per_analyst_chart(per_day: pd.DataFrame, since: date, until: date, figsize=(6.4, 2.8)) -> Figure:
    """Contacts per day of the period (every day shown), bars stacked by analyst."""
    fig = _new_figure(*figsize)
    ax = fig.add_subplot()
    _tidy(ax, "Contatos por analista por dia")
    if per_day.empty:
        _empty(ax, "Nenhum contato no período")
        return fig
    days = pd.date_range(since, until, freq="D").date
    table = (per_day.assign(day=[pd.Timestamp(d).date() for d in per_day["day"]])
             .pivot_table(index="day", columns="analyst", values="contacts", aggfunc="sum")
             .reindex(days).fillna(0))
    positions = list(range(len(days)))
    bottom = [0.0] * len(days)
    for i, analyst in enumerate(table.columns):
        values = [float(v) for v in table[analyst]]
        ax.bar(positions, values, bottom=bottom, width=0.8, label=str(analyst),
               color=ANALYST_COLOURS[i % len(ANALYST_COLOURS)])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    step = max(1, len(days) // 8)
    ax.set_xticks(positions[::step], [d.strftime("%d/%m") for d in days[::step]], rotation=45, ha="right")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(max(bottom) * 1.3, 1))
    ax.legend(fontsize=7, frameon=False, ncols=min(4, len(table.columns)))
    return fig
