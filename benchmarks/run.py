"""Benchmark: how the pipeline scales with the number of initiatives.

    .venv/bin/python benchmarks/run.py [--scales 6 60 600] [--runs 3] [--zensical]

For each scale it writes schema-valid data (the six real initiatives, copied with
new ids, so every copy has the real number of dimensions, sources and evidence),
then measures, as the median of several runs, each in a fresh process:

- floor: parsing the same files with PyYAML's C loader and writing as many bytes
  as the generator writes (the least any generator could do);
- validate: `findings validate` (load and check);
- generate: `findings generate` (load, check, render, export, write);
- regenerate: the same again with nothing changed (must write no file);
- mkdocs: `mkdocs build` of the generated pages (pages, site size, peak memory);
- zensical (with --zensical, where it is installed): the same pages with Zensical.

It prints a table with each step's ratio to the floor and the time per initiative.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.check import check_folder  # noqa: E402
from generator.pipeline import generated_area  # noqa: E402

PYTHON = sys.executable


def make_data(count: int, target: Path) -> None:
    """``count`` initiatives: copies of the real ones with new ids (sources renamed to stay unique)."""
    shutil.copytree(ROOT / "findings", target, ignore=shutil.ignore_patterns("initiatives", "synthesis.yaml"))
    (target / "initiatives").mkdir()
    real = check_folder(ROOT / "findings").initiatives
    for n in range(count):
        base = real[n % len(real)]
        copy = n // len(real)
        suffix = f"-{copy}" if copy else ""
        data = base.model_dump(mode="json", by_alias=True, exclude_none=True)
        data["id"] = base.id + suffix
        data["name"] = base.name + (f" (copy {copy})" if copy else "")
        rename = {s["id"]: s["id"] + suffix for s in data["sources"]}
        for s in data["sources"]:
            s["id"] = rename[s["id"]]
            if "superseded_by" in s:
                s["superseded_by"] = rename[s["superseded_by"]]
        for f in data["findings"]:
            for key in ("summary", "rationale", "note"):  # distinct text, as real data would have
                if copy and key in f:
                    f[key] += f" (Copy {copy}.)"
            for e in f.get("evidence", []) + f.get("by_source", []):
                e["source"] = rename[e["source"]]
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        (target / "initiatives" / f"{data['id']}.yaml").write_text(text, encoding="utf-8")


def step(name: str, findings: Path, out: Path) -> dict:
    result = subprocess.run(
        [PYTHON, str(ROOT / "benchmarks/step.py"), name, str(findings), str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def timed(command: list[str], cwd: Path) -> dict:
    """Wall time of a command (for Zensical, whose memory is not ours to read)."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    return {
        "seconds": time.perf_counter() - started,
        "ok": result.returncode == 0,
        "error": "" if result.returncode == 0 else result.stderr.strip().splitlines()[-2:],
    }


def project(out: Path) -> Path:
    """A scratch copy of the project around the generated docs, for the site builders."""
    work = out / "project"
    if not work.exists():
        work.mkdir()
        shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
        shutil.copytree(ROOT / "overrides", work / "overrides")
        shutil.copytree(ROOT / "docs", work / "docs", ignore=shutil.ignore_patterns(*generated_area()))
        for item in (out / "docs").iterdir():
            (shutil.copytree if item.is_dir() else shutil.copy)(item, work / "docs" / item.name)
    return work


def folder_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), sum(p.name == "index.html" for p in files)


def median(runs: list[dict], key: str = "seconds") -> float:
    return statistics.median(r[key] for r in runs)


def measure(scale: int, runs: int, zensical: bool, scratch: Path) -> dict:
    findings, out = scratch / f"findings-{scale}", scratch / f"out-{scale}"
    make_data(scale, findings)
    out.mkdir()
    row: dict = {"scale": scale}
    generated = []
    for _ in range(runs):
        shutil.rmtree(out / "docs", ignore_errors=True)
        generated.append(step("generate", findings, out))
    row["generate"], row["generate_mb"] = median(generated), max(r["peak_mb"] for r in generated)
    row["outputs"] = generated[0]["files"]
    again = step("generate", findings, out)
    row["rewritten"] = again["written"]
    validated = [step("validate", findings, out) for _ in range(runs)]
    row["validate"], row["validate_mb"] = median(validated), max(r["peak_mb"] for r in validated)
    floors = [step("floor", findings, out) for _ in range(runs)]
    row["floor"], row["files"] = median(floors), floors[0]["files"]
    work = project(out)
    builds = [step("mkdocs", findings, out) for _ in range(runs)]
    row["mkdocs"], row["mkdocs_mb"] = median(builds), max(b["peak_mb"] for b in builds)
    row["site_bytes"], row["pages"] = folder_size(out / "site")
    if zensical:
        exe = shutil.which("zensical") or str(Path(PYTHON).parent / "zensical")
        if Path(exe).exists():
            build = timed([exe, "build", "--clean"], work)
            row["zensical"], row["zensical_ok"], row["zensical_error"] = build["seconds"], build["ok"], build["error"]
    return row


def report(rows: list[dict]) -> str:
    head = (
        "| initiatives | files | floor s | validate s | generate s | generate / floor | rewritten on no-op "
        "| generate ms / initiative | mkdocs s | mkdocs ms / initiative | pages | site MB | KB / initiative "
        "| peak MB (generate, mkdocs) |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        lines.append(
            f"| {r['scale']} | {r['files']} | {r['floor']:.3f} | {r['validate']:.3f} | {r['generate']:.3f} "
            f"| {r['generate'] / r['floor']:.1f}x | {r['rewritten']} | {1000 * r['generate'] / r['scale']:.1f} "
            f"| {r['mkdocs']:.2f} | {1000 * r['mkdocs'] / r['scale']:.0f} | {r['pages']} "
            f"| {r['site_bytes'] / 1e6:.1f} | {r['site_bytes'] / 1e3 / r['scale']:.0f} "
            f"| {r['generate_mb']:.0f}, {r['mkdocs_mb']:.0f} |"
        )
    if len(rows) >= 2:
        mid, top = rows[-2], rows[-1]
        lines.append("")
        for key in ("generate", "mkdocs"):
            ratio = (top[key] / top["scale"]) / (mid[key] / mid["scale"])
            lines.append(f"- {key}: time per initiative at {top['scale']} is {ratio:.2f}x that at {mid['scale']}")
    for r in rows:
        if "zensical" in r:
            state = "builds" if r["zensical_ok"] else f"fails: {r['zensical_error']}"
            lines.append(f"- Zensical at {r['scale']} initiatives: {r['zensical']:.2f} s, {state}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[6, 60, 600])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--zensical", action="store_true", help="also build with Zensical where it is installed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="findings-bench-") as tmp:
        rows = []
        for scale in args.scales:
            rows.append(measure(scale, args.runs, args.zensical, Path(tmp)))
            print(f"measured {scale} initiatives", file=sys.stderr)
    print(report(rows))


if __name__ == "__main__":
    main()
