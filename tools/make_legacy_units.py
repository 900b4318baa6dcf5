"""Derive generator/data/legacy-units.json: pre-2025 units and what replaced them.

Usage (stdlib only; run it with the project's interpreter so that it finds
``vietnam-provinces``, or pass ``--vietnam-provinces``)::

    pip download --no-deps vietnamadminunits==1.0.4 -d /tmp/pk
    unzip -d /tmp/pk/x_vietnamadminunits /tmp/pk/vietnamadminunits-1.0.4-py3-none-any.whl
    .venv/bin/python tools/make_legacy_units.py /tmp/pk/x_vietnamadminunits/vietnamadminunits

Sources:

- the old units (63 provinces, 10,035 communes with their district) and the
  old→new mapping come from the MIT-licensed package ``vietnamadminunits``
  (``data/dataset.db`` table ``admin_units_legacy``, ``data/converter_2025.json``);
- the new units and their codes come from ``vietnam-provinces``
  (``data/nested-divisions.json``), the project's source of truth
  (``generator/units.py``). ``vietnamadminunits`` numbers some 2025 units
  differently (e.g. it gives 00226 to Phường Văn Miếu - Quốc Tử Giám, which
  is Phường Kim Liên's code), so a new unit is matched by province and name,
  never by its ``vietnamadminunits`` code.

What the file holds:

- ``provinces``: all 63 old province codes → ``{"name", "new": [codes]}``;
- ``communes``: every old commune code that is *not* a 2025 commune code →
  ``[name, district name, old province code, [new commune codes]]``. An old
  code that a 2025 unit reuses (3,316 of them: most new units kept the code of
  one of the communes they absorbed) is left out, because a record carrying it
  cannot be told apart from one that means the new unit. Island districts
  without communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) have no
  commune code and are left out too.

An old commune that was split lists every new unit that took part of it,
sorted by code. ``vietnamadminunits`` also marks one of them as the default;
that choice is not in the resolutions, so it is not kept. Its split list also
mixes up communes of the same name in one new province (e.g. the two Xã Tân
Thạnh of Cần Thơ and Sóc Trăng each list the other's successor);
``drop_name_collisions`` removes those (from 28 communes in 1.0.4).

The script exits non-zero when a 2025 unit of ``vietnamadminunits`` has no
namesake in ``vietnam-provinces``, an old commune has no successor, or an old
province code that 2025 kept maps to another province. It prints what it
resolved (spelling differences, dropped successors) on stderr.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import math
import re
import sqlite3
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PACKAGE = Path("/tmp/pk/x_vietnamadminunits/vietnamadminunits")
DEFAULT_OUTPUT = ROOT / "generator" / "data" / "legacy-units.json"

# Old ("hòa") and new ("hoà") tone-mark placement both occur in the two sources.
_TONE = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_TONE_RE = re.compile("|".join(_TONE))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def name_key(name: str) -> str:
    """Comparable form of a unit name: NFC, lower case, one tone-mark style, single spaces."""
    text = nfc(name).lower()
    text = _TONE_RE.sub(lambda m: _TONE[m.group(0)], text)
    return " ".join(text.replace("–", "-").replace("\u2019", "'").split())


def _dist_info(package: Path) -> tuple[str, str]:
    """(version, copyright line) from the wheel's .dist-info beside the package."""
    for info in sorted(package.parent.glob("vietnamadminunits-*.dist-info")):
        version = info.name.removeprefix("vietnamadminunits-").removesuffix(".dist-info")
        for licence in (info / "licenses" / "LICENSE", info / "LICENSE"):
            if licence.exists():
                line = next(
                    (
                        ln.strip()
                        for ln in licence.read_text(encoding="utf-8").splitlines()
                        if ln.strip().lower().startswith("copyright")
                    ),
                    "",
                )
                return version, line
    sys.exit(f"no vietnamadminunits-*.dist-info with a LICENSE beside {package}")


def _vietnam_provinces(path: Path | None) -> tuple[Path, str]:
    if path is None:
        spec = importlib.util.find_spec("vietnam_provinces")
        if spec is None or not spec.submodule_search_locations:
            sys.exit(
                "vietnam_provinces not found; pass --vietnam-provinces PATH/nested-divisions.json"
            )
        path = Path(next(iter(spec.submodule_search_locations))) / "data" / "nested-divisions.json"
    try:
        version = importlib.metadata.version("vietnam-provinces")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return path, version


