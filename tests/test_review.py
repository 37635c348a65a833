"""The review bot: suggestions from texts, then end to end against a fake GitHub on 127.0.0.1.

The oracle for every review is GitHub's own behaviour, emulated: commit each
suggestion (lines ``start_line..line`` replaced by its block, bottom-up), then
``git apply`` the body's patch; the files must equal what ``tffix --apply``
writes.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from github_server import FakeGitHub, diff_hunks, placement_problem
from hypothesis import given, settings
from hypothesis import strategies as st

from tffix.api import Result
from tffix.review import command
from tffix.review.github import GitHub, GitHubError
from tffix.review.plan import commentable_lines, plan_review
from tffix.review.suggestions import Suggestion, suggest
from tffix.syntax.source import SourceFile

pytest.importorskip("unidiff")


# --- the oracle ---------------------------------------------------------------------------------


def commit_suggestions(text: str, suggestions: list[tuple[int, int, list[str]]]) -> str:
    """GitHub's "Commit suggestions": each replaces whole lines start..line, applied bottom-up."""
    lines = text.splitlines(keepends=True)
    for start, end, block in sorted(suggestions, key=lambda s: s[1], reverse=True):
        ending = lines[end - 1][len(lines[end - 1].rstrip("\r\n")) :]
        newline = "\r\n" if ending == "\r\n" or "\r\n" in text else "\n"
        replaced = [line + newline for line in block[:-1]] + [block[-1] + ending] if block else []
        lines[start - 1 : end] = replaced
    return "".join(lines)


def as_triples(suggestions: list[Suggestion]):
    return [(s.start_line, s.line, list(s.replacement)) for s in suggestions]


# --- pure suggestions, on hand-written texts ----------------------------------------------------


def test_changed_line_is_a_single_line_suggestion():
    [s] = suggest("a.tf", "a\nb\nc\n", "a\nB\nc\n")
    assert (s.start_line, s.line, s.replacement) == (2, 2, ("B",))
    assert s.block == "```suggestion\nB\n```"


def test_insertion_repeats_the_unchanged_line_above():
    [s] = suggest("a.tf", "a\nb\nc\nd\n", "a\nb\nnew\nc\nd\n")
    assert (s.start_line, s.line, s.replacement) == (2, 2, ("b", "new"))


def test_insertion_at_file_start_anchors_on_line_one_after_the_new_lines():
    [s] = suggest("a.tf", "a\nb\nc\n", "x\ny\na\nb\nc\n")
    assert (s.start_line, s.line, s.replacement) == (1, 1, ("x", "y", "a"))


def test_deletion_is_an_empty_block():
    [s] = suggest("a.tf", "a\nb\nc\nd\n", "a\nd\n")
    assert (s.start_line, s.line, s.replacement) == (2, 3, ())
    assert s.block == "```suggestion\n```"


def test_adjacent_ranges_merge_and_distant_ones_do_not():
    before = "a\nb\nc\nd\ne\nf\ng\nh\n"
    merged = suggest("a.tf", before, "a\nB\nc\nnew\nd\ne\nf\ng\nH\n")
    assert [(s.start_line, s.line) for s in merged] == [(2, 3), (8, 8)]
    assert merged[0].replacement == ("B", "c", "new")


def test_fence_is_longer_than_any_backtick_run():
    [s] = suggest("a.tf", "x = 1\n", "x = <<EOT\n````md\nEOT\n")
    assert s.block.startswith("`````suggestion\n") and s.block.endswith("\n`````")


def test_crlf_file_takes_plain_lines_and_keeps_crlf_when_committed():
    before, after = "a\r\nb\r\nc\r\n", "a\r\nB\r\nnew\r\nc\r\n"
    suggestions = suggest("a.tf", before, after)
    assert as_triples(suggestions) == [(2, 2, ["B", "new"])]
    assert commit_suggestions(before, as_triples(suggestions)) == after


@pytest.mark.parametrize("before, after", [("a\nb", "a\nb\n"), ("a\nb\n", "a\r\nb\n"), ("", "a\n")])
def test_change_github_lines_cannot_carry_is_no_suggestion(before, after):
    assert suggest("a.tf", before, after) == []


