"""Imports every module that declares jobs, so a worker knows all task names."""

from portal.core import idempotency, notify, uploads  # noqa: F401
from portal.groups import welcome as groups_welcome  # noqa: F401
from portal.hub import jobs as hub_jobs  # noqa: F401
from portal.memories import jobs as memories_jobs  # noqa: F401
from portal.mentoring import jobs as mentoring_jobs  # noqa: F401
from portal.training import jobs as training_jobs  # noqa: F401
