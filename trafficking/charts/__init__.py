"""Pure chart builders: a DataFrame in, a Plotly figure out. No Streamlit, no database."""
