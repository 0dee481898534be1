"""The errors a user can cause and fix, and the one way the CLI and the web app report them:
a one-line message on stderr and exit status 2 (130 when interrupted), never a traceback."""

from __future__ import annotations

import sqlite3
import sys
from contextlib import contextmanager
from typing import Iterator


class QAError(Exception):
    """An error whose message names what to do."""


class CorpusError(QAError):
    """The corpus path itself is unusable (missing)."""


class ModelError(QAError):
    """A model that was asked for cannot be loaded; the message names the fix."""


class IndexLoadError(QAError):
    """The index is missing, damaged or from another version; the message names the fix."""


class EmptyCorpusError(QAError):
    """No article could be read from the corpus."""


class BuildLockedError(QAError):
    """Another build holds the index lock."""


# Bad settings and question files are ValueErrors, a port in use or an unreadable folder
# OSErrors, a damaged store an sqlite3 error: each has a message a user can act on.
EXPECTED_ERRORS = (QAError, ValueError, OSError, sqlite3.Error)


def first_line(err: BaseException, limit: int | None = None) -> str:
    """An exception's first line for a one-line message (its type's name when it has none)."""
    text = str(err).strip()
    return (text.splitlines()[0] if text else type(err).__name__)[:limit]


def is_database_error(err: BaseException) -> bool:
    """A PostgreSQL error (psycopg's, an optional dependency): the server went away, a query
    was cancelled. Its message is the server's, without the password."""
    return type(err).__module__.startswith("psycopg")


class Exit(Exception):
    """Raised by reported() with the exit status the command should return."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@contextmanager
def reported(program: str = "qa") -> Iterator[None]:
    """Turn an expected error into "qa: error: ..." and Exit(2), an interrupt into Exit(130)."""
    try:
        yield
    except EXPECTED_ERRORS as err:
        print(f"{program}: error: {err}", file=sys.stderr)
        raise Exit(2) from None
    except Exception as err:
        if not is_database_error(err):
            raise
        print(f"{program}: error: PostgreSQL: {first_line(err)}", file=sys.stderr)
        raise Exit(2) from None
    except KeyboardInterrupt:
        print(f"{program}: interrupted", file=sys.stderr)
        raise Exit(130) from None
