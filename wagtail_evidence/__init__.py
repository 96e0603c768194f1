"""Structured evidence for verification journalism in Wagtail."""

__version__ = "0.1.0"
