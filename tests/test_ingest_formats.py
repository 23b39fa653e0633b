"""Each file format through read_file/iter_sources: text, HTML, DOCX, PDF, binary files."""
from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.ingest import iter_sources, read_file
from pipeline.ingest.pdf import NO_TEXT_WARNING

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian fonts-dejavu-core (.ci/run)

BODY_1 = "UBND tỉnh Quảng Bình ban hành Kế hoạch số 2202/KH-UBND về đào tạo cán bộ."
BODY_2 = "Phấn đấu đến năm 2020 có 95% công chức cấp xã đạt trình độ từ trung cấp trở lên."

HTML_PAGE = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>Quảng Bình đào tạo 1.300 cán bộ - Báo Quảng Bình</title>
<meta property="og:title" content="Quảng Bình đào tạo 1.300 cán bộ">
<meta property="article:published_time" content="2016-12-22T08:44:00+07:00">
</head><body>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li></ul></nav>
<article><h1>Quảng Bình đào tạo 1.300 cán bộ</h1>
<p>{BODY_1}</p>
<p>{BODY_2}</p>
<p>Tổng kinh phí thực hiện khoảng 4,4 tỷ đồng, đào tạo khoảng 1.300 học viên.</p>
</article>
<div class="related"><h3>Tin liên quan</h3><ul><li><a href="/a">Hà Tĩnh tổ chức hội nghị sơ kết</a></li></ul></div>
<div id="comments"><h3>Bình luận</h3><p>Rất hay, cảm ơn tác giả bài viết này.</p></div>
<footer>© Báo Quảng Bình</footer></body></html>"""


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


class TestText:
    def test_plain_text_doc_id_is_the_stem(self, tmp_path: Path) -> None:
        doc = read_file(write(tmp_path / "kh_2202.txt", f"{BODY_1}\n{BODY_2}\n"))
        assert doc.text == f"{BODY_1}\n{BODY_2}\n"
        assert doc.doc_id == "kh_2202" and doc.path == str(tmp_path / "kh_2202.txt")
        assert doc.warnings == [] and doc.title_in_text is False

    def test_tcvn3_text_file(self, tmp_path: Path) -> None:
        doc = read_file(write(tmp_path / "old.txt", "KÕ ho¹ch ®µo t¹o c¸n bé, c«ng chøc cÊp x·".encode("cp1252")))
        assert doc.text == "Kế hoạch đào tạo cán bộ, công chức cấp xã"
        assert doc.warnings[0].startswith("decoded as TCVN3")

    def test_undecodable_text_file_names_the_file(self, tmp_path: Path) -> None:
        path = write(tmp_path / "junk.txt", bytes(range(0x80, 0x100)) * 3)
        with pytest.raises(InputError, match="undecodable bytes") as info:
            read_file(path)
        assert info.value.path == str(path)


class TestHtml:
    def test_main_content_title_and_date(self, tmp_path: Path) -> None:
        doc = read_file(write(tmp_path / "bai.html", HTML_PAGE))
        assert doc.title == "Quảng Bình đào tạo 1.300 cán bộ"
        assert doc.published == date(2016, 12, 22)
        lines = doc.text.split("\n")
        assert lines[0] == doc.title and doc.title_in_text
        assert lines.count(doc.title) == 1  # the <h1> is not repeated under the title
        assert BODY_1 in lines and BODY_2 in lines  # one paragraph per line
        for furniture in ("Trang chủ", "Tin liên quan", "Hà Tĩnh tổ chức", "Bình luận", "cảm ơn tác giả"):
            assert furniture not in doc.text

    def test_html_detected_by_content_without_extension(self, tmp_path: Path) -> None:
        doc = read_file(write(tmp_path / "page", HTML_PAGE))
        assert BODY_2 in doc.text and "<p>" not in doc.text

    def test_html_with_declared_legacy_charset(self, tmp_path: Path) -> None:
        page = HTML_PAGE.replace('charset="utf-8"', 'charset="windows-1258"')
        doc = read_file(write(tmp_path / "cu.htm", _cp1258(page)))
        assert BODY_2 in doc.text
        assert any("windows-1258" in warning.lower() for warning in doc.warnings)


def _cp1258(text: str) -> bytes:
    """Windows-1258 bytes: letters it lacks are written as base letter + combining tone byte."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in parts if c in tones)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            out.append((base + tone).encode("cp1258"))
    return b"".join(out)


