"""Advocacy."""
