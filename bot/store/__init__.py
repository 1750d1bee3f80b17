"""aiosqlite persistence: the connection, migrations and one repository per aggregate.

SQL lives only in this package.
"""
