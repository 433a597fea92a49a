"""Chart geometry for server-rendered SVG: plain numbers in, rectangles out. Pure Python.

Templates draw what these return with SVG presentation attributes (x=, width=, class=) and
our stylesheet's classes for colour: no inline style and no script, so charts work under
the strict CSP. Colours are classes: ``c-1`` … ``c-8`` the series in order (Okabe–Ito, as
the highlights), ``c-none`` for "not set"; ``heat-0`` … ``heat-5`` a sequential scale;
``bal-o3`` … ``bal-0`` … ``bal-s3`` a diverging one (second series ← → first series).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

SERIES_CLASSES = 8


def series_class(index: int, name: str) -> str:
    return "c-none" if name == "none" else f"c-{index % SERIES_CLASSES + 1}"


def legend(series: Sequence[str]) -> list[dict[str, str]]:
    return [{"name": s, "cls": series_class(i, s)} for i, s in enumerate(series)]


def nice_max(value: float) -> int:
    """A round number at or above value, for the top of an axis: 1, 2, 5, 10, 20, ..."""
    if value <= 1:
        return 1
    step = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 5, 10):
        if m * step >= value:
            return int(m * step)
    return int(10 * step)  # pragma: no cover - the loop always returns


def stacked_columns(
    rows: Sequence[Mapping[str, Any]],
    series: Sequence[str],
    *,
    width: int = 760,
    height: int = 240,
    max_labels: int = 12,
) -> dict[str, Any]:
    """Columns (one per row: ``label``, ``counts`` by series), each stacked by series."""
    left, bottom, top = 44, 36, 8
    plot_w, plot_h = width - left - 8, height - bottom - top
    top_value = nice_max(max((r["total"] for r in rows), default=0))
    step = plot_w / max(len(rows), 1)
    every = max(1, math.ceil(len(rows) / max_labels))
    columns = []
    for i, row in enumerate(rows):
        x = left + i * step
        y = top + plot_h
        segments = []
        for k, name in enumerate(series):
            n = row["counts"].get(name, 0)
            if not n:
                continue
            h = plot_h * n / top_value
            y -= h
            segments.append(
                {
                    "y": round(y, 2),
                    "h": round(h, 2),
                    "cls": series_class(k, name),
                    "title": f"{row['label']}: {n} {name}",
                }
            )
        columns.append(
            {
                "x": round(x + step * 0.1, 2),
                "w": round(max(step * 0.8, 1), 2),
                "mid": round(x + step / 2, 2),
                "label": row["label"] if i % every == 0 else "",
                "segments": segments,
                "total": row["total"],
            }
        )
    # Whole numbers only: a top of 2 gets ticks 0, 1, 2 (not 0, 0.5, ...).
    steps = top_value if top_value < 4 else 4
    ticks = [
        {
            "y": round(top + plot_h - plot_h * t / steps, 2),
            "value": round(top_value * t / steps),
        }
        for t in range(steps + 1)
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - 8,
        "base": top + plot_h,
        "label_y": top + plot_h + 16,
        "columns": columns,
        "ticks": ticks,
        "legend": legend(series),
    }


def stacked_bars(
    rows: Sequence[tuple[str, Mapping[str, int]]],
    series: Sequence[str],
    *,
    width: int = 520,
    bar: int = 22,
    label_width: int = 120,
    top: float | None = None,
) -> dict[str, Any]:
    """Horizontal bars (``(label, counts by series)``), each stacked by series; the scale
    runs to ``top``, or to the largest total."""
    plot_w = width - label_width - 48
    top_value = top or max((sum(c.values()) for _, c in rows), default=0) or 1
    bars = []
    for i, (label, counts) in enumerate(rows):
        y = 4 + i * (bar + 8)
        x = float(label_width)
        segments = []
        for k, name in enumerate(series):
            n = counts.get(name, 0)
            if not n:
                continue
            w = plot_w * n / top_value
            segments.append(
                {
                    "x": round(x, 2),
                    "w": round(w, 2),
                    "cls": series_class(k, name),
                    "title": f"{label}: {n} {name}",
                }
            )
            x += w
        bars.append(
            {
                "y": y,
                "h": bar,
                "text_y": y + bar * 0.7,
                "label": label,
                "segments": segments,
                "total": sum(counts.values()),
                "end": round(x + 4, 2),
            }
        )
    return {
        "width": width,
        "height": 8 + len(rows) * (bar + 8),
        "label_x": label_width - 6,
        "bars": bars,
        "legend": legend(series),
    }


def balance_class(positive: int, negative: int, total: int) -> str:
    """A diverging class for (positive − negative) / total, in seven steps."""
    if not total:
        return "bal-0"
    step = round(3 * (positive - negative) / total)
    return "bal-0" if step == 0 else f"bal-{'s' if step > 0 else 'o'}{abs(step)}"


def heat_class(value: float, top: float) -> str:
    """A sequential class for value / top in six steps (0 only for nothing)."""
    if value <= 0 or top <= 0:
        return "heat-0"
    return f"heat-{min(5, 1 + int(4.999 * value / top))}"


def grid(
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    cells: Mapping[tuple[int, int], Mapping[str, Any]],
    *,
    cell: int = 44,
    label_width: int = 150,
    head: int = 110,
    sized: bool = False,
) -> dict[str, Any]:
    """A matrix: ``cells[(i, j)]`` carries ``n`` (its count), ``cls``, ``title`` and
    optionally ``href``. With ``sized`` a cell's square grows with the square root of its
    count (area ∝ count); otherwise it fills its place."""
    top_n = max((c["n"] for c in cells.values()), default=0) or 1
    out = []
    for (i, j), c in cells.items():
        side = cell - 4
        if sized:
            side = max(6.0, (cell - 4) * math.sqrt(c["n"] / top_n))
        x = label_width + j * cell + (cell - side) / 2
        y = head + i * cell + (cell - side) / 2
        out.append(
            {
                **c,
                "x": round(x, 2),
                "y": round(y, 2),
                "side": round(side, 2),
                "cx": label_width + j * cell + cell / 2,
                "cy": head + i * cell + cell / 2 + 4,
            }
        )
    return {
        # Room on the right for the last column's slanted label.
        "width": label_width + len(col_labels) * cell + head,
        "height": head + len(row_labels) * cell + 8,
        "rows": [
            {"label": label, "y": head + i * cell + cell / 2 + 4, "x": label_width - 6}
            for i, label in enumerate(row_labels)
        ],
        "cols": [
            {"label": label, "x": label_width + j * cell + cell / 2, "y": head - 6}
            for j, label in enumerate(col_labels)
        ],
        "cells": out,
    }
