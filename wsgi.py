"""Entry point for gunicorn and `flask --app wsgi`."""

import gc

from portal.app import create_app

app = create_app()
# Everything made so far (modules, templates, statements built once, the URL map) lives as long as the process: moved
# out of the collector's generations, a full collection no longer walks its ~300,000 objects (about 150 ms each time)
# while a page waits. Python's gc.freeze documentation describes this use.
gc.collect()
gc.freeze()
