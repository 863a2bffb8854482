"""Load: read the YAML files of a findings folder, keeping where every value stands.

PyYAML's C parser composes the node tree; we build plain Python values from it
ourselves so that every key and value keeps its line and column, duplicate keys
and aliases are refused, and no input can make us raise: every problem becomes a
``Problem`` with a position.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .model import FILE_MODELS
from .problems import Problem

MAX_BYTES = 2_000_000  # far above any real findings file; bounds time and memory
MAX_DEPTH = 40
MAX_VALUES = 200_000  # a real file holds a few thousand; bounds the checks' time on hostile input
BOM = b"\xef\xbb\xbf"

Loc = tuple  # a path into the data: keys and list indices


@dataclass
class Document:
    """One parsed file: its data and the position of every key and value."""

    path: str  # as shown in messages
    relpath: str  # relative to the findings folder, with forward slashes
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def problem(self, loc: Loc, message: str, *, at_key: bool = False) -> Problem:
        """A problem at ``loc``, or at the nearest enclosing value that has a position."""
        loc = tuple(loc)
        if at_key and loc in self.keys:
            return Problem(self.path, *self.keys[loc], message)
        while loc and loc not in self.values:
            loc = loc[:-1]
        line, col = self.values.get(loc, (1, 1))
        return Problem(self.path, line, col, message)


class _Reject(Exception):
    def __init__(self, node: yaml.Node, message: str):
        self.line, self.col = node.start_mark.line + 1, node.start_mark.column + 1
        self.message = message


def _position(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def parse(text: str, path: str, relpath: str) -> Document | Problem:
    """Parse one YAML document into a Document, or return the first problem that stops it."""
    loader = yaml.CSafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            message = (error.problem or error.context or "invalid YAML").strip()
            if error.context and error.problem:
                message = f"{error.context}, {error.problem}"
            return Problem(path, *_position(mark), f"YAML syntax error: {message}")
        except yaml.reader.ReaderError as error:  # a control character in the raw text
            line, col = _offset_position(text, error.position)
            return Problem(path, line, col, f"the file holds the control character U+{error.character:04X}; delete it")
        except yaml.YAMLError as error:  # a safety net: the C parser's errors so far all carry a position
            return Problem(path, 1, 1, f"YAML error: {' '.join(str(error).split())}")
        if node is None:
            return Problem(path, 1, 1, "the file is empty")
        doc = Document(path, relpath, None)
        try:
            doc.data = _build(loader, node, (), doc, set(), 0)
        except _Reject as reject:
            return Problem(path, reject.line, reject.col, reject.message)
        return doc
    finally:
        loader.dispose()


_DEFAULT_TAGS = {yaml.MappingNode: "tag:yaml.org,2002:map", yaml.SequenceNode: "tag:yaml.org,2002:seq"}


def _explicit_tag(loader, node) -> bool:
    """Whether the node carries a tag written in the file (``!!int``, ``!foo``) rather than one YAML inferred."""
    if isinstance(node, yaml.ScalarNode):
        plain = not node.style  # the C parser gives "" for plain scalars
        return node.tag != loader.resolve(yaml.ScalarNode, node.value, (plain, not plain))
    return node.tag != _DEFAULT_TAGS[type(node)]


def _build(loader, node, loc: Loc, doc: Document, seen: set[int], depth: int) -> Any:
    if id(node) in seen:
        raise _Reject(node, "anchors and aliases (&name, *name) are not allowed in findings files")
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _Reject(node, f"nesting deeper than {MAX_DEPTH} levels")
    if len(doc.values) > MAX_VALUES:
        raise _Reject(node, f"the file holds over {MAX_VALUES} values; the limit is {MAX_VALUES}")
    if node.tag != "tag:yaml.org,2002:merge" and _explicit_tag(loader, node):
        # A tag makes YAML convert (or refuse) a value behind the contributor's back.
        raise _Reject(
            node, f"YAML tags such as {node.tag.replace('tag:yaml.org,2002:', '!!')} are not allowed in findings files"
        )
    doc.values[loc] = _position(node.start_mark)

    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Reject(key_node, "a key must be plain text")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Reject(key_node, "merge keys (<<) are not allowed in findings files")
            key = key_node.value
            if key_node.tag != "tag:yaml.org,2002:str" and not key_node.style:  # plain, not quoted
                # e.g. `no:` or `2024:` would be read as a boolean or a number
                raise _Reject(key_node, f"key {key!r} is not read as text; quote it")
            if key in first_seen:
                raise _Reject(key_node, f"duplicate key {key!r} (first defined on line {first_seen[key]})")
            first_seen[key] = key_node.start_mark.line + 1
            doc.keys[loc + (key,)] = _position(key_node.start_mark)
            result[key] = _build(loader, value_node, loc + (key,), doc, seen, depth + 1)
        return result

    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, loc + (i,), doc, seen, depth + 1) for i, item in enumerate(node.value)]

    if node.tag == "tag:yaml.org,2002:str":
        return node.value  # most values: skip the constructor's dispatch
    try:
        return loader.construct_object(node, deep=True)
    except ValueError:
        # An impossible timestamp such as 2024-02-30: keep the text, the model says why.
        return node.value
    except Exception as error:  # any other constructor failure becomes a located problem
        problem = getattr(error, "problem", None) or "cannot read this value"
        raise _Reject(node, " ".join(str(problem).split())) from None


def _decode(raw: bytes, path: str) -> str | Problem:
    if raw.startswith(BOM):
        return Problem(path, 1, 1, "the file starts with a byte-order mark; save it as UTF-8 without BOM")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        col = error.start - (before.rfind(b"\n") + 1) + 1
        return Problem(path, line, col, f"not valid UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8")


def model_for(relpath: str):
    for pattern, model in FILE_MODELS.items():
        if fnmatch.fnmatchcase(relpath, pattern) and relpath.count("/") == pattern.count("/"):
            return model
    return None


def data_files(root: Path) -> list[str]:
    """Every file the findings folder holds (relative paths), in a stable order."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "schema" and not d.startswith("."))
        for name in filenames:
            if not name.startswith("."):
                found.append(Path(dirpath, name).relative_to(root).as_posix())
    return sorted(found)


