"""A fake GitHub REST API on 127.0.0.1 for the review bot's tests.

It serves one pull request: the pull (JSON, or its diff when ``Accept`` asks
for one), its review comments and reviews (paginated with ``Link`` headers),
and ``POST .../reviews``, which it checks the way GitHub does: the token, the
request body against GitHub's published OpenAPI schema for
``pulls/create-review`` (`tests/schemas/github/`), and each comment's lines
against the diff's hunks (one bad comment refuses the whole review with 422).
The hunks are read by its own small parser, not by unidiff, so the bot's
reading of the diff is checked against an independent one.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jsonschema

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "github" / "pulls-create-review.request.json").read_text()
)


def diff_hunks(diff: str) -> dict[str, list[set[int]]]:
    """Right-side lines (added and context) of each hunk, per file of a unified git diff."""
    files: dict[str, list[set[int]]] = {}
    lines = iter(diff.splitlines())
    path = None
    for line in lines:
        if line.startswith("+++ "):
            target = line[4:].split("\t")[0]
            path = target[2:] if target.startswith("b/") else None
            continue
        header = re.match(r"@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", line)
        if not header or path is None:
            continue
        old_left = int(header.group(1) or 1)
        number, new_left = int(header.group(2)), int(header.group(3) or 1)
        hunk = set()
        while old_left or new_left:
            body = next(lines)
            if body.startswith("\\"):
                continue
            if body[:1] in ("+", " ", ""):
                hunk.add(number)
                number += 1
                new_left -= 1
            if body[:1] in ("-", " ", ""):
                old_left -= 1
        files.setdefault(path, []).append(hunk)
    return files


def placement_problem(hunks_by_path: dict[str, list[set[int]]], comment: dict) -> str | None:
    """Why GitHub would refuse this comment's lines (422), or None."""
    if "position" in comment:
        return "position is deprecated; this fake only takes line"
    if comment.get("side", "RIGHT") != "RIGHT" or comment.get("start_side", "RIGHT") != "RIGHT":
        return "this fake only knows RIGHT-side comments"
    hunks = hunks_by_path.get(comment["path"])
    if hunks is None:
        return "Path could not be resolved"
    if "line" not in comment:
        return "Line could not be resolved"
    hunk = next((h for h in hunks if comment["line"] in h), None)
    if hunk is None:
        return "Pull request review thread line must be part of the diff"
    start = comment.get("start_line")
    if start is not None:
        if start >= comment["line"]:
            return "Pull request review thread start line must precede the end line"
        if start not in hunk:
            return "Pull request review thread start line must be part of the same hunk as the line"
    return None


class FakeGitHub:
    """``with FakeGitHub(diff=..., head_sha=...) as github:`` then point ``GITHUB_API_URL`` at ``github.url``."""

    def __init__(
        self,
        *,
        diff: str,
        head_sha: str,
        repository: str = "octo/infra",
        number: int = 7,
        token: str = "test-token",
        page_size: int = 2,
        refuse_posts: str | None = None,
    ):
        self.diff = diff
        self.head_sha = head_sha
        self.repository = repository
        self.number = number
        self.token = token
        self.page_size = page_size
        self.refuse_posts = refuse_posts  # None, "forbidden" or "rate-limit"
        self.requests: list[dict] = []
        self.comments: list[dict] = []
        self.reviews: list[dict] = []
        self.hunks = diff_hunks(diff)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGitHub:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def posted_reviews(self) -> list[dict]:
        return [r["json"] for r in self.requests if r["method"] == "POST"]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake._serve(self, "GET")

            def do_POST(self):
                fake._serve(self, "POST")

        return Handler

    def _serve(self, handler, method: str) -> None:
        url = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        record = {
            "method": method,
            "path": url.path,
            "query": parse_qs(url.query),
            "headers": dict(handler.headers),
            "json": json.loads(raw) if raw else None,
        }
        self.requests.append(record)
        status, body, headers = self._route(
            method, url.path, parse_qs(url.query), handler.headers, record["json"]
        )
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _route(self, method, path, query, headers, payload):
        if headers.get("Authorization") not in (f"Bearer {self.token}", f"token {self.token}"):
            return (
                401,
                {
                    "message": "Bad credentials",
                    "documentation_url": "https://docs.github.com/rest",
                    "status": "401",
                },
                {},
            )
        pull = f"/repos/{self.repository}/pulls/{self.number}"
        if method == "GET" and path == pull:
            if "diff" in (headers.get("Accept") or ""):
                return 200, self.diff, {"Content-Type": "text/plain; charset=utf-8"}
            return 200, {"number": self.number, "head": {"sha": self.head_sha}, "state": "open"}, {}
        if method == "GET" and path in (f"{pull}/comments", f"{pull}/reviews"):
            items = self.comments if path.endswith("comments") else self.reviews
            return self._page(path, items, query)
        if method == "POST" and path == f"{pull}/reviews":
            return self._create_review(payload)
        return 404, {"message": "Not Found", "status": "404"}, {}

    def _page(self, path, items, query):
        size = min(int(query.get("per_page", ["30"])[0]), self.page_size)
        page = int(query.get("page", ["1"])[0])
        headers = {}
        if page * size < len(items):
            headers["Link"] = (
                f'<{self.url}{path}?per_page={size}&page={page + 1}>; rel="next", '
                f'<{self.url}{path}?per_page={size}&page={-(-len(items) // size)}>; rel="last"'
            )
        return 200, items[(page - 1) * size : page * size], headers

    def _create_review(self, payload):
        if self.refuse_posts == "forbidden":
            return 403, {"message": "Resource not accessible by integration", "status": "403"}, {}
        if self.refuse_posts == "rate-limit":
            return (
                403,
                {"message": "API rate limit exceeded for installation ID 1.", "status": "403"},
                {"X-RateLimit-Remaining": "0"},
            )
        try:
            jsonschema.validate(payload, SCHEMA)
        except jsonschema.ValidationError as error:
            return 422, {"message": f"Invalid request.\n\n{error.message}", "status": "422"}, {}
        if payload.get("event") in ("COMMENT", "REQUEST_CHANGES") and not payload.get("body"):
            return (
                422,
                {"message": "Unprocessable Entity", "errors": ["Body is required"], "status": "422"},
                {},
            )
        for comment in payload.get("comments", []):
            problem = placement_problem(self.hunks, comment)
            if problem:
                return 422, {"message": "Unprocessable Entity", "errors": [problem], "status": "422"}, {}
        review_id = len(self.reviews) + 1
        review = {
            "id": review_id,
            "body": payload.get("body", ""),
            "state": "COMMENTED",
            "commit_id": payload.get("commit_id", self.head_sha),
            "html_url": f"https://github.com/{self.repository}/pull/{self.number}#pullrequestreview-{review_id}",
        }
        self.reviews.append(review)
        for comment in payload.get("comments", []):
            self.comments.append(
                {
                    "id": len(self.comments) + 1,
                    "pull_request_review_id": review_id,
                    "commit_id": review["commit_id"],
                    "original_line": comment["line"],
                    "side": "RIGHT",
                    **comment,
                }
            )
        return 200, review, {}
