"""The account, partition and region that new policy text refers to, through data sources.

A statement tffix writes names ``arn:${data.aws_partition.P.partition}:...:${data.aws_caller_identity.C.account_id}``
rather than a literal account or ``aws``: the module keeps working in every
account and partition (GovCloud, China).  Data sources the module already has
are reused under whatever name they have; missing ones (``"current"``) are added
once per module, at the end of one file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tffix.edits import Edit
from tffix.rules import insert_at_end
from tffix.syntax import build

# data source type -> the attribute a reference reads
SOURCES = {
    "aws_caller_identity": "account_id",
    "aws_partition": "partition",
    "aws_region": "name",
    "aws_elb_service_account": "arn",
}


@dataclass(slots=True)
class AccountData:
    names: dict[str, str]  # data source type -> the name it has (or will have)
    missing: list[str]  # types to create
    used: set[str] = field(default_factory=set)
    home: dict = field(default_factory=dict)  # shared per module run: {"file": the file new blocks go to}

    @classmethod
    def of(cls, model, home: dict | None = None) -> AccountData:
        """The module's data sources of each kind, or the names new ones will have.  Only a data
        source without arguments describes the default provider's own account, partition and region
        (``data "aws_region" "east" { region = "us-east-1" }`` does not), so only such a one is reused."""
        names, missing = {}, []
        for type_ in SOURCES:
            declared = [
                d for d in model.declarations if d.kind == "data" and d.type == type_ and d.parent is None
            ]
            found = next(
                (
                    d
                    for d in declared
                    if build.is_identifier(d.name) and d.block is not None and not d.block.body.items
                ),
                None,
            )
            taken = {d.name for d in declared}
            names[type_] = found.name if found is not None else _free("current", taken)
            if found is None:
                missing.append(type_)
        return cls(names, missing, home=home if home is not None else {})

    def _ref(self, type_: str) -> build.Expression:
        self.used.add(type_)
        return build.ref("data", type_, self.names[type_], SOURCES[type_])

    @property
    def account_id(self) -> build.Expression:
        return self._ref("aws_caller_identity")

    @property
    def partition(self) -> build.Expression:
        return self._ref("aws_partition")

    @property
    def region(self) -> build.Expression:
        return self._ref("aws_region")

    @property
    def elb_service_account(self) -> build.Expression:
        """The ARN of the Elastic Load Balancing account of the region (for access-log bucket policies)."""
        return self._ref("aws_elb_service_account")

    def arn(
        self, service: str, resource: str | tuple, region: str | build.Expression = "", account: bool = True
    ) -> build.Expression:
        """``arn:${partition}:service:region:${account}:resource`` as a template; ``resource`` is text
        or a tuple of text and expressions (``("trail/", name)``)."""
        parts: list = ["arn:", self.partition, f":{service}:", region, ":"]
        if account:
            parts.append(self.account_id)
        parts.append(":")
        parts.extend(resource if isinstance(resource, tuple) else (resource,))
        merged: list = []
        for part in parts:
            if part == "":
                continue
            if merged and isinstance(part, str) and isinstance(merged[-1], str):
                merged[-1] += part
            else:
                merged.append(part)
        return build.template(*merged)

    def with_blocks(self, file, edits: list[Edit]) -> list[Edit]:
        """``edits`` plus the data sources their text uses and the module lacks.

        The blocks go to one file per module run (the first that needs them), so
        that fixes for two keys in two files write them once: the second fix then
        overlaps the first and is planned again after it, reusing them.  An edit
        that already reaches the end of that file takes the blocks into its own
        text, since two edits at one point would not apply together.
        """
        needed = [type_ for type_ in self.missing if type_ in self.used]
        if not needed:
            return edits
        target = self.home.setdefault("file", file)
        text = "\n".join(
            build.Block("data", (type_, self.names[type_])).text().replace(" {\n}", " {}") + "\n"
            for type_ in needed
        )
        addition = insert_at_end(target, text)
        if target is file:
            for index, edit in enumerate(edits):
                if edit.span.end == addition.span.start and edit.span.path == addition.span.path:
                    # one blank line after the edit's own text, whether or not that ends its line
                    newline = "\r\n" if "\r\n" in target.text else "\n"
                    separator = newline if edit.new_text.endswith("\n") else newline * 2
                    edits[index] = Edit(edit.span, edit.new_text + separator + text.replace("\n", newline))
                    return edits
        return edits + [addition]


def _free(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3``, ... when a data source of the type already has it."""
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}_{number}"
    return candidate