def test_deleting_the_unterminated_last_line():
    before, after = "a\nb\nc", "a\nb\n"
    assert commit_suggestions(before, as_triples(suggest("a.tf", before, after))) == after


lines_strategy = st.lists(st.sampled_from(["a", "b", "c", "", "  x = 1", "}", "```"]), max_size=12)


@settings(deadline=None, derandomize=True, max_examples=5000)
@given(lines_strategy, lines_strategy)
def test_committing_every_suggestion_gives_after(before_lines, after_lines):
    before = "".join(f"{line}\n" for line in before_lines)
    after = "".join(f"{line}\n" for line in after_lines)
    suggestions = suggest("a.tf", before, after)
    ranges = [(s.start_line, s.line) for s in suggestions]
    assert all(b[0] > a[1] + 1 for a, b in itertools.pairwise(ranges)), "ranges overlap or touch"
    if before:
        assert commit_suggestions(before, as_triples(suggestions)) == after


def apply_patch(text: str, patch: str) -> str:
    """Apply a difflib unified diff of one file of whole lines, checking every old line (a strict `git apply`)."""
    lines, out, position = text.splitlines(keepends=True), [], 0
    patch_lines = patch.splitlines(keepends=True)[2:]
    for line in patch_lines:
        header = re.match(r"@@ -(\d+)(?:,(\d+))? ", line)
        if header:
            start, count = int(header.group(1)), int(header.group(2) or 1)
            first = start - 1 if count else start
            out += lines[position:first]
            position = first
            continue
        if line[0] in " -":
            assert lines[position] == line[1:]
            position += 1
        if line[0] in " +":
            out.append(line[1:])
    return "".join(out + lines[position:])


@settings(deadline=None, derandomize=True, max_examples=500)
@given(
    lines_strategy,
    lines_strategy,
    st.lists(st.sampled_from(["new hunk", "same hunk", "off"]), min_size=12, max_size=12),
    st.integers(min_value=0, max_value=3),
)
def test_comments_stay_in_one_hunk_and_with_the_body_patch_give_after(before_lines, after_lines, layout, cap):
    """Any hunk layout, any cap: comments the fake accepts, plus the body's patch, reproduce ``after``."""
    before = "".join(f"{line}\n" for line in before_lines)
    after = "".join(f"{line}\n" for line in after_lines)
    hunks = []
    for number, kind in enumerate(layout, start=1):
        if kind == "new hunk" or (kind == "same hunk" and (not hunks or number - 1 not in hunks[-1])):
            hunks.append(set())
        if kind != "off":
            hunks[-1].add(number)
    commentable = {"a.tf": {line: n for n, lines in enumerate(hunks) for line in lines}}
    result = Result(
        sources={"a.tf": SourceFile("a.tf", before)}, fixed={"a.tf": after} if after != before else {}
    )
    plan = plan_review([result], commentable, max_comments=cap)
    assert len(plan.comments) <= cap
    assert [placement_problem({"a.tf": hunks}, c) for c in plan.comments] == [None] * len(plan.comments)
    text = commit_suggestions(
        before, [(c.get("start_line", c["line"]), c["line"], _block(c["body"])) for c in plan.comments]
    )
    for patch in re.findall(r"^(`{3,})diff\n(.*?)^\1$", plan.body, re.S | re.M):
        text = apply_patch(text, patch[1])
    assert text == after


# --- reading the pull request's diff ------------------------------------------------------------

DIFF = """\
diff --git a/m/main.tf b/m/main.tf
index 1111111..2222222 100644
--- a/m/main.tf
+++ b/m/main.tf
@@ -1,3 +1,4 @@
 a
+b
 c
 d
@@ -10,2 +11,2 @@
-old
+new
 z
diff --git a/gone.tf b/gone.tf
deleted file mode 100644
--- a/gone.tf
+++ /dev/null
@@ -1 +0,0 @@
-x
"""


