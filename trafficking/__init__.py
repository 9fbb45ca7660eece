"""Shared code for the dashboard: database access, queries, chart builders and styling.

Pages stay thin: they read widgets, call a function from ``trafficking.queries``, pass the
DataFrame to a pure builder in ``trafficking.charts`` and render it with ``trafficking.style``.
"""
