"""The Terraform layer: what a module's HCL means to Terraform.

`tffix.syntax` knows HCL; this package knows Terraform (declarations, references
and what they resolve to, instance keys, static values, version constraints) and
nothing of any cloud provider.  Rules ask it; they do not re-derive it.
"""
