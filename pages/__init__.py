"""Dashboard pages. Each module is run by st.navigation as a script (then __name__ == "__main__" and it
renders itself) and can be imported for its CHARTS registry (chart_id -> function), used by embed mode."""
