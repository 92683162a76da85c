"""casefile.protection.extract: every hiding place of a name yields it whole in one Piece; bad
input never raises; memory stays bounded (fixtures are generated here, in tmp_path)."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import random
import struct
import tarfile
import time
import tracemalloc
import zipfile
import zlib
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from casefile.protection.extract import (
    CHUNK_CHARS,
    Limits,
    Piece,
    Unreadable,
    extract,
    extract_bytes,
)

NAME = "Олена Коваль"
LATIN = "Olena Koval"
NAME_PARTS = ("Олена", "Коваль", "Olena", "Koval")


def items_of(data: bytes | Path, **kwargs) -> list[Piece | Unreadable]:
    found = list(extract(data, **kwargs) if isinstance(data, Path) else extract_bytes(data, **kwargs))
    for item in found:  # a protected name never goes into `where`: it is shown to people
        assert not any(part in item.where for part in NAME_PARTS), item.where
        assert "\n" not in item.where
        if isinstance(item, Piece):
            assert len(item.text) <= CHUNK_CHARS
            item.text.encode("utf-8")  # no lone surrogates: the scanner encodes the text
        else:
            assert "\n" not in item.reason and item.reason
    return found


def pieces_with(found, text: str, where: str = "") -> list[Piece]:
    return [p for p in found if isinstance(p, Piece) and text in p.text and where in p.where]


def unreadable(found, reason: str = "") -> list[Unreadable]:
    return [u for u in found if isinstance(u, Unreadable) and reason in u.reason]


def assert_found(data, text: str = NAME, where: str = "", **kwargs) -> list:
    found = items_of(data, **kwargs)
    shown = [(i.where, getattr(i, "text", getattr(i, "reason", ""))[:80]) for i in found]
    assert pieces_with(found, text, where), shown
    return found


# ------------------------------------------------------------------------------------------
# plain text in its encodings
# ------------------------------------------------------------------------------------------
UKRAINIAN = f"Протокол допиту свідка.\nСвідок: {NAME}, 1980 р. н.\nWitness: {LATIN}\n"
RUSSIAN = f"Протокол допроса.\nСвидетель: {NAME}\n"


@pytest.mark.parametrize("encoded", [
    pytest.param(UKRAINIAN.encode("utf-8"), id="utf-8"),
    pytest.param(UKRAINIAN.encode("utf-8-sig"), id="utf-8 BOM"),
    pytest.param(UKRAINIAN.encode("utf-16"), id="utf-16 BOM"),
    pytest.param(b"\xfe\xff" + UKRAINIAN.encode("utf-16-be"), id="utf-16-be BOM"),
    pytest.param(UKRAINIAN.encode("utf-16-le"), id="utf-16-le no BOM"),
    pytest.param(UKRAINIAN.encode("utf-16-be"), id="utf-16-be no BOM"),
    pytest.param(f"{NAME} — {NAME}".encode("utf-16-le"), id="utf-16-le no BOM, no NUL byte"),
    pytest.param(UKRAINIAN.encode("utf-32"), id="utf-32 BOM"),
    pytest.param(UKRAINIAN.encode("utf-32-be"), id="utf-32-be no BOM"),
    pytest.param(UKRAINIAN.encode("utf-32-le"), id="utf-32-le no BOM"),
    pytest.param(UKRAINIAN.encode("cp1251"), id="cp1251"),
    pytest.param(UKRAINIAN.encode("koi8_u"), id="koi8-u"),
    pytest.param(RUSSIAN.encode("koi8_r"), id="koi8-r"),
])
def test_plain_text_in_every_encoding(encoded: bytes):
    found = assert_found(encoded)
    assert not unreadable(found)


def test_legacy_text_is_read_as_each_legacy_encoding_not_guessed():
    found = items_of(UKRAINIAN.encode("cp1251"))
    wheres = {p.where for p in found}
    assert {"text (as cp1251)", "text (as koi8-u)", "text (as latin-1)"} <= wheres
    assert pieces_with(found, NAME, "text (as cp1251)")
    assert not [p for p in found if "raw strings" in p.where]  # plain text is not read twice


def test_text_file_from_disk(tmp_path: Path):
    path = tmp_path / "statement.txt"
    path.write_text(UKRAINIAN, encoding="utf-8")
    assert_found(path, where="text")


def test_json_escapes_and_url_escapes_are_decoded():
    import json
    import urllib.parse

    assert_found(json.dumps({"witness": NAME}).encode(), where="\\u escapes decoded")
    assert_found(f"see https://example.org/?q={urllib.parse.quote(NAME)}\n".encode(), where="%-escapes decoded")


def test_html_name_split_by_inline_tags_and_entities():
    html = ("<!DOCTYPE html><html><head><title>Statement</title></head><body>"
            "<p>Witness: Ol<b>ena</b> <i>Ko</i>val</p>"
            "<p>Свідок: &#1054;&#1083;&#x435;&#1085;&#1072; <span>Ков</span>аль</p></body></html>").encode()
    found = assert_found(html, LATIN, where="text without tags")
    assert pieces_with(found, NAME, "text without tags")


def test_html_data_uri_is_opened():
    import base64

    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (4, 4)).save(image, "JPEG", comment=NAME.encode())
    uri = base64.encodebytes(image.getvalue()).decode().replace("\n", "\r\n")
    html = f'<html><body><p>Photo</p><img alt="" src="data:image/jpeg;base64,{uri}"></body></html>'.encode()
    assert_found(html, where="data URI 1 > JPEG comment 1")


def test_xml_separate_elements_are_not_glued_together():
    xml = b"<r><first>Olena</first><last>Koval</last><city>Kyiv</city></r>"
    found = assert_found(xml, "Olena", "text without tags")
    assert not pieces_with(found, "KovalKyiv", "text without tags")


# ------------------------------------------------------------------------------------------
# RTF
# ------------------------------------------------------------------------------------------
def rtf_hex(text: str, codec: str = "cp1251") -> str:
    return "".join(f"\\'{b:02x}" if b > 127 else chr(b) for b in text.encode(codec))


def test_rtf_cp1251_escapes():
    rtf = ("{\\rtf1\\ansi\\ansicpg1251\\deff0{\\fonttbl{\\f0\\froman Times New Roman;}}"
           "{\\info{\\title Protocol}{\\author Olena Koval}}"
           "\\pard\\plain \\f0 \\'d1\\'e2\\'b3\\'e4\\'ee\\'ea: " + rtf_hex(NAME) + "\\par}").encode("ascii")
    found = assert_found(rtf, where="RTF text")
    assert pieces_with(found, LATIN, "RTF text")  # \info author


def test_rtf_unicode_escapes_with_fallback_characters():
    escaped = "".join(f"\\u{ord(c)}?" if ord(c) < 32768 else f"\\u{ord(c) - 65536}?" for c in NAME)
    rtf = ("{\\rtf1\\ansi\\ansicpg1252\\uc1 Witness: " + escaped + "\\par Ol{\\b ena} Koval"
           "\\par \\u-209?\\u-191?}").encode("ascii")  # signed 16-bit: U+FF2F U+FF41
    found = assert_found(rtf, where="RTF text")
    assert pieces_with(found, "\uff2f\uff41", "RTF text")
    assert pieces_with(found, LATIN, "RTF text")  # a name split by a formatting group is joined
    assert not pieces_with(found, "О?", "RTF text")  # the fallback characters are skipped


def test_rtf_font_charset_overrides_the_document_code_page():
    rtf = ("{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}{\\f1\\fcharset204 Arial CYR;}}"
           "\\f0 Witness: \\f1 " + rtf_hex(NAME) + "\\par}").encode("ascii")
    assert_found(rtf, where="RTF text")


def test_rtf_embedded_picture_is_opened():
    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (4, 4)).save(image, "JPEG", comment=NAME.encode())
    rtf = ("{\\rtf1\\ansi Photo:{\\pict\\jpegblip\\picw4\\pich4 " + image.getvalue().hex() + "}\\par}").encode("ascii")
    assert_found(rtf, where="RTF embedded object 1 > JPEG comment")


# ------------------------------------------------------------------------------------------
# containers: DOCX, ODT, zip, tar, gzip, e-mail
# ------------------------------------------------------------------------------------------
def make_zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def make_docx(first: str = "Ол", second: str = "ена Коваль") -> bytes:
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                '<w:p><w:r><w:t>Свідок:</w:t></w:r></w:p>'
                f'<w:p><w:r><w:t>{first}</w:t></w:r><w:r><w:rPr><w:b/><w:lang w:val="uk-UA"/></w:rPr>'
                f'<w:t>{second}</w:t></w:r><w:proofErr w:type="spellEnd"/></w:p></w:body></w:document>')
    core = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Statement</dc:title>'
            f'<dc:creator>{LATIN}</dc:creator></cp:coreProperties>')
    return make_zip({
        "[Content_Types].xml":
            b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": document.encode(),
        "docProps/core.xml": core.encode(),
    })


def test_docx_name_split_across_runs_and_author():
    found = assert_found(make_docx(), where="text without tags")
    assert all(p.where.startswith("zip member") for p in pieces_with(found, NAME))
    assert pieces_with(found, LATIN, "zip member 3")  # docProps/core.xml
    assert not unreadable(found)


def test_xlsx_rich_text_runs_and_pptx_drawing_runs():
    shared = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">'
              '<si><t>Witness</t></si>'
              '<si><r><t>Ол</t></r><r><rPr><b/><sz val="11"/></rPr><t>ена Коваль</t></r></si></sst>')
    assert_found(make_zip({"xl/sharedStrings.xml": shared.encode()}), where="zip member 1 > text without tags")
    slide = ('<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
             'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>'
             '<a:p><a:r><a:rPr lang="uk-UA"/><a:t>Олен</a:t></a:r>'
             '<a:r><a:rPr lang="uk-UA" b="1"/><a:t>а Коваль</a:t></a:r></a:p>'
             '</p:txBody></p:sp></p:spTree></p:cSld></p:sld>')
    assert_found(make_zip({"ppt/slides/slide1.xml": slide.encode()}), where="zip member 1 > text without tags")


def test_odt_span_and_meta():
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
               '<text:p text:style-name="P1">Ол<text:span text:style-name="T1">ена</text:span><text:s/>Коваль</text:p>'
               '</office:text></office:body></office:document-content>')
    meta = ('<?xml version="1.0" encoding="UTF-8"?><office:document-meta '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"><office:meta>'
            f'<meta:initial-creator>{LATIN}</meta:initial-creator></office:meta></office:document-meta>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("meta.xml", meta, zipfile.ZIP_DEFLATED)
    found = assert_found(out.getvalue(), where="zip member 2 > text without tags")
    assert pieces_with(found, LATIN, "zip member 3")


def test_member_names_are_pieces_and_legacy_names_are_decoded():
    assert_found(make_zip({f"свідки/{NAME}.txt": b"-"}), where="zip member 1 name")
    # a Windows archiver writes names in the OEM code page (cp866) without the UTF-8 flag
    oem = f"{NAME.replace(' ', '_')}.txt".encode("cp866")
    placeholder = b"x" * len(oem)
    data = make_zip({placeholder.decode(): b"-"}).replace(placeholder, oem)
    assert_found(data, NAME.replace(" ", "_"), where="zip member 1 name (as cp866)")


def test_zip_inside_zip():
    inner = make_zip({"notes/witness.txt": f"Свідок: {NAME}\n".encode()})
    outer = make_zip({"evidence/inner.zip": inner, "readme.txt": b"nothing here"})
    assert_found(outer, where="zip member 1 > zip member 1 > text")


def test_stored_zip_member_is_read():
    assert_found(make_zip({"a.txt": NAME.encode()}, zipfile.ZIP_STORED), where="zip member 1 > text")


@pytest.mark.parametrize("compression", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_zip_member_compressions(compression):
    assert_found(make_zip({"a.txt": NAME.encode()}, compression), where="zip member 1 > text")


@pytest.mark.parametrize("compress,label", [(gzip.compress, "gzip"), (bz2.compress, "bzip2"), (lzma.compress, "xz")])
def test_compressed_text(compress, label):
    assert_found(compress(UKRAINIAN.encode()), where=f"{label} content > text")


def test_gzip_original_file_name(tmp_path: Path):
    out = io.BytesIO()
    with gzip.GzipFile(filename=f"{LATIN}.txt", mode="wb", fileobj=out) as stream:
        stream.write(b"nothing")
    assert_found(out.getvalue(), LATIN, where="gzip original file name")


def test_tar_gz_member_names_and_content():
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        data = f"Свідок: {NAME}".encode()
        info = tarfile.TarInfo(f"{LATIN}/statement.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    found = assert_found(out.getvalue(), where="gzip content > tar member 1 > text")
    assert pieces_with(found, LATIN, "gzip content > tar member 1 name")


def test_tar_file_from_disk_then_an_appended_zip(tmp_path: Path):
    # the tar and decompressing readers close what they open, never the exhibit: the dispatcher
    # still reads the file after them (here: a zip archive appended to the tar)
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:") as archive:
        data = f"Свідок: {NAME}".encode()
        info = tarfile.TarInfo("statement.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    path = tmp_path / "exhibit.tar"
    path.write_bytes(out.getvalue() + make_zip({"note.txt": f"Witness: {LATIN}".encode()}))
    found = assert_found(path, where="tar member 1 > text")
    assert pieces_with(found, LATIN, "appended zip archive > zip member 1 > text")
    assert not unreadable(found)


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress], ids=["gzip", "bzip2", "xz"])
def test_compressed_file_from_disk_is_read_whole(tmp_path: Path, compress):
    path = tmp_path / "exhibit.bin"
    path.write_bytes(compress(UKRAINIAN.encode()))
    found = assert_found(path)
    assert not unreadable(found)


def test_the_package_exposes_the_public_interface():
    from casefile.protection import extract as package

    assert set(package.__all__) == {"CHUNK_CHARS", "OVERLAP_CHARS", "Limits", "Piece", "Unreadable", "extract",
                                    "extract_bytes"}
    assert all(hasattr(package, name) for name in package.__all__)


def make_email() -> bytes:
    message = MIMEMultipart()
    message["From"] = "investigator@example.org"
    message["To"] = "office@example.org"
    message["Subject"] = Header(f"Свідчення: {NAME}", "utf-8").encode()
    message["Date"] = "Mon, 01 Apr 2024 10:00:00 +0300"
    message["MIME-Version"] = "1.0"
    body = MIMEText(f"Доброго дня.\nСвідок {NAME} дала показання.\n", "plain", "windows-1251")
    message.attach(body)
    attachment = MIMEApplication(make_docx(), "vnd.openxmlformats-officedocument.wordprocessingml.document")
    attachment.add_header("Content-Disposition", "attachment", filename=("utf-8", "", f"{NAME}.docx"))
    message.attach(attachment)
    data = message.as_bytes()
    assert NAME.encode() not in data and NAME.encode("cp1251") not in data  # all of it is encoded
    return data


def test_email_subject_body_attachment_name_and_docx_attachment():
    found = items_of(make_email())
    subject = [p for p in pieces_with(found, NAME, "e-mail header") if p.text.startswith("Subject: ")]
    assert subject  # RFC 2047
    assert pieces_with(found, NAME, "e-mail part 2 (base64)")  # windows-1251 body
    assert pieces_with(found, NAME, "e-mail attachment 1 name")
    assert pieces_with(found, NAME, "e-mail attachment 1 > zip member 2 > text without tags")
    assert not [u for u in unreadable(found) if "e-mail" in u.where]


def test_mbox_messages_are_read_one_by_one():
    message = make_email()
    mbox = b"From a@example.org Mon Apr  1 10:00:00 2024\n" + b"Subject: first\n\nhello\n\n"
    mbox += b"From b@example.org Mon Apr  1 11:00:00 2024\n" + message.replace(b"\r\n", b"\n") + b"\n"
    found = items_of(mbox)
    assert pieces_with(found, NAME, "mbox message 2 > e-mail part 2 (base64)")
    assert pieces_with(found, NAME, "mbox message 2 > e-mail attachment 1 > zip member 2")


def test_email_body_with_wrong_charset_is_read_as_legacy_encodings():
    raw = (b"From: a@example.org\r\nTo: b@example.org\r\nSubject: test\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: base64\r\n\r\n")
    import base64

    raw += base64.encodebytes(f"Свідок {NAME}".encode("cp1251"))
    assert_found(raw, where="e-mail part 1 (base64) (as cp1251)")
    # header values never go into `where` (items_of checks it)
    assert_found(raw.replace(b"Encoding: base64", f"Encoding: {LATIN}".encode()), LATIN, where="e-mail header")


# ------------------------------------------------------------------------------------------
# PDF
# ------------------------------------------------------------------------------------------
def make_pdf(objects: list[bytes], info: int | None = None) -> bytes:
    """A PDF from object bodies (object 1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    out += (b" /Info %d 0 R" % info if info else b"") + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def page_pdf(font: bytes, content: bytes, more: list[bytes] = (), resources: bytes = b"") -> bytes:
    author = b"<FEFF" + NAME.encode("utf-16-be").hex().upper().encode() + b">"
    return make_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> "
        + resources + b">> /Contents 5 0 R >>",
        font,
        stream(content),
        b"<< /Title (Statement) /Author " + author + b" >>",
        *more,
    ], info=6)


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def test_pdf_page_text_and_author():
    found = items_of(page_pdf(HELVETICA, b"BT /F1 12 Tf 72 720 Td (Witness: Olena Koval) Tj ET"))
    assert pieces_with(found, LATIN, "page 1 text")
    assert pieces_with(found, NAME, "PDF metadata /Author")
    assert not unreadable(found)


