"""Photo uploads: accepted only when Pillow can read the *content* as one of a few image formats,
then stored with a display copy and a thumbnail through ``default_storage``."""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
DISPLAY_SIZE = (1200, 1200)
THUMB_SIZE = (320, 320)
Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs early


def image_check(upload) -> str:
    """Raise ValidationError unless ``upload`` is an image we accept; return its format name."""
    limit = getattr(settings, "MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
    if upload.size > limit:
        raise ValidationError(
            _("The photo is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": limit // 1024 // 1024}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as img:
            fmt = img.format
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not an image. Upload a photo (JPEG, PNG, GIF or WebP).")) from None
    finally:
        upload.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(_("This image format is not accepted. Upload a JPEG, PNG, GIF or WebP photo."))
    return fmt


def _save(img: Image.Image, name: str, fmt: str) -> str:
    buf = io.BytesIO()
    if fmt == "JPEG" and img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    img.save(buf, format=fmt, quality=85) if fmt == "JPEG" else img.save(buf, format=fmt)
    return default_storage.save(name, ContentFile(buf.getvalue()))


def image_store(upload, *, folder: str) -> tuple[str, str, str]:
    """Store the original, a display copy and a thumbnail; return their storage names."""
    fmt = image_check(upload)
    ext = ALLOWED_FORMATS[fmt]
    stem = f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"
    upload.seek(0)
    original = default_storage.save(f"{stem}.{ext}", ContentFile(upload.read()))
    upload.seek(0)
    with Image.open(upload) as img:
        img = ImageOps.exif_transpose(img)
        out_fmt = "PNG" if fmt in ("PNG", "GIF") else "JPEG"
        out_ext = "png" if out_fmt == "PNG" else "jpg"
        display = img.copy()
        display.thumbnail(DISPLAY_SIZE)
        display_name = _save(display, f"{stem}-display.{out_ext}", out_fmt)
        thumb = img.copy()
        thumb.thumbnail(THUMB_SIZE)
        thumb_name = _save(thumb, f"{stem}-thumb.{out_ext}", out_fmt)
    return original, display_name, thumb_name


def signature_store(data_url: str, *, folder: str) -> str:
    """A signature drawn on the canvas arrives as ``data:image/png;base64,...``; keep it as a PNG."""
    import base64
    import binascii

    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise ValidationError(_("The signature could not be read. Draw it again or tick “signed on paper”."))
    try:
        raw = base64.b64decode(data_url[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(_("The signature could not be read. Draw it again or tick “signed on paper”.")) from None
    if len(raw) > 2 * 1024 * 1024:
        raise ValidationError(_("The signature could not be read. Draw it again or tick “signed on paper”."))
    try:
        with Image.open(io.BytesIO(raw)) as img:
            fmt = img.format
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("The signature could not be read. Draw it again or tick “signed on paper”.")) from None
    if fmt != "PNG":
        raise ValidationError(_("The signature could not be read. Draw it again or tick “signed on paper”."))
    return default_storage.save(f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.png", ContentFile(raw))
