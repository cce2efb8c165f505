"""Imports every module that declares jobs, so a worker knows all task names."""

from portal.core import notify, uploads  # noqa: F401
from portal.memories import jobs as memories_jobs  # noqa: F401
from portal.mentoring import jobs as mentoring_jobs  # noqa: F401
