"""What one review says: comments on the pull request's diff, and a body for the rest.

GitHub rejects a whole review if one comment's ``start_line`` or ``line`` is
not a right-side line of the diff, or if the two lie in different hunks (422
"Line could not be resolved").  So a suggestion becomes a comment only when
both ends are in one hunk; every other change, and those beyond the comment
cap, go into the body as a unified diff to apply after the suggestions.
Hidden fingerprints let a re-run skip what an earlier run already posted.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tffix.review.suggestions import Suggestion, commit, fence_length, split_lines, suggest

Commentable = Mapping[str, Mapping[int, int]]  # path -> right-side line -> hunk number

MAX_BODY = 60_000  # GitHub refuses bodies over 65,536 characters


def commentable_lines(diff_text: str) -> dict[str, dict[int, int]]:
    """Right-side lines of added and context lines in the PR's diff, with their hunk."""
    from unidiff import PatchSet

    lines: dict[str, dict[int, int]] = {}
    hunk_number = 0
    for patched in PatchSet(diff_text):
        if patched.is_removed_file:
            continue
        in_file = lines.setdefault(patched.path, {})
        for hunk in patched:
            hunk_number += 1
            for line in hunk:
                if (line.is_added or line.is_context) and line.target_line_no is not None:
                    in_file[line.target_line_no] = hunk_number
    return lines