def test_pdf_identity_h_font_without_text_map_is_unreadable():
    type0 = b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Secret /Encoding /Identity-H /DescendantFonts [7 0 R] >>"
    cid = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Secret "
           b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>")
    found = items_of(page_pdf(type0, b"BT /F1 12 Tf 72 720 Td <0031004F00480051> Tj ET", [cid]))
    problems = [u for u in unreadable(found, "no text map") if u.where == "page 1"]
    assert problems and "F1" in problems[0].reason
    assert pieces_with(found, NAME, "PDF metadata /Author")  # the rest is still read


def test_pdf_type3_and_custom_differences_are_unreadable_standard_differences_are_not():
    type3 = (b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] /FontMatrix [1 0 0 1 0 0] /CharProcs << >> "
             b"/Encoding << /Differences [65 /a] >> /FirstChar 65 /LastChar 65 /Widths [1] >>")
    assert unreadable(items_of(page_pdf(type3, b"BT /F1 12 Tf (A) Tj ET")), "no text map")
    custom = b"<< /Type /Font /Subtype /Type1 /BaseFont /Custom /Encoding << /Differences [65 /g31 /g32] >> >>"
    assert unreadable(items_of(page_pdf(custom, b"BT /F1 12 Tf (AB) Tj ET")), "no text map")
    standard = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding /WinAnsiEncoding "
                b"/Differences [128 /afii10032 /afii10077] >> >>")
    assert not unreadable(items_of(page_pdf(standard, b"BT /F1 12 Tf (AB) Tj ET")))


