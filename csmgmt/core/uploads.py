"""Uploaded files are judged by their content (magic bytes), never by their name, and size-limited.
Every area checks its uploads here and turns :class:`UploadRejected` into its own domain error.

Office documents (OOXML and OpenDocument) are zip archives. The magic bytes tell them apart only when
the identifying entries come first; when they do not (a .docx whose first entry is a large picture),
the zip's own directory is read: ``[Content_Types].xml`` with a ``word/``, ``xl/`` or ``ppt/`` folder
is a Word, Excel or PowerPoint file, a ``mimetype`` entry naming an OpenDocument type is that type.
Anything else in a zip stays a zip (and is refused unless the caller allows zips).

Magic bytes are only the start: :func:`upload_verified` also opens the file as what it claims to be (an image
must decode, a PDF must open in a PDF parser with at least one page, an office file must be the format its
name says), and :func:`image_display_copy` re-encodes an image, so that a polyglot (a GIF header followed by
HTML) is never shown as it came: pages show the copy; the original is kept and only ever downloaded."""

import io
import zipfile
from pathlib import Path

import filetype
from django.conf import settings
from django.utils.translation import gettext as _
from filetype.types import document

PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
IMAGE_TYPES = PHOTO_TYPES | {"image/bmp", "image/tiff", "image/heic"}
PDF_TYPES = frozenset({"application/pdf"})
OFFICE_TYPES = frozenset({
    "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
})

ZIP_MIME = "application/zip"
# (folder inside the archive, the kind it makes): checked in this order.
OOXML_FOLDERS = (("word/", document.Docx()), ("xl/", document.Xlsx()), ("ppt/", document.Pptx()))
ODF_KINDS = {kind.mime: kind for kind in (document.Odt(), document.Ods(), document.Odp())}
ODF_MIMETYPE_MAX = 100  # bytes: the ``mimetype`` entry holds one short line
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, RuntimeError,
              NotImplementedError, KeyError, UnicodeDecodeError)


class UploadRejected(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def office_kind_in_zip(upload):
    """The office document a zip ``upload`` holds, judged by its member names (and, for OpenDocument,
    the short ``mimetype`` entry), or None. Macro-carrying OOXML (a ``vbaProject.bin``) is not an
    office document here. Only the zip's directory and that one small entry are read; the file is
    left at its start."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= ODF_MIMETYPE_MAX:
                kind = ODF_KINDS.get(archive.read("mimetype").decode("ascii").strip())
                if kind is not None:
                    return kind
            if "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names):
                return None
            for folder, kind in OOXML_FOLDERS:
                if any(n.startswith(folder) for n in names):
                    return kind
            return None
    except ZIP_ERRORS:
        return None
    finally:
        upload.seek(0)


def upload_kind(upload, *, allowed: frozenset, type_message: str, too_large_message: str | None = None):
    """The upload's real type (a ``filetype`` kind with ``.mime`` and ``.extension``) when it is one of
    ``allowed`` and within ``settings.MAX_UPLOAD_BYTES``; else :class:`UploadRejected` with a message
    for the form. The file is left at its start."""
    size = upload.size
    if not size:
        raise UploadRejected(_("The file is empty."))
    if size > settings.MAX_UPLOAD_BYTES:
        raise UploadRejected(too_large_message or _("The file is larger than %(mb)s MB.")
                             % {"mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.mime == ZIP_MIME and allowed & OFFICE_TYPES:
        kind = office_kind_in_zip(upload) or kind
    if kind is None or kind.mime not in allowed:
        raise UploadRejected(type_message)
    return kind


DISPLAY_SIZE = (1600, 1600)
PILLOW_IMAGES = PHOTO_TYPES | {"image/bmp", "image/tiff"}  # what Pillow decodes here (HEIC: kept, never shown)


def _image_decodes(upload) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as img:
            img.load()  # every pixel decoded, not just the header
        return True
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    finally:
        upload.seek(0)


def _pdf_pages(upload) -> int:
    from pypdf import PdfReader

    try:
        upload.seek(0)
        return len(PdfReader(upload, strict=False).pages)
    except Exception:  # pypdf raises many kinds for a damaged or hostile file
        return 0
    finally:
        upload.seek(0)


def upload_verified(upload, *, allowed: frozenset, type_message: str, too_large_message: str | None = None):
    """:func:`upload_kind`, then the content opened as what it claims to be; :class:`UploadRejected` else."""
    kind = upload_kind(upload, allowed=allowed, type_message=type_message, too_large_message=too_large_message)
    if kind.mime in PILLOW_IMAGES and not _image_decodes(upload):
        raise UploadRejected(_("The image cannot be read: it is damaged or not only an image."))
    if kind.mime in PDF_TYPES and _pdf_pages(upload) < 1:
        raise UploadRejected(_("The PDF cannot be opened or has no pages."))
    if kind.mime in OFFICE_TYPES:
        suffix = Path(getattr(upload, "name", "") or "").suffix.lower().lstrip(".")
        if suffix != kind.extension:
            raise UploadRejected(_("The file is a .%(real)s document but is named .%(named)s.")
                                 % {"real": kind.extension, "named": suffix or "?"})
    return kind


def image_display_copy(upload):
    """A re-encoded copy of an image upload to show on pages (PNG, or JPEG for photos; at most 1600 px), as a
    ContentFile named ``display.png``/``display.jpg``; None when it is not an image Pillow decodes."""
    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps

    try:
        upload.seek(0)
        with Image.open(upload) as img:
            fmt = img.format
            img = ImageOps.exif_transpose(img)
            img.thumbnail(DISPLAY_SIZE)
            buf = io.BytesIO()
            if fmt == "JPEG":
                img.convert("RGB").save(buf, format="JPEG", quality=85)
                name = "display.jpg"
            else:
                img = img.convert("RGBA") if img.mode not in ("RGB", "RGBA", "L", "LA") else img
                img.save(buf, format="PNG")
                name = "display.png"
    except Exception:  # not decodable here: no copy (the original stays download-only)
        return None
    finally:
        upload.seek(0)
    return ContentFile(buf.getvalue(), name=name)
