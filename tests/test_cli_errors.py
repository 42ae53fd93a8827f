"""Bad configuration, missing inputs, unwritable output: one clear line, exit status 2."""
from __future__ import annotations

import os

import pytest

from tests.conftest import run_cli


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("newsbeam: error: ")
    return err[0]


def test_a_missing_input_is_one_line_and_exit_2(tmp_path, capsys):
    assert run_cli("--input", str(tmp_path / "nope.html"), "--output", str(tmp_path / "o")) == 2
    assert "no such file" in _one_error_line(capsys)


def test_a_glob_that_matches_nothing_is_an_error(tmp_path, capsys):
    assert run_cli("--input", str(tmp_path / "*.warc.gz"), "--output", str(tmp_path / "o")) == 2
    assert "no files match" in _one_error_line(capsys)


def test_an_unknown_config_key_is_named(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("fetch:\n  timout: 3\n")
    (tmp_path / "a.txt").write_text("Title\n\nBody text here.\n")
    assert run_cli("--config", str(cfg), "--input", str(tmp_path / "a.txt"), "--output", str(tmp_path / "o")) == 2
    assert "fetch.timout: unknown setting" in _one_error_line(capsys)


def test_invalid_yaml_names_the_line(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("output: out\nfetch: [\n")
    assert run_cli("--config", str(cfg), "--input", "x", "--output", str(tmp_path / "o")) == 2
    assert "invalid YAML" in _one_error_line(capsys)


def test_a_wrongly_typed_setting_is_rejected(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("enrich:\n  batch_size: many\n")
    assert run_cli("--config", str(cfg), "--input", "x", "--output", str(tmp_path / "o")) == 2
    assert "enrich.batch_size: expected a number" in _one_error_line(capsys)


def test_an_unknown_partition_key_is_rejected(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("write:\n  partition_by: [colour]\n")
    (tmp_path / "a.txt").write_text("Title\n\nBody text here.\n")
    assert run_cli("--config", str(cfg), "--input", str(tmp_path / "a.txt"), "--output", str(tmp_path / "o")) == 2
    assert "partition_by" in _one_error_line(capsys)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere; checked with a file in the way instead")
def test_an_unwritable_output_is_one_line(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    (tmp_path / "a.txt").write_text("Title\n\nBody text here.\n")
    assert run_cli("--input", str(tmp_path / "a.txt"), "--output", str(locked / "o")) == 2
    assert "not writable" in _one_error_line(capsys)


def test_an_output_path_that_is_a_file_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    (tmp_path / "a.txt").write_text("Title\n\nBody text here.\n")
    assert run_cli("--input", str(tmp_path / "a.txt"), "--output", str(blocker / "o")) == 2
    assert "not writable" in _one_error_line(capsys)


def test_a_missing_spacy_model_names_the_package(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("enrich:\n  model: xx_no_such_model_sm\n")
    (tmp_path / "a.txt").write_text("Title\n\nBody text here.\n")
    assert run_cli("--config", str(cfg), "--input", str(tmp_path / "a.txt"), "--output", str(tmp_path / "o")) == 2
    line = _one_error_line(capsys)
    assert "xx_no_such_model_sm" in line and "pip install" in line


def test_no_input_at_all_is_an_error(tmp_path, capsys):
    assert run_cli("--output", str(tmp_path / "o")) == 2
    assert "no input" in _one_error_line(capsys)
