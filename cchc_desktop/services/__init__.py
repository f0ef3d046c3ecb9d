"""What a command or the window asks for, built on core + storage + formats: create, import,
export and delete reports, the edit session (set → save → re-validate → tell the views), the
built-in sample, writing the Word and Excel files to the clerk's folder."""
