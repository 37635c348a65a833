"""``tffix review``: post tffix's fixes on a GitHub pull request as one review of suggested changes.

Run from the repository root of a checkout of the pull request's head, with the
variables GitHub Actions provides (``GITHUB_TOKEN``, ``GITHUB_API_URL``,
``GITHUB_REPOSITORY``, ``GITHUB_EVENT_PATH``).  Exit codes mirror ``tffix``, so a
required check stays red until the fixes are in: 1 while findings or fixes remain
on the pull request, on every run (a re-run that has nothing new to post too),
0 only when none remain, 2 an error, reported on one line of stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import click

DEFAULT_API_URL = "https://api.github.com"


class ReviewError(Exception):
    pass


@click.command("review")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--max-comments",
    default=30,
    show_default=True,
    type=click.IntRange(0),
    help="Suggestions posted as comments; the rest go into the review body as a patch.",
)
@click.option("--dry-run", is_flag=True, help="Print the review's JSON payload instead of posting it.")
@click.option(
    "--unsafe-fixes/--no-unsafe-fixes",
    default=None,
    help="Also suggest fixes marked unsafe (config: unsafe-fixes = true).",
)
def command(paths, max_comments, dry_run, unsafe_fixes):
    """Post fixes on the current GitHub pull request as suggested changes."""
    try:
        sys.exit(_review(list(paths) or ["."], max_comments, dry_run, unsafe_fixes))
    except ReviewError as error:
        click.echo(f"tffix review: error: {error}", err=True)
        sys.exit(2)


def _review(paths: list[str], max_comments: int, dry_run: bool, unsafe_fixes: bool | None = None) -> int:
    from tffix.api import Result
    from tffix.cli import Applicable
    from tffix.review.github import GitHub, GitHubError
    from tffix.review.plan import commentable_lines, plan_review
    from tffix.runner import analyse_tree

    try:
        import unidiff  # noqa: F401  (checked before any network call)
    except ImportError:
        raise ReviewError("the review bot needs unidiff: pip install 'tffix[bot]'") from None
    token = os.environ.get("GITHUB_TOKEN")
    if not token and not dry_run:
        raise ReviewError("GITHUB_TOKEN is not set (the workflow needs `pull-requests: write`)")
    repository = _required("GITHUB_REPOSITORY")
    number, head_sha = _pull_request(_required("GITHUB_EVENT_PATH"))
    _check_checkout(head_sha)

    analysis = analyse_tree(paths, unsafe=unsafe_fixes)
    results = ([Result(sources={}, problems=analysis.problems)] if analysis.problems else []) + [
        module.result for module in analysis.modules
    ]
    applicable = Applicable()  # unsafe fixes only with --unsafe-fixes (or the config's unsafe-fixes)
    for module in analysis.modules:
        applicable.add(module, module.result.findings)
    github = GitHub(os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL, repository, token)
    try:
        commentable = commentable_lines(github.pull_diff(number))
        plan = plan_review(
            results,
            commentable,
            existing_comments=github.review_comments(number),
            existing_reviews=github.reviews(number),
            max_comments=max_comments,
            applicable=applicable,
        )
        problems = [problem for result in results for problem in result.problems]
        for problem in problems:
            click.echo(str(problem), err=True)
        remaining = plan.findings or plan.changes
        if not plan.new:
            click.echo(
                f"tffix review: nothing new to post; {_remaining(plan)} on the pull request"
                if remaining
                else "tffix review: no findings",
                err=True,
            )
            return 2 if problems else 1 if remaining else 0
        review = {"commit_id": head_sha, "event": "COMMENT", "body": plan.body, "comments": plan.comments}
        if dry_run:
            click.echo(json.dumps(review, indent=2))
        else:
            posted = github.create_review(number, review)
            click.echo(
                f"tffix review: posted {len(plan.comments)} suggestions: {posted.get('html_url', '')}",
                err=True,
            )
    except GitHubError as error:
        raise ReviewError(str(error)) from None
    return 2 if problems else 1


def _remaining(plan) -> str:
    if not plan.findings:
        return "fixes still missing"
    return f"{plan.findings} finding{'' if plan.findings == 1 else 's'} still"


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ReviewError(f"{name} is not set: run in GitHub Actions, or set it by hand")
    return value


def _pull_request(event_path: str) -> tuple[int, str]:
    try:
        with open(event_path, encoding="utf-8") as handle:
            event = json.load(handle)
        pull = event["pull_request"]
        return int(pull["number"]), str(pull["head"]["sha"])
    except OSError as error:
        raise ReviewError(f"cannot read GITHUB_EVENT_PATH: {error}") from None
    except (ValueError, KeyError, TypeError):
        raise ReviewError(
            f"{event_path} is not a pull_request event (no pull_request.number and"
            " pull_request.head.sha): run on `pull_request` events"
        ) from None


def _check_checkout(head_sha: str) -> None:
    """Line numbers only match if the working tree is the PR's head, not the merge commit Actions checks out."""
    try:
        current = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return
    if current.strip() != head_sha:
        raise ReviewError(
            f"the working tree is at {current.strip()[:12]}, the pull request's head is"
            f" {head_sha[:12]}: check out the head (actions/checkout with"
            " `ref: ${{ github.event.pull_request.head.sha }}`)"
        )