class TestDocx:
    def test_paragraphs_and_table_cells_one_per_line(self, tmp_path: Path) -> None:
        import docx

        document = docx.Document()
        document.core_properties.title = "Kế hoạch đào tạo"
        document.add_paragraph(BODY_1)
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Đối tượng", "Chỉ tiêu"
        table.cell(1, 0).text, table.cell(1, 1).text = "Công chức cấp xã", "95%"
        merged = document.add_table(rows=1, cols=2)
        merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Tổng kinh phí 4,4 tỷ đồng"
        document.add_paragraph(BODY_2)
        path = tmp_path / "kh.docx"
        document.save(path)

        doc = read_file(path)
        assert doc.text.split("\n") == [
            BODY_1, "Đối tượng", "Chỉ tiêu", "Công chức cấp xã", "95%", "Tổng kinh phí 4,4 tỷ đồng", BODY_2,
        ]
        assert doc.title == "Kế hoạch đào tạo" and doc.doc_id == "kh"

    def test_docx_in_tcvn3_font_is_repaired(self, tmp_path: Path) -> None:
        import docx

        document = docx.Document()
        for line in ("KÕ ho¹ch ®µo t¹o c¸n bé", "®Õn n¨m 2020 cã 95% c¸n bé ®¹t tr×nh ®é trung cÊp"):
            document.add_paragraph(line)
        document.save(tmp_path / "vntime.docx")
        doc = read_file(tmp_path / "vntime.docx")
        assert doc.text == "Kế hoạch đào tạo cán bộ\nđến năm 2020 có 95% cán bộ đạt trình độ trung cấp"
        assert doc.warnings[0].startswith("decoded as TCVN3")


class TestPdf:
    def test_text_layer(self, tmp_path: Path) -> None:
        from fpdf import FPDF

        pdf = FPDF()
        pdf.add_font("DejaVu", fname=str(DEJAVU))
        pdf.set_font("DejaVu", size=11)
        pdf.set_title("Kế hoạch 2202")
        pdf.add_page()
        pdf.multi_cell(0, 8, BODY_1, new_x="LMARGIN", new_y="NEXT")
        pdf.add_page()
        pdf.multi_cell(0, 8, BODY_2, new_x="LMARGIN", new_y="NEXT")
        pdf.output(str(tmp_path / "kh.pdf"))

        doc = read_file(tmp_path / "kh.pdf")
        assert " ".join(doc.text.split()) == f"{BODY_1} {BODY_2}"
        assert doc.title == "Kế hoạch 2202" and doc.warnings == []

    def test_scanned_pdf_gives_empty_text_and_a_warning(self, tmp_path: Path) -> None:
        from fpdf import FPDF

        pdf = FPDF()
        pdf.add_page()
        pdf.rect(20, 20, 100, 50, style="F")  # a drawing, no text
        pdf.output(str(tmp_path / "scan.pdf"))

        doc = read_file(tmp_path / "scan.pdf")
        assert doc.text == ""
        assert doc.warnings[0].startswith(NO_TEXT_WARNING)

    def test_pdf_detected_by_magic_bytes_whatever_the_name(self, tmp_path: Path) -> None:
        from fpdf import FPDF

        pdf = FPDF()
        pdf.add_font("DejaVu", fname=str(DEJAVU))
        pdf.set_font("DejaVu", size=11)
        pdf.add_page()
        pdf.cell(text="Đến năm 2025")
        pdf.output(str(tmp_path / "misnamed.txt"))
        assert read_file(tmp_path / "misnamed.txt").text == "Đến năm 2025"

    def test_broken_pdf_is_an_input_error(self, tmp_path: Path) -> None:
        with pytest.raises(InputError, match="not a readable PDF"):
            read_file(write(tmp_path / "broken.pdf", b"%PDF-1.4\n garbage"))


class TestBinary:
    @pytest.mark.parametrize(("name", "data", "what"), [
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG image"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "legacy MS Office"),
        ("blob.bin", b"\x00\x01\x02\x03\x04\xff" * 50, "contains NUL bytes"),
        ("fake.docx", b"just text, not a zip", "not a DOCX file"),
    ], ids=["png", "doc", "nul-bytes", "fake-docx"])
    def test_binary_file_is_an_input_error_naming_it(self, tmp_path: Path, name: str, data: bytes, what: str) -> None:
        path = write(tmp_path / name, data)
        with pytest.raises(InputError, match="binary file") as info:
            read_file(path)
        assert what in str(info.value) and name in str(info.value) and info.value.path == str(path)

    def test_zip_that_is_not_docx(self, tmp_path: Path) -> None:
        with zipfile.ZipFile(tmp_path / "data.zip", "w") as archive:
            archive.writestr("a.txt", "x")
        with pytest.raises(InputError, match=r"binary file \(zip archive without word/document.xml"):
            read_file(tmp_path / "data.zip")

    def test_binary_file_in_a_batch_does_not_stop_it(self, tmp_path: Path) -> None:
        write(tmp_path / "a.png", b"\x89PNG\r\n\x1a\n" + bytes(20))
        write(tmp_path / "b.txt", BODY_2)
        items = list(iter_sources([tmp_path]))
        assert isinstance(items[0], InputError) and items[0].path.endswith("a.png")
        assert items[1].text == BODY_2
