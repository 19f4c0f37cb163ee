"""What only serves development: flask commands, demo and synthetic data, and the
stand-in token issuers."""
