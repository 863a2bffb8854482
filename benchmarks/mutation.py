"""Mutation testing: how many deliberate bugs in a module the test suite catches.

    .venv/bin/python benchmarks/mutation.py [check load markup write links] [--workers 2] [--list] [--lines N,N]

For each module it makes every mutant of a small set of operators (a comparison
flipped, `and`/`or` swapped, a `not` dropped, a constant changed, a statement
replaced by `pass`, `continue` by `break`), one change at a time. Each mutant is
written into a scratch copy of the committed project (HEAD), and the module's tests run against it
there, in a fresh process, stopping at the first failure; the copy is on
PYTHONPATH, so the tests' own subprocesses (the CLI, mkdocs builds) see the
mutant too. A mutant is killed when a test fails (or the run times out).

It prints the score per module and every surviving mutant with its line, for a
reader to judge: a survivor is either a missing test or an equivalent mutant
(one that changes no behaviour). Slow: minutes per module. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import ast
import copy
import functools
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The tests that exercise each module, fastest and most direct first (the run stops at the first
# failure), and the tests left out because they build whole sites: minutes per mutant otherwise.
_SLOW = "browser or build or site or killed or parent or reproducible or hostile or correction"
TESTS = {
    "check": (
        [
            "test_validate.py",
            "test_readings.py",
            "test_curation.py",
            "test_hardening.py",
            "test_cli.py",
            "test_diff.py",
        ],
        _SLOW,
    ),
    "load": (["test_validate.py", "test_hardening.py", "test_cli.py"], _SLOW),
    "markup": (["test_markup.py", "test_render.py", "test_hardening.py", "test_site.py"], "browser"),
    "write": (["test_write.py", "test_cli.py", "test_hardening.py", "test_site.py"], "browser"),
    "links": (["test_links.py", "test_site.py"], "browser"),
}
TIMEOUT = 600  # seconds; a mutant that hangs the tests counts as killed

FLIP = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
ARITHMETIC = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.FloorDiv: ast.Mult}


@dataclass
class Mutant:
    module: str
    line: int
    what: str
    source: str  # the whole mutated module


STATEMENTS = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Raise, ast.If, ast.For, ast.With)


def _docstring(node) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _sites(tree: ast.Module):
    """Every possible mutation of ``tree``: (node, description, apply), in a fixed order."""
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            for i, stmt in enumerate(block if isinstance(block, list) else []):
                if isinstance(stmt, ast.Continue):
                    yield stmt, "continue -> break", functools.partial(block.__setitem__, i, ast.Break())
                elif isinstance(stmt, STATEMENTS) and not _docstring(stmt):
                    yield (
                        stmt,
                        f"{type(stmt).__name__.lower()} -> pass",
                        functools.partial(block.__setitem__, i, ast.Pass()),
                    )
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in FLIP:
                    new = FLIP[type(op)]
                    yield (
                        node,
                        f"{type(op).__name__} -> {new.__name__}",
                        functools.partial(node.ops.__setitem__, i, new()),
                    )
        elif isinstance(node, (ast.BoolOp, ast.BinOp)) and type(node.op) in {ast.And: 0, ast.Or: 0, **ARITHMETIC}:
            new = {ast.And: ast.Or, ast.Or: ast.And, **ARITHMETIC}[type(node.op)]
            yield node, f"{type(node.op).__name__} -> {new.__name__}", functools.partial(setattr, node, "op", new())
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "drop `not`", functools.partial(setattr, node, "op", ast.UAdd())
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            yield node, f"{node.value} -> {not node.value}", functools.partial(setattr, node, "value", not node.value)
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            yield node, f"{node.value} -> {node.value + 1}", functools.partial(setattr, node, "value", node.value + 1)


def mutants(module: str) -> list[Mutant]:
    """Every mutant of generator/<module>.py, each applied to its own copy of the parsed module."""
    committed = subprocess.run(
        ["git", "show", f"HEAD:generator/{module}.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    original = ast.parse(committed)
    found = []
    for k in range(sum(1 for _ in _sites(original))):
        tree = copy.deepcopy(original)
        node, what, apply = list(_sites(tree))[k]
        line = node.lineno
        apply()
        found.append(Mutant(module, line, what, ast.unparse(ast.fix_missing_locations(tree))))
    return found


def _project_copy(base: Path) -> Path:
    """A checkout of the committed project (HEAD), with its history for the tests that read it."""
    target = base / "project"
    subprocess.run(["git", "worktree", "add", "--quiet", "--detach", str(target), "HEAD"], cwd=ROOT, check=True)
    return target


def _remove_copy(project: Path) -> None:
    subprocess.run(["git", "worktree", "remove", "--force", str(project)], cwd=ROOT, check=False)


def _run_tests(project: Path, module: str, show_failure: bool = False) -> tuple[bool, float]:
    env = {**os.environ, "PYTHONPATH": str(project), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("CI", None)  # browser tests are not run here
    names, left_out = TESTS[module]
    files = [str(project / "tests" / name) for name in names]
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-k", f"not ({left_out})", *files]
    start = time.monotonic()
    try:
        result = subprocess.run(command, cwd=project, env=env, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return True, time.monotonic() - start
    if show_failure and result.returncode != 0:
        print(result.stdout.decode(errors="replace")[-3000:], file=sys.stderr)
    return result.returncode != 0, time.monotonic() - start


def _judge(free: list[Path], m: Mutant) -> tuple[Mutant, bool, float]:
    """Run the module's tests with one mutant in place, in a project copy no other worker holds."""
    project = free.pop()
    target = project / "generator" / f"{m.module}.py"
    saved = target.read_text(encoding="utf-8")
    try:
        target.write_text(m.source, encoding="utf-8")
        return m, *_run_tests(project, m.module)
    finally:
        target.write_text(saved, encoding="utf-8")
        free.append(project)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(TESTS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    parser.add_argument(
        "--lines", metavar="N,N", help="only the mutants on these lines (to re-run survivors after adding tests)"
    )
    args = parser.parse_args()
    for module in args.modules:
        found = mutants(module)
        if args.lines:
            wanted = {int(n) for n in args.lines.split(",")}
            found = [m for m in found if m.line in wanted]
        if args.list:
            for m in found:
                print(f"{module}.py:{m.line}: {m.what}")
            continue
        with tempfile.TemporaryDirectory() as scratch:
            projects = [_project_copy(Path(scratch) / f"w{w}") for w in range(args.workers)]
            try:
                baseline_killed, _ = _run_tests(projects[0], module, show_failure=True)
                if baseline_killed:
                    print(f"{module}: the tests fail without any mutant; fix them first", file=sys.stderr)
                    return 1
                free = list(projects)
                start = time.monotonic()
                with ThreadPoolExecutor(args.workers) as pool:
                    results = list(pool.map(functools.partial(_judge, free), found))
            finally:
                for project in projects:
                    _remove_copy(project)
        survivors = [m for m, killed, _ in results if not killed]
        killed = len(results) - len(survivors)
        score = 100 * killed / len(results) if results else 100.0
        minutes = (time.monotonic() - start) / 60
        print(
            f"\n{module}.py: {len(results)} mutants, {killed} killed, {len(survivors)} survived: "
            f"{score:.1f} % ({minutes:.1f} min)"
        )
        for m in sorted(survivors, key=lambda m: m.line):
            print(f"  survived {module}.py:{m.line}: {m.what}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
