"""Every piece of human-readable text in an evidence file ("exhibit"), for the protected-name scan.

`extract(path)` and `extract_bytes(data)` yield `Piece`s (a text of at most CHUNK_CHARS, and
where in the file it came from) and `Unreadable`s (a part whose text cannot be read reliably,
and why). `where` holds indexes ("zip member 3 > page 2 text"), never names found in the file.
Nothing is matched here: the scanner looks for the names in the Pieces.

They never raise for bad input and never execute or fetch anything. Memory stays bounded
whatever the file size: files are read in chunks, nested content (members, decompressed
streams, attachments) goes to temporary files, long texts are cut into overlapping Pieces, and
`Limits` caps nesting, total unpacked bytes (zip bombs), archive entries and PDF pages.

The format is recognised from the content, never from the file name. What is read:
- plain text: UTF-8, UTF-16 and UTF-32 (with or without BOM); other bytes as each of cp1251,
  KOI8-U and Latin-1 (and a charset the file declares): a guess would miss the others. HTML and
  XML also without tags (inline tags like <b> and DOCX/ODF runs removed without a space, so a
  name split by them reads whole) and with entities decoded; base64 data: URIs opened as files;
  JSON \\u escapes and URL %-escapes decoded;
- RTF: the text of every group (document info included), \\' escapes in the document's and the
  fonts' code pages, \\u escapes; embedded pictures and objects opened as files;
- e-mail (RFC 822, .eml, mbox): every header (RFC 2047 decoded), every text part in its charset
  (and as the legacy encodings when it is missing or may be wrong), attachment names, every
  attachment opened as a file. A message over 32 MiB is read as plain text only (Unreadable);
- ZIP (DOCX/XLSX/PPTX, ODT/ODS/ODP, EPUB, plain; also truncated ones), tar, gzip, bzip2, xz:
  member names and comments, every member opened as a file;
- PDF (pypdf): page text, document info, XMP, bookmarks, annotations, form fields, embedded
  files. A page drawing text with a font that has no text map (ToUnicode) and no standard
  encoding is Unreadable; so is a PDF that needs a password;
- images (JPEG, PNG, GIF, WebP, TIFF): EXIF (XP* tags, UserComment), XMP, IPTC, JPEG and GIF
  comments, PNG tEXt/zTXt/iTXt chunks;
- audio and video: ID3 (MP3, WAV, AIFF), Vorbis comments (FLAC, Ogg), WMA/ASF and APE tags
  (mutagen); MP4/M4A/MOV/3GP tags; RIFF INFO (WAV, AVI); Matroska/WebM titles, tags and
  attachments; embedded cover pictures and files opened as files;
- a format none of the above reads (and one whose reader failed): the printable strings of the
  raw bytes, like `strings`, in UTF-8, UTF-16 (both byte orders) and legacy Cyrillic (cp1251,
  KOI8-U). A format that is read is not searched this way: outside the places its reader looks,
  it holds compressed payload (pixels, sound, deflated streams), whose "strings" are noise in
  which a short name turns up by chance in any large video.
What is not read: text drawn inside pictures or scanned pages (no OCR), speech in audio and
video, the content of other formats (old binary Office and Outlook files, 7-Zip, RAR,
Zstandard: only their raw strings, and an Unreadable says so; an unrecognised format likewise),
encrypted content (Unreadable).

The package's modules, one job each: `_base` (the items, `Limits`, the reading context and its
budget, errors and the guard around readers), `_files` (views, spools, chunked reading, nested
content), `_pieces` (texts into Pieces), `dispatch` (recognising the format, the dispatcher,
`extract` and `extract_bytes`), `text` and `markup` (plain text, HTML/XML), `rtf`, `mail`,
`archives`, `pdf`, `images`, `media`, `raw` (raw strings). Readers never import the dispatcher:
they reach it through `Ctx.read_file` to read nested content, so there is no import cycle.
"""

from __future__ import annotations

from ._base import CHUNK_CHARS, OVERLAP_CHARS, Limits, Piece, Unreadable
from .dispatch import extract, extract_bytes

__all__ = ["CHUNK_CHARS", "OVERLAP_CHARS", "Limits", "Piece", "Unreadable", "extract", "extract_bytes"]
