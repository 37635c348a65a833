"""AWS knowledge several rules share: policy documents, ARNs, principals, hazard tables.

Built on `tffix.semantic`; nothing here edits text by hand.
"""
