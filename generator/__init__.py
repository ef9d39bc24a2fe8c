"""Renders the YAML description of VirtIO in spec/ into C headers in generated/."""
