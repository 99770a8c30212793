"""Completion-rate bars run from the 100% line to the value (not from the axis edge at 98.6%)."""
import pandas as pd

from gengdi import charts


def test_completion_rates_are_bars_around_the_100_percent_line():
    df = pd.DataFrame({"name": ["甲县", "乙县", "丙县"], "rate": [0.994, 1.015, None], "level": ["red", "green", "none"]})
    fig = charts.rate_bars(df, 1.0, "100%")
    bar = fig.data[0]
    lengths = dict(zip(bar.y, bar.x))
    assert bar.base == 100
    assert round(lengths["甲县"], 6) == -0.6 and round(lengths["乙县"], 6) == 1.5 and lengths["丙县"] == 0
    lo, hi = fig.layout.xaxis.range
    assert lo < 99.4 and hi > 101.5           # zoomed in, both ends visible
    # the length a reader sees is the distance from 100%: 0.6 vs 1.5, not 0.8 vs 2.9 from the axis edge
    assert abs(lengths["甲县"]) / abs(lengths["乙县"]) == 0.4


def test_rates_far_from_the_line_are_ordinary_bars_from_zero():
    df = pd.DataFrame({"name": ["甲县", "乙县"], "rate": [0.4, 0.9], "level": ["red", "green"]})
    fig = charts.rate_bars(df, 0.85, "全市 85%")
    assert fig.data[0].base is None and sorted(fig.data[0].x) == [40.0, 90.0]
    assert fig.layout.xaxis.range[0] == 0