def test_pdf_page_with_only_a_picture_is_not_unreadable():
    image = stream(b"\x00\x00\x00",
                   b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceRGB /BitsPerComponent 8 ")
    found = items_of(page_pdf(HELVETICA, b"q 100 0 0 100 0 0 cm /Im1 Do Q", [image],
                              resources=b"/XObject << /Im1 7 0 R >> "))
    assert not unreadable(found)


def test_pdf_stream_bomb_stays_within_the_limits():
    """A page whose content stream inflates to 300 MB (300 KB in the file). pypdf stops at its
    75 MB per stream (pyproject asks for a pypdf that bounds every filter), and the page is
    reported as unreadable: nothing like 300 MB is ever held."""
    deflated = zlib.compress(b"BT /F1 12 Tf (x) Tj ET\n" + b" " * (300 << 20), 9)
    data = make_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        HELVETICA,
        stream(deflated, b"/Filter /FlateDecode "),
    ])
    tracemalloc.start()
    try:
        found = items_of(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert unreadable(found, "its text could not be extracted")
    assert peak < 200 << 20


def test_pdf_form_field_value():
    value = b"<FEFF" + NAME.encode("utf-16-be").hex().upper().encode() + b">"
    data = make_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [4 0 R] >>",
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (witness) /V " + value + b" /Rect [0 0 100 20] /P 3 0 R >>",
    ])
    assert_found(data, where="PDF form field 1")