def test_commentable_lines_are_right_side_added_and_context_lines_per_hunk():
    lines = commentable_lines(DIFF)
    assert lines == {"m/main.tf": {1: 1, 2: 1, 3: 1, 4: 1, 11: 2, 12: 2}}
    assert diff_hunks(DIFF) == {"m/main.tf": [{1, 2, 3, 4}, {11, 12}]}


# --- end to end ---------------------------------------------------------------------------------

FLOW_LOG = """\
resource "aws_flow_log" "{name}" {{
  log_destination_arn = aws_s3_bucket.logs.arn
  traffic_type        = "ALL"
  vpc_id              = aws_vpc.main.id
}}
"""

BUCKET = """\
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_s3_bucket" "logs" {
  bucket = "flow-logs"
}
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


class PullRequest:
    """A repository in tmp_path with a base and a head commit, and the event file Actions would write."""

    def __init__(self, root: Path, base: dict[str, str], head: dict[str, str], context: int = 3):
        self.repo = root / "repo"
        self.repo.mkdir()
        git(self.repo, "init", "-q", "-b", "main")
        git(self.repo, "config", "user.email", "t@example.com")
        git(self.repo, "config", "user.name", "t")
        self.base = self._commit(base, "base")
        self.head = self._commit(head, "head")
        self.diff = git(self.repo, "diff", f"-U{context}", self.base, self.head)
        self.event = root / "event.json"
        self.event.write_text(json.dumps({"pull_request": {"number": 7, "head": {"sha": self.head}}}))

    def _commit(self, files: dict[str, str], message: str) -> str:
        for name, text in files.items():
            path = self.repo / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        git(self.repo, "add", "-A")
        git(self.repo, "commit", "-q", "-m", message)
        return git(self.repo, "rev-parse", "HEAD").strip()

    def push(self, message: str, github: FakeGitHub) -> None:
        """Commit the working tree as the pull request's new head, as the author pushing would."""
        self.head = self._commit({}, message)
        self.diff = git(self.repo, "diff", self.base, self.head)
        self.event.write_text(json.dumps({"pull_request": {"number": 7, "head": {"sha": self.head}}}))
        github.head_sha, github.diff, github.hunks = self.head, self.diff, diff_hunks(self.diff)

    def fake(self, **options) -> FakeGitHub:
        return FakeGitHub(diff=self.diff, head_sha=self.head, **options)

    def review(self, github: FakeGitHub, monkeypatch, *args: str, token: str = "test-token"):
        monkeypatch.chdir(self.repo)
        env = {
            "GITHUB_TOKEN": token,
            "GITHUB_API_URL": github.url,
            "GITHUB_REPOSITORY": "octo/infra",
            "GITHUB_EVENT_PATH": str(self.event),
        }
        return CliRunner().invoke(command, list(args), env=env, catch_exceptions=False)

    def fixed(self, monkeypatch) -> dict[str, str]:
        """What `tffix --apply` would write, file by file."""
        from tffix.runner import analyse_paths

        monkeypatch.chdir(self.repo)
        fixed = {}
        for result in analyse_paths(["."]):
            fixed.update(result.fixed)
        return fixed

    def apply_review(self, github: FakeGitHub) -> None:
        """Commit every posted suggestion, then `git apply` each body's patch, as a reviewer would."""
        for path in {c["path"] for c in github.comments}:
            file = self.repo / path
            suggestions = [
                (c.get("start_line", c["line"]), c["line"], _block(c["body"]))
                for c in github.comments
                if c["path"] == path
            ]
            file.write_text(commit_suggestions(file.read_text(), suggestions))
        for review in github.reviews:
            for patch in re.findall(r"^(`{3,})diff\n(.*?)^\1$", review["body"], re.S | re.M):
                subprocess.run(
                    ["git", "-C", str(self.repo), "apply", "-"], input=patch[1], text=True, check=True
                )


def _block(body: str) -> list[str]:
    [(_, content)] = re.findall(r"^(`{3,})suggestion\n(.*?)^\1$", body, re.S | re.M)
    return content.splitlines()


def assert_reproduces_fix(pr: PullRequest, github: FakeGitHub, monkeypatch) -> None:
    expected = pr.fixed(monkeypatch)
    assert expected
    pr.apply_review(github)
    for path, text in expected.items():
        assert (pr.repo / path).read_text() == text, path


