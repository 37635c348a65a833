"""`tffix lsp` end to end: a real pytest-lsp client talks JSON-RPC to `python -m tffix lsp`.

Each test copies a fixture module into tmp_path, opens documents the way an
editor does (Neovim 0.7 and VS Code capability profiles), and checks what comes
back byte for byte: diagnostic ranges in the negotiated position encoding, the
TextEdits of each quick fix, and the text those edits produce.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

pytestmark = pytest.mark.asyncio

HERE = Path(__file__).parent
FLOW_LOG = HERE / "lsp_e2e" / "flow_log"
CROSS_FILE = HERE.parent / "golden" / "TFX001" / "variable-default-other-file"
SERVER = [sys.executable, "-m", "tffix", "lsp"]
TIMEOUT = 20
PROFILES = {"neovim": "neovim@v0.7.0", "vscode": "visual_studio_code@v1.65.2"}


def initialize_params(profile: str, encodings: list[str] | None = None) -> types.InitializeParams:
    capabilities = client_capabilities(PROFILES[profile])
    if encodings is not None:
        capabilities.general = types.GeneralClientCapabilities(position_encodings=encodings)
    return types.InitializeParams(capabilities=capabilities)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=list(PROFILES))
async def client(lsp_client: LanguageClient, request):
    lsp_client.initialize_result = await lsp_client.initialize_session(initialize_params(request.param))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=["utf-32", "utf-8"])
async def client_with_encoding(lsp_client: LanguageClient, request):
    lsp_client.initialize_result = await lsp_client.initialize_session(
        initialize_params("neovim", [request.param, "utf-16"])
    )
    yield
    await lsp_client.shutdown_session()


def module(tmp_path: Path, source: Path) -> Path:
    directory = tmp_path / "module"
    shutil.copytree(source / "input", directory)
    return directory


def uri(path: Path) -> str:
    return path.absolute().as_uri()


async def published(client: LanguageClient, send, *paths: Path) -> dict[Path, list[types.Diagnostic]]:
    """Send a notification and wait (bounded) until diagnostics for every path came back."""
    for path in paths:
        client.diagnostics.pop(uri(path), None)
    send()
    async with asyncio.timeout(TIMEOUT):
        while any(uri(path) not in client.diagnostics for path in paths):
            await asyncio.sleep(0.01)
    return {path: list(client.diagnostics[uri(path)]) for path in paths}


async def open_document(
    client: LanguageClient, path: Path, text: str | None = None
) -> list[types.Diagnostic]:
    text = path.read_text(encoding="utf-8") if text is None else text
    item = types.TextDocumentItem(uri=uri(path), language_id="terraform", version=1, text=text)
    diagnostics = await published(
        client,
        lambda: client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item)),
        path,
    )
    return diagnostics[path]


async def code_actions(
    client: LanguageClient, path: Path, at: types.Range, only=None
) -> list[types.CodeAction]:
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(path)),
        range=at,
        context=types.CodeActionContext(diagnostics=[], only=only),  # as Neovim 0.7 sends: nothing to trust
    )
    async with asyncio.timeout(TIMEOUT):
        return await client.text_document_code_action_async(params) or []


def position(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def span(start: tuple[int, int], end: tuple[int, int]) -> types.Range:
    return types.Range(start=position(*start), end=position(*end))


def offset(text: str, at: types.Position, encoding: str = "utf-16") -> int:
    """Written apart from tffix's LineIndex on purpose: the test must not share the server's arithmetic."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: at.line])
    line = lines[at.line] if at.line < len(lines) else ""
    units = 0
    for index, char in enumerate(line):
        if units >= at.character:
            return start + index
        units += (
            len(char.encode(encoding.replace("utf-32", "utf-32-le").replace("utf-16", "utf-16-le")))
            // ({"utf-8": 1, "utf-16": 2, "utf-32": 4}[encoding])
        )
    return start + len(line)


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str = "utf-16") -> str:
    """Apply as an editor does: all ranges refer to the original text; same-point inserts keep their order."""
    located = [
        (offset(text, e.range.start, encoding), offset(text, e.range.end, encoding), i, e.new_text)
        for i, e in enumerate(edits)
    ]
    for start, end, _, new_text in sorted(located, reverse=True):
        text = text[:start] + new_text + text[end:]
    return text


def apply_workspace_edit(edit: types.WorkspaceEdit, encoding: str = "utf-16") -> set[Path]:
    """Write every changed file to disk, like `:wall` after applying; returns the files touched."""
    touched = set()
    for target, edits in (edit.changes or {}).items():
        path = Path(target.removeprefix("file://"))
        path.write_text(
            apply_text_edits(path.read_text(encoding="utf-8"), list(edits), encoding), encoding="utf-8"
        )
        touched.add(path)
    return touched


