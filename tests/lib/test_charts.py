"""Chart geometry (annotator.charts): what the SVG templates draw."""

from annotator import charts


def test_columns_stack_by_series_and_ticks_are_whole_numbers():
    rows = [
        {"label": "2024-11", "counts": {"support": 0, "oppose": 0}, "total": 0},
        {"label": "2024-12", "counts": {"support": 1, "oppose": 1}, "total": 2},
    ]
    chart = charts.stacked_columns(rows, ["support", "oppose"], height=240)
    assert [t["value"] for t in chart["ticks"]] == [0, 1, 2]
    empty, december = chart["columns"]
    assert empty["segments"] == []
    support, oppose = december["segments"]
    assert (support["cls"], oppose["cls"]) == ("c-1", "c-2")
    # Stacked: oppose sits on support, together they reach the top of the axis.
    assert oppose["y"] + oppose["h"] == support["y"]
    assert support["h"] + oppose["h"] == december_height(chart)


def december_height(chart):
    return chart["base"] - chart["ticks"][-1]["y"]


def test_nice_max_rounds_up_to_1_2_5():
    assert [charts.nice_max(v) for v in (0, 1, 3, 7, 12, 51)] == [1, 1, 5, 10, 20, 100]


def test_balance_and_heat_classes():
    assert charts.balance_class(5, 0, 5) == "bal-s3"
    assert charts.balance_class(0, 2, 2) == "bal-o3"
    assert charts.balance_class(1, 1, 2) == "bal-0"
    assert charts.heat_class(0, 10) == "heat-0"
    assert charts.heat_class(10, 10) == "heat-5"
    assert charts.heat_class(1, 10) == "heat-1"


def test_a_sized_grid_cell_grows_with_the_square_root_of_its_count():
    cells = {
        (0, 0): {"n": 4, "cls": "bal-0", "title": ""},
        (0, 1): {"n": 1, "cls": "", "title": ""},
    }
    grid = charts.grid(["a"], ["x", "y"], cells, cell=44, sized=True)
    big, small = sorted(grid["cells"], key=lambda c: -c["side"])
    assert big["side"] == 40 and small["side"] == 20
