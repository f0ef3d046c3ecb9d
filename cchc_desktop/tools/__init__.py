"""Developer tools (screenshots of the window). Not used by the program itself."""
