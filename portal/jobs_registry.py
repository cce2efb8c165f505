"""Imports every module that declares jobs, so a worker knows all task names."""
from portal.core import notify  # noqa: F401
