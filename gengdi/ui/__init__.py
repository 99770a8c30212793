"""The only Streamlit-aware code: cached data access, shared filters and page components."""
