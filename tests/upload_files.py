"""Real small files for upload tests: a PDF that a PDF parser opens (one page)."""

import io


def one_page_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def one_pixel_png() -> bytes:
    """A PNG that decodes (an image upload must decode, not just start like one)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (1, 1), (0, 0, 0, 0)).save(out, format="PNG")
    return out.getvalue()
