#!/usr/bin/env bash
# Prints the PostgreSQL URL for the test run when that server answers, and nothing otherwise.
url=${TEST_DATABASE_URL_PG:-postgresql://postgres@127.0.0.1:5432/test}
if .venv/bin/python - "$url" <<'PY' 2>/dev/null; then echo "$url"; fi
import sys
import psycopg
psycopg.connect(sys.argv[1], connect_timeout=3).close()
PY
