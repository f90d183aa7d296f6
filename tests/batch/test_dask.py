"""`--cluster local:N` / `--scheduler`: the same recipe on Dask distributed. A worker process
SIGKILLed mid-run costs only its image's retry: every output once, no partial file."""

import os
import signal

import pytest

from editor.batch import parse_recipe, run_batch
from tests.batch.test_runner import RECIPE, _files, _manifest_keys, _shots

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    from editor.batch.runner import local_cluster

    with local_cluster(2) as c, distributed.Client(c) as client:
        yield c, client


def test_a_local_cluster_survives_a_worker_killed_mid_run(tmp_path, cluster):
    c, client = cluster
    n = 8
    _shots(tmp_path / "in", n, h=360, w=480)
    recipe = parse_recipe(RECIPE.replace("[outputs]", "[refine]\nradius = 3\n[outputs]"))
    assert all(addr.startswith("tcp://127.0.0.1:") for addr in client.scheduler_info()["workers"])
    killed: list[int] = []

    def progress(done: int, total: int) -> None:
        if done >= 1 and not killed:
            busy = [w for w, keys in client.processing().items() if keys]
            if busy:
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)  # mid-image: that worker holds a running task
                killed.append(pid)

    report = run_batch([tmp_path / "in"], tmp_path / "out", recipe, client=client, progress=progress)
    assert killed, "no worker was busy to kill"
    assert report.ok, report.failed
    assert len(report.done) == n
    want = sorted(f"shot{i:02d}{t}" for i in range(n) for t in (".jpg", ".png", ".mask.png"))
    assert _files(tmp_path / "out") == want  # once each; the killed worker's temporary file is gone
    keys = _manifest_keys(tmp_path / "out")
    assert len(keys) == len(set(keys)) == n
    # The same run again: nothing to do.
    again = run_batch([tmp_path / "in"], tmp_path / "out", recipe, client=client)
    assert len(again.skipped) == n and not again.done


def test_scheduler_address_and_local_cluster_spec(tmp_path, cluster):
    from editor.batch.runner import parse_cluster

    c, _ = cluster
    _shots(tmp_path / "in", 2)
    report = run_batch([tmp_path / "in"], tmp_path / "out", parse_recipe(RECIPE), scheduler=c.scheduler_address)
    assert len(report.done) == 2
    assert parse_cluster("local:3") == 3
    for bad in ("local", "local:0", "remote:2", "local:x"):
        with pytest.raises(ValueError, match="--cluster is local:N"):
            parse_cluster(bad)
