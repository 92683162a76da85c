"""Corrections to the structure tree WeasyPrint writes, so that a tagged PDF keeps PDF/UA-1's
rules (ISO 14289-1, as veraPDF's rule set checks them). Run on WeasyPrint's PDF objects by
the finisher of `pdf.html_to_pdf`, before they are written.

- A definition list (`<dl>`, each term and its definition in a `<div>`) comes out as an `L`
  whose children are `Div`s holding one `LI` per `dt` and `dd`. An `L` may hold only `L`,
  `LI` and `Caption`, and an `LI` must sit in an `L`: each `Div` becomes the `LI`, its term the
  `Lbl` and its definition the `LBody`. Anything else directly in an `L` is wrapped in an `LI`.
- A link annotation must belong to a `Link` element; WeasyPrint also gives one to each inline
  box inside a link (a `Span`), which becomes a `Link` too.
- A table header cell states what it heads (`/Scope`): the columns in the table head, its row
  elsewhere.
- The running header and footer are page furniture: WeasyPrint tags their text but leaves it
  out of the tree. Their marked content becomes `/Artifact` and their elements are dropped.
- Text in another language than the document's (`lang` on an element: case text written in
  English in a Ukrainian dossier) has that language (`/Lang`) on its structure element;
  WeasyPrint writes only the document's (`install_language_tags`, while the tree is built).

WeasyPrint's objects are pydyf objects: dictionaries, arrays, and references written as
b"12 0 R"; the number before " 0 R" indexes `pdf.objects`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

KEEP_IN_LIST = {"/L", "/LI", "/Caption"}
_WHOLE_DOCUMENT = ("html", "body")


def install_language_tags() -> None:
    """Make WeasyPrint's structure-tree builder give an element with a `lang` attribute that
    language (`/Lang`). WeasyPrint 70 builds the tree from boxes in `pdf.tags._build_box_tree`,
    a generator that calls itself through the module, so wrapping the module's function reaches
    every box; the boxes are gone once the tree is built, so this cannot be done afterwards."""
    from weasyprint.pdf import tags  # noqa: PLC0415, RUF100 - loaded only with WeasyPrint

    build = tags._build_box_tree
    if getattr(build, "casefile_lang", False):
        return
    import pydyf  # noqa: PLC0415, RUF100 - WeasyPrint's own PDF writer, loaded with it

    def build_with_lang(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
        element = getattr(getattr(box, "_box", box), "element", None)  # an absolute box's placeholder
        lang = None
        if element is not None and getattr(box, "element_tag", None) not in _WHOLE_DOCUMENT:
            lang = element.get("lang")
        for made in build(box, parent, *args):
            if lang and "Lang" not in made and made.get("P") == parent.reference:
                made["Lang"] = pydyf.String(lang)
            yield made

    build_with_lang.casefile_lang = True  # type: ignore[attr-defined]
    tags._build_box_tree = build_with_lang


def fix_structure(pdf: Any) -> None:
    """Apply the corrections above to a WeasyPrint PDF (pydyf.PDF) that has a structure tree."""
    reference = pdf.catalog.get("StructTreeRoot")
    if reference is None:
        return
    import pydyf  # noqa: PLC0415, RUF100 - WeasyPrint's own PDF writer, loaded with it

    tree = _Tree(pdf, pydyf)
    root = tree.get(reference)
    for element in list(tree.walk(root)):
        kind = element.get("S")
        if kind == "/L":
            tree.fix_list(element)
        elif kind == "/TH":
            _scope(tree, element)
        if kind == "/Span" and any(tree.is_annotation(kid) for kid in element.get("K", ())):
            element["S"] = "/Link"
    tree.artifacts_for_orphans(root)


class _Tree:
    def __init__(self, pdf: Any, pydyf: Any):
        self.pdf, self.pydyf = pdf, pydyf

    def get(self, reference: Any) -> Any:
        return self.pdf.objects[int(bytes(reference).split()[0])]

    def is_ref(self, kid: Any) -> bool:
        return isinstance(kid, bytes) and kid.endswith(b" R")

    def is_annotation(self, kid: Any) -> bool:
        return self.is_ref(kid) and self.get(kid).get("Type") == "/OBJR"

    def kids(self, element: Any) -> Iterator[Any]:
        for kid in element.get("K", ()):
            if self.is_ref(kid):
                child = self.get(kid)
                if child.get("Type") == "/StructElem":
                    yield child

    def walk(self, element: Any) -> Iterator[Any]:
        yield element
        for child in self.kids(element):
            yield from self.walk(child)

    def new(self, kind: str, parent: Any, kids: list[Any], page: Any) -> Any:
        element = self.pydyf.Dictionary({"Type": "/StructElem", "S": kind, "K": self.pydyf.Array(kids),
                                         "P": parent.reference})
        if page is not None:
            element["Pg"] = page
        self.pdf.add_object(element)
        for kid in kids:
            if self.is_ref(kid) and self.get(kid).get("Type") == "/StructElem":
                self.get(kid)["P"] = element.reference
        return element

    def fix_list(self, element: Any) -> None:
        fixed = []
        for kid in element.get("K", ()):
            child = self.get(kid) if self.is_ref(kid) else None
            if child is None or child.get("S") in KEEP_IN_LIST or child.get("Type") != "/StructElem":
                fixed.append(kid)
            elif child.get("S") == "/Div":
                self._item_from_group(child)
                fixed.append(kid)
            else:  # text or another element directly in the list: an item of its own
                fixed.append(self.new("/LI", element, [self.new("/LBody", element, [kid], child.get("Pg")).reference],
                                      child.get("Pg")).reference)
        element["K"] = self.pydyf.Array(fixed)

    def _item_from_group(self, group: Any) -> None:
        """A `<div>` of a `<dl>`: one item, its term (WeasyPrint's first `LI` wrapper) the label,
        everything else its body."""
        parts, label = [], None
        for kid in group.get("K", ()):
            child = self.get(kid) if self.is_ref(kid) else None
            if child is not None and child.get("S") == "/LI":  # WeasyPrint's wrapper of a dt or dd
                wrapped = list(child.get("K", ()))
                if label is None and wrapped:
                    label = wrapped[0]
                parts.extend(wrapped)
            else:
                parts.append(kid)
        group["S"] = "/LI"
        group["K"] = self.pydyf.Array(parts)
        for kid in parts:
            child = self.get(kid) if self.is_ref(kid) else None
            if child is not None and child.get("Type") == "/StructElem":
                child["P"] = group.reference
                child["S"] = "/Lbl" if kid is label else "/LBody"

    def artifacts_for_orphans(self, root: Any) -> None:
        """Marked content of elements outside the tree (the page furniture) becomes artifacts."""
        reachable = {id(element) for element in self.walk(root)}
        orphans: dict[int, set[int]] = {}  # page object number -> MCIDs
        for item in self.pdf.objects:
            if (isinstance(item, dict) and item.get("Type") == "/StructElem" and id(item) not in reachable
                    and item.get("Pg") is not None):
                mcids = {kid for kid in item.get("K", ()) if isinstance(kid, int)}
                if mcids:
                    orphans.setdefault(int(bytes(item["Pg"]).split()[0]), set()).update(mcids)
        parent_tree = self.get(root["ParentTree"]) if root.get("ParentTree") is not None else {}
        numbers = list(parent_tree.get("Nums", ()))
        pages = [int(bytes(ref).split()[0]) for ref in self.pdf.page_references]
        for page_number, mcids in orphans.items():
            page = self.pdf.objects[page_number]
            contents = page.get("Contents")
            if contents is not None:
                _artifacts(self.get(contents), mcids)
            # the parent tree maps each MCID of the page to its element: an artifact has none
            index = pages.index(page_number) if page_number in pages else None
            for key, value in zip(numbers[::2], numbers[1::2], strict=False):
                if key == index and isinstance(value, list):
                    for mcid in mcids:
                        if mcid < len(value):
                            value[mcid] = "null"


def _artifacts(stream: Any, mcids: set[int]) -> None:
    """Replace `/Tag <</MCID n>> BDC` by `/Artifact BMC` for every n in `mcids`."""
    items = stream.stream
    for index in range(1, len(items) - 1):
        properties = items[index]
        if items[index + 1] == b"BDC" and isinstance(properties, dict) and properties.get("MCID") in mcids:
            items[index - 1], items[index], items[index + 1] = "/Artifact", b"", b"BMC"


def _scope(tree: _Tree, cell: Any) -> None:
    attributes = cell.get("A")
    if attributes is None:
        attributes = cell["A"] = tree.pydyf.Dictionary({"O": "/Table"})
    parent = tree.get(cell["P"]) if cell.get("P") is not None else None
    grandparent = tree.get(parent["P"]) if parent is not None and parent.get("P") is not None else None
    in_head = grandparent is not None and grandparent.get("S") == "/THead"
    attributes.setdefault("Scope", "/Column" if in_head else "/Row")
