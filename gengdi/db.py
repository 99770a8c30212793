"""The one choke point for queries: a DuckDB root connection with a view per table.

DuckDB connections are not thread-safe, so every query runs on its own ``cursor()`` of the
root connection. SQL lives in ``gengdi/sql/<name>.sql`` with ``$named`` parameters; values are
always passed as parameters, never formatted into the SQL text.
"""
from __future__ import annotations

import functools
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from . import schema as S
from . import versions

SQL_DIR = Path(__file__).resolve().parent / "sql"

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.float64(): "DOUBLE",
    pa.int32(): "INTEGER",
    pa.date32(): "DATE",
}


@functools.cache
def load_sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def table_files_in(version_root: Path, table: S.Table) -> list[Path]:
    if table.partition is None:
        f = version_root / f"{table.name}.parquet"
        return [f] if f.exists() else []
    return sorted((version_root / table.name).glob(f"{table.partition}=*/*.parquet"))


def table_files(data_dir: Path, table: S.Table) -> list[Path]:
    """The Parquet files of a table in the version of the store in force."""
    return table_files_in(versions.root(data_dir), table)


def _sql_literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _view_sql(data_dir: Path, table: S.Table) -> str:
    """``data_dir`` here is the folder of the version in force."""
    cols = ", ".join(
        f"CAST({f.name} AS {_DUCK_TYPES[f.type]}) AS {f.name}" for f in table.schema
    )
    if not table_files_in(data_dir, table):
        return f"CREATE OR REPLACE VIEW {table.name} AS SELECT {cols} FROM (SELECT {', '.join('NULL AS ' + f.name for f in table.schema)}) WHERE false"
    if table.partition is None:
        src = f"read_parquet({_sql_literal(data_dir / (table.name + '.parquet'))})"
    else:
        glob = data_dir / table.name / f"{table.partition}=*" / "*.parquet"
        src = f"read_parquet({_sql_literal(glob)}, hive_partitioning = true)"
    return f"CREATE OR REPLACE VIEW {table.name} AS SELECT {cols} FROM {src}"


class Database:
    """Views over the Parquet store of one data directory."""

    def __init__(self, data_dir: Path | str):
        self.data_dir = Path(data_dir)
        self._root = duckdb.connect(":memory:", config={"threads": 2})
        self._lock = threading.Lock()
        self.refresh()

    def refresh(self) -> None:
        """(Re)create the views; call after the store's files changed."""
        with self._lock:
            version_root = versions.root(self.data_dir)
            for table in S.TABLES:
                self._root.execute(_view_sql(version_root, table))

    def query(self, name: str, **params) -> pd.DataFrame:
        """Run ``sql/<name>.sql`` with ``$named`` parameters on a fresh cursor."""
        sql = load_sql(name)
        with self._lock:
            cur = self._root.cursor()
        try:
            return cur.execute(sql, params).df()
        finally:
            cur.close()

    def has_data(self) -> bool:
        return bool(table_files(self.data_dir, S.UNITS))


@functools.lru_cache(maxsize=8)
def _database(path: str) -> Database:
    return Database(path)


def get_database(data_dir: Path | str) -> Database:
    """The process-wide root connection for a data directory."""
    return _database(str(Path(data_dir).resolve()))