def test_suggestions_on_the_diff_and_a_patch_for_unchanged_lines(tmp_path, monkeypatch):
    base = {"net/main.tf": BUCKET, "legacy/main.tf": BUCKET + "\n" + FLOW_LOG.format(name="old")}
    head = {"net/main.tf": BUCKET + "\n" + FLOW_LOG.format(name="new")}
    pr = PullRequest(tmp_path, base, head)
    with pr.fake() as github:
        result = pr.review(github, monkeypatch)
    assert result.exit_code == 1, result.output
    [review] = github.posted_reviews
    assert review["commit_id"] == pr.head and review["event"] == "COMMENT"
    [comment] = review["comments"]
    assert comment["path"] == "net/main.tf"
    assert (comment["start_line"], comment["line"]) == (10, 12)
    assert comment["start_side"] == comment["side"] == "RIGHT"
    assert comment["body"].startswith("**TFX002** `log_destination_arn` is not an argument of aws_flow_log")
    assert "legacy/main.tf:10` **TFX002**" in review["body"]
    assert "--- a/legacy/main.tf" in review["body"] and "net/main.tf" not in review["body"]
    diff_request = github.requests[0]
    assert diff_request["path"] == "/repos/octo/infra/pulls/7"
    assert diff_request["headers"]["Accept"] == "application/vnd.github.v3.diff"
    assert diff_request["headers"]["Authorization"] == "Bearer test-token"
    assert_reproduces_fix(pr, github, monkeypatch)


def test_single_line_suggestion_has_no_start_line(tmp_path, monkeypatch):
    cloudwatch = FLOW_LOG.format(name="cw").replace(
        "aws_s3_bucket.logs.arn", "aws_cloudwatch_log_group.g.arn\n"
    )
    pr = PullRequest(tmp_path, {"main.tf": BUCKET}, {"main.tf": BUCKET + "\n" + cloudwatch})
    with pr.fake() as github:
        assert pr.review(github, monkeypatch).exit_code == 1
    [comment] = github.posted_reviews[0]["comments"]
    assert "start_line" not in comment and "start_side" not in comment
    assert comment["line"] == 10 and comment["side"] == "RIGHT"
    assert_reproduces_fix(pr, github, monkeypatch)


def test_fix_reaching_beyond_a_hunk_goes_to_the_body(tmp_path, monkeypatch):
    correct = FLOW_LOG.format(name="x").replace("log_destination_arn", "log_destination    ")
    base = {"main.tf": BUCKET + "\n" + correct}
    head = {"main.tf": BUCKET + "\n" + FLOW_LOG.format(name="x")}
    pr = PullRequest(tmp_path, base, head, context=0)
    with pr.fake() as github:
        assert pr.review(github, monkeypatch).exit_code == 1
    [review] = github.posted_reviews
    assert review["comments"] == []
    assert "--- a/main.tf" in review["body"] and "main.tf:10` **TFX002**" in review["body"]
    assert_reproduces_fix(pr, github, monkeypatch)


def test_at_most_thirty_comments_and_the_rest_in_the_body(tmp_path, monkeypatch):
    logs = "\n".join(FLOW_LOG.format(name=f"log{i}") for i in range(35))
    pr = PullRequest(tmp_path, {"main.tf": BUCKET}, {"main.tf": BUCKET + "\n" + logs})
    with pr.fake() as github:
        assert pr.review(github, monkeypatch).exit_code == 1
    [review] = github.posted_reviews
    assert len(review["comments"]) == 30
    assert review["body"].count("**TFX002**") == 5
    assert_reproduces_fix(pr, github, monkeypatch)


