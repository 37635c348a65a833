"""The pygls language server behind `tffix lsp`.

Rules read whole modules (a CloudTrail in one file, its key in another), so
the unit of analysis is the directory of a document: every file Terraform reads there
as it is on disk, overridden by the text of every open buffer.  Each request
recomputes from that state instead of trusting what the client sends back:
Neovim 0.7 strips code-action diagnostics down to ``code`` and ``data``.

Positions go through `LineIndex.lsp_position` in the encoding pygls
negotiated (the client's first choice among UTF-8/16/32, else UTF-16); an
engine `Edit` becomes exactly one `TextEdit`, never a whole-file rewrite.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from tffix import __version__, registry
from tffix.api import Problem, Result
from tffix.config import ConfigError
from tffix.edits import Edit, minimal_edits
from tffix.rules import Finding
from tffix.runner import analyse_module, candidate, detect_target, module_files
from tffix.syntax.source import SourceFile

FIX_ALL = "source.fixAll.tffix"
CHANGE_DELAY = 0.2  # seconds of quiet after an edit before re-analysing


@dataclass
class Analysis:
    """One module's result, with the way back from its paths to the client's URIs."""

    result: Result
    open_documents: dict[Path, TextDocument]
    encoding: str
    names: dict[Path, str]

    def name(self, path: Path) -> str | None:
        return self.names.get(path)

    def uri(self, name: str) -> str:
        path = Path(name).absolute()
        document = self.open_documents.get(path)
        return document.uri if document is not None else from_fs_path(str(path))

    def range(self, source: SourceFile, start: int, end: int) -> types.Range:
        index = source.index
        start_line, start_character = index.lsp_position(start, self.encoding)
        end_line, end_character = index.lsp_position(end, self.encoding)
        return types.Range(
            start=types.Position(line=start_line, character=start_character),
            end=types.Position(line=end_line, character=end_character),
        )

    def diagnostic(self, finding: Finding) -> types.Diagnostic:
        source = self.result.sources[finding.path]
        return types.Diagnostic(
            range=self.range(source, finding.span.start, finding.span.end),
            message=finding.message,
            severity=types.DiagnosticSeverity.Warning,
            code=finding.code,
            source="tffix",
            data={"code": finding.code, "fixable": finding.fix is not None},
        )

    def problem_diagnostic(self, problem: Problem) -> types.Diagnostic:
        source = self.result.sources[problem.path]
        index = source.index
        line = min(max(problem.line, 1), index.line_count)
        offset = min(index.offset(line, max(problem.column, 1)), index.line_end(line, keep_newline=False))
        return types.Diagnostic(
            range=self.range(source, offset, offset),
            message=problem.message,
            severity=types.DiagnosticSeverity.Error,
            source="tffix",
        )

    def diagnostics(self, name: str) -> list[types.Diagnostic]:
        problems = [self.problem_diagnostic(p) for p in self.result.problems if p.path == name]
        return problems + [self.diagnostic(f) for f in self.result.findings if f.path == name]

    def workspace_edit(self, edits: list[Edit]) -> types.WorkspaceEdit:
        changes: dict[str, list[types.TextEdit]] = {}
        for edit in sorted(edits):
            source = self.result.sources[edit.path]
            changes.setdefault(self.uri(edit.path), []).append(
                types.TextEdit(
                    range=self.range(source, edit.span.start, edit.span.end), new_text=edit.new_text
                )
            )
        return types.WorkspaceEdit(changes=changes)

    def fix_all_edits(self, names: list[str] | None = None) -> list[Edit]:
        """The safe fixes at their fixed point, as the smallest edits on the current texts."""
        edits = []
        for name, text in self.result.fixed.items():
            if names is None or name in names:
                edits.extend(minimal_edits(name, self.result.sources[name].text, text))
        return edits


def document_path(uri: str) -> Path | None:
    """The absolute path of a module file (`.tf`, `.tf.json`, `.tofu`, `.tofu.json`); None for other
    files and non-file URIs."""
    path = to_fs_path(uri)
    if path is None or not candidate(Path(path).name):
        return None
    return Path(path).absolute()


def analyse(ls: LanguageServer, directory: Path) -> Analysis:
    open_documents = {}
    for uri, document in ls.workspace.text_documents.items():
        path = document_path(uri)
        if path is not None and path.parent == directory:
            open_documents[path] = document
    on_disk = {path for path in directory.iterdir() if path.is_file()} if directory.is_dir() else set()
    files = module_files(on_disk | set(open_documents), detect_target(directory))
    result = analyse_module(
        directory, files=files, overrides={path: document.source for path, document in open_documents.items()}
    )
    encoding = ls.workspace.position_encoding
    return Analysis(
        result,
        open_documents,
        getattr(encoding, "value", encoding) or "utf-16",
        {Path(name).absolute(): name for name in result.sources},
    )


def publish(ls: LanguageServer, directory: Path) -> None:
    """Diagnostics for every open document of the module: an edit in one file can change another's."""
    try:
        analysis = analyse(ls, directory)
    except (ConfigError, registry.UnknownRule) as error:
        ls.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Error, message=f"tffix: {error}")
        )
        return
    for path, document in analysis.open_documents.items():
        name = analysis.name(path)
        diagnostics = analysis.diagnostics(name) if name is not None else []
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=document.uri, version=document.version, diagnostics=diagnostics
            )
        )


