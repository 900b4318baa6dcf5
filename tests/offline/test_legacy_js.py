"""The offline forms' pre-2025 units (bieu-mau/don-vi-cu.js, offline/legacy_js.py) say what
lienthong validate says (inputs/legacy_units.py), word for word, for every old code."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess

import pytest

from lienthong.inputs import legacy_units, units
from lienthong.offline.legacy_js import build_legacy_script
from lienthong.schema.catalog import load_catalog
from lienthong.schema.validation import validator_for
from tests.conftest import ROOT

RUN = """
const fs = require("fs");
global.window = {};
eval(fs.readFileSync(process.argv[2], "utf8"));
const legacy = window.lienthong.legacy;
const input = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const out = {
  codes: legacy.codes(),
  communes: input.communes.map((c) => legacy.communeMessage(c, input.units)),
  provinces: input.provinces.map((c) => legacy.provinceMessage(c, input.units)),
  explain: input.records.map((r) => legacy.explain(r, input.units)),
};
process.stdout.write(JSON.stringify(out));
"""

DISTRICT_NAMES = ["district", "Quận/Huyện", "ma_huyen", "Huyện", "tên quận huyện", "quan"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    folder = tmp_path_factory.mktemp("legacy")
    script = folder / "don-vi-cu.js"
    script.write_text(build_legacy_script(), encoding="utf-8")
    runner = folder / "run.js"
    runner.write_text(RUN, encoding="utf-8")

    def run(**input):
        data = folder / "input.json"
        data.write_text(json.dumps({"units": units.browser_data(), **input}), encoding="utf-8")
        done = subprocess.run(
            ["node", str(runner), str(script), str(data)], capture_output=True, check=True
        )
        return json.loads(done.stdout)

    return run


def old_province_codes() -> list[str]:
    return sorted(c for c in legacy_units.old_provinces() if legacy_units.abolished_province(c))


def test_every_old_code_reads_as_in_python(run):
    communes = sorted(legacy_units.old_communes())
    provinces = old_province_codes()
    out = run(communes=communes, provinces=provinces, records=[])
    assert sorted(out["codes"]) == communes
    assert len(communes) > 6000 and len(provinces) > 20
    for code, message in zip(communes, out["communes"], strict=True):
        assert message == legacy_units.commune_message(legacy_units.old_communes()[code]), code
    for code, message in zip(provinces, out["provinces"], strict=True):
        assert message == legacy_units.province_message(legacy_units.old_provinces()[code]), code


def test_a_record_is_explained_as_lienthong_validate_explains_it(run):
    """The pointers and messages of legacy_units.explain() over the validator's errors."""
    old_commune = sorted(legacy_units.old_communes())[0]
    old_province = old_province_codes()[0]
    new_commune = next(iter(units.communes()))
    catalog = load_catalog(ROOT / "schemas")
    example = catalog.schemas["lien-thong-khai-sinh"]["examples"][0]
    records = []
    for name in DISTRICT_NAMES:
        record = copy.deepcopy(example)
        record["requester"]["residence"]["commune"] = old_commune
        record["khai_sinh"]["registry_office"]["province"] = old_province
        record["thuong_tru"]["address"][name] = "Quận Ba Đình"
        records.append(record)
    # A 2025 code, or no code at all, is left to the validator's own message.
    records.append({"requester": {"residence": {"commune": new_commune, "province": "99x"}}})
    out = run(communes=[], provinces=[], records=records)
    validator = validator_for(catalog, "lien-thong-khai-sinh")
    for record, found in zip(records, out["explain"], strict=True):
        errors = validator.validate(record)
        python = {
            e["pointer"]: e["message"]
            for e, raw in zip(legacy_units.explain(errors, record), errors, strict=True)
            if e["message"] != raw["message"]
        }
        assert {f["pointer"]: f["message"] for f in found} == python
    first = {f["pointer"]: f for f in out["explain"][0]}
    assert len(first) == 3
    (successor,) = legacy_units.old_communes()[old_commune].new
    name, province = units.communes()[successor]
    assert first["/requester/residence/commune"]["then"] == {
        "name": name,
        "province": province,
        "commune": successor,
    }
    (new_province,) = legacy_units.old_provinces()[old_province].new
    assert first["/khai_sinh/registry_office/province"]["then"] == {
        "name": units.provinces()[new_province],
        "province": new_province,
        "commune": example["khai_sinh"]["registry_office"]["commune"],
    }
    assert first["/thuong_tru/address/district"]["then"] is None
    assert out["explain"][-1] == []


def test_the_site_writes_the_file_the_forms_name():
    from lienthong.offline import legacy_js
    from lienthong.site import form_job

    assert form_job.LEGACY_FILE == legacy_js.FILE
    assert legacy_js.FILE in form_job.outputs([])
