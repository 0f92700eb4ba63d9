"""Errors raised for a user's input. The CLI turns them into one line naming the file."""


class InputError(Exception):
    """The file cannot be read: empty, truncated, encrypted, unsupported or mislabelled."""
