"""Settings: where the data lives."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "data"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The data directory: an explicit override, else $GENGDI_DATA, else ./data of the repo."""
    if override:
        return Path(override)
    env = os.environ.get("GENGDI_DATA")
    if env:
        return Path(env)
    return DEFAULT_DATA_DIR
