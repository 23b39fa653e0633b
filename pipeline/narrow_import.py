"""Import a few submodules of a large package without running the package's own ``__init__``.

``from spacy.tokens import Doc`` runs ``spacy/__init__.py`` first, and that imports the whole of
spaCy (its CLI, weasel, httpx, the pipeline components, the training code): most of the half
second spaCy costs at startup, none of it used here. ``underthesea/__init__.py`` likewise imports
every one of its pipelines to reach the word tokenizer's regexes.

``import_submodules(package, modules)`` puts the package in ``sys.modules`` as a module whose
``__init__`` has not run yet (its ``__path__`` is set, so its submodules import as usual), then
imports ``modules`` in the order given. The package is completed, its ``__init__`` run in that
same module object, the first time anything else is asked of it (``spacy.blank``, ``from
underthesea import word_tokenize``): code that imports the package itself later gets all of it.
If the submodules cannot be imported that way (a version whose submodules need the package's
``__init__``), the package is completed at once and the submodules imported as usual: slower,
never wrong.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from types import ModuleType
from typing import Iterable

_LOCK = threading.RLock()


def import_submodules(package: str, modules: Iterable[str]) -> list[ModuleType]:
    """The modules (full dotted names), imported without ``package``'s ``__init__`` when the
    package is not imported yet."""
    modules = list(modules)
    with _LOCK:
        if package not in sys.modules:
            _install_incomplete(package)
        try:
            return [importlib.import_module(name) for name in modules]
        except ImportError:
            complete(package)
            return [importlib.import_module(name) for name in modules]


def is_incomplete(package: str) -> bool:
    """Is ``package`` in ``sys.modules`` without its ``__init__`` having run?"""
    module = sys.modules.get(package)
    return module is not None and getattr(module.__dict__.get("__getattr__"), "_completes", False)


def complete(package: str) -> None:
    """Run the ``__init__`` of a package installed by `import_submodules` (nothing if it has run)."""
    with _LOCK:
        module = sys.modules.get(package)
        if module is None or not is_incomplete(package):
            return
        del module.__dict__["__getattr__"]
        module.__spec__.loader.exec_module(module)
        parent, _, child = package.rpartition(".")
        if parent and parent in sys.modules:
            setattr(sys.modules[parent], child, module)


def _install_incomplete(package: str) -> None:
    parent = package.rpartition(".")[0]
    if parent and parent not in sys.modules:
        _install_incomplete(parent)
    spec = importlib.util.find_spec(package)
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        raise ImportError(f"{package} is not an installed package")
    module = importlib.util.module_from_spec(spec)

    def __getattr__(name: str):  # noqa: N807 - PEP 562: only called for names the module lacks
        if name.startswith("__"):  # dunder look-ups (copy, pickle, inspect) do not complete it
            raise AttributeError(name)
        if importlib.util.find_spec(f"{package}.{name}") is not None:  # `from . import util` inside it
            return importlib.import_module(f"{package}.{name}")
        complete(package)
        return getattr(module, name)

    __getattr__._completes = True  # type: ignore[attr-defined]
    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules[package] = module
    if parent:
        setattr(sys.modules[parent], package.rpartition(".")[2], module)
