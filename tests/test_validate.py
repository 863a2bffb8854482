"""The validator: every problem at once, as path:line:col: message, exit 1, never a traceback."""

from __future__ import annotations

import pytest

from conftest import edit, run_findings
from generator.cli import main

QWEN = "initiatives/alibaba-qwen.yaml"


def problems(folder, capsys) -> tuple[int, list[str]]:
    code = main(["validate", "--findings", str(folder)])
    err = capsys.readouterr().err.splitlines()
    prefix = f"{folder}/"
    return code, [line.removeprefix(prefix) for line in err if line.startswith(prefix)]


def test_fixture_is_valid(mini, capsys):
    assert problems(mini, capsys) == (0, [])


SOURCE = "- id: {id}\n  title: Another\n  publisher: Alibaba\n  kind: blog\n  first_party: true\n" \
    "  published: 2024-01-01\n  release: qwen2\n  audit: {audit}\n  url: https://qwenlm.github.io/\n  accessed: 2026-11-28\n"
OBJECTIVES_RECORD = "    status: disclosed\n  - source: qwen2-5-report\n    status: disclosed\n  confidence: high\n" \
    "  as_of: 2026-11-28\n- dimension: techniques"
PAY_RECORD = "  by_source:\n  - source: qwen2-report\n    status: not-disclosed\n  confidence"
PAY_EVIDENCE = "  evidence:\n  - source: qwen2-report\n    locator: Section 4 Post-training, p. 6\n    quote: Unlike " \
    "traditional methods that heavily rely on extensive human supervision, our approach focuses\n      on scalable " \
    "alignment with minimal human annotation (Cao et al., 2024).\n    shows: Annotation is mentioned, with nothing on pay.\n"

