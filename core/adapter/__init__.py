"""The Streamlit adapter: the only place in core that imports streamlit (session state, shared widgets)."""
