"""Search across what every feature offers (portal.core.search)."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import login_only
from portal.core.pagination import page_number
from portal.core.search import search
from portal.hub.routes import bp

MAX_QUERY = 200


@bp.route("/search")
@login_only
def search_everything():
    query = (request.args.get("q") or "").strip()[:MAX_QUERY]
    number = page_number(request.args)
    results, more = search(current_user, query, page=number) if query else ([], False)
    return render_template(
        "hub/search_everything.html",
        query=query,
        results=results,
        number=number,
        previous=url_for("hub.search_everything", q=query, page=number - 1) if number > 1 else None,
        next=url_for("hub.search_everything", q=query, page=number + 1) if more else None,
    )