async def test_diagnostic_on_open_has_code_and_utf16_range(client: LanguageClient, tmp_path):
    main = module(tmp_path, FLOW_LOG) / "main.tf"

    (diagnostic,) = await open_document(client, main)

    assert diagnostic.code == "TFX002"
    assert diagnostic.source == "tffix"
    assert diagnostic.severity == types.DiagnosticSeverity.Warning
    assert diagnostic.range == span((8, 2), (8, 21))  # `log_destination_arn`, under the `# é🙂` comment
    assert "log_destination" in diagnostic.message
    assert diagnostic.data["code"] == "TFX002"


async def test_quick_fix_edits_are_exact_and_produce_the_fixed_file(client: LanguageClient, tmp_path):
    main = module(tmp_path, FLOW_LOG) / "main.tf"
    text = main.read_text(encoding="utf-8")
    await open_document(client, main)

    actions = await code_actions(client, main, span((8, 5), (8, 5)), only=[types.CodeActionKind.QuickFix])

    (action,) = actions
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.is_preferred is True
    assert action.title.startswith("tffix TFX002")
    assert [d.code for d in action.diagnostics] == ["TFX002"]
    assert {target: list(edits) for target, edits in action.edit.changes.items()} == {
        uri(main): [
            # The whole identifier, never "`_arn` -> 5 spaces"; the spaces after it line `=` up with the new attribute.
            types.TextEdit(range=span((8, 2), (8, 22)), new_text="log_destination      "),
            types.TextEdit(range=span((9, 0), (9, 0)), new_text='  log_destination_type = "s3"\n'),
        ]
    }
    fixed = apply_text_edits(text, action.edit.changes[uri(main)])
    assert fixed == (FLOW_LOG / "expected" / "main.tf").read_text(encoding="utf-8")


async def test_code_action_outside_a_finding_offers_no_quick_fix(client: LanguageClient, tmp_path):
    main = module(tmp_path, FLOW_LOG) / "main.tf"
    await open_document(client, main)

    assert await code_actions(client, main, span((1, 0), (1, 3)), only=[types.CodeActionKind.QuickFix]) == []


async def test_unsafe_fix_is_offered_but_not_preferred(client: LanguageClient, tmp_path):
    db = module(tmp_path, FLOW_LOG) / "db.tf"
    diagnostics = await open_document(client, db)
    assert {d.code for d in diagnostics} == {"TFX005"}

    actions = await code_actions(client, db, span((3, 2), (3, 2)), only=[types.CodeActionKind.QuickFix])

    assert actions
    assert all(a.is_preferred is False and a.title.endswith("(unsafe)") for a in actions)


async def test_did_change_updates_diagnostics(client: LanguageClient, tmp_path):
    main = module(tmp_path, FLOW_LOG) / "main.tf"
    fixed = (FLOW_LOG / "expected" / "main.tf").read_text(encoding="utf-8")
    assert await open_document(client, main, fixed) == []

    def change(version, *changes):
        return lambda: client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri(main), version=version),
                content_changes=list(changes),
            )
        )

    # incremental: `log_destination      =` becomes `log_destination_arn  =` and the type line goes
    broken = await published(
        client,
        change(
            2,
            types.TextDocumentContentChangePartial(range=span((9, 0), (10, 0)), text=""),
            types.TextDocumentContentChangePartial(range=span((8, 17), (8, 21)), text="_arn"),
        ),
        main,
    )
    assert [(d.code, d.range) for d in broken[main]] == [("TFX002", span((8, 2), (8, 21)))]

    # full text: back to the fixed file
    clean = await published(client, change(3, types.TextDocumentContentChangeWholeDocument(text=fixed)), main)
    assert clean[main] == []


async def test_a_burst_of_changes_is_analysed_once_at_its_end(client: LanguageClient, tmp_path):
    main = module(tmp_path, FLOW_LOG) / "main.tf"
    fixed = (FLOW_LOG / "expected" / "main.tf").read_text(encoding="utf-8")
    broken = main.read_text(encoding="utf-8")
    assert await open_document(client, main, fixed) == []

    def burst():
        for version, text in enumerate([broken, fixed, broken, fixed], start=2):
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri(main), version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
                )
            )

    assert (await published(client, burst, main))[main] == []  # no publish for the broken versions


