"""HTML to PDF with WeasyPrint, imported only here (it costs ~0.5 s to import).

Rendering never reaches the network or reads files it was not meant to: the URL fetcher
serves the package's own assets (`casefile-asset:` URLs: fonts) and files inside the case
folder, and refuses everything else with a logged warning. The writer takes the HTML and the
few values the PDF needs besides it (its date, the images it may fetch, the files it carries),
not the view the HTML was made from.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from casefile.core.errors import UsageError
from casefile.core.outputs import PDF_VARIANTS
from casefile.core.resources import PACKAGE_DIR
from casefile.evidence.exhibits import SCHEME as EXHIBIT_SCHEME

if TYPE_CHECKING:
    from casefile.evidence.exhibits import ExhibitImage

LOG = logging.getLogger("casefile.dossier.pdf")
ASSET_SCHEME = "casefile-asset"
ASSET_DIRS = ("fonts",)
_MIME = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2",
         ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}

# One options dict for every PDF casefile writes (CLI and API alike).
PDF_OPTIONS = {
    "pdf_identifier": True,  # derived from content: reproducible
    "uncompressed_pdf": False,
    "optimize_images": False,
    # Tagged PDF (structure tree, /MarkInfo, /Lang, /DisplayDocTitle): the PDF/UA structure that
    # screen readers and reflow use; costs ~0.2 s (+12 %) and +23 % bytes on the Donetsk dossier.
    "pdf_tags": True,
}

# Standards a PDF may be made to claim (`--pdf-variant`), passed to WeasyPrint as `pdf_variant`.
# Only variants that keep the sealed attachments: PDF/A-1 drops every attachment and PDF/A-2
# every one that is not a PDF; PDF/A-3 keeps them as associated files (/AF).

# /AFRelationship of each sealed attachment (PDF/A-3 associated files): the case file is the
# source the dossier was built from; the manifest is the data Annex C presents.
RELATIONSHIPS = {"manifest.sha256": "Data"}
CASE_RELATIONSHIP = "Source"

Attachment = tuple[str, bytes, str]  # (name, content, description)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def make_fetcher(base_dir: Path | None, requests: list[str] | None = None,
                 images: Mapping[str, ExhibitImage] | None = None) -> Any:
    """A URL fetcher confined to package assets, prepared exhibit images and the case folder;
    records every request."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415, RUF100 - see the module docstring

    case_root = base_dir.resolve() if base_dir else None
    asset_root = PACKAGE_DIR.resolve()

    # WeasyPrint 70 wants a URLFetcher; it has no type information, hence the ignore
    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
            if requests is not None:
                requests.append(url)
            parts = urlsplit(url)
            if parts.scheme == EXHIBIT_SCHEME and images and parts.path in images:
                image = images[parts.path]
                return URLFetcherResponse(url, body=image.data, headers={"Content-Type": image.mime})
            if parts.scheme == ASSET_SCHEME:
                relative = unquote(parts.path).lstrip("/")
                target = (asset_root / relative).resolve()
                if relative.split("/", 1)[0] in ASSET_DIRS and _inside(target, asset_root) and target.is_file():
                    return _response(URLFetcherResponse, url, target)
            elif parts.scheme == "file" and case_root is not None and not parts.netloc:
                target = Path(url2pathname(unquote(parts.path))).resolve()
                if _inside(target, case_root) and target.is_file():
                    return _response(URLFetcherResponse, url, target)
            LOG.warning("refused to fetch %s (only casefile's own assets and files in the case folder)",
                        url[:200])
            raise ValueError(f"casefile does not fetch {url[:200]}")

    return ConfinedFetcher()


def _response(cls: Any, url: str, target: Path) -> Any:
    mime = _MIME.get(target.suffix.lower(), "application/octet-stream")
    return cls(url, body=target.read_bytes(), headers={"Content-Type": mime})


def seal_attachments(manifest: str, case_name: str, case_bytes: bytes | None) -> list[Attachment]:
    """(name, content, description) of the files the PDF carries: the manifest (its sha256sum
    text, the view's `manifest.text`; none when empty) and the case."""
    files: list[Attachment] = []
    if manifest:
        files.append(("manifest.sha256", manifest.encode("utf-8"),
                      "SHA-256 of every evidence file, sha256sum format"))
    if case_bytes is not None:
        files.append((case_name, case_bytes, "The case file this dossier was built from"))
    return files


def html_to_pdf(html: str, *, created: datetime, base_dir: Path | None = None,
                images: Mapping[str, ExhibitImage] | None = None, attachments: Sequence[Attachment] = (),
                requests: list[str] | None = None, **options: Any) -> bytes:
    """`created`: the dossier's date (view.doc.created_at), the date of each attachment;
    `requests`: filled with every URL the layout asked for; `options` are WeasyPrint's
    `write_pdf` options over PDF_OPTIONS, e.g. pdf_variant="pdf/a-3b"."""
    import weasyprint  # noqa: PLC0415, RUF100 - see the module docstring

    from casefile.dossier.tagging import install_language_tags

    check_variant(options.get("pdf_variant"))
    install_language_tags()

    base_url = (base_dir.resolve().as_uri() + "/") if base_dir else None
    document = weasyprint.HTML(string=html, base_url=base_url,
                               url_fetcher=make_fetcher(base_dir, requests, images)).render()
    gc.collect()  # layout leaves cycles behind: collected before the PDF is written, the peak memory drops
    files = [weasyprint.Attachment(string=content, name=name, description=description,
                                   created=created, modified=created,
                                   relationship=RELATIONSHIPS.get(name, CASE_RELATIONSHIP),
                                   url_fetcher=make_fetcher(None))
             for name, content, description in attachments]
    archival = str(options.get("pdf_variant") or "").startswith("pdf/a")
    data: bytes = document.write_pdf(**{**PDF_OPTIONS, **font_options(), "attachments": files, **options},
                                     finisher=partial(_finish, archival=archival))
    return data


