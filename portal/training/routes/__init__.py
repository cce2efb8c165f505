"""The training blueprint: carers and applicants (routes/carer.py, routes/record.py), the coordinator
(routes/programme.py, routes/registers.py, routes/reports.py) and supervising social workers (routes/caseload.py)."""

from flask import Blueprint

bp = Blueprint("training", __name__)

from portal.training.routes import carer, caseload, programme, record, registers, reports  # noqa: E402,F401


def register(app) -> None:
    """The blueprint, and training's parts of the shared pages: "needs me" items and the calendar feed."""
    from portal.training.providers import register_providers

    register_providers()
    app.register_blueprint(bp)
