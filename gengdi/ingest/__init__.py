"""Ledger import (台账导入): pure functions shared by the command line and the dashboard."""
from .merge import Result, demo_cities, import_files, last_imports, rollback
from .problems import Problem

__all__ = ["Problem", "Result", "demo_cities", "import_files", "last_imports", "rollback"]
