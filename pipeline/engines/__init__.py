"""Engines run the extraction of chunks of documents somewhere and give the results back in order.

One small interface (``Engine`` in base.py) with two implementations:
    local.py  in-process (1 worker) or a multiprocessing pool (spawn/forkserver)
    dask.py   Dask distributed: a LocalCluster, a remote scheduler, or an HPC cluster (dask-jobqueue)
The unit of work is ``work.process_chunk``; each worker process loads the models once.
"""
from __future__ import annotations

from .base import Engine, make_engine  # noqa: F401
