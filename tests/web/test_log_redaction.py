"""Logs hold no patient data: an unhandled exception is logged by type and place only."""

import io
import logging
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import Depends, FastAPI

from limbsalvage.settings import Settings
from limbsalvage.web.app import create_app
from limbsalvage.web.auth import public
from limbsalvage.web.log_redaction import RedactTracebacks, configure_logging

SECRET = "Edith Secretname MRN-4711"


def _record_with_exception() -> logging.LogRecord:
    try:
        raise ValueError(f"duplicate key for {SECRET}")
    except ValueError:
        info = sys.exc_info()
    return logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1, "failed %s", ("x",), info)


def test_a_traceback_becomes_its_type_and_place() -> None:
    record = _record_with_exception()
    assert RedactTracebacks().filter(record) is True
    text = logging.Formatter("%(message)s").format(record)
    assert SECRET not in text
    assert text.startswith("failed x [ValueError at ")
    assert "test_log_redaction.py:" in text
    assert record.exc_info is None


def test_a_record_without_exception_passes_unchanged() -> None:
    record = logging.LogRecord("limbsalvage", logging.INFO, __file__, 1, "GET %s", ("/",), None)
    assert RedactTracebacks().filter(record) is True
    assert record.getMessage() == "GET /"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """The serve logging set-up, writing into a buffer; the test runner's handlers restored."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    handler = configure_logging()
    stream = io.StringIO()
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    yield stream
    root.handlers[:] = handlers
    root.setLevel(level)


def _failing_app() -> FastAPI:
    app = create_app(Settings(env="demo"))

    @app.get("/boom", dependencies=[Depends(public)])
    def boom() -> None:
        raise RuntimeError(f"cannot store {SECRET}")

    return app


def test_the_server_log_of_a_crash_holds_no_submitted_value(captured: io.StringIO) -> None:
    config = uvicorn.Config(_failing_app(), host="127.0.0.1", port=0, log_config=None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        answer = httpx.get(f"http://127.0.0.1:{port}/boom")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "internal_error"
    log = captured.getvalue()
    assert "RuntimeError at " in log  # uvicorn's own report of the re-raised exception
    assert "test_log_redaction.py:" in log
    assert SECRET not in log
    assert "Traceback" not in log