def new_units(path: Path) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Province code → name, commune code → (name, province code), from vietnam-provinces."""
    provinces: dict[str, str] = {}
    communes: dict[str, tuple[str, str]] = {}
    for province in json.loads(path.read_text(encoding="utf-8")):
        pcode = f"{province['code']:02d}"
        provinces[pcode] = nfc(province["name"])
        for ward in province["wards"]:
            communes[f"{ward['code']:05d}"] = (nfc(ward["name"]), pcode)
    return provinces, communes


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def drop_name_collisions(
    targets: dict[str, set[tuple[str, str]]],
    db: sqlite3.Connection,
    new_place: dict[tuple[str, str], tuple[float, float]],
) -> list[str]:
    """Remove successors a split commune got from another commune of the same name.

    In ``DICT_PROVINCE_WARD_DIVIDED`` two old communes with one name in one new
    province (Xã Tân Thạnh of Thới Lai, Cần Thơ and of Long Phú, Sóc Trăng) often list
    each other's successors too. A successor T of old commune O is dropped when another
    old commune O' with O's name in O's new province also lists T and lies closer to T
    (centres from ``dataset.db``), unless O would be left with none. Returns one line
    per drop, for the log.
    """
    info: dict[str, tuple[str, str, tuple[float, float] | None]] = {}
    for key, name, district, lat, lon in db.execute(
        "SELECT provinceKey || '_' || districtKey || '_' || ifnull(wardKey, ''), ward, district, "
        "wardLat, wardLon FROM admin_units_legacy"
    ):
        place = (lat, lon) if lat is not None and lon is not None else None
        info[key] = (name or "", district, place)
    namesakes: dict[tuple[str, str], list[str]] = {}
    for old, news in targets.items():
        province = min(news)[0]
        namesakes.setdefault((province, name_key(info[old][0])), []).append(old)
    lines = []
    changes: dict[str, set[tuple[str, str]]] = {}
    for old, news in targets.items():
        name, district, place = info[old]
        if len(news) < 2 or place is None:
            continue
        keep = set(news)
        for new in news:
            there = new_place.get(new)
            if there is None:
                continue
            for other in namesakes[(min(news)[0], name_key(name))]:
                other_place = info[other][2]
                if (
                    other != old
                    and new in targets[other]
                    and other_place is not None
                    and _km(other_place, there) < _km(place, there)
                ):
                    keep.discard(new)
        if keep and keep != news:
            changes[old] = keep
            gone = ", ".join(f"{p}/{w}" for p, w in sorted(news - keep))
            lines.append(f"{name} ({district}): {gone}")
    targets.update(changes)
    return sorted(lines)


def derive(package: Path, vp_path: Path) -> tuple[dict, dict, list[str]]:
    """(provinces, communes, notes) as described in the module docstring."""
    data = package / "data"
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    db = sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True)
    vp_provinces, vp_communes = new_units(vp_path)
    notes: list[str] = []

    # New units of vietnamadminunits, keyed as its converter keys them.
    by_name: dict[tuple[str, str], str] = {}
    for code, (name, pcode) in vp_communes.items():
        key = (pcode, name_key(name))
        if key in by_name:
            sys.exit(f"two 2025 communes named {name} in province {pcode}")
        by_name[key] = code
    new_province: dict[str, str] = {}  # vietnamadminunits province key -> 2025 code
    new_ward: dict[tuple[str, str], str] = {}  # (province key, ward key) -> 2025 code
    new_place: dict[tuple[str, str], tuple[float, float]] = {}  # its centre
    code_differs = 0
    for pkey, wkey, pcode, name, their_code, lat, lon in db.execute(
        "SELECT provinceKey, wardKey, provinceCode, ward, wardCode, wardLat, wardLon "
        "FROM admin_units"
    ):
        if lat is not None and lon is not None:
            new_place[(pkey, wkey)] = (lat, lon)
        if pcode not in vp_provinces:
            sys.exit(f"2025 province code {pcode} of vietnamadminunits is not in vietnam-provinces")
        new_province[pkey] = pcode
        code = by_name.get((pcode, name_key(name)))
        if code is None:
            sys.exit(f"no 2025 commune named {name} in province {pcode} of vietnam-provinces")
        if vp_communes[code][0] != nfc(name):
            notes.append(f"name: {name} (vietnamadminunits) = {vp_communes[code][0]} ({code})")
        if their_code != code:
            code_differs += 1
        new_ward[(pkey, wkey)] = code
    notes.append(
        f"code: vietnamadminunits numbers {code_differs} of {len(new_ward)} 2025 communes "
        "differently from vietnam-provinces; matched by name instead"
    )

    targets: dict[str, set[tuple[str, str]]] = {}
    for pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, olds in wards.items():
            for old in olds:
                targets.setdefault(old, set()).add((pkey, wkey))
    for pkey, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            for new in news:
                targets.setdefault(old, set()).add((pkey, new["newWardKey"]))
    province_of = {
        old: new for new, olds in converter["DICT_PROVINCE"].items() for old in olds
    }  # old province key -> new province key
    dropped = drop_name_collisions(targets, db, new_place)
    notes += [f"dropped: {line}" for line in dropped]
    notes.append(f"dropped: successors of {len(dropped)} communes came from a same-named commune")

    provinces: dict[str, dict] = {}
    communes: dict[str, list] = {}
    reused = 0
    for pkey, pcode, pname, dname, wkey, dkey, wcode, wname in db.execute(
        "SELECT provinceKey, provinceCode, province, district, wardKey, districtKey, wardCode, ward "
        "FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
    ):
        if pcode not in provinces:
            new_code = new_province[province_of[pkey]]
            if pcode in vp_provinces and new_code != pcode:
                sys.exit(f"old province {pcode} is a 2025 code but maps to {new_code}")
            provinces[pcode] = {"name": nfc(pname), "new": [new_code]}
        if wcode is None:  # island district without communes
            continue
        if wcode in vp_communes:
            reused += 1
            continue
        news = targets.get(f"{pkey}_{dkey}_{wkey}")
        if not news:
            sys.exit(f"old commune {wcode} {wname} has no 2025 unit in vietnamadminunits")
        communes[wcode] = [
            nfc(wname),
            nfc(dname),
            pcode,
            sorted({new_ward[n] for n in news}),
        ]
    notes.append(f"reused: {reused} old commune codes are 2025 codes too; left out")
    return provinces, communes, notes


def dump(about: dict, provinces: dict, communes: dict) -> str:
    """Sorted, compact JSON with one entry per line."""

    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def block(name: str, entries: dict) -> str:
        lines = [f"{one(k)}:{one(v)}" for k, v in sorted(entries.items())]
        return f"{one(name)}:{{\n" + ",\n".join(lines) + "\n}"

    about_text = json.dumps(about, ensure_ascii=False, sort_keys=True, indent=1)
    parts = [
        f'"about":{about_text}',
        block("communes", communes),
        block("provinces", provinces),
    ]
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "package",
        nargs="?",
        type=Path,
        default=DEFAULT_PACKAGE,
        help=f"unpacked vietnamadminunits package folder (default {DEFAULT_PACKAGE})",
    )
    p.add_argument(
        "--vietnam-provinces", type=Path, help="vietnam_provinces/data/nested-divisions.json"
    )
    p.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = p.parse_args(argv)

    version, copyright_line = _dist_info(args.package)
    vp_path, vp_version = _vietnam_provinces(args.vietnam_provinces)
    provinces, communes, notes = derive(args.package, vp_path)
    split = sum(1 for entry in communes.values() if len(entry[3]) > 1)
    about = {
        "description": (
            "Pre-2025 (three-level) administrative units and the 2025 units that replaced them. "
            "provinces: all 63 old province codes. communes: old commune codes that are not "
            "2025 codes (an old code reused by a 2025 unit is left out)."
        ),
        "commune_fields": ["name", "district", "province", "new"],
        "province_fields": {"name": "old name", "new": "2025 province codes"},
        "source": {
            "package": "vietnamadminunits",
            "version": version,
            "url": "https://github.com/tranngocminhhieu/vietnamadminunits",
            "licence": "MIT",
            "copyright": copyright_line,
            "licence_text": "generator/data/README.md",
            "files": ["data/dataset.db (admin_units_legacy)", "data/converter_2025.json"],
        },
        "codes_and_names_2025": {"package": "vietnam-provinces", "version": vp_version},
        "generated_by": "tools/make_legacy_units.py",
        "counts": {"provinces": len(provinces), "communes": len(communes), "split": split},
    }
    text = dump(about, provinces, communes)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    for note in notes:
        print(note, file=sys.stderr)
    print(
        f"wrote {args.output} ({len(text.encode())} bytes): {len(provinces)} provinces, "
        f"{len(communes)} communes ({split} split)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
