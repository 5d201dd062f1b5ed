"""Widgets: one module per screen or panel, each given the services it uses."""
