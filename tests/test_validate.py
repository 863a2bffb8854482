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
        [f"{QWEN}:39:13: unknown source 'qwen2-reprot'; did you mean 'qwen2-report'?"],
    ),
    "dangling dimension": (
        QWEN, "- dimension: objectives", "- dimension: objective",
        [f"{QWEN}:30:14: unknown dimension 'objective'; did you mean 'objectives'?"],
    ),
    "date in the future": (
        QWEN, "  published: 2024-07-15", "  published: 2999-07-15",
        [f"{QWEN}:14:14: published: 2999-07-15 is in the future"],
    ),
    "accessed before published": (
        QWEN, "arXiv.2407.10671\n  accessed: 2026-11-28", "arXiv.2407.10671\n  accessed: 2024-07-01",
        [f"{QWEN}:18:13: accessed: earlier than the publication date"],
    ),
    "impossible date": (
        QWEN, "  published: 2024-07-15", "  published: 2024-02-30",
        [f"{QWEN}:14:14: published: Input should be a valid date or datetime, "
         "day value is outside expected range"],
    ),
    "javascript url": (
        QWEN, "url: https://arxiv.org/abs/2407.10671", "url: javascript:alert(1)",
        [f"{QWEN}:15:8: url: must be an http:// or https:// URL"],
    ),
    "quote too long": (
        QWEN, "quote: it ensures that", "quote: " + "x" * 200 + " it ensures that",
        [f"{QWEN}:41:12: quote: quote is 321 characters; the limit is 300"],
    ),
    "partial without note": (
        QWEN, "  note: 'Missing: the number of annotators, whether they were employees, contractors or crowd workers,\n"
              "    any vendor, and how they were recruited.'\n", "",
        [f"{QWEN}:100:11: a partial finding needs a 'note' saying what is missing"],
    ),
    "not-disclosed without searched": (
        QWEN, "  searched:\n  - qwen2-report\n  - qwen2-5-report\n", "",
        [f"{QWEN}:131:11: a not-disclosed finding needs 'searched': the sources searched"],
    ),
    "not-applicable without reason or rubric": (
        QWEN, "- dimension: annotators\n  status: partial", "- dimension: annotators\n  status: not-applicable",
        [f"{QWEN}:100:11: a not-applicable finding needs a 'reason'",
         f"{QWEN}:100:11: dimension 'annotators' has no rubric for not-applicable",
         f"{QWEN}:100:11: status 'not-applicable' does not match the last history entry, which changed it to 'partial'"],
    ),
    "wrong enumeration value": (
        QWEN, "- dimension: annotators\n  status: partial", "- dimension: annotators\n  status: closed",
        [f"{QWEN}:100:11: status: 'closed' is not allowed; expected 'disclosed', 'partial', "
         "'not-disclosed', 'not-applicable' or 'unknown'"],
    ),
    "yes read as a boolean": (
        QWEN, "name: Alibaba Qwen", "name: yes",
        [f"{QWEN}:3:7: name: expected text, got a yes/no value (true); quote it if you mean text"],
    ),
    "number where a date is expected": (
        QWEN, "  published: 2024-07-15", "  published: 2024",
        [f"{QWEN}:14:14: published: expected a date written as YYYY-MM-DD"],
    ),
    "duplicate source id": (
        QWEN, "findings:\n", "- id: qwen2-report\n  title: Again\n  publisher: Alibaba\n  kind: blog\n"
        "  first_party: true\n  published: 2024-01-01\n  url: https://qwenlm.github.io/\n"
        "  accessed: 2026-11-28\nfindings:\n",
        [f"{QWEN}:29:7: duplicate source id 'qwen2-report' (also in {{root}}/{QWEN}:9)"],
    ),
    "uncited source": (
        QWEN, "findings:\n", "- id: unused-doc\n  title: Unused\n  publisher: Alibaba\n  kind: blog\n"
        "  first_party: true\n  published: 2024-01-01\n  url: https://qwenlm.github.io/\n"
        "  accessed: 2026-11-28\nfindings:\n",
        [f"{QWEN}:29:7: source 'unused-doc' is never cited by a finding (as evidence or as searched)"],
    ),
    "id does not match file name": (
        QWEN, "id: alibaba-qwen", "id: alibaba-qwen2",
        [f"{QWEN}:2:5: id 'alibaba-qwen2' must match the file name (alibaba-qwen.yaml)",
         "synthesis.yaml:15:9: unknown finding 'alibaba-qwen/annotators'; did you mean 'alibaba-qwen2/annotators'?",
         "synthesis.yaml:16:9: unknown finding 'alibaba-qwen/annotator-pay'; "
         "did you mean 'alibaba-qwen2/annotator-pay'?"],
    ),
    "id with a path separator": (
        "dimensions.yaml", "- id: objectives", "- id: ../objectives",
        ["dimensions.yaml:3:7: id: '../objectives' does not match the required form ^[a-z0-9]+(-[a-z0-9]+)*$"],
    ),
    "value outside the dimension's choices": (
        QWEN, "  - reward-model\n", "  - reward-modelling\n",
        [f"{QWEN}:60:5: value: 'reward-modelling' is not allowed; expected one of sft, reward-model, rlhf-ppo, "
         "rejection-sampling, dpo, online-rl, rlaif, constitutional-ai, rule-based-rewards, "
         "deliberative-alignment, distillation, model-merging"],
    ),
    "status contradicting the per-document statuses": (
        QWEN, "  - source: qwen2-5-report\n    status: disclosed\n  confidence: high\n  as_of: 2026-11-28\n"
        "- dimension: techniques", "  - source: qwen2-5-report\n    status: not-disclosed\n  confidence: high\n"
        "  as_of: 2026-11-28\n- dimension: techniques",
        [f"{QWEN}:31:11: status 'disclosed' does not follow from by_source, which implies 'partial' "
         "(the most recent document decides; see the methodology)"],
    ),
    "yaml syntax error": (
        QWEN, "name: Alibaba Qwen", "name: [Alibaba Qwen",
        [f"{QWEN}:4:13: YAML syntax error: while parsing a flow sequence, did not find expected ',' or ']'"],
    ),
    "tab indentation": (
        QWEN, "  title: Qwen2 Technical Report", "\ttitle: Qwen2 Technical Report",
        [f"{QWEN}:10:1: YAML syntax error: while scanning a plain scalar, "
         "found a tab character that violates indentation"],
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
    edit(mini / QWEN, "status: partial", "status: closed")
    edit(mini / QWEN, "as_of: 2026-11-28\n- dimension: annotators", "as_of: 2999-01-01\n- dimension: annotators")
    code, found = problems(mini, capsys)
    assert code == 1
    assert [line.split(": ")[0] for line in found] == [
        "dimensions.yaml:6:3",
        f"{QWEN}:98:10",
        f"{QWEN}:100:11",
    ]


def test_history_must_be_ordered_and_end_at_the_current_status(mini, capsys):
    edit(mini / QWEN, "    ref: '#1'\n", (
        "    ref: '#1'\n"
        "  - date: 2026-09-01\n    field: status\n    before: disclosed\n    after: partial\n"
        "    reason: Second look.\n    ref: '#2'\n"))
    code, found = problems(mini, capsys)
    assert code == 1
    assert found == [
        f"{QWEN}:130:11: history is append-only: 2026-09-01 is earlier than the entry before it (2026-11-28)",
        f"{QWEN}:132:13: before: 'disclosed' does not match the previous status change, which ended at 'partial'",
    ]


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "1:1: the file is empty"),
        (b"- id: x\n", "1:1: expected a mapping of fields at the top, got a list"),
        (b"\xef\xbb\xbfid: x\n", "1:1: the file starts with a byte-order mark; save it as UTF-8 without BOM"),
        (b"id: caf\xe9\n", "1:8: not valid UTF-8 (byte 0xe9); save the file as UTF-8"),
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
    edit(mini / QWEN, "status: partial", "status: closed")
    result = run_findings("validate", "--findings", mini)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{mini}/{QWEN}:100:11: status: 'closed' is not allowed")


def test_usage_errors_exit_2(tmp_path):
    assert run_findings("validate", "--findings", tmp_path / "missing").returncode == 2
    assert run_findings("export", "--format", "xml").returncode == 2
    assert run_findings("frobnicate").returncode == 2


def test_problems_are_annotated_on_the_diff_in_github_actions(mini, monkeypatch):
    edit(mini / QWEN, "status: partial", "status: closed")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run_findings("validate", "--findings", mini)
    assert result.returncode == 1
    assert (f"::error file={mini}/{QWEN},line=100,col=11::status: 'closed' is not allowed; expected "
            "'disclosed', 'partial', 'not-disclosed', 'not-applicable' or 'unknown'") in result.stderr.splitlines()
