"""The Qt user interface. The only part of the package that imports PySide6."""
