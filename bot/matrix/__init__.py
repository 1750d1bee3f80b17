"""The only package that imports nio: login, sync, sending, and Matrix wire formats."""
