"""One measured step of the benchmark, run in its own process so its memory is its own.

Usage: python benchmarks/step.py STEP FINDINGS_DIR OUT_DIR
Prints one JSON line: {"seconds": ..., "peak_mb": ..., "files": ..., "bytes": ...}.
Imports happen before the clock starts: the figure is the work, not Python's start-up.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def floor(findings: Path, out: Path) -> dict:
    """The least any generator must do: parse the same YAML with the C loader, write as many bytes."""
    import yaml

    size = int((out / "output-bytes").read_text())
    files = sorted(findings.rglob("*.yaml"))
    started = time.perf_counter()
    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    target = out / "floor"
    target.mkdir(exist_ok=True)
    chunk = b"x" * (size // max(1, count_outputs(out)) + 1)
    for i in range(count_outputs(out)):
        (target / f"{i}.md").write_bytes(chunk)
    return {"seconds": time.perf_counter() - started, "files": len(files)}


def count_outputs(out: Path) -> int:
    return int((out / "output-files").read_text())


def validate(findings: Path, out: Path) -> dict:
    from generator.check import check_folder

    started = time.perf_counter()
    check_folder(findings)
    return {"seconds": time.perf_counter() - started}


def generate(findings: Path, out: Path) -> dict:
    """Load, check, render pages and exports, write them: what `findings generate` does."""
    from generator.check import check_folder
    from generator.pipeline import generated_area, site_files
    from generator.write import sync

    docs = out / "docs"
    started = time.perf_counter()
    files = site_files(check_folder(findings), "https://github.com/example/findings")
    changed = sync(docs, files, generated_area())
    seconds = time.perf_counter() - started
    (out / "output-bytes").write_text(str(sum(len(t.encode("utf-8")) for t in files.values())))
    (out / "output-files").write_text(str(len(files)))
    return {"seconds": seconds, "written": len(changed), "files": len(files)}


def mkdocs(findings: Path, out: Path) -> dict:
    """`mkdocs build` of the generated pages (the project copy made by run.py)."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(str(out / "project/mkdocs.yml"), site_dir=str(out / "site"))
    started = time.perf_counter()
    build(config)
    return {"seconds": time.perf_counter() - started}


STEPS = {"floor": floor, "validate": validate, "generate": generate, "mkdocs": mkdocs}

if __name__ == "__main__":
    step, findings, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    result = STEPS[step](findings, out)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))
