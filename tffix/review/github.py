"""The few GitHub REST calls the review needs, over stdlib `urllib` (PyGithub would add ~25 MB).

Every failure becomes a `GitHubError` with one line a CI log reader can act on:
a bad token, a token that may not write (fork pull requests get a read-only
one), a rate limit, or the reason GitHub gave for refusing a request.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator

from tffix import __version__

API_VERSION = "2022-11-28"


class GitHubError(Exception):
    pass


class GitHub:
    def __init__(self, api_url: str, repository: str, token: str | None, timeout: float = 30):
        self.api_url = api_url.rstrip("/")
        self.repository = repository
        self.token = token
        self.timeout = timeout

    def pull_diff(self, number: int) -> str:
        body, _ = self._request("GET", self._url(f"pulls/{number}"), accept="application/vnd.github.v3.diff")
        return body.decode("utf-8", errors="replace")

    def review_comments(self, number: int) -> Iterator[dict]:
        return self._pages(self._url(f"pulls/{number}/comments?per_page=100"))

    def reviews(self, number: int) -> Iterator[dict]:
        return self._pages(self._url(f"pulls/{number}/reviews?per_page=100"))

    def create_review(self, number: int, review: dict) -> dict:
        body, _ = self._request("POST", self._url(f"pulls/{number}/reviews"), payload=review)
        return json.loads(body)

    def _url(self, path: str) -> str:
        return f"{self.api_url}/repos/{self.repository}/{path}"

    def _pages(self, url: str | None) -> Iterator[dict]:
        """Follow ``Link: <...>; rel="next"`` until the last page."""
        while url:
            body, headers = self._request("GET", url)
            yield from json.loads(body)
            match = re.search(r'<([^>]+)>;\s*rel="next"', headers.get("Link") or "")
            url = match.group(1) if match else None

    def _request(
        self,
        method: str,
        url: str,
        *,
        accept: str = "application/vnd.github+json",
        payload: dict | None = None,
    ):
        headers = {
            "Accept": accept,
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"tffix/{__version__}",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if payload is not None:
            data = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(), response.headers
        except urllib.error.HTTPError as error:
            raise GitHubError(_explain(method, url, error)) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise GitHubError(f"cannot reach {self.api_url}: {reason}") from None


def _explain(method: str, url: str, error: urllib.error.HTTPError) -> str:
    message = _message(error)
    if error.code == 401:
        return "bad credentials: check GITHUB_TOKEN"
    if error.code in (403, 429):
        if error.headers.get("X-RateLimit-Remaining") == "0" or "rate limit" in message.lower():
            return f"GitHub rate limit exceeded, try again later ({message})"
        return (
            f"forbidden: the token may not {'write to' if method == 'POST' else 'read'} this pull request"
            " (it needs `pull-requests: write`; a pull request from a fork gets a read-only token)"
            f" ({message})"
        )
    if error.code == 404:
        return f"not found: {url} (check GITHUB_REPOSITORY, the pull request number and the token's access)"
    if error.code == 422:
        return f"GitHub refused the review: {message}"
    return f"GitHub answered {error.code} to {method} {url}: {message}"


def _message(error: urllib.error.HTTPError) -> str:
    """GitHub's ``message`` and ``errors`` on one line."""
    try:
        body = json.loads(error.read() or b"{}")
    except ValueError:
        return error.reason or ""
    errors = body.get("errors") or []
    details = [e if isinstance(e, str) else e.get("message") or json.dumps(e) for e in errors]
    return "; ".join(" ".join(str(part).split()) for part in [body.get("message", ""), *details] if part)
