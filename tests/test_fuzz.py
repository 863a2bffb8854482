"""Seeded mutations of real data files: the validator answers every one with exit 0 or 1,
never a traceback, and every line it prints is located; every mutation it accepts renders.

The mutations are drawn from a fixed seed, so a failure is reproducible: its message
names the file and the mutation. To explore beyond the fixed set, set FUZZ_SEED.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import FINDINGS, MINI, build_site
from generator.check import check_folder
from generator.cli import main
from generator.pipeline import site_files

MUTATIONS = 2000
SEED = int(os.environ.get("FUZZ_SEED", "20261201"))

# Values that YAML, the model or the pages have tripped on before, and their relatives.
TOKENS = [
    "~", "''", '""', "[]", "{}", "[1, 2]", "{a: 1}", "- item", "? key", "|", ">", "*alias", "&anchor value",
    "!!int x", "!!int", "!!float", "!!bool maybe", "!!timestamp soon", "!!binary x", "!!python/object:os.system",
    "!!str", "!!map {}", "!!seq []", "!custom x", "yes", "'no'", "on", "0", "-1", "1e999", ".nan", "0x1F",
    "2099-01-01", "0000-00-00", "2024-02-30", "2024-01-01T00:00:00Z", "'0'", "x" * 5000,
    '"\\u0007bell"', '"\\x00"', '"\\u202eevil"', '"\\u200b"', '"\\ufeff"', '"\\ud800"',
    "<script>alert(1)</script>", "=HYPERLINK(\"x\")", "index", "documents", "lens-data", "initiative-wide",
    "not-audited", "disclosed", "partial", "unknown", "qwen2", "qwen2-5-report", "https://", "javascript:alert(1)",
]
CHARACTERS = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u202e", "\ufeff", "\t", ":", "#", "&", "*", "!",
              "%", "@", "`", "{", "[", "'", '"', "-", "?", "|", ">", "\\", "\n", " ", "é", "\U0001f600"]


def _mutate(text: str, rng: random.Random) -> tuple[str, str]:
    """One random edit of a YAML text, and a description of it."""
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    op = rng.randrange(8)
    if op == 0:
        del lines[i]
        return "\n".join(lines), f"delete line {i + 1}"
    if op == 1:
        lines.insert(i, lines[i])
        return "\n".join(lines), f"duplicate line {i + 1}"
    if op == 2 and i + 1 < len(lines):
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
        return "\n".join(lines), f"swap lines {i + 1} and {i + 2}"
    if op == 3 and ": " in lines[i]:
        key = lines[i].split(": ", 1)[0]
        token = rng.choice(TOKENS)
        lines[i] = f"{key}: {token}"
        return "\n".join(lines), f"line {i + 1}: value -> {token[:40]!r}"
    if op == 4:
        shift = rng.choice([-2, -1, 1, 2])
        lines[i] = lines[i][-shift:] if shift < 0 else " " * shift + lines[i]
        return "\n".join(lines), f"line {i + 1}: indent {shift:+d}"
    if op == 5:
        cut = rng.randrange(len(text) + 1)
        return text[:cut], f"truncate at {cut}"
    if op == 6:
        ids = re.findall(r"(?:source|dimension|release|superseded_by|id): ([a-z0-9-]+)$", text, re.M)
        if ids and ": " in lines[i]:
            key = lines[i].split(": ", 1)[0]
            other = rng.choice(ids)
            lines[i] = f"{key}: {other}"
            return "\n".join(lines), f"line {i + 1}: value -> existing id {other!r}"
    char = rng.choice(CHARACTERS)
    at = rng.randrange(len(text) + 1)
    return text[:at] + char + text[at:], f"insert {char!r} at {at}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The real paper and dimensions, with the small fixture's initiative (real Qwen findings) and synthesis.

    The whole real initiative files would make each validation five times slower.
    """
    root = tmp_path_factory.mktemp("fuzz") / "findings"
    shutil.copytree(MINI, root)
    for name in ("paper.yaml", "dimensions.yaml"):
        shutil.copy(FINDINGS / name, root / name)
    check_folder(root)  # the unmutated corpus is valid
    return root


LOCATED = re.compile(r"^[^\n]+:\d+:\d+: \S")
SUMMARY = re.compile(r"^\d+ problem\(s\); nothing was written$")


def test_mutated_data_gets_exit_0_or_1_and_located_problems_only(corpus, tmp_path):
    rng = random.Random(SEED)
    files = ["initiatives/alibaba-qwen.yaml"] * 5 + ["dimensions.yaml"] * 3 + ["paper.yaml", "synthesis.yaml"]
    originals = {name: (corpus / name).read_text(encoding="utf-8") for name in set(files)}
    accepted, seen = [], set()
    for n in range(MUTATIONS):
        name = rng.choice(files)
        mutated, how = _mutate(originals[name], rng)
        what = f"mutation {n} (seed {SEED}) of {name}: {how}"
        (corpus / name).write_text(mutated, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["validate", "--findings", str(corpus)])
        except Exception as error:  # noqa: BLE001 - a traceback is the failure this test looks for
            pytest.fail(f"{what}: {type(error).__name__}: {error}")
        finally:
            (corpus / name).write_text(originals[name], encoding="utf-8")
        assert code in (0, 1), what
        lines = err.getvalue().splitlines()
        if code == 1:
            assert lines and SUMMARY.match(lines[-1]), f"{what}: {lines[-1:]}"
            unlocated = [line for line in lines[:-1] if not LOCATED.match(line)]
            assert not unlocated, f"{what}: unlocated output {unlocated[:3]}"
        elif mutated not in seen:
            assert lines == [], what
            seen.add(mutated)
            accepted.append((name, mutated, what))
    assert accepted, "no mutation was valid: the corpus or the mutations are broken"
    # Every accepted mutation renders (once per distinct dataset: many only move whitespace);
    # the first two are also built by mkdocs --strict.
    rendered = set()
    for k, (name, mutated, what) in enumerate(accepted):
        (corpus / name).write_text(mutated, encoding="utf-8")
        try:
            ds = check_folder(corpus)
            if repr(ds) in rendered:
                continue
            rendered.add(repr(ds))
            assert site_files(ds, "https://github.com/example/findings"), what
            if len(rendered) <= 2:
                result = build_site(corpus, tmp_path / f"build-{k}")
                assert result.returncode == 0, f"{what}: {result.stderr[-2000:]}"
        finally:
            (corpus / name).write_text(originals[name], encoding="utf-8")
