"""Where a shipped model file is: the one in pipeline/models unless a path is given, none when its
switch-off variable says "rules" (the rules decide alone) or the file is not there."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional


def model_file(default: Path, path: Optional[str], switch_off: str) -> Optional[Path]:
    """``path`` (else ``default``) when it exists and the environment variable ``switch_off`` is not
    "rules"; else None."""
    if os.environ.get(switch_off, "").lower() == "rules":
        return None
    p = Path(path) if path else default
    return p if p.exists() else None
