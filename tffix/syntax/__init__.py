"""Lossless HCL2: parse, query, edit and print Terraform files.

This package knows HCL, not Terraform providers: no resource type, argument or
ARN pattern belongs here.
"""

from tffix.syntax.errors import ParseError
from tffix.syntax.nodes import File, Node, Token
from tffix.syntax.parser import parse_body, parse_expression, parse_module

__all__ = ["File", "Node", "ParseError", "Token", "parse_body", "parse_expression", "parse_module"]
