import functools
import hashlib
import http.server
import threading

import pytest

from qpdm_lib.data import registry
from qpdm_lib.errors import DataMissingError, HashMismatchError

from ..helpers import need_real


def test_every_pinned_hash_is_a_sha256():
    for entry in registry.REGISTRY.values():
        if entry.sha256 is not None:
            assert len(entry.sha256) == 64 and int(entry.sha256, 16) >= 0


def test_data_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("QPDM_DATA_DIR", str(tmp_path))
    assert registry.data_dir() == tmp_path.resolve()


def test_missing_file_offline_says_what_to_do():
    with pytest.raises(DataMissingError, match=r"cwru/105.mat is not in .*; set QPDM_DATA_DIR"):
        registry.fetch("cwru/105.mat")


def test_device_csv_needs_a_login_and_says_where():
    with pytest.raises(DataMissingError, match="kaggle.com.*Kaggle login"):
        registry.fetch("pm/predictive_maintenance_dataset.csv", download=True)


def test_unknown_key_lists_known_files():
    with pytest.raises(
        DataMissingError, match="'cwru/1.mat' is not a registry file; known files: cwru/"
    ):
        registry.fetch("cwru/1.mat")
    with pytest.raises(DataMissingError, match="unknown dataset 'xjtu'"):
        registry.local_files("xjtu")


def test_wrong_hash_names_file_expected_and_actual(monkeypatch, tmp_path):
    monkeypatch.setenv("QPDM_DATA_DIR", str(tmp_path))
    path = tmp_path / "cmapss" / "RUL_FD001.txt"
    path.parent.mkdir()
    path.write_text("1\n2\n")
    actual = hashlib.sha256(b"1\n2\n").hexdigest()
    expected = registry.REGISTRY["cmapss/RUL_FD001.txt"].sha256
    with pytest.raises(HashMismatchError) as info:
        registry.fetch("cmapss/RUL_FD001.txt")
    message = str(info.value)
    assert str(path) in message and actual in message and expected in message
    assert "\n" not in message


@need_real("cmapss/RUL_FD001.txt")
def test_real_files_verify(real_data):
    assert registry.fetch("cmapss/RUL_FD001.txt") == real_data / "cmapss" / "RUL_FD001.txt"
    assert len(registry.local_files("cwru")) >= 1


@pytest.fixture
def file_server(tmp_path):
    """A loopback HTTP server over a folder, standing in for a dataset's home."""
    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _entry(url, payload, sha=None):
    return registry.Entry("cwru", "999.mat", sha or hashlib.sha256(payload).hexdigest(), url)


def test_download_checks_the_hash(monkeypatch, tmp_path, file_server):
    served, base = file_server
    payload = b"not really a mat file but bytes with a known hash"
    (served / "999.mat").write_bytes(payload)
    monkeypatch.setenv("QPDM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setitem(registry.REGISTRY, "cwru/999.mat", _entry(f"{base}/999.mat", payload))
    path = registry.fetch("cwru/999.mat", download=True)
    assert path.read_bytes() == payload

    # a corrupted download is refused, and nothing is left behind
    monkeypatch.setitem(
        registry.REGISTRY, "cwru/999.mat", _entry(f"{base}/999.mat", payload, "0" * 64)
    )
    path.unlink()
    with pytest.raises(HashMismatchError, match="cwru/999.mat downloaded from"):
        registry.fetch("cwru/999.mat", download=True)
    assert not path.exists()


def test_unreachable_home_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("QPDM_DATA_DIR", str(tmp_path))
    monkeypatch.setitem(
        registry.REGISTRY, "cwru/999.mat", _entry("http://127.0.0.1:9/999.mat", b"x")
    )
    with pytest.raises(DataMissingError, match="downloading it from .* failed .*set QPDM_DATA_DIR"):
        registry.fetch("cwru/999.mat", download=True)


def test_pinned_hashes_equal_the_shared_manifest():
    from ..helpers import REAL_DIR

    if REAL_DIR is None or not (REAL_DIR / "MANIFEST.tsv").is_file():
        pytest.skip("no MANIFEST.tsv beside the real data")
    lines = (REAL_DIR / "MANIFEST.tsv").read_text().splitlines()[1:]
    manifest = {line.split("\t")[1]: line.split("\t")[3] for line in lines if line.strip()}
    pinned = {e.key: e.sha256 for e in registry.REGISTRY.values() if e.sha256}
    assert pinned == manifest  # every manifest file pinned, with its hash; nothing else pinned


def test_absent_real_records_are_listed_on_the_source(monkeypatch, tmp_path):
    from qpdm_lib.data import open_source

    from ..helpers import REAL_DIR

    if REAL_DIR is None or not (REAL_DIR / "cwru" / "105.mat").is_file():
        pytest.skip("real CWRU records absent")
    (tmp_path / "cwru").mkdir()
    for number in (97, 105):
        (tmp_path / "cwru" / f"{number}.mat").symlink_to(REAL_DIR / "cwru" / f"{number}.mat")
    monkeypatch.setenv("QPDM_DATA_DIR", str(tmp_path))
    src = open_source("cwru", "real")
    assert src.cwru_records() == [97, 105]
    assert len(src.missing) == 26 and "cwru/106.mat" in src.missing
