"""Renders the YAML description of VirtIO in spec/ into C headers in generated/."""

__version__ = "0.1.0"
