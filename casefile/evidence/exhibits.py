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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.case.model import Case, Region
from casefile.core.paths import resolve_inside

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

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
    blurred: bool = False

    @property
    def url(self) -> str:
        """How the PDF renderer asks for it (served from memory by the URL fetcher)."""
        return f"{SCHEME}:{self.id}"

    @property
    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def prepare(case: Case, root: Path, *, strip_metadata: bool, withheld: set[str],
            blur: Mapping[str, list[Region]] | None = None) -> dict[str, ExhibitImage]:
    """The images to place, by evidence id. `blur`: regions (model.Region) to blur per item, in
    editions that hide a person the image shows (the image is then re-encoded from pixels)."""
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
                regions = (blur or {}).get(item.id)
                placed: PILImage = _blurred(image, regions) if regions else image
                if strip_metadata or regions:
                    raw, fmt = _reencode(placed, fmt)
        except (OSError, ValueError, Image.DecompressionBombError):
            continue  # not an image we can place; the register still lists the file
        images[item.id] = ExhibitImage(item.id, raw, FORMATS[fmt], width, height, strip_metadata or bool(regions),
                                       blurred=bool(regions))
    return images


def _blurred(image: PILImage, regions: Sequence[Region]) -> PILImage:
    """The image with each region made unrecognisable: averaged down to blocks about a tenth
    of the region's size (what a face was is gone, not just softened), then blurred."""
    from PIL import ImageFilter

    image.load()
    out = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    for region in regions:
        box = (max(0, region.x), max(0, region.y), min(out.width, region.x + region.width),
               min(out.height, region.y + region.height))
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        patch = out.crop(box)
        small = patch.resize((max(1, patch.width // 10), max(1, patch.height // 10)), 2)  # 2: bilinear
        coarse = small.resize(patch.size, 0).filter(ImageFilter.GaussianBlur(max(2, min(patch.size) // 8)))
        out.paste(coarse, box[:2])
    return out


def _reencode(image: PILImage, fmt: str) -> tuple[bytes, str]:
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
