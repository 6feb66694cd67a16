"""csmgmt.core.uploads judges a file by its content: office documents are zip archives, told apart by their
members when the magic bytes alone only say "zip" (a large first entry). Real files, generated here."""

import io
import os
import zipfile

import filetype
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from csmgmt.core.uploads import IMAGE_TYPES, OFFICE_TYPES, PDF_TYPES, PHOTO_TYPES, UploadRejected, upload_kind

EVIDENCE = IMAGE_TYPES | PDF_TYPES | OFFICE_TYPES
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                 'officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>')
DOCUMENT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:body><w:p><w:r><w:t>客户投诉说明</w:t></w:r></w:p></w:body></w:document>')


def big_picture(size=40_000) -> bytes:
    return os.urandom(size)  # incompressible: the first entry really is large in the archive


def zipped(entries, *, big_first=True) -> bytes:
    """A zip of ``entries`` [(name, text or bytes)], after a large picture entry when ``big_first``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if big_first:
            z.writestr("docProps/thumbnail.jpeg", big_picture(), compress_type=zipfile.ZIP_STORED)
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


def docx_bytes(*, big_first=True, extra=()) -> bytes:
    return zipped([("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS), ("word/document.xml", DOCUMENT),
                   *extra], big_first=big_first)


def xlsx_bytes(*, big_first=False) -> bytes:
    """A real workbook from openpyxl; with ``big_first`` re-zipped behind a large first entry."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["投诉编号", "金额"])
    wb.active.append(["TS-202611-0001", 500])
    buf = io.BytesIO()
    wb.save(buf)
    if not big_first:
        return buf.getvalue()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src:
        return zipped([(info.filename, src.read(info)) for info in src.infolist()])


def pptx_bytes() -> bytes:
    return zipped([("[Content_Types].xml", CONTENT_TYPES.replace("word/document", "ppt/presentation")),
                   ("_rels/.rels", RELS), ("ppt/presentation.xml", "<p:presentation/>")])


def odf_bytes(mime, *, mimetype_first=False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if mimetype_first:  # as the OpenDocument standard writes it
            z.writestr("mimetype", mime, compress_type=zipfile.ZIP_STORED)
        z.writestr("Thumbnails/thumbnail.png", big_picture(), compress_type=zipfile.ZIP_STORED)
        if not mimetype_first:
            z.writestr("mimetype", mime, compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>")
        z.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buf.getvalue()


def check(content, name="file.bin", allowed=EVIDENCE):
    return upload_kind(SimpleUploadedFile(name, content), allowed=allowed, type_message="refused")


def test_the_generated_documents_defeat_the_magic_bytes_alone():
    """The premise: with a large first entry the signature only says zip."""
    for content in (docx_bytes(), xlsx_bytes(big_first=True), pptx_bytes(), odf_bytes(ODT)):
        assert filetype.guess(content[:8192]).mime == "application/zip"


@pytest.mark.parametrize(("make", "mime", "extension"), [
    (lambda: docx_bytes(), DOCX, "docx"),
    (lambda: docx_bytes(big_first=False), DOCX, "docx"),
    (lambda: xlsx_bytes(), XLSX, "xlsx"),
    (lambda: xlsx_bytes(big_first=True), XLSX, "xlsx"),
    (lambda: pptx_bytes(), PPTX, "pptx"),
    (lambda: odf_bytes(ODT), ODT, "odt"),
    (lambda: odf_bytes(ODS), ODS, "ods"),
    (lambda: odf_bytes(ODT, mimetype_first=True), ODT, "odt"),
], ids=["docx-big-first", "docx", "xlsx-openpyxl", "xlsx-big-first", "pptx", "odt", "ods", "odt-standard"])
def test_office_documents_are_recognised_by_their_members(make, mime, extension):
    kind = check(make(), name="attachment")
    assert (kind.mime, kind.extension) == (mime, extension)


def test_the_name_is_never_trusted():
    assert check(docx_bytes(), name="photo.png").extension == "docx"
    with pytest.raises(UploadRejected):
        check(zipped([("notes.txt", "hello")]), name="report.docx")


@pytest.mark.parametrize("content", [
    zipped([("notes.txt", "just a zip"), ("word/readme.txt", "no content types")]),  # no [Content_Types].xml
    zipped([("[Content_Types].xml", CONTENT_TYPES), ("other/part.xml", "<x/>")]),  # no office folder
    docx_bytes(extra=[("word/vbaProject.bin", b"\x00macro")]),  # a macro document renamed .docx
    zipped([("mimetype", "application/epub+zip"), ("content.opf", "<package/>")]),  # not an office type
    b"PK\x03\x04" + b"\x00" * 200,  # a broken zip
])
def test_other_zips_are_refused(content):
    with pytest.raises(UploadRejected, match="refused"):
        check(content, name="document.docx")


def test_a_zip_is_not_opened_where_no_office_document_is_allowed():
    with pytest.raises(UploadRejected, match="refused"):
        check(docx_bytes(), allowed=PHOTO_TYPES | PDF_TYPES)


def test_the_size_limit_still_applies_to_office_documents(settings):
    from django.utils import translation

    content = docx_bytes()
    settings.MAX_UPLOAD_BYTES = len(content) - 1
    with translation.override("en"), pytest.raises(UploadRejected, match="The file is larger than 0 MB."):
        check(content)
    settings.MAX_UPLOAD_BYTES = len(content)
    assert check(content).mime == DOCX


def test_the_file_is_left_at_its_start():
    upload = SimpleUploadedFile("a.docx", docx_bytes())
    upload_kind(upload, allowed=EVIDENCE, type_message="refused")
    assert upload.tell() == 0
    assert upload.read(4) == b"PK\x03\x04"
