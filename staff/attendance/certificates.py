"""A sick-leave certificate (REGULATIONS §4): a photo or a PDF, by its content, at most 10 MB."""

from django.utils.translation import gettext as _

from csmgmt.core.uploads import PDF_TYPES, PHOTO_TYPES, UploadRejected, upload_verified

from .workflow import AttendanceError

CERTIFICATE_MIMES = PHOTO_TYPES | PDF_TYPES


def certificate_check(upload) -> None:
    """A certificate must be an image or a PDF (by content, not by name) and at most 10 MB."""
    try:
        upload_verified(upload, allowed=CERTIFICATE_MIMES,
                        type_message=_("The certificate must be a photo (JPEG, PNG, GIF, WebP) or a PDF."),
                        too_large_message=_("The certificate is larger than 10 MB."))
    except UploadRejected as exc:
        raise AttendanceError(exc.message) from None
