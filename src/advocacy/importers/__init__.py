"""Reading, validating and loading the canonical import formats."""