def test_rerun_posts_only_what_is_new(tmp_path, monkeypatch):
    logs = "\n".join(FLOW_LOG.format(name=f"log{i}") for i in range(5))
    base = {"main.tf": BUCKET, "old/main.tf": BUCKET + "\n" + FLOW_LOG.format(name="old")}
    pr = PullRequest(tmp_path, base, {"main.tf": BUCKET + "\n" + logs})
    with pr.fake(page_size=2) as github:
        assert pr.review(github, monkeypatch, "--max-comments", "2").exit_code == 1
        assert pr.review(github, monkeypatch).exit_code == 1
        again = pr.review(github, monkeypatch)
        assert again.exit_code == 1, "the fixes are still missing: the check stays red"
        assert "nothing new to post; 6 findings still on the pull request" in again.output
    first, second = github.posted_reviews
    assert len(first["comments"]) == 2 and len(second["comments"]) == 3
    keys = [(c["path"], c["line"]) for c in github.comments]
    assert len(keys) == len(set(keys)) == 5
    assert "old/main.tf" in first["body"] and "old/main.tf" not in second["body"]
    pages = [r for r in github.requests if r["path"].endswith("/comments")]
    assert any(r["query"].get("page") == ["3"] for r in pages), "pagination followed"


def test_check_stays_red_on_every_run_until_the_fixes_are_committed(tmp_path, monkeypatch):
    pr = PullRequest(tmp_path, {"main.tf": BUCKET}, {"main.tf": BUCKET + "\n" + FLOW_LOG.format(name="n")})
    with pr.fake() as github:
        assert pr.review(github, monkeypatch).exit_code == 1
        for _ in range(2):
            rerun = pr.review(github, monkeypatch)
            assert rerun.exit_code == 1 and "1 finding still on the pull request" in rerun.output
        pr.apply_review(github)
        pr.push("commit suggestions", github)
        fixed = pr.review(github, monkeypatch)
        assert fixed.exit_code == 0 and "no findings" in fixed.output
    assert len(github.posted_reviews) == 1


def test_findings_without_a_fix_keep_the_check_red(tmp_path, monkeypatch):
    head = {
        "main.tf": BUCKET + '\nresource "aws_dynamodb_table" "t" {\n  deletion_protection_enabled = true\n}\n'
    }
    pr = PullRequest(tmp_path, {"main.tf": BUCKET}, head)
    with pr.fake() as github:
        first = pr.review(github, monkeypatch)
        second = pr.review(github, monkeypatch)
    assert first.exit_code == second.exit_code == 1
    assert "(unsafe fix, not offered: `tffix review --unsafe-fixes`" in github.posted_reviews[0]["body"]
    assert github.posted_reviews[0]["comments"] == []
    assert "nothing new to post" in second.output and len(github.posted_reviews) == 1


def test_unsafe_fixes_are_suggested_only_with_unsafe_fixes(tmp_path, monkeypatch):
    head = {
        "main.tf": BUCKET + '\nresource "aws_dynamodb_table" "t" {\n  deletion_protection_enabled = true\n}\n'
    }
    pr = PullRequest(tmp_path, {"main.tf": BUCKET}, head)
    with pr.fake() as github:
        assert pr.review(github, monkeypatch, "--unsafe-fixes").exit_code == 1
    [review] = github.posted_reviews
    [comment] = review["comments"]
    assert "**TFX005**" in comment["body"] and "deletion_protection_enabled = false" in comment["body"]
    assert "unsafe fix, not offered" not in review["body"]


