"""Running the service's accounts: users, invitations, roles, disabling, security-code resets and the audit log."""
