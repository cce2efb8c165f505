"""The baseline that Hearth's pages are compared with: a Flask app that answers a small, fixed HTML page.

Served by gunicorn exactly as Hearth is (bench/throughput.py), and as the trivial page of bench/lighthouse.py (with
the same system font and nothing else), so a ratio against it measures Hearth's own work, not the machine's.
"""

from __future__ import annotations

from flask import Flask

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Home – Hearth</title>
<style>body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0 1rem;color:#0b0c0c}</style>
</head>
<body>
<header><p>Hearth</p></header>
<main id="main-content">
<h1>Your foster care portal</h1>
<p>Daily logs, claims, payments and memory boxes for foster carers and the people who support them.</p>
</main>
</body>
</html>
"""

app = Flask(__name__)


@app.get("/")
def home() -> tuple[str, int, dict[str, str]]:
    return PAGE, 200, {"Content-Type": "text/html; charset=utf-8"}
