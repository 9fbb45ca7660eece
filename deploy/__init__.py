"""Deployment: nginx in front of N Streamlit replicas (see deploy/README.md)."""
