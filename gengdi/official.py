"""The notice of a publication as documents: (PDF, DOCX) bytes."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .notice import Notice, notice_docx, notice_pdf


def render(n: Notice, pub: Mapping[str, Any]) -> tuple[bytes, bytes]:
    return notice_pdf(n), notice_docx(n)
