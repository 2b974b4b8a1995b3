"""Streamlit pieces of the explorer (imports Streamlit; the core never imports this package)."""
