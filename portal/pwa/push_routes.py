"""Turning web push on and off for one device: the page posts the browser's PushSubscription as JSON (with the
CSRF token in the X-CSRFToken header) after the person agreed on that device."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from portal.auth.gates import login_only
from portal.core.push import BadSubscription, forget_subscription, push_enabled, save_subscription
from portal.core.unit_of_work import unit_of_work
from portal.pwa.routes import bp


def device_label(user_agent: str) -> str:
    """A name a person recognises on their account page ("iPhone", "Android phone", "Computer")."""
    ua = user_agent or ""
    if "iPhone" in ua or "iPad" in ua:
        return "iPhone or iPad"
    if "Android" in ua:
        return "Android phone or tablet"
    return "Computer"


@bp.route("/push/subscriptions", methods=["POST"])
@login_only
def save_push_subscription():
    if not push_enabled():
        return jsonify(error="Notifications on devices are not set up here"), 404
    body = request.get_json(silent=True) or {}
    try:
        with unit_of_work():
            save_subscription(current_user.id, body.get("subscription"), device_label(request.user_agent.string))
    except BadSubscription as exc:
        return jsonify(error=str(exc)), 400
    return jsonify(saved=True), 201


@bp.route("/push/subscriptions/remove", methods=["POST"])
@login_only
def remove_push_subscription():
    body = request.get_json(silent=True) or {}
    endpoint = body.get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        return jsonify(error="Say which device to turn off"), 400
    with unit_of_work():
        removed = forget_subscription(current_user.id, endpoint)
    return jsonify(removed=removed), 200