def fingerprint(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def comment_marker(suggestion: Suggestion) -> str:
    key = fingerprint(suggestion.path, suggestion.start_line, suggestion.line, suggestion.replacement)
    return f"<!-- tffix:{key} -->"


@dataclass(slots=True)
class Plan:
    comments: list[dict] = field(default_factory=list)
    body: str = ""
    findings: int = 0
    changes: bool = False  # tffix would change something, posted or not
    new: bool = False  # something not yet on the pull request


def plan_review(
    results: Iterable,
    commentable: Commentable,
    *,
    existing_comments: Iterable[Mapping] = (),
    existing_reviews: Iterable[Mapping] = (),
    max_comments: int = 30,
    applicable=None,
) -> Plan:
    """The review for the engine's ``results`` (`tffix.api.Result`s) on a diff's ``commentable`` lines.

    ``applicable(finding)``: whether the run applied that finding's fix (default: safe fixes
    only; unsafe ones too with ``--unsafe-fixes``)."""
    if applicable is None:
        from tffix.reporters import safe_only as applicable
    sources, fixed, findings, problems = {}, {}, [], []
    for result in results:
        sources.update(result.sources)
        fixed.update(result.fixed)
        findings.extend(result.findings)
        problems.extend(result.problems)
    existing_comments = list(existing_comments)

    plan = Plan(findings=len(findings), changes=bool(fixed))
    on_pr: list[Suggestion] = []  # committed state: new comments and the ones already there
    candidates = [
        s
        for path in sorted(fixed)
        for s in suggest(path, sources[path].text, fixed[path])
        if _in_one_hunk(s, commentable)
    ]
    for suggestion in candidates:
        marker = comment_marker(suggestion)
        if any(
            c.get("path") == suggestion.path
            and c.get("line") == suggestion.line
            and marker in (c.get("body") or "")
            for c in existing_comments
        ):
            on_pr.append(suggestion)
            continue
        if len(plan.comments) >= max_comments:
            continue
        on_pr.append(suggestion)
        touching = [f for f in findings if any(_meets(r, suggestion) for r in _lines(f, sources))]
        lines = [f"**{f.code}** {f.message}" for f in touching] or ["tffix suggests:"]
        comment: dict[str, object] = {
            "path": suggestion.path,
            "body": "\n".join([*lines, suggestion.block, marker]),
        }
        if suggestion.start_line != suggestion.line:
            comment |= {"start_line": suggestion.start_line, "start_side": "RIGHT"}
        plan.comments.append(comment | {"line": suggestion.line, "side": "RIGHT"})

    off_diff = [f for f in findings if not _carried(f, sources, on_pr, applicable)]
    earlier = [review.get("body") or "" for review in existing_reviews]
    sections = [
        section
        for section in _sections(sources, fixed, on_pr, off_diff, problems, applicable)
        if not any(_marker(section) in body for body in earlier)
    ]
    plan.new = bool(plan.comments or sections)
    summary = (
        f"tffix: {_count(len(findings), 'finding')}; "
        f"{_count(len(plan.comments), 'suggestion')} on the diff below."
    )
    if sections:
        sections.insert(
            0,
            "Not on this pull request's diff (apply each patch after committing the"
            " suggestions, with `git apply`):",
        )
    plan.body = "\n\n".join([summary, *sections])
    return plan


def _marker(section: str) -> str:
    return section[section.rindex("<!-- tffix:") :]


def _in_one_hunk(suggestion: Suggestion, commentable: Commentable) -> bool:
    lines = commentable.get(suggestion.path, {})
    hunk = lines.get(suggestion.line)
    return hunk is not None and lines.get(suggestion.start_line) == hunk


def _lines(finding, sources) -> list[tuple[str, int, int]]:
    """The lines a finding names and the lines its fix edits (an insertion also meets the line above)."""
    edits = finding.fix.edits if finding.fix is not None else ()
    spans = [finding.span, *(edit.span for edit in edits)]
    ranges = []
    for span in spans:
        first, last = sources[span.path].index.lines(span.start, span.end)
        ranges.append((span.path, first - 1 if span.start == span.end else first, last))
    return ranges


def _meets(lines: tuple[str, int, int], suggestion: Suggestion) -> bool:
    path, first, last = lines
    return path == suggestion.path and first <= suggestion.line and suggestion.start_line <= last


def _carried(finding, sources, on_pr: list[Suggestion], applicable) -> bool:
    """Every edit of the finding's fix lies under a comment on the pull request."""
    if finding.fix is None or finding.path not in sources or not applicable(finding):
        return False
    edits = _lines(finding, sources)[1:]
    return all(any(_meets(lines, s) for s in on_pr) for lines in edits)


def _sections(sources, fixed, on_pr: list[Suggestion], findings, problems, applicable) -> list[str]:
    """The body's parts, one per file: findings no comment carries, and the patch left after the suggestions.

    Each ends with a fingerprint of its content, so a re-run leaves out a part
    an earlier review already holds.
    """
    sections = []
    if problems:
        sections.append("tffix could not read:\n" + "\n".join(f"- `{problem}`" for problem in problems))
    budget = MAX_BODY
    for path in sorted({f.path for f in findings} | set(fixed)):
        lines = [
            f"- `{path}:{sources[path].index.line_of(f.span.start)}` **{f.code}** {f.message}{_unfixed(f, applicable)}"
            for f in findings
            if f.path == path
        ]
        patch = _patch(path, sources[path].text, fixed[path], on_pr) if path in fixed else ""
        if len(patch) > budget:
            lines.append(f"The patch of `{path}` is too long for a review: run `tffix --apply`.")
        elif patch:
            budget -= len(patch)
            fence = "`" * fence_length(patch)
            lines.append(f"\n{fence}diff\n{patch}{fence}")
        if lines:
            sections.append("\n".join(lines))
    return [f"{section}\n<!-- tffix:section:{fingerprint(section)} -->" for section in sections]


def _unfixed(finding, applicable) -> str:
    if finding.fix is None:
        return " (no automatic fix)"
    if applicable(finding) or finding.safe:
        return ""
    return " (unsafe fix, not offered: `tffix review --unsafe-fixes` or `tffix --apply --unsafe-fixes`)"


def _patch(path: str, before: str, after: str, on_pr: list[Suggestion]) -> str:
    lines = split_lines(before)
    newline = "\r\n" if "\r\n" in before else "\n"
    for s in sorted((s for s in on_pr if s.path == path), key=lambda s: s.line, reverse=True):
        lines[s.start_line - 1 : s.line] = commit(lines, s.start_line, s.line, s.replacement, newline)
    out = []
    for line in difflib.unified_diff(lines, split_lines(after), f"a/{path}", f"b/{path}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"
