"""scripts/plan_fields.py: the plan fields of extracted records counted against the gold's."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("plan_fields", ROOT / "scripts" / "plan_fields.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_counts_each_field_per_part_and_lists_the_mismatches(tmp_path, monkeypatch, capsys):
    pf = _script()
    gold = tmp_path / "gold.jsonl"
    lines = [line for line in (ROOT / "corpus" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
             if '"dev_012_ytecoso_bang_soctrang"' in line or '"dev_018_giamngheo_huyen_tramy"' in line]
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(pf, "gold_sets", lambda: [("corpus", gold, ROOT / "corpus" / "docs")])
    assert pf.main(["--show", "issuer"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["part", *pf.FIELDS]
    row = next(line for line in out if line.startswith("corpus tuning")).split()
    assert dict(zip(pf.FIELDS, row[2:]))["issuer"] == "1/2"   # Sóc Trăng's header right, Trà My's place missed
    assert all(v.endswith("/2") for v in row[2:])
    assert "dev_018_giamngheo_huyen_tramy: gold 'UBND huyện Bắc Trà My', extracted 'UBND huyện'" in out
    assert len(out) == 3  # the header, one part, one mismatch
