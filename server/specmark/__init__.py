"""specmark: traceability checks for spec-driven development Markdown."""

__version__ = "0.1.0"
