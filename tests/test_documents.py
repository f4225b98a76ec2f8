"""PDF and Word files: read through their text layer / paragraphs, or rejected with a reason that says why.

The files are made here: PDFs written byte by byte (a text layer in Helvetica) or by pypdf (blank pages,
as a scan without OCR reads), .docx files by python-docx.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from qa.assistant import Assistant
from qa.loaders import Loaded, load_paths

LIMIT = 1_000_000


def text_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A PDF whose pages hold ``pages`` (lines of text) as a real text layer."""
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font = 3 + 2 * len(pages)
    for i, lines in enumerate(pages):
        body = "BT /F1 12 Tf 14 TL 72 720 Td " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(f"<< /Length {len(body)} >>\nstream\n{body}\nendstream".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    info = None
    if title:
        objects.append(f"<< /Title ({title}) >>".encode())
        info = len(objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R" + (f" /Info {info} 0 R" if info else "") + " >>"
    out.write(f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def scanned_pdf(pages: int) -> bytes:
    """Pages without a text layer, as a scan without OCR is."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def word_docx(path: Path, paragraphs: list[str], author: str | None = None) -> Path:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Vessels in service"
    table.rows[0].cells[1].text = "4"
    if author:
        document.core_properties.author = author
    document.save(str(path))
    return path


def _load(*paths: Path) -> list[Loaded]:
    return list(load_paths(paths, max_bytes=LIMIT))


BRIDGE = [
    "Ostrava bridge reopens",
    "The Ostrava bridge reopened on Monday after two years of work.",
    "It carries 9,000 cars a day, the city said.",
]


def test_pdf_text_layer_is_the_article(tmp_path: Path) -> None:
    path = tmp_path / "bridge.pdf"
    path.write_bytes(text_pdf([BRIDGE[:2], BRIDGE[2:]], title="Ostrava bridge reopens"))
    [item] = _load(path)
    article = item.article
    assert article is not None, item.error
    assert article.article_id == "bridge" and article.path == str(path)
    assert "The Ostrava bridge reopened on Monday" in article.text and "9,000 cars a day" in article.text
    assert "\n\n" in article.text  # the pages are paragraphs apart
    assert article.title == "Ostrava bridge reopens"


def test_pdf_without_text_layer_is_rejected_saying_so(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(3))
    [item] = _load(path)
    assert str(item.error) == (
        f"{path}: the PDF has no text layer (3 page(s), 0 characters: a scan or images of text?)"
        " - run OCR on it first (e.g. ocrmypdf) or ingest the text as .txt"
    )


def test_damaged_pdf_is_rejected_in_one_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    with caplog.at_level(logging.WARNING):
        [item] = _load(path)
    assert str(item.error) == f"{path}: not a readable PDF (damaged or not a PDF) - open it and save it again"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # pypdf's own warnings stay quiet


def test_docx_paragraphs_and_tables_are_the_article(tmp_path: Path) -> None:
    path = word_docx(
        tmp_path / "ferry.docx", ["Ferry line opens", "", "The ferry carries up to 300 passengers."], "Ana Ruiz"
    )
    [item] = _load(path)
    article = item.article
    assert article is not None, item.error
    assert article.text == "Ferry line opens\n\nThe ferry carries up to 300 passengers.\n\nVessels in service\n\n4"
    assert article.author == "Ana Ruiz"
    assert article.title == "Ferry line opens"


def test_docx_that_is_not_one_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))  # an old binary .doc, renamed
    [item] = _load(path)
    assert str(item.error) == (
        f"{path}: not a readable .docx (damaged, or an old .doc renamed)"
        " - open it in a word processor and save it as .docx again"
    )


def test_empty_docx_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    [item] = _load(path)
    assert "the document holds no text" in str(item.error)


def test_a_folder_reports_every_file(make_assistant: object, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "bridge.pdf").write_bytes(text_pdf([BRIDGE]))
    (folder / "scan.pdf").write_bytes(scanned_pdf(2))
    word_docx(folder / "ferry.docx", ["Ferry line opens", "The ferry carries up to 300 passengers, the operator said."])
    (folder / "dam.txt").write_text("The Kesk dam was finished in May. It holds 12 million cubic metres.", "utf-8")
    (folder / "budget.xlsx").write_bytes(b"PK\x03\x04" + bytes(100))
    (folder / ".DS_Store").write_bytes(bytes(10))
    assistant: Assistant = make_assistant()  # type: ignore[operator]
    report = assistant.ingest([folder])
    outcome = {Path(r.path).name: (r.status, r.reason or "") for r in report.results}
    assert set(outcome) == {"bridge.pdf", "scan.pdf", "ferry.docx", "dam.txt", "budget.xlsx"}
    assert outcome["bridge.pdf"][0] == outcome["ferry.docx"][0] == outcome["dam.txt"][0] == "added"
    assert outcome["scan.pdf"][0] == "rejected" and "no text layer" in outcome["scan.pdf"][1]
    assert outcome["budget.xlsx"][0] == "rejected" and "unsupported file type '.xlsx'" in outcome["budget.xlsx"][1]
    answer = assistant.ask("How many cars does the Ostrava bridge carry a day?")
    assert not answer.refused and "9,000" in answer.text, answer.text
    cited = answer.citations[0]
    assert cited.article_id == "bridge"
    assert cited.quote == assistant.article("bridge").text[cited.start : cited.end]
    again = assistant.ingest([folder])
    assert sorted(r.status for r in again.results) == ["rejected", "rejected", "unchanged", "unchanged", "unchanged"]
