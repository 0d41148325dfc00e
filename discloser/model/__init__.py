"""The declaration as typed data: what a feature does with photos, nothing inferred."""
