"""Logs without patient data: a traceback is cut down to the exception's type and place.

Starlette answers an unhandled exception with our 500 page and then re-raises it so that the
server logs it; uvicorn would print the whole traceback, whose exception text can hold submitted
values (a name in a SQL parameter list, say). Every handler `limbsalvage serve` installs carries
this filter, so such a record keeps its message, loses its traceback text, and names only the
exception's class and the file and line where it was raised.
"""

import logging
from types import TracebackType


def raised_at(traceback: TracebackType | None) -> str:
    """`file:line` of the innermost frame, where the exception was raised."""
    if traceback is None:
        return "?"
    while traceback.tb_next is not None:
        traceback = traceback.tb_next
    return f"{traceback.tb_frame.f_code.co_filename}:{traceback.tb_lineno}"


class RedactTracebacks(logging.Filter):
    """Replaces a record's exception information by its type and place; passes every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, traceback = record.exc_info
            record.msg = f"{record.getMessage()} [{kind.__name__} at {raised_at(traceback)}]"
            record.args = None
            record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def configure_logging(level: int = logging.INFO) -> logging.Handler:
    """One stderr handler on the root logger, redacting tracebacks; returns the handler."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTracebacks())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    return handler
