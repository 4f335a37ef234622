"""MFPT, Paderborn and IMS in the registry, in ``open_source`` and in ``qpdm data status``."""

import os
import subprocess
import sys

import pytest

from qpdm_lib.data import bearings_synthetic, mfpt, open_source, registry
from qpdm_lib.data.source import ARCHIVED
from qpdm_lib.errors import DataMissingError

QPDM = [sys.executable, "-m", "qpdm_lib.book.cli"]


def test_archived_datasets_have_homes_and_no_pins():
    assert set(ARCHIVED) == {"mfpt", "paderborn", "ims"} <= set(registry.DATASETS)
    for dataset, home in registry.HOMES.items():
        assert home.url.startswith("https://") and home.url in home.how
        assert "\n" not in home.how and dataset + "/" in home.how  # where to unpack, one line
    listed = {d: [e for e in registry.REGISTRY.values() if e.dataset == d] for d in ARCHIVED}
    assert len(listed["mfpt"]) == len(mfpt.FILES) == 20
    assert len(listed["paderborn"]) == 32 * 4 * 20  # bearings x settings x repetitions
    assert listed["ims"] == []  # snapshots are named by acquisition time
    assert all(e.sha256 is None and e.url is None for d in ARCHIVED for e in listed[d])


def test_missing_archived_file_says_how_to_get_it_even_online(monkeypatch, tmp_path):
    monkeypatch.setenv("QPDM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("QPDM_OFFLINE")
    with pytest.raises(DataMissingError) as info:
        registry.fetch("mfpt/baseline_1.mat")
    message = str(info.value)
    assert "mfpt.org/fault-data-sets" in message and "unzip" in message and "\n" not in message
    with pytest.raises(DataMissingError, match="unrar x K001.rar paderborn/"):
        registry.fetch("paderborn/K001/N15_M07_F10_K001_1.mat")


@pytest.mark.parametrize("dataset", ARCHIVED)
def test_absent_archived_dataset_falls_back_to_a_stand_in_with_a_note(
    dataset, tmp_path, monkeypatch
):
    monkeypatch.setenv("QPDM_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(DataMissingError, match=f"no {dataset} files in .*{dataset}/"):
        open_source(dataset, "real")
    with pytest.warns(UserWarning, match=f"{dataset}: using synthetic data"):
        src = open_source(dataset, "auto")
    assert src.kind == "synthetic" and registry.HOMES[dataset].how in src.note
    assert (src.root / dataset / ".complete-all").is_file()  # the marker the others use
    assert registry.dataset_files(dataset, src.root)  # the stand-in holds loader files
    assert src.fingerprint() == f"synthetic:{src.root.name}:{dataset}"


def test_unpacked_files_make_the_dataset_real(tmp_path, monkeypatch):
    bearings_synthetic.write_mfpt(tmp_path, seconds=0.1, names=["baseline_1.mat"])
    monkeypatch.setenv("QPDM_DATA_DIR", str(tmp_path))
    src = open_source("mfpt", "auto")
    assert src.is_real and registry.dataset_files("mfpt") == ["mfpt/baseline_1.mat"]
    w = mfpt.load_windows(src)  # read as present: nothing pinned, no per-file warning
    assert list(w.records.name) == ["baseline_1.mat"]
    assert src.fingerprint().startswith("real:mfpt:")
    assert src.fingerprint() == src.fingerprint(["mfpt/baseline_1.mat"])
    with pytest.raises(DataMissingError, match="baseline_2.mat is missing; download"):
        mfpt.load_windows(src, names=["baseline_2.mat"])


def test_status_lists_the_archived_datasets(tmp_path):
    bearings_synthetic.write_ims(tmp_path, files_per_test=2, tests=(2,))
    env = dict(os.environ, QPDM_DATA_DIR=str(tmp_path), QPDM_OFFLINE="1")
    done = subprocess.run([*QPDM, "data", "status"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "  mfpt: 0 of 20 registry files present" in out
    assert "  paderborn: 0 of 2560 registry files present" in out
    assert "  ims: 2 files present" in out
    assert "to get it: download the 'MFPT Fault Data Sets' zip" in out
    assert out.count("none pinned") == 3
    fetch = subprocess.run([*QPDM, "data", "fetch", "paderborn"], capture_output=True, text=True,
                           env=env)  # fmt: skip
    assert fetch.returncode == 2 and len(fetch.stderr.strip().splitlines()) == 1
    assert "not downloaded here: download the bearing archives" in fetch.stderr
