"""Imports every model so that the metadata (for Alembic and tests) is complete."""

from portal.auth import models as auth_models  # noqa: F401
from portal.claims import arrears_models  # noqa: F401
from portal.claims import models as claims_models  # noqa: F401
from portal.core import (  # noqa: F401  # noqa: F401
    audit,
    idempotency,
    notice_preferences,
    notify,
    push,
    search,  # noqa: F401
    uploads,
)
from portal.core.db import Base
from portal.groups import models as groups_models  # noqa: F401
from portal.hub import models as hub_models  # noqa: F401
from portal.memories import models as memories_models  # noqa: F401
from portal.mentoring import models as mentoring_models  # noqa: F401
from portal.payments import models as payments_models  # noqa: F401
from portal.people import models as people_models  # noqa: F401
from portal.records import models as records_models  # noqa: F401
from portal.training import models as training_models  # noqa: F401

metadata = Base.metadata
