"""Cell functions for the grid tests (importable by Dask workers)."""

import os
import time
from pathlib import Path


def square(config: dict) -> dict:
    if config.get("fail"):
        raise ValueError(f"cell {config['x']} fails on purpose")
    if config.get("sleep"):
        time.sleep(config["sleep"])
    log = os.environ.get("GRID_TEST_LOG")
    if log:
        with open(log, "a") as fh:
            fh.write(f"{config['x']}\n")
    return {"y": config["x"] ** 2}


def count_lines(path: str) -> int:
    p = Path(path)
    return len(p.read_text().splitlines()) if p.exists() else 0
