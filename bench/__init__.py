"""Benchmarks for the dashboard: `make bench` (or `python -m bench [--quick]`) prints one table.

Every timing is reported next to a *floor* measured in the same run on the same machine
(an empty Streamlit script drawing the same Plotly figures from memory, or for the refresh,
reading and hashing the same files), because the machines we run on are shared and noisy:
the ratio is the number to watch, the seconds are context.
"""
