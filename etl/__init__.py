"""ETL: fetch public trafficking data, validate it, and publish one DuckDB file."""
