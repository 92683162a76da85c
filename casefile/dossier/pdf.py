"""HTML to PDF with WeasyPrint, imported only here (it costs ~0.5 s to import).

Rendering never reaches the network or reads files it was not meant to: the URL fetcher
serves the package's own assets (`casefile-asset:` URLs: fonts) and files inside the case
folder, and refuses everything else with a logged warning.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from casefile.evidence.exhibits import SCHEME as EXHIBIT_SCHEME
from casefile.core.resources import PACKAGE_DIR
from casefile.dossier.view import DossierView

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
PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1")

# /AFRelationship of each sealed attachment (PDF/A-3 associated files): the case file is the
# source the dossier was built from; the manifest is the data Annex C presents.
RELATIONSHIPS = {"manifest.sha256": "Data"}
CASE_RELATIONSHIP = "Source"


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def make_fetcher(base_dir: Path | None, requests: list[str] | None = None, images: dict | None = None):
    """A URL fetcher confined to package assets, prepared exhibit images and the case folder;
    records every request."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    case_root = base_dir.resolve() if base_dir else None
    asset_root = PACKAGE_DIR.resolve()

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
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


def _response(cls, url: str, target: Path):
    mime = _MIME.get(target.suffix.lower(), "application/octet-stream")
    return cls(url, body=target.read_bytes(), headers={"Content-Type": mime})


def seal_attachments(view: DossierView, case_name: str, case_bytes: bytes | None) -> list[tuple[str, bytes, str]]:
    """(name, content, description) of the files the PDF carries: the manifest and the case."""
    files = []
    if view.manifest and view.manifest.text:
        files.append(("manifest.sha256", view.manifest.text.encode("utf-8"),
                      "SHA-256 of every evidence file, sha256sum format"))
    if case_bytes is not None:
        files.append((case_name, case_bytes, "The case file this dossier was built from"))
    return files


def html_to_pdf(html: str, *, view: DossierView, base_dir: Path | None = None,
                requests: list[str] | None = None, images: dict | None = None,
                attachments: list[tuple[str, bytes, str]] = (), **options) -> bytes:
    """`options` are WeasyPrint's `write_pdf` options over PDF_OPTIONS, e.g. pdf_variant="pdf/a-3b"."""
    import weasyprint

    check_variant(options.get("pdf_variant"))

    base_url = (base_dir.resolve().as_uri() + "/") if base_dir else None
    stamp = datetime.fromisoformat(view.doc.created)
    with _source_date(view):
        document = weasyprint.HTML(string=html, base_url=base_url,
                                   url_fetcher=make_fetcher(base_dir, requests, images)).render()
        files = [weasyprint.Attachment(string=content, name=name, description=description,
                                       created=stamp, modified=stamp,
                                       relationship=RELATIONSHIPS.get(name, CASE_RELATIONSHIP),
                                       url_fetcher=make_fetcher(None))
                 for name, content, description in attachments]
        return document.write_pdf(**{**PDF_OPTIONS, "attachments": files, **options}, finisher=_finish)


def _finish(document, pdf) -> None:
    """WeasyPrint 70 lists each attachment twice in the catalog's /AF (PDF/A-3): once from the
    EmbeddedFiles name tree, once as a file specification. Keep each once, in order."""
    associated = pdf.catalog.get("AF")
    if associated:
        import pydyf

        unique = list(dict.fromkeys(associated))
        if len(unique) != len(associated):
            pdf.catalog["AF"] = pydyf.Array(unique)


def check_variant(variant: str | None) -> None:
    from casefile.core.errors import UsageError

    if variant is not None and variant not in PDF_VARIANTS:
        raise UsageError(f"unknown PDF variant '{variant}' (choose from {', '.join(PDF_VARIANTS)})")


@contextmanager
def _source_date(view: DossierView):
    """fontTools stamps the current time into subset fonts unless SOURCE_DATE_EPOCH is set;
    pin it to the dossier's own date while rendering so output is reproducible."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if before is None or not before.strip().isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = str(int(_epoch(view)))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def _epoch(view: DossierView) -> float:
    return datetime.fromisoformat(view.doc.created).timestamp()
