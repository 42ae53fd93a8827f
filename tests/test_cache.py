"""The start-up cache (pipeline/cache.py): built once per key, rebuilt when the key
changes or the file is damaged, and never needed."""
from __future__ import annotations

from pipeline.cache import cached


def test_a_value_is_built_once_per_key_and_again_for_a_new_key_or_a_damaged_file(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", str(tmp_path / "cache"))
    builds = []

    def build(v):
        return lambda: builds.append(v) or {"v": v}

    assert cached("thing", ("a", 1), build(1)) == {"v": 1}
    assert cached("thing", ("a", 1), build(2)) == {"v": 1}          # from the cache
    assert cached("thing", ("a", 2), build(3)) == {"v": 3}          # another key
    assert builds == [1, 3]
    for f in (tmp_path / "cache").iterdir():
        f.write_bytes(b"not a pickle")
    assert cached("thing", ("a", 1), build(4)) == {"v": 4}
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", "off")
    assert cached("thing", ("a", 1), build(5)) == {"v": 5}
    (tmp_path / "ro").write_text("a file where the folder should be")
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", str(tmp_path / "ro"))
    assert cached("thing", ("a", 1), build(6)) == {"v": 6}
    assert builds == [1, 3, 4, 5, 6]


def _start_up_data(nlp) -> dict:
    """What a worker loads through the cache, read afresh (past the in-process lru_caches)."""
    from transforms import anatomy, language, places
    from transforms.entities import _place_matcher
    doc = nlp("Envoys from São Paulo, Nizhny Novgorod, New South Wales and Kraków met in "
              "Santa Cruz de Tenerife, then flew to the Horn of Africa and on to Ontario.")
    ident = language._cached_identifier()
    return {"places": [(s.start, s.end, s.label_, s.text) for s in _place_matcher(nlp)(doc, as_spans=True)],
            "labels": places.place_labels.__wrapped__(),
            "major": places.major_place_names.__wrapped__(),
            "cities": places.city_names.__wrapped__(),
            "language": [ident.classify(t) for t in ("Das ist ein kurzer Satz über das Wetter.",
                                                      "A short English sentence about the weather.")],
            "catalogue": anatomy._file_entries(anatomy.CATALOGUE_FILE)}


def test_the_start_up_data_is_the_same_built_with_the_cache_off_into_it_and_read_from_it(tmp_path, monkeypatch):
    import spacy

    from transforms.entities import DEFAULT_MODEL, _model_config
    nlp = spacy.load(DEFAULT_MODEL, exclude=list(_model_config(DEFAULT_MODEL)["nlp"]["pipeline"]))
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", "off")
    off = _start_up_data(nlp)
    assert {"São Paulo", "New South Wales", "Kraków", "Horn of Africa"} <= {p[3] for p in off["places"]}
    assert off["language"][0][0] == "de" and off["language"][1][0] == "en"
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", str(tmp_path / "cache"))
    built = _start_up_data(nlp)
    names = {p.name.split("-")[0] for p in (tmp_path / "cache").iterdir()}
    assert {"place", "major", "city", "langid", "anatomy"} <= names
    read = _start_up_data(nlp)
    assert off == built == read


def test_the_place_matcher_from_cached_hashes_finds_what_one_from_docs_finds(tmp_path, monkeypatch):
    """The cached matcher adds each name as its ORTH hashes (no Doc per name): the same
    spans as a PhraseMatcher given a Doc per name, on a text of many listed places."""
    import spacy
    from spacy.matcher import PhraseMatcher

    from transforms.entities import DEFAULT_MODEL, _model_config, _place_matcher
    from transforms.places import place_names
    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", str(tmp_path))
    nlp = spacy.load(DEFAULT_MODEL, exclude=list(_model_config(DEFAULT_MODEL)["nlp"]["pipeline"]))
    from_docs = PhraseMatcher(nlp.vocab)
    for name, label in place_names().items():
        from_docs.add(label, [nlp.tokenizer(name)])
    names = sorted(place_names())[::50]
    doc = nlp(" and ".join(names) + ". Talks in São Paulo; a flight to the Horn of Africa.")
    want = [(s.start, s.end, s.label_) for s in from_docs(doc, as_spans=True)]
    assert len(want) >= len(names)
    _place_matcher(nlp)                         # into the cache
    assert [(s.start, s.end, s.label_) for s in _place_matcher(nlp)(doc, as_spans=True)] == want
