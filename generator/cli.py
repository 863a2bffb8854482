"""The ``findings`` command: validate, generate, build, serve, export, diff, links, quotes, schema.

Exit status: 0 success, 1 invalid data (or a failed build), 2 usage error.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from pathlib import Path

from .export import FORMATS
from .pipeline import BuildFailed
from .problems import InvalidData

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="findings", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument(
            "--findings",
            type=Path,
            default=Path("findings"),
            metavar="DIR",
            help="the findings folder (default: ./findings)",
        )
        return p

    command("validate", "check the data; print every problem as path:line:col: message")
    gen = command("generate", "validate, then write the generated pages and exports into docs/")
    build = command("build", "validate, generate, then mkdocs build --strict into site/")
    serve = command("serve", "generate and preview the site with live reload (data changes included)")

    def config(p: argparse.ArgumentParser, help: str = "the mkdocs configuration (default: ./mkdocs.yml)") -> None:
        p.add_argument("--config", type=Path, default=Path("mkdocs.yml"), metavar="FILE", help=help)

    for p in (gen, build, serve):
        p.add_argument("--docs", type=Path, default=Path("docs"), metavar="DIR", help="default: ./docs")
        config(p)
    build.add_argument("--site", type=Path, default=Path("site"), metavar="DIR", help="default: ./site")
    serve.add_argument("--addr", default="127.0.0.1:8000", help="default: 127.0.0.1:8000")
    export = command("export", "write the findings in one of the export formats")
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: standard output")
    diff = command("diff", "show, as Markdown, the findings added, removed and changed between two revisions")
    diff.add_argument("base", help="a git revision (e.g. origin/main) or a findings folder")
    diff.add_argument("head", nargs="?", help="a git revision or a folder (default: the --findings folder)")
    diff.add_argument(
        "--check-history",
        action="store_true",
        help="fail if a status or evidence change has no history entry, or history was rewritten",
    )
    links = sub.add_parser("links", help="check the built site's links and anchors (raw HTML included)")
    links.add_argument("--site", type=Path, default=Path("site"), metavar="DIR", help="default: ./site")
    config(links)
    links.add_argument("--outside", action="store_true", help="also request every outside link (needs the network)")
    quotes = command("quotes", "check that every quote stands verbatim in the document it cites")
    quotes.add_argument(
        "--cache",
        type=Path,
        metavar="DIR",
        help="read documents from DIR (named by source id: <id>.pdf, .html, .md or .txt); save fetched ones there",
    )
    quotes.add_argument("--offline", action="store_true", help="fetch nothing: read only the --cache folder")
    quotes.add_argument("--source", action="append", metavar="ID", help="check only this document (repeatable)")
    quotes.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS", help="per request (default: 60)")
    quotes.add_argument(
        "--fail-unreadable", action="store_true", help="also fail if a document could not be fetched or read"
    )
    config(quotes, "the mkdocs configuration: the repository it names goes in the requests' User-Agent")
    schema = command("schema", "write the JSON Schemas generated from the model into findings/schema/")
    schema.add_argument("--check", action="store_true", help="fail if the committed schemas are out of date")
    return parser


def _validate(args) -> int:
    from .pipeline import validate

    ds = validate(args.findings)
    count = sum(len(i.findings) for i in ds.initiatives)
    print(f"{args.findings}: valid ({len(ds.initiatives)} initiative(s), {count} finding(s))")
    return EXIT_OK


def _generate(args) -> int:
    from .pipeline import generate

    changed = generate(args.findings, args.docs, args.config)
    print(f"generated into {args.docs}: {len(changed)} file(s) changed")
    return EXIT_OK


def _build(args) -> int:
    from .pipeline import build

    changed = build(args.findings, args.docs, args.config, args.site)
    print(f"built {args.site} ({len(changed)} generated file(s) changed in {args.docs})")
    return EXIT_OK


def _serve(args) -> int:
    from .pipeline import generate, run_child

    generate(args.findings, args.docs, args.config)

    def regenerate_on_change():
        # mkdocs serve watches docs/; this keeps docs/ in step with findings/.
        def stamp():
            return sorted((p, p.stat().st_mtime_ns) for p in args.findings.rglob("*.yaml"))

        last = stamp()
        while True:
            time.sleep(1)
            now = stamp()
            if now != last:
                last = now
                try:
                    generate(args.findings, args.docs, args.config)
                except InvalidData as error:
                    print(error.report(), file=sys.stderr)

    threading.Thread(target=regenerate_on_change, daemon=True).start()
    command = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(args.config), "-a", args.addr]
    return run_child(command)


def _export(args) -> int:
    from .pipeline import dataset_version, validate

    text = FORMATS[args.format](validate(args.findings), dataset_version())
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _schema(args) -> int:
    from .schema import SCHEMA_DIR, schemas

    folder = args.findings / SCHEMA_DIR
    stale = [
        n
        for n, text in schemas().items()
        if not (folder / n).is_file() or (folder / n).read_text(encoding="utf-8") != text
    ]
    if args.check:
        for name in stale:
            print(f"{folder / name}: out of date; run `findings schema`", file=sys.stderr)
        return EXIT_INVALID if stale else EXIT_OK
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(schemas())} schema(s) into {folder} ({len(stale)} changed)")
    return EXIT_OK


def _diff(args) -> int:
    from .diff import RevisionNotFound, as_markdown, compare, findings_at, history_problems

    try:
        with (
            findings_at(args.base, args.findings) as base,
            findings_at(args.head or str(args.findings), args.findings) as head,
        ):
            changes = compare(base, head)
    except RevisionNotFound as error:
        print(f"findings: {error}", file=sys.stderr)
        return EXIT_USAGE
    except InvalidData as error:
        print(error.report(), file=sys.stderr)
        print("findings: one side does not load under the current data model", file=sys.stderr)
        return EXIT_INVALID
    print(as_markdown(changes))
    if args.check_history:
        problems = history_problems(changes)
        for problem in problems:
            print(problem, file=sys.stderr)
        return EXIT_INVALID if problems else EXIT_OK
    return EXIT_OK


def _links(args) -> int:
    from urllib.parse import urlsplit

    from .links import check_outside, check_site
    from .pipeline import mkdocs_setting

    if not args.site.is_dir():
        print(f"findings: {args.site} is not a built site; run `findings build` first", file=sys.stderr)
        return EXIT_USAGE
    base = urlsplit(mkdocs_setting(args.config, "site_url") or "/").path or "/"
    broken, outside = check_site(args.site, base)
    for link in broken:
        print(link, file=sys.stderr)
    dead = check_outside(outside) if args.outside else []
    for url, reason in dead:
        print(f"{url}: {reason}", file=sys.stderr)
    checked = f"{len(outside)} outside link(s) {'checked' if args.outside else 'not requested'}"
    print(f"{args.site}: {len(broken)} broken internal link(s), {len(dead)} dead outside link(s); {checked}")
    return EXIT_INVALID if broken or dead else EXIT_OK


def _quotes(args) -> int:
    from .pipeline import dataset_version, mkdocs_setting, validate
    from .quotes import check_quotes, fetcher

    if args.offline and args.cache is None:
        print("findings: --offline reads documents only from a cache folder; give --cache DIR", file=sys.stderr)
        return EXIT_USAGE
    if not args.timeout > 0:
        print("findings: --timeout must be a positive number of seconds", file=sys.stderr)
        return EXIT_USAGE
    if args.cache is not None and not args.cache.is_dir():
        print(f"findings: {args.cache} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        import pdfminer  # noqa: F401
    except ImportError:
        print("findings: quotes reads PDFs with pdfminer.six: pip install -e '.[quotes]'", file=sys.stderr)
        return EXIT_USAGE
    ds = validate(args.findings)
    only = set(args.source) if args.source else None
    unknown = sorted((only or set()) - set(ds.sources()))
    if unknown:
        print(f"findings: no such source: {', '.join(unknown)}", file=sys.stderr)
        return EXIT_USAGE
    repository = mkdocs_setting(args.config, "extra", "repository")
    about = repository or "a findings dataset"
    agent = f"decoding-alignment-findings/{dataset_version()} (checks the quotes of {about} against their documents)"
    fetch = None if args.offline else fetcher(agent, args.timeout)
    report = check_quotes(ds, args.findings, args.cache, fetch, only)
    for line in report.lines(report.missing) + report.lines(report.unread):
        print(line, file=sys.stderr)
    print(report.summary())
    failed = report.missing or (args.fail_unreadable and report.unread)
    return EXIT_INVALID if failed else EXIT_OK


COMMANDS = {
    "validate": _validate,
    "generate": _generate,
    "build": _build,
    "serve": _serve,
    "export": _export,
    "schema": _schema,
    "links": _links,
    "diff": _diff,
    "quotes": _quotes,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # A terminated build unwinds like an interrupted one: its child ends, its staging folder goes.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    if hasattr(args, "findings") and args.command != "schema" and not args.findings.is_dir():
        print(f"findings: {args.findings} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except InvalidData as error:
        print(error.report(), file=sys.stderr)
        print(f"{len(error.problems)} problem(s); nothing was written", file=sys.stderr)
        return EXIT_INVALID
    except BuildFailed as error:
        print(f"findings: {error}", file=sys.stderr)
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