def test_pdf_bookmark_attachment_and_annotation():
    from pypdf import PdfWriter
    from pypdf.annotations import Text

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_outline_item(title=f"Свідок {NAME}", page_number=0)
    writer.add_attachment(f"{LATIN}.txt", f"Свідок: {NAME}".encode())
    writer.add_annotation(0, Text(text=f"Note about {LATIN}", rect=(10, 10, 50, 50)))
    out = io.BytesIO()
    writer.write(out)
    found = items_of(out.getvalue())
    assert pieces_with(found, NAME, "PDF bookmark")
    assert pieces_with(found, LATIN, "PDF attachment 1 name")
    assert pieces_with(found, NAME, "PDF attachment 1 > text")
    assert pieces_with(found, LATIN, "page 1 annotation 1")


def test_encrypted_pdf_is_unreadable():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": LATIN})
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    found = items_of(out.getvalue())
    assert unreadable(found, "encrypted")


def test_broken_pdf_is_unreadable_not_an_exception():
    found = items_of(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF")
    assert all(isinstance(i, (Piece, Unreadable)) for i in found)


# ------------------------------------------------------------------------------------------
# images
# ------------------------------------------------------------------------------------------
def test_png_text_ztxt_and_compressed_itxt():
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Olena Koval (tEXt)")
    info.add_text("Comment", "Olena Koval (zTXt)", zip=True)
    info.add_itxt("Description", f"{NAME} (iTXt)", zip=True)
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG", pnginfo=info)
    data = out.getvalue()
    assert b"zTXt" in data and b"iTXt" in data and b"Koval (zTXt)" not in data  # really compressed
    found = items_of(data)
    assert pieces_with(found, "Olena Koval (tEXt)", "PNG tEXt chunk")
    assert pieces_with(found, "Olena Koval (zTXt)", "PNG zTXt chunk")
    assert pieces_with(found, f"{NAME} (iTXt)", "PNG iTXt chunk")


def jpeg_exif():
    from PIL import Image

    exif = Image.Exif()
    exif[315] = LATIN  # Artist
    exif[0x9C9D] = NAME.encode("utf-16-le") + b"\x00\x00"  # XPAuthor
    exif.get_ifd(0x8769)[0x9286] = b"UNICODE\x00" + f"{NAME} (comment)".encode("utf-16-le")  # UserComment
    return exif


def test_jpeg_exif_artist_xpauthor_usercomment_and_comment():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG", exif=jpeg_exif(), comment=f"{NAME} (COM)".encode())
    found = items_of(out.getvalue())
    assert pieces_with(found, LATIN, "EXIF Artist")
    assert pieces_with(found, NAME, "EXIF XPAuthor")
    assert pieces_with(found, f"{NAME} (comment)", "EXIF UserComment")
    assert pieces_with(found, f"{NAME} (COM)", "JPEG comment")


def test_jpeg_xmp_and_iptc():
    from PIL import Image

    plain = io.BytesIO()
    Image.new("RGB", (8, 8)).save(plain, "JPEG")
    xmp = (b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><dc:creator><rdf:Seq>"
           b"<rdf:li>&#1054;&#1083;&#1077;&#1085;&#1072; \xd0\x9a\xd0\xbe\xd0\xb2\xd0\xb0\xd0\xbb\xd1\x8c</rdf:li>"
           b"</rdf:Seq></dc:creator></rdf:RDF></x:xmpmeta>")
    iptc = b"\x1c\x01\x5a\x00\x03\x1b%G" + b"\x1c\x02\x50" + struct.pack(">H", len(NAME.encode())) + NAME.encode()
    irb = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc + b"\x00" * (len(iptc) % 2)
    app13 = b"Photoshop 3.0\x00" + irb
    data = plain.getvalue()
    segments = b"\xff\xe1" + struct.pack(">H", len(xmp) + 2) + xmp
    segments += b"\xff\xed" + struct.pack(">H", len(app13) + 2) + app13
    data = data[:2] + segments + data[2:]
    found = items_of(data)
    assert pieces_with(found, NAME, "XMP without tags")
    assert pieces_with(found, NAME, "IPTC By-line")


def test_gif_tiff_and_webp_metadata():
    from PIL import Image, features

    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "GIF", comment=f"{NAME}".encode())
    assert_found(out.getvalue(), where="GIF comment 1")
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "TIFF", tiffinfo={315: LATIN})
    assert_found(out.getvalue(), LATIN, where="EXIF Artist")
    if features.check("webp"):
        out = io.BytesIO()
        Image.new("RGB", (4, 4)).save(out, "WEBP", exif=jpeg_exif())
        assert_found(out.getvalue(), where="EXIF XPAuthor")


