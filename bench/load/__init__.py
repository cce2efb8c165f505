"""The load test: simulated carers and staff on gunicorn, PostgreSQL and Redis (`python -m bench.load.run`)."""