async def test_did_close_clears_diagnostics(client: LanguageClient, tmp_path):
    main = module(tmp_path, FLOW_LOG) / "main.tf"
    assert await open_document(client, main)

    closed = await published(
        client,
        lambda: client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri(main)))
        ),
        main,
    )

    assert closed[main] == []


async def test_non_ascii_before_the_finding_on_its_line_counts_utf16_units(client: LanguageClient, tmp_path):
    main = module(tmp_path, FLOW_LOG) / "main.tf"
    text = main.read_text(encoding="utf-8").replace(
        "  # é🙂 where the logs go\n  log_destination_arn", "  /* é🙂 */ log_destination_arn"
    )
    main.write_text(text, encoding="utf-8")

    (diagnostic,) = await open_document(client, main)
    # "  /* " 5 units, "é" 1, "🙂" 2 (a surrogate pair), " */ " 4: the name starts at 12
    assert diagnostic.range == span((7, 12), (7, 31))

    (action,) = await code_actions(client, main, diagnostic.range, only=[types.CodeActionKind.QuickFix])
    fixed = apply_text_edits(text, action.edit.changes[uri(main)])
    assert (
        '  /* é🙂 */ log_destination      = aws_s3_bucket.logs.arn\n  log_destination_type = "s3"\n' in fixed
    )


async def test_negotiated_position_encoding_is_used(client_with_encoding: LanguageClient, tmp_path):
    client = client_with_encoding
    encoding = client.initialize_result.capabilities.position_encoding
    main = module(tmp_path, FLOW_LOG) / "main.tf"
    text = main.read_text(encoding="utf-8").replace(
        "  # é🙂 where the logs go\n  log_destination_arn", "  /* é🙂 */ log_destination_arn"
    )
    main.write_text(text, encoding="utf-8")

    (diagnostic,) = await open_document(client, main)

    start = {"utf-32": 11, "utf-8": 15}[encoding]
    assert diagnostic.range == span((7, start), (7, start + 19))
    (action,) = await code_actions(client, main, diagnostic.range, only=[types.CodeActionKind.QuickFix])
    fixed = apply_text_edits(text, action.edit.changes[uri(main)], encoding)
    assert (
        '  /* é🙂 */ log_destination      = aws_s3_bucket.logs.arn\n  log_destination_type = "s3"\n' in fixed
    )


async def test_open_buffer_wins_over_disk(client: LanguageClient, tmp_path):
    main = module(tmp_path, FLOW_LOG) / "main.tf"
    fixed = (FLOW_LOG / "expected" / "main.tf").read_text(encoding="utf-8")

    assert await open_document(client, main, fixed) == []  # the disk still has log_destination_arn


async def test_open_sibling_buffer_changes_another_files_findings(client: LanguageClient, tmp_path):
    directory = module(tmp_path, CROSS_FILE)
    providers, variables = directory / "providers.tf", directory / "variables.tf"
    (before,) = await open_document(client, providers)
    assert "eu_west_1" not in before.message

    edited = variables.read_text(encoding="utf-8").replace(
        '"ap-southeast-2"]', '"ap-southeast-2", "eu-west-1"]'
    )
    item = types.TextDocumentItem(uri=uri(variables), language_id="terraform", version=1, text=edited)
    after = await published(
        client,
        lambda: client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item)),
        providers,
        variables,
    )

    (finding,) = after[providers]
    assert "eu_west_1" in finding.message


async def test_cross_file_quick_fix_edits_unopened_files(client: LanguageClient, tmp_path):
    directory = module(tmp_path, CROSS_FILE)
    providers = directory / "providers.tf"
    (diagnostic,) = await open_document(client, providers)
    assert diagnostic.code == "TFX001"

    (action,) = await code_actions(client, providers, diagnostic.range, only=[types.CodeActionKind.QuickFix])

    assert set(action.edit.changes) == {
        uri(directory / name) for name in ("main.tf", "outputs.tf", "providers.tf")
    }
    for path, edits in action.edit.changes.items():
        original = Path(path.removeprefix("file://")).read_text(encoding="utf-8")
        assert all(e.range.start.line > 0 or e.range.end.line < original.count("\n") for e in edits), (
            "an edit per change, never the whole file"
        )
    apply_workspace_edit(action.edit)
    for expected in sorted((CROSS_FILE / "expected").iterdir()):
        assert (directory / expected.name).read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("only", [["source.fixAll"], ["source"], ["source.fixAll.tffix"], None])