# ------------------------------------------------------------------------------------------
# audio and video
# ------------------------------------------------------------------------------------------
def test_mp3_id3_title_and_artist(tmp_path: Path):
    from mutagen.id3 import ID3, TIT2, TPE1

    path = tmp_path / "recording.mp3"
    path.write_bytes(b"\xff\xfb\x90\x00" + b"\x00" * 413)  # one MPEG-1 layer III frame
    tags = ID3()
    tags.add(TIT2(encoding=3, text=f"Допит: {NAME}"))
    tags.add(TPE1(encoding=1, text=LATIN))
    tags.save(path)
    found = assert_found(path, where="ID3 TIT2")
    assert pieces_with(found, LATIN, "ID3 TPE1")


def test_flac_vorbis_comments():
    streaminfo = struct.pack(">HH", 4096, 4096) + b"\x00" * 6 + bytes.fromhex("0ac442f000000000") + b"\x00" * 16
    comments = [f"ARTIST={NAME}".encode(), f"TITLE=Interview with {LATIN}".encode()]
    vorbis = struct.pack("<I", 6) + b"casefx" + struct.pack("<I", len(comments))
    vorbis += b"".join(struct.pack("<I", len(c)) + c for c in comments)
    data = b"fLaC" + bytes([0]) + len(streaminfo).to_bytes(3, "big") + streaminfo
    data += bytes([0x84]) + len(vorbis).to_bytes(3, "big") + vorbis + b"\xff\xf8" + b"\x00" * 64
    found = assert_found(data, where="Vorbis comment 1")
    assert pieces_with(found, LATIN, "Vorbis comment 2")


