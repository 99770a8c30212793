"""The committed demo store is exactly what the generator writes."""
import pandas as pd
import pytest

from gengdi import demo
from gengdi import schema as S
from gengdi.config import DEFAULT_DATA_DIR
from gengdi.db import Database


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo")
    demo.write_demo(path)
    return path


@pytest.mark.parametrize("table", S.TABLES, ids=lambda t: t.name)
def test_regenerating_gives_the_committed_rows(regenerated, table):
    cols = ", ".join(f.name for f in table.schema)
    order = ", ".join(f.name for f in table.schema)
    sql = f"SELECT {cols} FROM {table.name} ORDER BY {order}"
    committed = Database(DEFAULT_DATA_DIR)._root.execute(sql).df()
    fresh = Database(regenerated)._root.execute(sql).df()
    assert len(committed) > 0
    pd.testing.assert_frame_equal(committed, fresh)


def test_allocate_is_exact_and_capped():
    assert demo.allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(demo.allocate(103, [8, 7, 7, 10, 8, 9, 12, 9, 10, 8, 12])) == 103
    assert demo.allocate(5, [10, 1], caps=[2, 9]) == [2, 3]


def test_project_dates_climb_through_the_year():
    p = demo.projects_frame()
    p = p[p.year == 2023]
    by_month = [int((p.guaranteed_date.notna() & (p.guaranteed_date <= pd.Timestamp(2023, m, 28).date())).sum())
                for m in range(1, 13)]
    assert by_month == sorted(by_month) and by_month[0] < by_month[5] < by_month[11]
