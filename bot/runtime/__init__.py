"""The process runtime: the ticker, readiness, metrics and logs."""
