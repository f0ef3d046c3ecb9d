"""The clerk's SQLite file and what keeps it safe: the store, verified backups, the lock on the
data folder, cleaning up after a power cut."""
