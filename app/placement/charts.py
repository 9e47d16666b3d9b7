"""Server-rendered SVG bar charts: no JavaScript, no CDN, readable on a phone.

`bar_chart` returns safe markup; every label is escaped. Values are percentages or counts;
bars are scaled to the largest value (or to 100 for percentages)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

ROW = 28
LABEL_WIDTH = 150
BAR_WIDTH = 170
WIDTH = LABEL_WIDTH + BAR_WIDTH + 60


def _fmt(value: float | None, percent: bool) -> str:
    if value is None:
        return "–"
    number = f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return f"{number}%" if percent else number


def bar_chart(
    title: str, items: Sequence[tuple[str, float | None]], *, percent: bool = True
) -> Markup:
    scale = 100.0 if percent else float(max([v or 0 for _l, v in items] + [1]))
    height = ROW * len(items) + 10
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(items):
        y = 5 + index * ROW
        length = 0 if value is None else round(BAR_WIDTH * min(value, scale) / scale, 1)
        short = label if len(label) <= 22 else label[:21] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 17}" text-anchor="end" '
            f'font-size="12">{escape(short)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length}" height="18" rx="3" '
            f'fill="#1f6feb"><title>{escape(label)}: {_fmt(value, percent)}</title></rect>'
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 17}" font-size="12">'
            f"{_fmt(value, percent)}</text>"
        )
    parts.append("</svg>")
    # Every label and value above is escaped.
    return Markup("".join(parts))  # noqa: S704  # nosec B704
