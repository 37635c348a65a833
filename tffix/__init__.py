"""tffix: repair Terraform configurations that look right and still fail."""

__version__ = "0.1.0"