def mp4_box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def test_mp4_itunes_and_quicktime_tags():
    data_box = mp4_box(b"data", struct.pack(">II", 1, 0) + NAME.encode())
    ilst = mp4_box(b"ilst", mp4_box(b"\xa9nam", data_box))
    hdlr = mp4_box(b"hdlr", b"\x00" * 8 + b"mdirappl" + b"\x00" * 9)
    meta = mp4_box(b"meta", b"\x00\x00\x00\x00" + hdlr + ilst)
    quicktime = mp4_box(b"\xa9aut", struct.pack(">HH", len(LATIN), 0) + LATIN.encode())
    moov = mp4_box(b"moov", mp4_box(b"mvhd", b"\x00" * 100) + mp4_box(b"udta", meta + quicktime))
    data = mp4_box(b"ftyp", b"M4A \x00\x00\x00\x00isomM4A ") + moov + mp4_box(b"mdat", os.urandom(1000))
    found = assert_found(data, where="MP4 tag")
    assert pieces_with(found, LATIN, "MP4 tag")


def test_wav_riff_info():
    info = b"INFO" + b"IART" + struct.pack("<I", len(LATIN) + 1) + LATIN.encode() + b"\x00"
    info += b"INAM" + struct.pack("<I", len(NAME.encode("utf-8"))) + NAME.encode()
    fmt = b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 8000, 1, 8)
    body = b"WAVE" + fmt + b"LIST" + struct.pack("<I", len(info)) + info + b"data" + struct.pack("<I", 4) + b"\x80" * 4
    found = assert_found(b"RIFF" + struct.pack("<I", len(body)) + body, where="RIFF INFO INAM")
    assert pieces_with(found, LATIN, "RIFF INFO IART")


