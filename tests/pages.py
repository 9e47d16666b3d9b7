"""What a page shows in a named element, read from that element rather than searched for in
the page: "SAH" is also a part of "TIDAK SAH", "Lulus" of "Tidak lulus"."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Elements(HTMLParser):
    """Each element that carries `attribute`: the attribute's value and the element's text."""

    def __init__(self, attribute: str) -> None:
        super().__init__()
        self.attribute = attribute
        self.found: list[tuple[str | None, list[str]]] = []
        self.open: list[int | None] = []  # per open element, its index in `found` if it matched

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        carried = dict(attrs)
        if self.attribute in carried:
            self.found.append((carried[self.attribute], []))
            self.open.append(len(self.found) - 1)
        else:
            self.open.append(None)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for index in self.open:
            if index is not None:
                self.found[index][1].extend(data.split())


def elements(html: str, attribute: str) -> list[tuple[str | None, str]]:
    """(the attribute's value, the element's text with its spaces collapsed) for each element
    carrying `attribute`, in page order."""
    parser = _Elements(attribute)
    parser.feed(html)
    return [(value, " ".join(words)) for value, words in parser.found]


def headline(html: str, attribute: str) -> tuple[str | None, str]:
    """The one element carrying `attribute`, e.g. a verification page's verdict."""
    found = elements(html, attribute)
    assert len(found) == 1, f"{len(found)} elements with {attribute} on the page"
    return found[0]
