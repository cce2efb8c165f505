"""The signed-in person's own account: details, password, security codes, remembered devices, sessions."""
