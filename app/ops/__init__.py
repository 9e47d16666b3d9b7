"""Operations: consistent backups of the database and stored files, and their restore."""
