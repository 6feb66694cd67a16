"""Serving a stored upload (a leave certificate, scoring evidence) without ever letting a browser render it
as a page: the type comes from the file's content, only a photo is shown inline, anything else downloads."""

import filetype
from django.http import FileResponse

INLINE_IMAGES = ("image/jpeg", "image/png", "image/gif", "image/webp")


def stored_file_response(field_file, display=None) -> FileResponse:
    """``display`` (the re-encoded copy of an image) is shown inline; the original is always an attachment
    (a polyglot upload is never rendered as it came)."""
    if display:
        handle = display.open("rb")
        kind = filetype.guess(handle.read(2048))
        handle.seek(0)
        response = FileResponse(handle, as_attachment=False, filename=display.name.rsplit("/", 1)[-1],
                                content_type=kind.mime if kind else "application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
    handle = field_file.open("rb")
    head = handle.read(2048)
    handle.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else "application/octet-stream"
    inline = False  # an original is never shown inline (issue 16): only its re-encoded copy is
    name = field_file.name.rsplit("/", 1)[-1]
    if not inline and kind is not None and not name.lower().endswith("." + kind.extension):
        name = f"{name.rsplit('.', 1)[0]}.{kind.extension}"
    response = FileResponse(handle, as_attachment=not inline, filename=name, content_type=mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
