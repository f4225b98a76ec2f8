"""PDF and Word (.docx) files to text: pypdf reads a PDF's text layer, python-docx a document's paragraphs.

Neither guesses: a PDF without a text layer (a scan) and a file that is not
what its name says are rejected with a reason, never stored empty. Both
libraries are imported on first use.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from qa.errors import IngestError
from qa.pages import quiet

log = logging.getLogger(__name__)

PDF_EXTENSIONS = frozenset({".pdf"})
DOCX_EXTENSIONS = frozenset({".docx"})

# A page with fewer visible characters than this is no text layer worth the name (page numbers, stray marks).
_MIN_CHARS_PER_PAGE = 20
_BLANK_LINES = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class DocumentText:
    """The text of a PDF or Word file, with what its properties say about it."""

    text: str
    title: str | None = None
    author: str | None = None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def read_pdf(data: bytes, shown: str) -> DocumentText:
    """The text layer of a PDF, page by page (pages apart by a blank line).

    Raises :class:`IngestError` for a PDF that cannot be parsed, is
    password-protected or has no text layer (a scan).
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with quiet("pypdf"):  # its warnings about damaged files: the one line we give says it
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise IngestError(shown, "the PDF is password-protected", "save an unprotected copy and ingest that")
            pages = [page.extract_text() or "" for page in reader.pages]
            info = reader.metadata
            title, author = (info.title, info.author) if info is not None else (None, None)
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        log.info("pypdf failed on %s: %r", shown, exc)
        raise IngestError(shown, "not a readable PDF (damaged or not a PDF)", "open it and save it again") from None
    # Paragraphs inside a page stay as pypdf laid them out; a blank line keeps pages apart.
    cleaned = [_BLANK_LINES.sub("\n\n", page.strip()) for page in pages]
    text = "\n\n".join(page for page in cleaned if page)
    visible = len("".join(text.split()))
    if visible < _MIN_CHARS_PER_PAGE * max(1, len(pages)):
        what = "no text layer" if not visible else "almost no text layer"
        raise IngestError(
            shown,
            f"the PDF has {what} ({len(pages)} page(s), {visible} characters: a scan or images of text?)",
            "run OCR on it first (e.g. ocrmypdf) or ingest the text as .txt",
        )
    return DocumentText(text=text, title=_clean(title), author=_clean(author))


def read_docx(data: bytes, shown: str) -> DocumentText:
    """The paragraphs of a Word document (tables' cells as paragraphs after them), apart by blank lines.

    Raises :class:`IngestError` for a file that is not a .docx (an old .doc, a
    damaged archive) or holds no text.
    """
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                # A merged cell is listed once per grid column it spans: keep it once.
                paragraphs.extend(dict.fromkeys(cell.text for cell in row.cells))
        props = document.core_properties
        title, author = props.title, props.author
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        log.info("python-docx failed on %s: %r", shown, exc)
        raise IngestError(
            shown,
            "not a readable .docx (damaged, or an old .doc renamed)",
            "open it in a word processor and save it as .docx again",
        ) from None
    lines = [" ".join(p.split()) for p in paragraphs]
    text = "\n\n".join(line for line in lines if line)
    if not text:
        raise IngestError(shown, "the document holds no text", "add the article text or remove the file")
    return DocumentText(text=text, title=_clean(title), author=_clean(author))
