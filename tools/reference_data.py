"""Turn the EU's reference data exports (CS/RD2) into toldsystem's bundled reference CSVs.

Run from the repository root with the exports fetched (they are not committed):

    .venv/bin/python tools/reference_data.py \\
        --col COL-Generic-20241105.xml \\            # the EU customs office list, CS/RD2 XML
        --col-newer COL-Generic-20250212.json \\     # optional: offices of countries the first lacks
        --lists RD_NCTS-P5.json \\                   # NCTS-P5 code lists (CS/RD2 JSON or XML), oldest first
        --dps crdl-ref-data-dps-stub/conf/resources/codeList \\   # optional: a later DPS copy (paged JSON)
        --xsd v2_1                                  # the official XSDs: list names, technical lists (tcl.xsd)

It writes into src/toldsystem/reference/data/ (or --out): customs-offices.csv, code-lists.csv,
code-list-CL016.csv, code-list-CL244.csv and code-list-index.csv, and prints what it wrote.
docs/operations.md says where each export is published.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from toldsystem.reference import convert, csrd2

ROOT = Path(__file__).resolve().parent.parent
INPUTS = Path(__file__).resolve().parent / "reference-inputs"
DATA = ROOT / "src" / "toldsystem" / "reference" / "data"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _code_list_sources(args) -> list[csrd2.SourceList]:
    """Every source list, oldest first: the schema's technical lists, the COL's lists, the exports, DPS."""
    sources: list[csrd2.SourceList] = []
    if args.xsd and (args.xsd / "tcl.xsd").exists():
        sources += csrd2.read_xsd_enumerations(args.xsd / "tcl.xsd")
    sources += args.col_lists
    for path in args.lists:
        sources += csrd2.read_xml(path)[0] if path.suffix == ".xml" else csrd2.read_json_lists(path)
    if args.dps:
        sources += csrd2.read_dps_pages(args.dps.rglob("*.json"))
    return sources


def _list_names(args, sources: list[csrd2.SourceList]) -> dict[str, str]:
    """CLnnn -> official name: the XSD annotations first, then what the sources state, then our last index."""
    names = csrd2.read_xsd_list_names(args.xsd) if args.xsd else {}
    for source in sources:
        if source.list_id:
            names.setdefault(source.list_id, source.name)
    index = args.out / "code-list-index.csv"
    if index.exists():
        for row in _read_csv(index):
            names.setdefault(row["list"], row["name"])
    return names


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
          f"{text.count(chr(10)) - 1} rows, {len(text.encode('utf-8')) // 1024} KiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--col", type=Path, required=True, help="the COL as a CS/RD2 XML export")
    parser.add_argument("--col-newer", type=Path, help="a newer COL (CS/RD2 JSON) for countries --col lacks")
    parser.add_argument("--lists", type=Path, nargs="*", default=[], help="CS/RD2 code list exports, oldest first")
    parser.add_argument("--dps", type=Path, help="a directory of DPS code list pages (newest source)")
    parser.add_argument("--xsd", type=Path, help="the official XSD directory (list names, tcl.xsd)")
    parser.add_argument("--stated", type=Path, default=INPUTS / "stated-code-lists.csv")
    parser.add_argument("--danish", type=Path, default=INPUTS / "danish-descriptions.csv")
    parser.add_argument("--out", type=Path, default=DATA)
    args = parser.parse_args(argv)

    col_lists, offices = csrd2.read_xml(args.col)
    args.col_lists = col_lists
    newer = csrd2.read_json_offices(args.col_newer) if args.col_newer else []
    chosen = convert.select_offices(offices, newer)
    _write(args.out / "customs-offices.csv", convert.offices_csv(chosen))

    sources = _code_list_sources(args)
    names = _list_names(args, sources)
    lists = convert.merge_code_lists(sources, names)
    ignored = convert.add_stated_lists(lists, names, _read_csv(args.stated))
    convert.add_country_names_in_danish(lists)
    unmatched = convert.add_descriptions_in_danish(lists, _read_csv(args.danish))
    small = [m for m in lists.values() if m.list_id not in convert.LARGE_LISTS]
    _write(args.out / "code-lists.csv", convert.code_list_csv(small))
    for list_id, file_name in convert.LARGE_LISTS.items():
        if list_id in lists:
            _write(args.out / file_name, convert.code_list_csv([lists[list_id]]))
    _write(args.out / "code-list-index.csv", convert.index_csv(lists.values()))
    for list_id in ignored:
        print(f"note: {list_id} is stated in {args.stated.name} but an export now carries it; remove it there")
    for row in unmatched:
        print(f"note: Danish text for {row} matches no code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
