"""Benchmarks: `python -m bench` runs every `bench/<name>.py` module's `run()`; each prints
its figures and the ratio it is judged by. Benchmarks print; they never assert a time.

Environment: BENCH_QUICK=1 for smaller runs; BENCH_DATABASE_URL (default: a throwaway
database on postgresql://postgres@127.0.0.1:5432, else a SQLite file); BENCH_N for the
bulk issuance size (default 1000, 100 with BENCH_QUICK)."""