def ebml(element: int, payload: bytes) -> bytes:
    element_id = element.to_bytes((element.bit_length() + 7) // 8, "big")
    return element_id + (0x01 << 56 | len(payload)).to_bytes(8, "big") + payload


def test_mkv_title_tags_and_attachment():
    header = ebml(0x1A45DFA3, ebml(0x4282, b"matroska"))
    info = ebml(0x1549A966, ebml(0x7BA9, LATIN.encode()))
    tags = ebml(0x1254C367, ebml(0x7373, ebml(0x67C8, ebml(0x45A3, b"ARTIST") + ebml(0x4487, NAME.encode()))))
    attached = ebml(0x61A7, ebml(0x466E, b"notes.txt") + ebml(0x465C, f"Свідок: {NAME}".encode()))
    cluster = ebml(0x1F43B675, os.urandom(2000))
    segment = b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff" + info + cluster + tags + ebml(0x1941A469, attached)
    found = assert_found(header + segment, where="MKV tag")
    assert pieces_with(found, LATIN, "MKV title")
    assert pieces_with(found, NAME, "MKV attachment 1 > text")


# ------------------------------------------------------------------------------------------
# unknown and hostile input
# ------------------------------------------------------------------------------------------
def test_unknown_binary_is_unreadable_and_its_utf16_strings_are_read():
    rng = random.Random(1)
    data = rng.randbytes(5000) + NAME.encode("utf-16-le") + rng.randbytes(3000) + NAME.encode("cp1251") + b"\x00"
    found = items_of(data)
    assert [u for u in unreadable(found, "unknown format") if u.where == "file"]
    assert pieces_with(found, NAME, "raw strings (utf-16-le)")
    assert pieces_with(found, NAME, "raw strings (cp1251)")


def test_zip_appended_to_a_picture_is_opened():
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (4, 4)).save(picture, "JPEG")
    data = picture.getvalue() + make_zip({"hidden.txt": f"Свідок: {NAME}".encode()})
    assert_found(data, where="appended zip archive > zip member 1 > text")


def test_font_is_read_for_its_raw_strings_only_and_is_not_unreadable():
    tables = b"".join(tag + b"\x00" * 12 for tag in (b"OS/2", b"cmap", b"glyf", b"head", b"name"))
    data = b"\x00\x01\x00\x00\x00\x05\x00\x40\x00\x02\x00\x10" + tables + f"Designer {LATIN}".encode("utf-16-be")
    found = items_of(data)
    assert pieces_with(found, LATIN, "raw strings (utf-16-be)")
    assert not unreadable(found)


def test_label_names_the_whole_input():
    found = items_of(os.urandom(100), label="exhibit 7")
    assert [u for u in unreadable(found, "unknown format") if u.where == "exhibit 7"]


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_never_raise(seed: int):
    rng = random.Random(seed)
    data = rng.randbytes(rng.randrange(0, 20000))
    for prefix in (b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\x1f\x8b\x08\x00", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe1",
                   b"{\\rtf1 ", b"ID3\x04\x00", b"RIFF\x00\x00\x01\x00WEBP", b"\x1a\x45\xdf\xa3",
                   b"\x00\x00\x00\x18ftyp",
                   b"From: a\r\nReceived: b\r\n\r\n", b"GIF89a", b"II*\x00\x08\x00\x00\x00", b"BZh9", b"\xfd7zXZ\x00"):
        items_of(prefix + data)


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_truncated_zip_is_unreadable_and_what_remains_is_read(cut: float):
    data = make_zip({"a.txt": f"Свідок: {NAME}\n".encode() * 50, "b.txt": os.urandom(3000)})
    found = items_of(data[: int(len(data) * cut)])
    assert unreadable(found, "truncated")


def test_truncated_zip_salvages_members_before_the_damage():
    data = make_zip({"a.txt": f"Свідок: {NAME}\n".encode(), "b.bin": os.urandom(20000)})
    found = items_of(data[: len(data) - 5000])
    assert pieces_with(found, NAME, "zip member 1 > text")


def test_encrypted_zip_member_is_unreadable():
    data = bytearray(make_zip({"secret.txt": b"hidden text"}))
    # set the 'encrypted' flag in the local and central headers
    for signature in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.find(signature) + (6 if signature == b"PK\x03\x04" else 8)
        data[at] |= 1
    assert unreadable(items_of(bytes(data)), "encrypted")