async def test_fix_all_applies_every_safe_fix(client: LanguageClient, tmp_path, only):
    directory = module(tmp_path, FLOW_LOG)
    main = directory / "main.tf"
    db_before = (directory / "db.tf").read_text(encoding="utf-8")
    await open_document(client, main)

    actions = await code_actions(client, main, span((0, 0), (0, 0)), only=only)

    (fix_all,) = [a for a in actions if a.kind == "source.fixAll.tffix"]
    assert apply_workspace_edit(fix_all.edit) == {main}  # TFX005 in db.tf is unsafe: left alone
    assert main.read_text(encoding="utf-8") == (FLOW_LOG / "expected" / "main.tf").read_text(encoding="utf-8")
    assert (directory / "db.tf").read_text(encoding="utf-8") == db_before


async def test_fix_all_is_not_offered_for_quick_fixes_only(client: LanguageClient, tmp_path):
    main = module(tmp_path, FLOW_LOG) / "main.tf"
    await open_document(client, main)

    actions = await code_actions(client, main, span((8, 2), (8, 2)), only=[types.CodeActionKind.QuickFix])

    assert [a.kind for a in actions] == [types.CodeActionKind.QuickFix]


async def test_formatting_returns_only_the_safe_fix_edits(client: LanguageClient, tmp_path):
    main = module(tmp_path, FLOW_LOG) / "main.tf"
    text = main.read_text(encoding="utf-8")
    await open_document(client, main)

    async with asyncio.timeout(TIMEOUT):
        edits = await client.text_document_formatting_async(
            types.DocumentFormattingParams(
                text_document=types.TextDocumentIdentifier(uri=uri(main)),
                options=types.FormattingOptions(tab_size=2, insert_spaces=True),
            )
        )

    assert len(edits) == 2
    assert apply_text_edits(text, edits) == (FLOW_LOG / "expected" / "main.tf").read_text(encoding="utf-8")


async def test_parse_error_is_an_error_diagnostic_at_its_position(client: LanguageClient, tmp_path):
    main = module(tmp_path, FLOW_LOG) / "main.tf"

    (diagnostic,) = await open_document(client, main, 'resource "aws_s3_bucket" "logs" {\n  bucket =\n}\n')

    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.range.start.line == 1


async def test_server_advertises_both_code_action_kinds_and_utf16(client: LanguageClient):
    capabilities = client.initialize_result.capabilities

    assert set(capabilities.code_action_provider.code_action_kinds) == {"quickfix", "source.fixAll.tffix"}
    assert capabilities.position_encoding == "utf-16"
    assert capabilities.document_formatting_provider


async def test_without_pygls_the_command_explains_and_exits_2(tmp_path):
    stub = tmp_path / "stub" / "pygls"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("raise ImportError('No module named pygls (test stub)')\n")

    process = await asyncio.create_subprocess_exec(
        *SERVER,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PYTHONPATH": str(tmp_path / "stub"), "PATH": "/usr/bin:/bin"},
        cwd=HERE.parent,
    )
    async with asyncio.timeout(TIMEOUT):
        stdout, stderr = await process.communicate()

    assert process.returncode == 2
    assert stderr.decode().strip() == "tffix lsp needs the language server extra: pip install 'tffix[lsp]'"
    assert stdout == b""


async def test_every_module_file_kind_is_a_document_the_server_analyses(tmp_path):
    from tffix.lsp.server import document_path

    for name in ("main.tf", "main.tf.json", "main.tofu", "main.tofu.json"):
        assert document_path((tmp_path / name).as_uri()) == (tmp_path / name)
    for name in ("terraform.tfvars", "x.tftest.hcl", "terragrunt.hcl", ".terraform.lock.hcl"):
        assert document_path((tmp_path / name).as_uri()) is None


async def test_a_config_file_written_while_the_server_runs_counts_at_the_next_analysis(
    client: LanguageClient, tmp_path
):
    """The server reads `.tffix.toml` afresh for each analysis (tffix/config.py keeps nothing across
    requests): ignoring the rule clears its diagnostic at the next change, removing the file brings
    it back."""
    directory = module(tmp_path, FLOW_LOG)
    main = directory / "main.tf"
    text = main.read_text(encoding="utf-8")
    assert [d.code for d in await open_document(client, main)] == ["TFX002"]

    def change(version):
        return lambda: client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri(main), version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    (directory / ".tffix.toml").write_text('ignore = ["TFX002"]\n', encoding="utf-8")
    assert (await published(client, change(2), main))[main] == []
    (directory / ".tffix.toml").unlink()
    assert [d.code for d in (await published(client, change(3), main))[main]] == ["TFX002"]
