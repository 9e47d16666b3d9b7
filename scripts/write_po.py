"""Write a gettext catalogue from a Python dict {msgid: msgstr}: `python scripts/write_po.py
module_with_TRANSLATIONS path/to/messages.po`. Used to keep .po files tidy; not needed to run."""

import importlib.util
import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po


def main(source: str, target: str) -> None:
    spec = importlib.util.spec_from_file_location("t", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    catalog = Catalog(locale="id", project="Kompeten", charset="utf-8", fuzzy=False)
    for msgid, msgstr in module.TRANSLATIONS.items():
        catalog.add(msgid, msgstr)
    with open(target, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
