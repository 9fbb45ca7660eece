"""Parameterised, cached reads from the dashboard database, one module per subject.

Each function returns a pandas DataFrame (or plain values) ready for a chart builder; none
formats user input into SQL.
"""
