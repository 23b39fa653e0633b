"""Dask engine: the same chunks on Dask distributed (a LocalCluster, a scheduler, or dask-jobqueue).

Without a scheduler address a LocalCluster of ``workers`` processes (one thread each) is started;
with one, the client connects to it (``dask scheduler`` + ``dask worker`` on any machines, or a
SLURMCluster from dask-jobqueue: see README, section Batch). Each worker process loads the models
once: a worker plugin warms ``work.load_models`` at worker start, and that cache lives as long as
the worker. Chunks are submitted with at most ``window`` in flight and gathered in input order.
"""
from __future__ import annotations

import logging
from typing import Callable, Iterable, Iterator, Optional

from .base import ChunkResult, Engine, ordered_window
from .work import load_models, process_chunk


try:
    import distributed
    from distributed import WorkerPlugin
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError("the dask engine needs dask[distributed]: pip install 'chitieu[dask]'") from exc


class LoadModelsPlugin(WorkerPlugin):
    """Worker plugin: load the extractor's models when the worker starts (once per process)."""

    name = "chitieu-load-models"

    def setup(self, worker) -> None:
        load_models()


class DaskEngine(Engine):
    name = "dask"

    def __init__(self, *, workers: Optional[int] = None, scheduler: Optional[str] = None,
                 fn: Callable[[list], list] = process_chunk, window: Optional[int] = None) -> None:
        super().__init__(fn=fn)
        self.cluster = None
        if scheduler and scheduler.endswith(".json"):  # a file written by `dask scheduler --scheduler-file`
            self.client = distributed.Client(scheduler_file=scheduler)
        elif scheduler:
            self.client = distributed.Client(scheduler)
        else:
            from .local import default_workers

            self.cluster = distributed.LocalCluster(
                n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR)
            self.client = distributed.Client(self.cluster)
        self.client.register_plugin(LoadModelsPlugin(), name=LoadModelsPlugin.name)
        self._window = window

    @property
    def workers(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def imap(self, chunks: Iterable[list]) -> Iterator[tuple[list, ChunkResult]]:
        window = self._window or 3 * self.workers + 2
        yield from ordered_window(chunks, self._submit, lambda f: f.done(), self._collect, window)

    def _submit(self, chunk: list):
        return self.client.submit(self.fn, chunk, pure=False, retries=1)

    @staticmethod
    def _collect(chunk: list, future) -> ChunkResult:
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 - KilledWorker, lost connection...: report the chunk
            return exc
        finally:
            future.release()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
