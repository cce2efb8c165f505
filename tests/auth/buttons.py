"""Pressing one button on a page with several POST forms (the layout's sign-out form is always one of them)."""

from __future__ import annotations


def press(client, page_url: str, action_endswith: str, data: dict | None = None, **kwargs):
    """GET the page, find the POST form whose action ends with `action_endswith`, and send it as a browser would."""
    got = client.get(page_url)
    assert got.status_code == 200, f"GET {page_url} answered {got.status_code}"
    forms = [f for f in client.page.forms if f.method == "post" and (f.action or "").endswith(action_endswith)]
    assert forms, f"no form posting to …{action_endswith} on {page_url}"
    return client.post(forms[0].action, data={**forms[0].fields, **(data or {})}, **kwargs)
