"""A problem found in the data, and how it is reported."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

# Anything that could end a line or drive a terminal, shown as an escape instead.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe to print on one line: a file name or value cannot forge output or move the cursor."""
    return _UNPRINTABLE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text
    )


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int  # 1-based
    col: int  # 1-based
    message: str

    def __str__(self) -> str:
        return f"{printable(self.path)}:{self.line}:{self.col}: {printable(self.message)}"

    def github_annotation(self) -> str:
        # GitHub Actions workflow command: shows the problem on the pull request's diff.
        def escape(text: str, extra: str = "") -> str:
            text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            for char in extra:
                text = text.replace(char, f"%{ord(char):02X}")
            return printable(text)

        path = escape(self.path, ":,")
        return f"::error file={path},line={self.line},col={self.col}::{escape(self.message)}"


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
