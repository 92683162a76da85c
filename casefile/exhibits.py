"""Photos shown as figures in the exhibits annex: read, checked and (outside the internal
edition) re-encoded without metadata.

Only raster formats Pillow identifies (JPEG, PNG, GIF, WebP) are placed; anything else is
listed, not shown. In the internal edition the original bytes are placed, so the figure is the
file whose digest is printed under it. In every other edition the image is decoded and encoded
again from pixels only: EXIF, XMP, GPS, maker notes, ICC comments and thumbnails are gone.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

from casefile.integrity import resolve_inside
from casefile.model import Case

PHOTO_KINDS = ("photo", "satellite-image")
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
SCHEME = "casefile-exhibit"
MAX_PIXELS = 80_000_000  # refuse decompression bombs


@dataclass(frozen=True)
class ExhibitImage:
    id: str
    data: bytes
    mime: str
    width: int
    height: int
    reencoded: bool

    @property
    def url(self) -> str:
        """How the PDF renderer asks for it (served from memory by the URL fetcher)."""
        return f"{SCHEME}:{self.id}"

    @property
    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def prepare(case: Case, root: Path, *, strip_metadata: bool, withheld: set[str]) -> dict[str, ExhibitImage]:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    images: dict[str, ExhibitImage] = {}
    for item in case.evidence:
        if item.kind not in PHOTO_KINDS or not item.file or item.id in withheld:
            continue
        path = resolve_inside(root, item.file)
        if path is None or not path.is_file():
            continue
        raw = path.read_bytes()
        try:
            with Image.open(io.BytesIO(raw)) as image:
                fmt = image.format
                if fmt not in FORMATS:
                    continue
                width, height = image.size
                if strip_metadata:
                    raw, fmt = _reencode(image, fmt)
        except (OSError, ValueError, Image.DecompressionBombError):
            continue  # not an image we can place; the register still lists the file
        images[item.id] = ExhibitImage(item.id, raw, FORMATS[fmt], width, height, strip_metadata)
    return images


def _reencode(image, fmt: str) -> tuple[bytes, str]:
    """Pixels only: a new image with no metadata of any kind."""
    from PIL import Image

    image.load()
    mode = image.mode
    if fmt == "JPEG":
        pixels = image.convert("RGB") if mode not in ("RGB", "L") else image.copy()
        clean = Image.new(pixels.mode, pixels.size)
        clean.paste(pixels)
        out = io.BytesIO()
        clean.save(out, format="JPEG", quality=92, optimize=True)  # no exif=, no icc_profile=
        return out.getvalue(), "JPEG"
    # PNG, GIF, WebP: re-encode as PNG from pixels
    pixels = image.convert("RGBA") if mode not in ("RGB", "RGBA", "L", "LA") else image.copy()
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue(), "PNG"