def test_unparsable_file_is_reported_and_the_others_still_reviewed(tmp_path, monkeypatch):
    head = {"main.tf": BUCKET + "\n" + FLOW_LOG.format(name="n"), "broken/main.tf": 'resource "x" {\n'}
    pr = PullRequest(tmp_path, {"main.tf": BUCKET}, head)
    with pr.fake() as github:
        result = pr.review(github, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.startswith("broken/main.tf:")
    [review] = github.posted_reviews
    assert len(review["comments"]) == 1 and "tffix could not read:\n- `broken/main.tf:" in review["body"]


def test_nothing_to_fix_posts_nothing(tmp_path, monkeypatch):
    pr = PullRequest(tmp_path, {"main.tf": BUCKET}, {"main.tf": BUCKET + "\n# more\n"})
    with pr.fake() as github:
        result = pr.review(github, monkeypatch)
    assert result.exit_code == 0 and "no findings" in result.output
    assert github.posted_reviews == []


def test_dry_run_prints_the_payload(tmp_path, monkeypatch):
    pr = PullRequest(tmp_path, {"main.tf": BUCKET}, {"main.tf": BUCKET + "\n" + FLOW_LOG.format(name="n")})
    with pr.fake() as github:
        result = pr.review(github, monkeypatch, "--dry-run")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["event"] == "COMMENT" and len(payload["comments"]) == 1
    assert github.posted_reviews == []


@pytest.mark.parametrize(
    "refuse, token, message",
    [
        (None, "wrong", "bad credentials: check GITHUB_TOKEN"),
        ("forbidden", "test-token", "a pull request from a fork gets a read-only token"),
        ("rate-limit", "test-token", "rate limit exceeded"),
    ],
)
def test_http_errors_are_one_line_and_exit_2(tmp_path, monkeypatch, refuse, token, message):
    pr = PullRequest(tmp_path, {"main.tf": BUCKET}, {"main.tf": BUCKET + "\n" + FLOW_LOG.format(name="n")})
    with pr.fake(refuse_posts=refuse) as github:
        result = pr.review(github, monkeypatch, token=token)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("tffix review: error: ") and message in line


@pytest.mark.parametrize(
    "comment, error",
    [
        (
            {"path": "main.tf", "line": 6, "side": "RIGHT", "body": "x"},
            "Pull request review thread line must be part of the diff",
        ),
        (
            {
                "path": "main.tf",
                "start_line": 1,
                "start_side": "RIGHT",
                "line": 12,
                "side": "RIGHT",
                "body": "x",
            },
            "start line must be part of the same hunk as the line",
        ),
        ({"path": "other.tf", "line": 1, "body": "x"}, "Path could not be resolved"),
    ],
)
def test_fake_refuses_comments_off_the_diff_with_422(comment, error):
    with FakeGitHub(diff=DIFF.replace("m/main.tf", "main.tf"), head_sha="abc") as fake:
        github = GitHub(fake.url, "octo/infra", "test-token")
        with pytest.raises(GitHubError, match=f"GitHub refused the review: Unprocessable Entity; .*{error}"):
            github.create_review(
                7, {"commit_id": "abc", "event": "COMMENT", "body": "b", "comments": [comment]}
            )
        assert fake.reviews == []


@pytest.mark.parametrize(
    "review",
    [
        {"event": "COMMENTED", "body": "b"},
        {"event": "COMMENT", "body": "b", "comments": [{"line": 1, "body": "x"}]},
        {"event": "COMMENT", "body": "b", "comments": [{"path": "main.tf", "line": "1", "body": "x"}]},
        {"event": "COMMENT"},
    ],
)
def test_fake_checks_requests_against_githubs_schema(review):
    with (
        FakeGitHub(diff=DIFF, head_sha="abc") as fake,
        pytest.raises(GitHubError, match="GitHub refused the review"),
    ):
        GitHub(fake.url, "octo/infra", "test-token").create_review(7, review)


def test_missing_environment_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        command, [], env={"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": None, "GITHUB_EVENT_PATH": None}
    )
    assert result.exit_code == 2
    assert "GITHUB_REPOSITORY is not set" in result.stderr


def test_event_without_pull_request_is_an_error(tmp_path, monkeypatch):
    event = tmp_path / "push.json"
    event.write_text(json.dumps({"ref": "refs/heads/main"}))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        command, [], env={"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "o/r", "GITHUB_EVENT_PATH": str(event)}
    )
    assert result.exit_code == 2 and "not a pull_request event" in result.stderr


def test_working_tree_must_be_the_head(tmp_path, monkeypatch):
    pr = PullRequest(tmp_path, {"main.tf": BUCKET}, {"main.tf": BUCKET + "\n" + FLOW_LOG.format(name="n")})
    git(pr.repo, "checkout", "-q", pr.base)
    with pr.fake() as github:
        result = pr.review(github, monkeypatch)
    assert result.exit_code == 2 and "check out the head" in result.stderr
    assert github.requests == []


def test_without_unidiff_says_which_extra_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "unidiff", None)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(command, [], env={"GITHUB_TOKEN": "t"})
    assert result.exit_code == 2 and "pip install 'tffix[bot]'" in result.stderr
