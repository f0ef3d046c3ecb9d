"""The one base of every error the program explains to the clerk: ``str(err)`` is the
Vietnamese message, ``detail`` the technical cause for the log file, never shown as the message.
The command line and the window catch this base, not a list of classes that drifts."""

from __future__ import annotations


class CchcError(Exception):
    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message
