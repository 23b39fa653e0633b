"""`python -m pipeline.cli ...` runs the `chitieu` command."""
from . import main

if __name__ == "__main__":
    raise SystemExit(main())