def font_options() -> dict[str, bool]:
    """How fonts are embedded so that the same input gives the same bytes.

    WeasyPrint subsets each embedded font with harfbuzz-subset when the system has it (4.1 or
    later), else with fontTools, which stamps the current time into every subset font it saves
    unless SOURCE_DATE_EPOCH is set. Rather than set that variable for the whole process, embed
    the fonts whole in that case: nothing is subset, so nothing is stamped. The cost is size:
    every font file a PDF uses goes in whole (the packaged Noto fonts are 0.5-0.65 MB each), so
    the Donetsk dossier grows from 0.1 MB to 1.8 MB, and each PDF of a packet (letter, dossier,
    slip sheets) by about as much. (WeasyPrint still re-saves a variable or colour font with
    fontTools, stamping the time, whatever this option says: the packaged fonts are neither, so
    only a system font that fills in for a glyph they lack, an emoji say, could bring one in.)"""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset  # noqa: PLC0415, RUF100 - see the module docstring

    if harfbuzz_subset is None or not harfbuzz.hb_version_atleast(4, 1, 0):
        return {"full_fonts": True}
    return {}


def _finish(document: Any, pdf: Any, *, archival: bool = False) -> None:
    """Corrections to what WeasyPrint writes, made on its PDF objects before they are written.

    - The structure tree keeps PDF/UA-1's rules (tagging.py).
    - WeasyPrint 70 lists each attachment twice in the catalog's /AF (PDF/A-3): once from the
      EmbeddedFiles name tree, once as a file specification. Keep each once, in order.
    - PDF/A (ISO 19005-3, 6.2.8): an image may not ask for interpolation, and the XMP metadata
      stream may not be compressed (6.6.2.1: readable by tools that do not decompress).
      WeasyPrint sets /Interpolate true for images with `image-rendering: auto` and compresses
      every stream when asked to.
    - Every stream ends with CRLF before `endstream`: a stream whose data happens to end with a
      CR byte (a 1-in-256 chance for compressed data, whose last bytes are a checksum) followed
      by WeasyPrint's LF reads as ending early to a validator that takes CR LF as the end of
      line (veraPDF's rule 6.1.7.1: /Length must match), and the file fails PDF/A."""
    from casefile.dossier.tagging import fix_structure

    fix_structure(pdf)
    _end_streams_with_crlf(pdf.objects)
    if archival:
        for item in pdf.objects:
            extra = getattr(item, "extra", None)
            if isinstance(extra, dict) and extra.get("Subtype") == "/Image" and "Interpolate" in extra:
                extra["Interpolate"] = "false"
        metadata = pdf.catalog.get("Metadata")
        if metadata is not None:
            pdf.objects[int(bytes(metadata).split()[0])].compress = False
    associated = pdf.catalog.get("AF")
    if associated:
        import pydyf  # noqa: PLC0415, RUF100 - WeasyPrint's own PDF writer, loaded with it

        unique = list(dict.fromkeys(associated))
        if len(unique) != len(associated):
            pdf.catalog["AF"] = pydyf.Array(unique)


def _end_streams_with_crlf(objects: list[Any]) -> None:
    import pydyf  # noqa: PLC0415, RUF100 - WeasyPrint's own PDF writer, loaded with it

    for item in objects:
        if isinstance(item, pydyf.Stream):
            base: type = type(item)
            item.__class__ = _crlf_class(base)


# zlib level of the streams casefile writes: pydyf asks for 9, which spends about a sixth of a
# large dossier's time (5 of 36 s at 10,000 evidence items) for under 1 % fewer bytes than 6.
FLATE_LEVEL = 6


@cache
def _crlf_class(base: type) -> type:
    """`base` (pydyf's Stream, or WeasyPrint's subclass of it) writing CR LF before `endstream`,
    and compressing at FLATE_LEVEL where pydyf's own `data` is used."""
    import zlib

    import pydyf  # noqa: PLC0415, RUF100 - WeasyPrint's own PDF writer, loaded with it

    if base.data is pydyf.Stream.data:  # type: ignore[attr-defined]
        def data(self: Any) -> bytes:
            stream = b"\n".join(pydyf._to_bytes(item) for item in self.stream)
            extra = pydyf.Dictionary(self.extra.copy())
            if self.compress:
                extra["Filter"] = "/FlateDecode"
                stream = zlib.compress(stream, FLATE_LEVEL)
            extra["Length"] = len(stream)
            return b"\n".join((extra.data, b"stream", stream)) + b"\r\nendstream"
    else:
        def data(self: Any) -> bytes:
            written: bytes = base.data.fget(self)  # type: ignore[attr-defined]
            return written.removesuffix(b"\nendstream") + b"\r\nendstream"

    return type(f"CRLF{base.__name__}", (base,), {"data": property(data)})


def check_variant(variant: str | None) -> None:
    if variant is not None and variant not in PDF_VARIANTS:
        raise UsageError(f"unknown PDF variant '{variant}' (choose from {', '.join(PDF_VARIANTS)})")
