"""PDF -> text from its text layer with pypdf. A scanned PDF (no text layer) gives empty text and a
warning: OCR is out of scope, and one image-only file must not stop a batch."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

NO_TEXT_WARNING = "PDF has no text layer (scanned image?): text is empty; OCR it first to extract targets"


def read_pdf(path: Path) -> tuple[str, Optional[str], list[str]]:
    """(text, title from the metadata or None, warnings). Raises ValueError for a broken PDF."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as exc:  # pragma: no cover - pypdf is a core dependency
        raise ImportError("reading PDF needs pypdf: pip install 'pypdf>=4.0'") from exc
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("encrypted PDF (a password is needed)")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = _title(reader)
    except (PyPdfError, OSError, KeyError, TypeError) as exc:
        raise ValueError(f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    text = "\n".join(page.strip("\n") for page in pages).strip()
    warnings = [] if text.strip() else [f"{NO_TEXT_WARNING} ({len(pages)} page(s))"]
    return text, title, warnings


def _title(reader: object) -> Optional[str]:
    try:
        meta = reader.metadata  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a broken info dictionary is not worth failing the file
        return None
    title = (meta.title if meta else None) or ""
    return str(title).strip() or None