CASES = {
    "duplicate key": (
        QWEN, "name: Alibaba Qwen\n", "name: Alibaba Qwen\nname: Qwen\n",
        [f"{QWEN}:4:1: duplicate key 'name' (first defined on line 3)"],
    ),
    "unknown field with suggestion": (
        QWEN, "organisation: Alibaba", "organization: Alibaba",
        [f"{QWEN}:2:1: missing required field 'organisation'",
         f"{QWEN}:4:1: unknown field 'organization'; did you mean 'organisation'?"],
    ),
    "dangling source": (
        QWEN, "  - source: qwen2-report\n    locator: Section 4 Post-training, p. 6\n    quote: it ensures",
        "  - source: qwen2-reprot\n    locator: Section 4 Post-training, p. 6\n    quote: it ensures",
        [f"{QWEN}:52:13: unknown source 'qwen2-reprot'; did you mean 'qwen2-report'?"],
    ),
    "dangling dimension": (
        QWEN, "- dimension: objectives", "- dimension: objective",
        [f"{QWEN}:44:14: unknown dimension 'objective'; did you mean 'objectives'?"],
    ),
    "date in the future": (
        QWEN, "  published: 2024-07-15", "  published: 2999-07-15",
        [f"{QWEN}:21:14: published: 2999-07-15 is in the future"],
    ),
    "accessed before published": (
        QWEN, "arXiv.2407.10671\n  accessed: 2026-11-28", "arXiv.2407.10671\n  accessed: 2024-07-01",
        [f"{QWEN}:27:13: accessed: earlier than the publication date"],
    ),
    "accessed on the publication day is fine": (
        QWEN, "arXiv.2407.10671\n  accessed: 2026-11-28", "arXiv.2407.10671\n  accessed: 2024-07-15\n  bogus: 1",
        [f"{QWEN}:28:3: unknown field 'bogus'; allowed: id, title, publisher, kind, first_party, published, release, "
         "audit, version, superseded_by, not_audited, url, arxiv, doi, accessed, archived_url"],
    ),
    "impossible date": (
        QWEN, "  published: 2024-07-15", "  published: 2024-02-30",
        [f"{QWEN}:21:14: published: Input should be a valid date or datetime, "
         "day value is outside expected range"],
    ),
    "javascript url": (
        QWEN, "url: https://arxiv.org/abs/2407.10671", "url: javascript:alert(1)",
        [f"{QWEN}:24:8: url: must be an http:// or https:// URL"],
    ),
    "quote too long": (
        QWEN, "quote: it ensures that", "quote: " + "x" * 200 + " it ensures that",
        [f"{QWEN}:54:12: quote: quote is 321 characters; the limit is 300"],
    ),
    "partial reading without note": (
        QWEN, "    status: disclosed\n  confidence: high\n  as_of: 2026-11-28\n- dimension: annotator-workforce",
        "    status: partial\n  confidence: high\n  as_of: 2026-11-28\n- dimension: annotator-workforce",
        [f"{QWEN}:69:14: the latest reading is partial: add a 'note' saying what is missing"],
    ),
    "typed status is refused": (
        QWEN, "- dimension: annotator-pay-rates\n", "- dimension: annotator-pay-rates\n  status: disclosed\n",
        [f"{QWEN}:157:3: 'status' is derived from the per-document record (by_source) and cannot be typed; "
         "see the methodology's status rule"],
    ),
    "finding without a per-document record": (
        QWEN, PAY_RECORD, "  confidence",
        [f"{QWEN}:156:14: a finding needs 'by_source': the status each document alone earns",
         f"{QWEN}:161:13: document 'qwen2-report' is quoted but has no 'by_source' entry in this finding"],
    ),
    "finding without evidence": (
        QWEN, PAY_EVIDENCE, "",
        [f"{QWEN}:156:14: a finding needs at least one 'evidence' entry"],
    ),
    "record naming an unknown document": (
        QWEN, PAY_RECORD, "  by_source:\n  - source: qwen2-reprot\n    status: not-disclosed\n  confidence",
        [f"{QWEN}:161:13: document 'qwen2-report' is quoted but has no 'by_source' entry in this finding",
         f"{QWEN}:167:13: unknown source 'qwen2-reprot'; did you mean 'qwen2-report'?"],
    ),
    "record naming a document twice": (
        QWEN, PAY_RECORD, PAY_RECORD.replace("  confidence", "  - source: qwen2-report\n    status: not-disclosed\n  confidence"),
        [f"{QWEN}:169:13: document 'qwen2-report' is recorded twice (also by_source[0])"],
    ),
    "not-audited without a reason": (
        QWEN, "findings:\n", SOURCE.format(id="qwen-blog", audit="not-audited") + "findings:\n",
        [f"{QWEN}:50:10: a not-audited source needs 'not_audited': why it was not audited"],
    ),
    "record status that is not a document status": (
        QWEN, OBJECTIVES_RECORD, OBJECTIVES_RECORD.replace("status: disclosed\n  conf", "status: unknown\n  conf"),
        [f"{QWEN}:66:13: status: a document's status is disclosed, partial or not-disclosed, not 'unknown'"],
    ),
    "wrong enumeration value": (
        QWEN, OBJECTIVES_RECORD, OBJECTIVES_RECORD.replace("status: disclosed\n  conf", "status: closed\n  conf"),
        [f"{QWEN}:66:13: status: 'closed' is not allowed; expected 'disclosed', 'partial', "
         "'not-disclosed', 'not-applicable' or 'unknown'"],
    ),
    "unknown release": (
        QWEN, "  release: qwen2-5\n", "  release: qwen25\n",
        [f"{QWEN}:34:12: unknown release 'qwen25'; did you mean 'qwen2-5'?"],
    ),
    "retired dimension used by a finding": (
        QWEN, "- dimension: annotator-pay-rates\n", "- dimension: annotator-pay\n",
        [f"{QWEN}:156:14: dimension 'annotator-pay' was retired; use annotator-pay-rates",
         "synthesis.yaml:16:9: unknown finding 'alibaba-qwen/annotator-pay-rates'; "
         "did you mean 'alibaba-qwen/annotator-pay'?"],
    ),
    "retired dimension id reused": (
        "dimensions.yaml", "retired:\n", "- id: annotators\n  lens: data\n  title: Again\n  question: Who?\n"
        "  rubric:\n    disclosed: a\n    partial: b\n    not-disclosed: c\nretired:\n",
        ["dimensions.yaml:59:7: duplicate dimension id 'annotators' (also in {root}/dimensions.yaml:50)"],
    ),
    "history that disagrees with the record": (
        QWEN, "  - source: qwen2-5-report\n    status: not-disclosed\n  confidence: high\n  as_of: 2026-11-28\n  history:",
        "  - source: qwen2-5-report\n    status: partial\n  confidence: high\n  as_of: 2026-11-28\n  note: x\n  history:",
        [f"{QWEN}:139:3: the last status change in the history ends at 'not-disclosed', but the record now gives "
         "'partial': append a history entry"],
    ),
    "yes read as a boolean": (
        QWEN, "name: Alibaba Qwen", "name: yes",
        [f"{QWEN}:3:7: name: expected text, got a yes/no value (true); quote it if you mean text"],
    ),
    "number where a date is expected": (
        QWEN, "  published: 2024-07-15", "  published: 2024",
        [f"{QWEN}:21:14: published: expected a date written as YYYY-MM-DD"],
    ),
    "duplicate source id": (
        QWEN, "findings:\n", SOURCE.format(id="qwen2-report", audit="selective") + "findings:\n",
        [f"{QWEN}:43:7: duplicate source id 'qwen2-report' (also in {{root}}/{QWEN}:16)"],
    ),
    "uncited source": (
        QWEN, "findings:\n", SOURCE.format(id="unused-doc", audit="selective") + "findings:\n",
        [f"{QWEN}:43:7: source 'unused-doc' is read selectively but no finding records it (in by_source)"],
    ),
    "id does not match file name": (
        QWEN, "id: alibaba-qwen", "id: alibaba-qwen2",
        [f"{QWEN}:2:5: id 'alibaba-qwen2' must match the file name (alibaba-qwen.yaml)",
         "synthesis.yaml:15:9: unknown finding 'alibaba-qwen/annotator-workforce'; "
         "did you mean 'alibaba-qwen2/annotator-workforce'?",
         "synthesis.yaml:16:9: unknown finding 'alibaba-qwen/annotator-pay-rates'; "
         "did you mean 'alibaba-qwen2/annotator-pay-rates'?"],
    ),
    "id with a path separator": (
        "dimensions.yaml", "- id: objectives", "- id: ../objectives",
        ["dimensions.yaml:3:7: id: '../objectives' does not match the required form ^[a-z0-9]+(-[a-z0-9]+)*$"],
    ),
    "value outside the dimension's choices": (
        QWEN, "  - reward-model\n", "  - reward-modelling\n",
        [f"{QWEN}:72:5: value: 'reward-modelling' is not allowed; expected one of sft, reward-model, rlhf-ppo, "
         "rejection-sampling, dpo, online-rl, rlaif, constitutional-ai, rule-based-rewards, "
         "deliberative-alignment, distillation, model-merging"],
    ),
    "yaml syntax error": (
        QWEN, "name: Alibaba Qwen", "name: [Alibaba Qwen",
        [f"{QWEN}:4:13: YAML syntax error: while parsing a flow sequence, did not find expected ',' or ']'"],
    ),
    "tab indentation": (
        QWEN, "  title: Qwen2 Technical Report", "\ttitle: Qwen2 Technical Report",
        [f"{QWEN}:17:1: YAML syntax error: while scanning a plain scalar, "
         "found a tab character that violates indentation"],
    ),
    "a value where the dimension takes none": (
        QWEN, "- dimension: objectives\n", "- dimension: objectives\n  value: [sft]\n",
        [f"{QWEN}:45:3: dimension 'objectives' takes no 'value'"],
    ),
    "two findings for one dimension": (
        QWEN, "- dimension: annotator-pay-rates\n", "- dimension: annotator-workforce\n",
        [f"{QWEN}:156:14: a second finding for dimension 'annotator-workforce' (the first is findings[2])",
         "synthesis.yaml:16:9: unknown finding 'alibaba-qwen/annotator-pay-rates'; "
         "did you mean 'alibaba-qwen/annotator-workforce'?"],
    ),
    "window ends before it starts": (
        "paper.yaml", "  end: 2025-08-23\n", "  end: 2022-08-23\n",
        [f"{QWEN}:138:3: the last status change in the history ends at 'not-disclosed', but the record now "
         "gives 'unknown': append a history entry",
         "paper.yaml:16:8: window: the end must be after the start"],
    ),
    "retired dimension with an unknown successor": (
        "dimensions.yaml", "  successors: [annotator-pay-rates]\n", "  successors: [annotator-pay-ratez]\n",
        ["dimensions.yaml:55:16: unknown successor dimension 'annotator-pay-ratez'; did you mean 'annotator-pay-rates'?"],
    ),
    "duplicate release id": (
        QWEN, "- id: qwen2-5\n  name: Qwen2.5\n", "- id: qwen2\n  name: Qwen2.5\n",
        [f"{QWEN}:12:7: duplicate release id 'qwen2' (also in {{root}}/{QWEN}:9)",
         f"{QWEN}:34:12: unknown release 'qwen2-5'; did you mean 'qwen2'?"],
    ),
    "initiative-wide is not a release": (
        QWEN, "- id: qwen2-5\n  name: Qwen2.5\n", "- id: initiative-wide\n  name: Qwen2.5\n",
        [f"{QWEN}:12:7: 'initiative-wide' is reserved for documents of no one release",
         f"{QWEN}:34:12: unknown release 'qwen2-5'; did you mean 'qwen2'?"],
    ),
    "version dated before the document": (
        QWEN, "    label: v2\n    date: 2025-01-03\n", "    label: v2\n    date: 2024-12-01\n",
        [f"{QWEN}:38:11: version date: earlier than the publication date"],
    ),
    "not_audited on an audited source": (
        QWEN, "  release: qwen2-5\n  audit: full\n  version:\n    label: v2\n    date: 2025-01-03\n", "  release: qwen2-5\n  audit: full\n  version:\n    label: v2\n    date: 2025-01-03\n" + "  not_audited: Not read yet.\n",
        [f"{QWEN}:39:3: 'not_audited' is only for sources with audit: not-audited"],
    ),
    "superseded_by on a release's document": (
        QWEN, "  release: qwen2-5\n  audit: full\n  version:\n    label: v2\n    date: 2025-01-03\n", "  release: qwen2-5\n  audit: full\n  version:\n    label: v2\n    date: 2025-01-03\n" + "  superseded_by: qwen2-report\n",
        [f"{QWEN}:39:3: only an initiative-wide document can be superseded"],
    ),
    "a document that supersedes itself": (
        QWEN, "  release: qwen2\n  audit: full\n", "  release: initiative-wide\n  audit: full\n  superseded_by: qwen2-report\n",
        [f"{QWEN}:24:18: a document cannot supersede itself"],
    ),
    "superseded by an unknown document": (
        QWEN, "  release: qwen2\n  audit: full\n", "  release: initiative-wide\n  audit: full\n  superseded_by: qwen3-report\n",
        [f"{QWEN}:24:18: unknown source 'qwen3-report'; did you mean 'qwen2-report'?"],
    ),
    "accessed on the publication day, checked with the other rules": (
        QWEN, "arXiv.2407.10671\n  accessed: 2026-11-28", "arXiv.2407.10671\n  accessed: 2024-07-15\n  superseded_by: qwen2-5-report",
        [f"{QWEN}:28:3: only an initiative-wide document can be superseded"],
    ),
    "a record naming an unknown document": (
        QWEN,
        "  - source: qwen2-5-report\n    status: disclosed\n  confidence: high\n  as_of: 2026-11-28\n- dimension: techniques",
        "  - source: qwen2-5-reprot\n    status: disclosed\n  confidence: high\n  as_of: 2026-11-28\n- dimension: techniques",
        [f"{QWEN}:57:13: document 'qwen2-5-report' is quoted but has no 'by_source' entry in this finding",
         f"{QWEN}:65:13: unknown source 'qwen2-5-reprot'; did you mean 'qwen2-5-report'?"],
    ),
    "a not-audited document cited": (
        QWEN, "  release: qwen2\n  audit: full\n", "  release: qwen2\n  audit: not-audited\n  not_audited: Not read.\n",
        [f"{QWEN}:{line}:13: source 'qwen2-report' is not audited (audit: not-audited); it cannot be cited"
         for line in (53, 64, 93, 106, 121, 132, 162, 168)],
    ),
    "not applicable without a rubric for it": (
        QWEN, "- dimension: objectives\n", "- dimension: objectives\n  not_applicable: Does not apply.\n",
        [f"{QWEN}:45:3: dimension 'objectives' has no rubric for not-applicable"],
    ),
    "a dimension move that ends elsewhere": (
        QWEN, "    after: annotator-workforce\n    reason: The annotators question",
        "    after: annotator-count\n    reason: The annotators question",
        [f"{QWEN}:147:12: after: a dimension change must end at this finding's dimension ('annotator-workforce')"],
    ),
    "duplicate lens": (
        "synthesis.yaml", "  - lens: data\n", "  - lens: value-setting\n",
        ["synthesis.yaml:6:11: duplicate lens 'value-setting' (also in {root}/synthesis.yaml:3)"],
    ),
    "a number where a mapping belongs": (
        QWEN, "  version:\n    label: v2\n    date: 2025-01-03\n", "  version: 2\n",
        [f"{QWEN}:36:12: version: expected a mapping, got a number (2); quote it if you mean text"],
    ),
    "an unknown field inside an optional mapping": (
        QWEN, "    label: v2\n", "    labl: v2\n",
        [f"{QWEN}:37:5: missing required field 'label'", f"{QWEN}:37:5: unknown field 'labl'; did you mean 'label'?"],
    ),
    "both readings partial without a note": (
        QWEN, "  - source: qwen2-report\n    status: not-disclosed\n  confidence: high\n  as_of: 2026-11-28\n",
        "  - source: qwen2-report\n    status: partial\n  - source: qwen2-5-report\n    status: partial\n"
        "  confidence: high\n  as_of: 2026-11-28\n",
        [f"{QWEN}:156:14: the latest and best readings are partial: add a 'note' saying what is missing"],
    ),
    "a key that is not text": (
        "paper.yaml", "window:\n", "? [a, b]\n: x\nwindow:\n", ["paper.yaml:14:3: a key must be plain text"],
    ),
    "a second YAML document": (
        "paper.yaml", "window:\n", "---\nwindow:\n",
        ["paper.yaml:14:1: YAML syntax error: expected a single document in the stream, but found another document"],
    ),
    "mapping values inside a plain value": (
        QWEN, "name: Alibaba Qwen\n", "name: Alibaba: Qwen: x\n",
        [f"{QWEN}:3:14: YAML syntax error: mapping values are not allowed in this context"],
    ),
    "duplicate concern id": (
        "synthesis.yaml", "  - id: invisible-annotators\n",
        "  - id: invisible-annotators\n    title: x\n    text: y\n    findings: [alibaba-qwen/objectives]\n"
        "  - id: invisible-annotators\n",
        ["synthesis.yaml:14:9: duplicate concern id 'invisible-annotators' (also in {root}/synthesis.yaml:10)"],
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_reported_with_its_position(name, mini, capsys):
    path, old, new, expected = CASES[name]
    edit(mini / path, old, new)
    code, found = problems(mini, capsys)
    assert code == 1
    assert found == [e.replace("{root}", str(mini)) for e in expected]


def test_every_problem_in_every_file_is_reported_in_order(mini, capsys):
    edit(mini / "dimensions.yaml", "  title: Alignment objectives", "  title: Alignment objectives\n  colour: red")
    edit(mini / QWEN, OBJECTIVES_RECORD, OBJECTIVES_RECORD.replace("status: disclosed\n  conf", "status: closed\n  conf"))
    edit(mini / QWEN, "as_of: 2026-11-28\n- dimension: annotator-workforce", "as_of: 2999-01-01\n- dimension: annotator-workforce")
    code, found = problems(mini, capsys)
    assert code == 1
    assert [line.split(": ")[0] for line in found] == [
        "dimensions.yaml:6:3",
        f"{QWEN}:66:13",
        f"{QWEN}:110:10",
    ]


def test_history_must_be_ordered_and_end_at_the_current_status(mini, capsys):
    edit(mini / QWEN, "    ref: '#1'\n", (
        "    ref: '#1'\n"
        "  - date: 2026-09-01\n    field: status\n    before: disclosed\n    after: partial\n"
        "    reason: Second look.\n    ref: '#2'\n"))
    code, found = problems(mini, capsys)
    assert code == 1
    assert found == [
        f"{QWEN}:144:11: history is append-only: 2026-09-01 is earlier than the entry before it (2026-11-28)",
        f"{QWEN}:146:13: before: 'disclosed' does not match the previous status change, which ended at 'partial'",
    ]


def test_history_entries_on_the_same_day_are_allowed(mini, capsys):
    edit(mini / QWEN, "  - date: 2026-12-01\n    field: dimension", "  - date: 2026-11-28\n    field: dimension")
    edit(mini / QWEN, "  - date: 2026-12-01\n    field: status", "  - date: 2026-11-28\n    field: status")
    assert problems(mini, capsys) == (0, [])


def test_history_before_and_after_must_be_statuses(mini, capsys):
    edit(mini / QWEN, "    before: partial\n    after: not-disclosed\n", "    before: partial\n    after: hidden\n")
    code, found = problems(mini, capsys)
    assert code == 1
    assert found == [
        f"{QWEN}:138:3: the last status change in the history ends at 'hidden', but the record now gives "
        "'not-disclosed': append a history entry",
        f"{QWEN}:153:12: after: 'hidden' is not a status",
    ]


def test_a_not_audited_document_quoted_without_a_record_is_one_problem(mini, capsys):
    # Not also "quoted but has no 'by_source' entry": a document that cannot be cited needs no record.
    edit(mini / QWEN, "findings:\n", SOURCE.format(id="qwen-blog", audit="not-audited\n  not_audited: Not read.") + "findings:\n")
    quoted = "  - source: qwen2-report\n    locator: Section 4 Post-training, p. 6\n    quote: it ensures"
    edit(mini / QWEN, quoted, quoted.replace("qwen2-report", "qwen-blog"))
    assert problems(mini, capsys) == (
        1, [f"{QWEN}:63:13: source 'qwen-blog' is not audited (audit: not-audited); it cannot be cited"]
    )


def test_missing_required_file(mini, capsys):
    (mini / "paper.yaml").unlink()
    code, found = problems(mini, capsys)
    assert (code, found) == (1, ["paper.yaml:1:1: missing file"])


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "1:1: the file is empty"),
        (b"- id: x\n", "1:1: expected a mapping of fields at the top, got a list"),
        (b"\xef\xbb\xbfid: x\n", "1:1: the file starts with a byte-order mark; save it as UTF-8 without BOM"),
        (b"id: caf\xe9\n", "1:8: not valid UTF-8 (byte 0xe9); save the file as UTF-8"),
        (b"a: x\nid: caf\xe9\n", "2:8: not valid UTF-8 (byte 0xe9); save the file as UTF-8"),
        (b"lenses:\n  <<: {a: 1}\n", "2:3: merge keys (<<) are not allowed in findings files"),
        (b"a: &x [1]\nb: *x\n", "1:4: anchors and aliases (&name, *name) are not allowed in findings files"),
        (b"\x89PNG\r\n\x1a\n", "1:1: not valid UTF-8 (byte 0x89); save the file as UTF-8"),
    ],
)
def test_unreadable_files(content, expected, mini, capsys):
    (mini / "synthesis.yaml").write_bytes(content)
    code, found = problems(mini, capsys)
    assert code == 1
    assert found == [f"synthesis.yaml:{expected}"]


def test_cli_exits_1_without_traceback(mini):
    edit(mini / QWEN, OBJECTIVES_RECORD, OBJECTIVES_RECORD.replace("status: disclosed\n  conf", "status: closed\n  conf"))
    result = run_findings("validate", "--findings", mini)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{mini}/{QWEN}:66:13: status: 'closed' is not allowed")


def test_usage_errors_exit_2(tmp_path):
    assert run_findings("validate", "--findings", tmp_path / "missing").returncode == 2
    assert run_findings("export", "--format", "xml").returncode == 2
    assert run_findings("frobnicate").returncode == 2


def test_problems_are_annotated_on_the_diff_in_github_actions(mini, monkeypatch):
    edit(mini / QWEN, OBJECTIVES_RECORD, OBJECTIVES_RECORD.replace("status: disclosed\n  conf", "status: closed\n  conf"))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run_findings("validate", "--findings", mini)
    assert result.returncode == 1
    assert (f"::error file={mini}/{QWEN},line=66,col=13::status: 'closed' is not allowed; expected "
            "'disclosed', 'partial', 'not-disclosed', 'not-applicable' or 'unknown'") in result.stderr.splitlines()
