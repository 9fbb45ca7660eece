"""Placeholder: replaced by the real page in this issue."""

import streamlit as st

from trafficking import db

db.require_database()
st.title("tiers")
