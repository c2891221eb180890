"""Validation evidence: the user requirements, the pytest plugin that ties tests to them, the matrix."""
