"""One module per rule; each ends with ``RULE = Rule(...)``, collected by `tffix.registry`."""