def read_regular(path: Path, shown: str) -> bytes | Problem:
    """The bytes of a regular file of at most MAX_BYTES; anything else is refused before it is read.

    A symlink could point outside the folder (and show that file in messages); a
    device or a pipe would never end; both are refused by type, not by size.
    """
    try:
        info = os.lstat(path)
    except OSError as error:
        return Problem(shown, 1, 1, f"cannot read the file ({error.strerror})")
    if stat.S_ISLNK(info.st_mode):
        return Problem(shown, 1, 1, "symbolic links are not allowed in the findings folder; use a regular file")
    if not stat.S_ISREG(info.st_mode):
        return Problem(shown, 1, 1, "not a regular file")
    if info.st_size > MAX_BYTES:
        return Problem(shown, 1, 1, f"file is {info.st_size} bytes; the limit is {MAX_BYTES}")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        return Problem(shown, 1, 1, f"cannot read the file ({error.strerror})")
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(MAX_BYTES + 1)  # bounded, should the file grow meanwhile
    if len(raw) > MAX_BYTES:
        return Problem(shown, 1, 1, f"file is over {MAX_BYTES} bytes; the limit is {MAX_BYTES}")
    return raw


def load_folder(root: Path) -> tuple[list[Document], list[Problem]]:
    """Parse every data file under ``root``; return the documents and the problems found."""
    documents, problems = [], []
    for relpath in data_files(root):
        shown = os.path.join(str(root), relpath)
        if model_for(relpath) is None:
            expected = ", ".join(FILE_MODELS)
            problems.append(Problem(shown, 1, 1, f"unexpected file; the findings folder holds {expected}"))
            continue
        raw = read_regular(root / relpath, shown)
        if isinstance(raw, Problem):
            problems.append(raw)
            continue
        text = _decode(raw, shown)
        if isinstance(text, Problem):
            problems.append(text)
            continue
        result = parse(text, shown, relpath)
        (problems if isinstance(result, Problem) else documents).append(result)
    return documents, problems
