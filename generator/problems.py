"""A problem found in the data, and how it is reported."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int  # 1-based
    col: int  # 1-based
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"

    def github_annotation(self) -> str:
        # GitHub Actions workflow command: shows the problem on the pull request's diff.
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.path},line={self.line},col={self.col}::{message}"


class InvalidData(Exception):
    """Raised with every problem found, sorted by file and position."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s) in the data")

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        if os.environ.get("GITHUB_ACTIONS") == "true":
            lines += [p.github_annotation() for p in self.problems]
        return "\n".join(lines)
