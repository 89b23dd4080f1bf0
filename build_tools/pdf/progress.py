"""A progress line while WeasyPrint lays out pages: long books take a while."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator


class _ProgressLine(logging.Handler):
    """WeasyPrint's ``weasyprint.progress`` steps, rewritten in place on one terminal line."""

    def __init__(self, stream) -> None:
        super().__init__(logging.INFO)
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        self.stream.write(f"\r\033[Kpdf: {record.getMessage()}")
        self.stream.flush()


@contextlib.contextmanager
def progress_display(stream=None) -> Iterator[None]:
    """Show progress on a terminal only: in a log file the line would be noise."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield
        return
    logger = logging.getLogger("weasyprint.progress")
    handler, level = _ProgressLine(stream), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        stream.write("\r\033[K")
        stream.flush()
