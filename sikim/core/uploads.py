"""Checking uploads by their content, not their name.

Images are opened with Pillow and re-encoded, which drops EXIF (GPS position, camera) and
anything smuggled after the picture. PDFs must start with the PDF signature. Every upload has
a size limit, and every refusal is a clear ValidationError for the form or API to show.
"""

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_LONG_SIDE = 2000


def _check_size(upload: UploadedFile, limit: int) -> None:
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def clean_pdf(upload: UploadedFile, *, limit: int = MAX_PDF_BYTES) -> UploadedFile:
    """Accept only a real PDF within the size limit."""
    _check_size(upload, limit)
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head[:1024]:
        raise ValidationError(_("This file is not a PDF document."), code="not_pdf")
    return upload


def clean_image(upload: UploadedFile, *, limit: int = MAX_IMAGE_BYTES) -> ContentFile:
    """Return the picture re-encoded as JPEG (or PNG with transparency), metadata stripped."""
    _check_size(upload, limit)
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        image: Image.Image = Image.open(upload)
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise ValidationError(_("The picture is too large in pixels."), code="too_many_pixels")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a picture we can read (use JPEG or PNG)."), code="not_image"
        ) from None
    # Respect the camera's rotation before the EXIF that holds it is dropped.
    image = ImageOps.exif_transpose(image)
    image.thumbnail((IMAGE_LONG_SIDE, IMAGE_LONG_SIDE))
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    out = io.BytesIO()
    stem = Path(upload.name or "image").stem[:80] or "image"
    if has_alpha:
        image.convert("RGBA").save(out, format="PNG", optimize=True)
        name = f"{stem}.png"
    else:
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
        name = f"{stem}.jpg"
    return ContentFile(out.getvalue(), name=name)