def kind_requested(only: Sequence[str] | None, kind: str) -> bool:
    """LSP kinds are hierarchical: asking for ``source.fixAll`` (or ``source``) includes ``source.fixAll.tffix``."""
    return only is None or any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


def code_actions(ls: LanguageServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    path = document_path(params.text_document.uri)
    if path is None:
        return None
    analysis = analyse(ls, path.parent)
    name = analysis.name(path)
    if name is None:
        return None
    index = analysis.result.sources[name].index
    start = index.lsp_offset(params.range.start.line, params.range.start.character, analysis.encoding)
    end = index.lsp_offset(params.range.end.line, params.range.end.character, analysis.encoding)
    only = params.context.only
    actions = []
    if kind_requested(only, types.CodeActionKind.QuickFix):
        summaries = {rule.code: rule.summary for rule in registry.RULES}
        for finding in analysis.result.findings:
            if finding.path != name or finding.fix is None:
                continue
            if finding.span.start > end or finding.span.end < start:
                continue
            title = f"tffix {finding.code}: {summaries.get(finding.code, finding.name)}"
            actions.append(
                types.CodeAction(
                    title=title if finding.safe else f"{title} (unsafe)",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[analysis.diagnostic(finding)],
                    is_preferred=finding.safe,
                    edit=analysis.workspace_edit(list(finding.fix.edits)),
                )
            )
    if kind_requested(only, FIX_ALL) and analysis.result.fixed:
        actions.append(
            types.CodeAction(
                title="tffix: apply all safe fixes in this module",
                kind=FIX_ALL,
                edit=analysis.workspace_edit(analysis.fix_all_edits()),
            )
        )
    return actions


def formatting(ls: LanguageServer, params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
    """This document's share of the safe fixes; never a reformat (that is `terraform fmt`'s job).

    A fix that also edits another file is left to `source.fixAll.tffix`:
    applying half of it would break the module.
    """
    path = document_path(params.text_document.uri)
    if path is None:
        return None
    analysis = analyse(ls, path.parent)
    name = analysis.name(path)
    if name is None or name not in analysis.result.fixed:
        return []
    spills = any(
        finding.fix is not None and name in finding.fix.paths and len(finding.fix.paths) > 1
        for finding in analysis.result.findings
    )
    if spills:
        ls.window_log_message(
            types.LogMessageParams(
                type=types.MessageType.Info,
                message=f"tffix: fixes for {name} also edit other files; use the source.fixAll.tffix code action",
            )
        )
        return []
    edits = analysis.workspace_edit(analysis.fix_all_edits([name])).changes or {}
    return list(next(iter(edits.values()), []))


def build_server() -> LanguageServer:
    server = LanguageServer(
        "tffix", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
    )
    pending: dict[Path, asyncio.TimerHandle] = {}

    def refresh(ls: LanguageServer, uri: str, delay: float = 0.0) -> None:
        """Publish for the document's module, at once or after ``delay`` seconds without another edit.

        A large module takes a noticeable fraction of a second to analyse
        (560 KiB: 0.6 s), so a burst of keystrokes is analysed once, at its end.
        """
        path = document_path(uri)
        if path is None:
            return
        directory = path.parent
        if (handle := pending.pop(directory, None)) is not None:
            handle.cancel()
        if delay:
            pending[directory] = asyncio.get_running_loop().call_later(delay, refresh, ls, uri)
        else:
            publish(ls, directory)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams):
        refresh(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams):
        refresh(ls, params.text_document.uri, delay=CHANGE_DELAY)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LanguageServer, params: types.DidSaveTextDocumentParams):
        refresh(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LanguageServer, params: types.DidCloseTextDocumentParams):
        """Clear the closed file's diagnostics; its siblings now see it as it is on disk."""
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )
        refresh(ls, params.text_document.uri)

    server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )(code_actions)
    server.feature(types.TEXT_DOCUMENT_FORMATTING)(formatting)
    return server
