"""Uploaded files are judged by their content (magic bytes), never by their name, and size-limited.
Every area checks its uploads here and turns :class:`UploadRejected` into its own domain error."""

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

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


class UploadRejected(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


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
    if kind is None or kind.mime not in allowed:
        raise UploadRejected(type_message)
    return kind