def test_zip_bomb_stays_within_the_limits_and_is_reported_quickly():
    """100 MB of zeros deflated (~100 KB), ten of them in a zip, three of those nested: 3 GB
    declared. Reading stops at the expansion limit, with an Unreadable."""
    zeros = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = zeros.compress(b"\x00" * (100 << 20)) + zeros.flush()
    one = io.BytesIO()
    with zipfile.ZipFile(one, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"")  # replaced below by the precompressed member
    level1 = _zip_with_raw_member("zeros.bin", block, 100 << 20, zlib.crc32(b"\x00" * (100 << 20)))
    level2 = make_zip({f"part{i}.zip": level1 for i in range(10)}, zipfile.ZIP_STORED)
    level3 = make_zip({f"disk{i}.zip": level2 for i in range(3)}, zipfile.ZIP_STORED)
    started = time.process_time()
    found = items_of(level3)
    assert time.process_time() - started < 20
    assert unreadable(found, "more than 512 MiB (the limit)")
    # a smaller limit stops sooner
    started = time.process_time()
    assert unreadable(items_of(level3, limits=Limits(max_expanded_bytes=64 << 20)), "more than 64 MiB (the limit)")
    assert time.process_time() - started < 5


def _zip_with_raw_member(name: str, deflated: bytes, size: int, crc: int) -> bytes:
    """A zip with one member whose deflated data is given (so 100 MB need not be compressed by
    zipfile in the test)."""
    encoded = name.encode()
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(deflated), size, len(encoded), 0)
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(deflated), size,
                          len(encoded), 0, 0, 0, 0, 0, 0)
    body = local + encoded + deflated
    directory = central + encoded
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), len(body), 0)
    return body + directory + end


def test_zip_with_too_many_entries_is_capped():
    data = make_zip({f"{i}.txt": b"x" for i in range(50)}, zipfile.ZIP_STORED)
    found = items_of(data, limits=Limits(max_members=10))
    assert unreadable(found, "more than 10")
    assert not [p for p in found if p.where.startswith("zip member 11")]


def test_sixty_nested_gzips_stop_at_the_depth_limit():
    data = f"Свідок: {NAME}".encode()
    for _ in range(60):
        data = gzip.compress(data)
    started = time.process_time()
    found = items_of(data)
    assert time.process_time() - started < 5
    assert unreadable(found, "nested more than 4 containers deep")


def test_deeply_nested_rtf_and_html_do_not_raise():
    items_of(b"{\\rtf1 " + b"{" * 100_000 + b"Olena Koval" + b"}" * 100_000 + b"}")
    assert_found(b"<div>" * 50_000 + LATIN.encode() + b"</div>" * 50_000, LATIN, where="text")


def test_missing_file_is_unreadable(tmp_path: Path):
    found = items_of(tmp_path / "missing.pdf")
    assert unreadable(found, "cannot be opened")


# ------------------------------------------------------------------------------------------
# chunks and streaming
# ------------------------------------------------------------------------------------------
def test_name_across_the_chunk_boundary_is_whole_in_one_piece():
    filler = "слово " * (CHUNK_CHARS // 6)
    text = filler[: CHUNK_CHARS - 5] + NAME + "\n" + filler
    found = items_of(text.encode())
    pieces = [p for p in found if p.where == "text"]
    assert len(pieces) >= 2
    assert pieces[0].text.endswith(NAME[:5])  # the first chunk cuts the name ...
    assert pieces_with(found, NAME, "text")  # ... and the overlap has it whole


def write_big(path: Path, chunk_maker, name_bytes: bytes, megabytes: int = 100) -> None:
    with path.open("wb") as out:
        for index in range(megabytes):
            out.write(chunk_maker(index))
            if index == megabytes - 3:
                out.write(name_bytes)


def measure(path: Path, text: str) -> tuple[bool, float, int]:
    tracemalloc.start()
    started = time.process_time()
    try:
        seen = any(isinstance(item, Piece) and text in item.text for item in extract(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return seen, time.process_time() - started, peak


# These two tests exist for the streaming guarantee: a 100 MB exhibit must be read in bounded
# memory (Python allocations well under 64 MB) and in reasonable time, with a name near its end
# still found. They write 100 MB to tmp_path and take a few seconds each.
def test_streaming_100_mb_binary(tmp_path: Path):
    rng = random.Random(5)
    path = tmp_path / "big.bin"
    write_big(path, lambda _: rng.randbytes(1 << 20), NAME.encode("utf-16-le"))
    seen, seconds, peak = measure(path, NAME)
    assert seen
    assert peak < 64 << 20, f"peak {peak >> 20} MB"
    assert seconds < 30, f"{seconds:.1f} s"


def test_streaming_100_mb_text(tmp_path: Path):
    line = "The column crossed the bridge at dawn. Колона перетнула міст на світанку.\n".encode()
    block = line * ((1 << 20) // len(line))
    path = tmp_path / "big.txt"
    write_big(path, lambda _: block, f"Свідок: {NAME}\n".encode())
    seen, seconds, peak = measure(path, NAME)
    assert seen
    assert peak < 64 << 20, f"peak {peak >> 20} MB"
    assert seconds < 30, f"{seconds:.1f} s"
