"""pyproject.toml ships what the code needs: every sub-package of pipeline/ and every rule file."""
from __future__ import annotations

from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def package_dirs() -> list[str]:
    """Dotted names of every directory under pipeline/ that holds an __init__.py."""
    return sorted(".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "pipeline").rglob("__init__.py")
                  if "__pycache__" not in p.parts)


def where(package: str) -> Path:
    """The source directory setuptools takes `package` from (package-dir mapping, else its path)."""
    mapped = SETUPTOOLS.get("package-dir", {})
    return ROOT / mapped[package] if package in mapped else ROOT.joinpath(*package.split("."))


def shipped(package: str) -> set[Path]:
    base = where(package)
    return {f for pattern in SETUPTOOLS.get("package-data", {}).get(package, []) for f in base.glob(pattern) if f.is_file()}


@pytest.mark.parametrize("package", package_dirs())
def test_sub_package_listed(package: str) -> None:
    assert package in SETUPTOOLS["packages"], (
        f"{package} has an __init__.py but is missing from [tool.setuptools] packages in pyproject.toml: "
        "an installed wheel would not contain it")


def test_listed_packages_exist() -> None:
    for package in SETUPTOOLS["packages"]:
        assert (where(package) / "__init__.py").is_file(), f"{package} is listed but has no __init__.py"


def test_rules_ship_as_pipeline_rules() -> None:
    assert SETUPTOOLS["package-dir"]["pipeline._rules"] == "rules"
    assert "pipeline._rules" in SETUPTOOLS["packages"]


@pytest.mark.parametrize("rule_file", sorted(str(p.relative_to(ROOT)) for p in (ROOT / "rules").rglob("*.yaml")))
def test_rule_file_is_package_data(rule_file: str) -> None:
    assert ROOT / rule_file in shipped("pipeline._rules"), (
        f"{rule_file} is not matched by the package-data globs of pipeline._rules in pyproject.toml")


def test_every_rule_model_has_its_file() -> None:
    from pipeline.rules import RULE_MODELS

    for name in RULE_MODELS:
        assert ROOT / "rules" / f"{name}.yaml" in shipped("pipeline._rules")


def test_record_schema_is_package_data() -> None:
    assert ROOT / "schemas" / "record.schema.json" in shipped("schemas")
