"""``schemy deploy``: configurations deployed to machines over the host's own OpenSSH."""
