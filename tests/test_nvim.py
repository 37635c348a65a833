"""`tffix lsp` in a real editor: headless Neovim 0.7 applies the fixes, and the files on disk are checked.

`tests/lsp_e2e/e2e.lua` does what a user does (open a file, wait for the
diagnostics, take the quick fix / fix-all / format), then `:wall`; this test
compares every file of the module with the expected text.  Neovim converts the
server's UTF-16 positions to its own byte columns, so a wrong encoding shows up
as a mangled file.  Skipped when `nvim` (Debian's `neovim` package) is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
NVIM = shutil.which("nvim")
pytestmark = pytest.mark.skipif(NVIM is None, reason="needs nvim (apt-get install neovim)")

HERE = Path(__file__).parent
SCRIPT = HERE / "lsp_e2e" / "e2e.lua"
FLOW_LOG = HERE / "lsp_e2e" / "flow_log"
CROSS_FILE = HERE.parent / "golden" / "TFX001" / "variable-default-other-file"
SAME_LINE = ("  # é🙂 where the logs go\n  log_destination_arn", "  /* é🙂 */ log_destination_arn")


def run_nvim(tmp_path: Path, document: Path, action: str) -> dict:
    out = tmp_path / "report.json"
    setup = (
        f"lua _G.arg_py={json.dumps(sys.executable)}; _G.arg_file={json.dumps(str(document))};"
        f" _G.arg_action={json.dumps(action)}; _G.arg_out={json.dumps(str(out))}"
    )
    home = tmp_path / "home"
    environment = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
    }
    done = subprocess.run(
        [NVIM, "--headless", "--clean", "-n", "-i", "NONE", "--cmd", setup, "-c", f"luafile {SCRIPT}"],
        cwd=tmp_path,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def copy_module(tmp_path: Path, source: Path) -> Path:
    directory = tmp_path / "module"
    shutil.copytree(source / "input", directory)
    return directory


def texts(directory: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(directory.glob("*.tf"))}


@pytest.mark.parametrize("action", ["quickfix", "fixall", "format"])
def test_neovim_applies_the_flow_log_fix(tmp_path, action):
    directory = copy_module(tmp_path, FLOW_LOG)
    before = texts(directory)

    report = run_nvim(tmp_path, directory / "main.tf", action)

    assert report["offset_encoding"] == "utf-16"
    assert [(d["lnum"], d["col"]) for d in report["diagnostics"]] == [(8, 2)]
    expected = {**before, "main.tf": (FLOW_LOG / "expected" / "main.tf").read_text(encoding="utf-8")}
    assert texts(directory) == expected


@pytest.mark.parametrize("action", ["quickfix", "format"])
def test_neovim_converts_utf16_columns_after_an_emoji_on_the_same_line(tmp_path, action):
    directory = copy_module(tmp_path, FLOW_LOG)
    main = directory / "main.tf"
    main.write_text(main.read_text(encoding="utf-8").replace(*SAME_LINE), encoding="utf-8")

    report = run_nvim(tmp_path, main, action)

    # Neovim reports byte columns: "  /* " 5, "é" 2, "🙂" 4, " */ " 4
    assert [(d["lnum"], d["col"], d["end_col"]) for d in report["diagnostics"]] == [(7, 15, 34)]
    expected = (
        (FLOW_LOG / "expected" / "main.tf")
        .read_text(encoding="utf-8")
        .replace("  # é🙂 where the logs go\n  log_destination      ", "  /* é🙂 */ log_destination      ")
    )
    assert main.read_text(encoding="utf-8") == expected


def test_neovim_applies_a_cross_file_quick_fix_to_files_it_never_opened(tmp_path):
    directory = copy_module(tmp_path, CROSS_FILE)
    before = texts(directory)

    report = run_nvim(tmp_path, directory / "providers.tf", "quickfix")

    assert [a["kind"] for a in report["actions"]] == ["quickfix"]
    expected = {**before, **texts(CROSS_FILE / "expected")}
    assert texts(directory) == expected
