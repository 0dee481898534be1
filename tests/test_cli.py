"""The console script, run as a user would run it (a real subprocess)."""

import json
import os
import shlex
import shutil
import subprocess
import sys

from conftest import ROOT
from qa.bundled_model import bundled_file

import pytest


def qa_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def workdir(sample_corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    shutil.copytree(sample_corpus, folder / "corpus")
    return folder


def test_build_then_ask(workdir):
    build = qa_cli("build", "--corpus", str(workdir / "corpus"), "--index", str(workdir / "index"))
    assert build.returncode == 0, build.stderr
    assert "2 articles" in build.stdout and "added 2" in build.stdout
    # The bundled Dutch-capable model needs no notice; the English-only fallback says what it is.
    assert ("notice" not in build.stderr) if bundled_file() else ("English-only" in build.stderr)

    ask = qa_cli("ask", "Wie moet de herstructurering van OpenAI goedkeuren?", "-k", "3",
                 "--index", str(workdir / "index"), "--corpus", str(workdir / "corpus"))
    assert ask.returncode == 0, ask.stderr
    assert "[1]" in ask.stdout and "IEX.nl" in ask.stdout
    assert "procureurs-generaal" in ask.stdout


def test_ask_json(workdir):
    qa_cli("build", "--corpus", str(workdir / "corpus"), "--index", str(workdir / "index"))
    result = qa_cli("ask", "Hoeveel is de commerciële tak van OpenAI waard?", "--json", "-k", "2",
                    "--index", str(workdir / "index"))
    data = json.loads(result.stdout)
    assert not data["abstained"] and "[1]" in data["answer"]
    assert data["sources"] and data["sources"][0]["number"] == 1
    passages = data["passages"]
    assert len(passages) == 2
    assert {"text", "score", "doc_id", "title", "date", "source", "file", "start", "end", "citation"} <= set(passages[0])
    assert any("260 miljard dollar" in p["text"] for p in passages)
    assert data["declined_because"] == ""
    declined = json.loads(qa_cli("ask", "Welk aandeel krijgt Microsoft?", "--json",
                                 "--index", str(workdir / "index")).stdout)
    assert declined["abstained"] and declined["declined_because"] == "undisclosed"


def test_ask_warns_when_the_corpus_changed(workdir):
    qa_cli("build", "--corpus", str(workdir / "corpus"), "--index", str(workdir / "index"))
    (workdir / "corpus" / "extra.txt").write_text("Extra\n\nEen nieuw artikel over de haven van Rotterdam.\n")
    try:
        result = qa_cli("ask", "haven", "--index", str(workdir / "index"), "--corpus", str(workdir / "corpus"))
        assert "1 article file(s) changed" in result.stderr
        # The fix names the user's folders: a plain `qa build` builds ./corpus into ./index.
        assert f"run `qa build --corpus {workdir / 'corpus'} --index {workdir / 'index'}`" in result.stderr
    finally:
        (workdir / "corpus" / "extra.txt").unlink()


def test_build_indexes_every_corpus_given(sample_corpus, tmp_path):
    # a repeated --corpus once kept only the last one and silently dropped the rest
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "haven-1", "title": "Haven van Rotterdam",
                                 "text": "De haven van Rotterdam verwerkte vorig jaar 436 miljoen ton goederen."}) + "\n")
    index = tmp_path / "index"
    build = qa_cli("build", "--corpus", str(sample_corpus), "--corpus", str(extra), "--index", str(index))
    assert build.returncode == 0, build.stderr
    assert "3 articles" in build.stdout

    both = ("--corpus", str(sample_corpus), "--corpus", str(extra))
    for question, expected in (("Hoeveel ton verwerkte de haven van Rotterdam?", "436 miljoen ton"),
                               ("Hoeveel is de commerciële tak van OpenAI waard?", "260 miljard dollar")):
        ask = qa_cli("ask", question, "--index", str(index), *both)
        assert ask.returncode == 0, ask.stderr
        assert expected in ask.stdout
        assert "changed since the index was built" not in ask.stderr


def test_a_setting_given_at_one_build_stays_at_the_next(sample_corpus, tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(sample_corpus, corpus)
    dated = subprocess.run([sys.executable, "-m", "qa.cli", "build", "--corpus", str(corpus), "--index", str(index)],
                           capture_output=True, text=True, timeout=300, env=dict(os.environ, QA_TODAY="2025-03-01"))
    assert dated.returncode == 0, dated.stderr
    (corpus / "extra.txt").write_text("Extra\n\nEen nieuw artikel over de haven van Rotterdam.\n")
    update = qa_cli("build", "--corpus", str(corpus), "--index", str(index))
    assert update.returncode == 0 and "added 1" in update.stdout, update.stderr
    generation = (index / "CURRENT").read_text().strip()
    assert json.loads((index / generation / "config.json").read_text())["today"] == "2025-03-01"


def test_ask_checks_the_folders_the_index_was_built_from(sample_corpus, tmp_path):
    # Built from two corpora elsewhere; asked from a folder whose own ./corpus is another one:
    # the check once compared the index with ./corpus and warned of changes that were none.
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "haven-1", "title": "Haven van Rotterdam",
                                 "text": "De haven van Rotterdam verwerkte 436 miljoen ton goederen."}) + "\n")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "ander.txt").write_text("Ander\n\nEen ander artikel.\n")
    build = qa_cli("build", "--corpus", str(sample_corpus), "--corpus", str(extra), "--index", "index", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    ask = ["ask", "Hoeveel ton verwerkte de haven?", "--index", "index"]
    quiet = qa_cli(*ask, cwd=tmp_path)
    assert quiet.returncode == 0 and "436 miljoen ton" in quiet.stdout
    assert "changed since the index was built" not in quiet.stderr
    with extra.open("a") as handle:
        handle.write(json.dumps({"id": "haven-2", "title": "Haven", "text": "Nog een artikel."}) + "\n")
    warned = qa_cli(*ask, cwd=tmp_path).stderr
    assert "1 article file(s) changed" in warned
    # The fix rebuilds from the folders the index was built from, not ./corpus (which would
    # replace the user's articles with another set).
    assert f"run `{shlex.join(['qa', 'build', '--corpus', str(sample_corpus), '--corpus', str(extra)])}`" in warned


def test_ask_warns_when_the_keyword_index_is_from_an_older_version(sample_corpus, tmp_path):
    from qa.index import current_generation

    index = tmp_path / "index"
    assert qa_cli("build", "--corpus", str(sample_corpus), "--index", str(index)).returncode == 0
    ask = ["ask", "Wie schreef de memo?", "--index", str(index)]
    assert "another version of qa" not in qa_cli(*ask).stderr
    manifest_path = current_generation(index) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["tokenizer"] = "an-older-tokenizer/1"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    result = qa_cli(*ask)
    assert result.returncode == 0 and "another version of qa" in result.stderr and "qa build" in result.stderr


def test_errors_are_one_line_without_traceback(tmp_path):
    missing_index = qa_cli("ask", "vraag", "--index", str(tmp_path / "geen-index"))
    assert missing_index.returncode == 2
    assert f"--index {tmp_path / 'geen-index'}" in missing_index.stderr and "Traceback" not in missing_index.stderr

    missing_corpus = qa_cli("build", "--corpus", str(tmp_path / "geen-corpus"), "--index", str(tmp_path / "i"))
    assert missing_corpus.returncode == 2 and "corpus not found" in missing_corpus.stderr
    assert "Traceback" not in missing_corpus.stderr

    (tmp_path / "leeg").mkdir()
    empty = qa_cli("build", "--corpus", str(tmp_path / "leeg"), "--index", str(tmp_path / "i"))
    assert empty.returncode == 2 and "no readable articles" in empty.stderr

    (tmp_path / "echt").mkdir()
    (tmp_path / "echt" / "a.txt").write_text("Titel\n\nEen artikel over de gemeenteraad.\n")
    unknown_model = qa_cli("build", "--corpus", str(tmp_path / "echt"), "--model", "intfloat/multilingual-e5-small",
                           "--index", str(tmp_path / "i"))
    assert unknown_model.returncode == 2
    assert unknown_model.stderr.strip().splitlines() == [
        "qa: error: embedding model 'intfloat/multilingual-e5-small' is not available offline. Download it once "
        "with `qa models pull intfloat/multilingual-e5-small`, or pass a local folder with --model."]


def test_damaged_index_names_the_fix(workdir, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(workdir / "index", index)
    generation = index / (index / "CURRENT").read_text().strip()
    (generation / "vectors.faiss").write_bytes(b"garbage")
    result = qa_cli("ask", "vraag", "--index", str(index))
    assert result.returncode == 2
    assert "qa build --full" in result.stderr and "Traceback" not in result.stderr

    (generation / "manifest.json").write_text(json.dumps({"format": 99}))
    newer = qa_cli("ask", "vraag", "--index", str(index))
    assert newer.returncode == 2 and "newer version" in newer.stderr

    (generation / "config.json").write_text("{")
    settings = qa_cli("build", "--corpus", str(workdir / "corpus"), "--index", str(index))
    assert settings.returncode == 2 and len(settings.stderr.strip().splitlines()) == 1
    assert "config.json are damaged" in settings.stderr and "qa build --full" in settings.stderr


def test_eval_reports_recall_and_mrr(workdir, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text("\n".join(json.dumps(q) for q in [
        {"question": "Hoeveel investeerde Microsoft begin 2023 in OpenAI?", "doc": "microsoft-openai-deal", "answer": "$10 miljard"},
        {"question": "Hoe heet het AI-bedrijf van Musk?", "gold_ctx_id": "musk-bod-openai", "answer_text": "xAI"},
    ]) + "\n")
    result = qa_cli("eval", str(queries), "--corpus", str(workdir / "corpus"), "--index", str(tmp_path / "ei"), "--compare")
    assert result.returncode == 0, result.stderr
    assert "R@1" in result.stdout and "MRR@10" in result.stdout and "bm25" in result.stdout
    # An evaluation measures its own environment's settings, not those an earlier one left with the index.
    rules = subprocess.run([sys.executable, "-m", "qa.cli", "eval", str(queries), "--corpus", str(workdir / "corpus"),
                            "--index", str(tmp_path / "ei")], capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, QA_ANSWER_STEP="rules"))
    assert rules.returncode == 0, rules.stderr
    assert qa_cli("eval", str(queries), "--corpus", str(workdir / "corpus"), "--index", str(tmp_path / "ei")).returncode == 0
    generation = (tmp_path / "ei" / "CURRENT").read_text().strip()
    assert "answer_step" not in json.loads((tmp_path / "ei" / generation / "config.json").read_text())


def test_eval_checks_its_question_files_before_building_and_names_unknown_documents(workdir, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"question": "Wie richtte xAI op?", "doc": "typo-in-doc-id"}) + "\n")
    missing = qa_cli("eval", str(queries), "--corpus", str(workdir / "corpus"), "--index", str(tmp_path / "ei"),
                     "--unanswerable", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2 and "nope.jsonl: no such file" in missing.stderr
    assert not (tmp_path / "ei").exists()  # it failed before building, not after the figures
    wrong_file = tmp_path / "dialogues.jsonl"
    wrong_file.write_text(json.dumps({"question": "Wie richtte xAI op?"}) + "\n")  # no "turns"
    wrong = qa_cli("eval", str(queries), "--corpus", str(workdir / "corpus"), "--index", str(tmp_path / "ei"),
                   "--dialogues", str(wrong_file))
    assert wrong.returncode == 2 and "expected a JSON object with 'turns'" in wrong.stderr
    assert not (tmp_path / "ei").exists()
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    refused = qa_cli("eval", str(empty), "--corpus", str(workdir / "corpus"))
    assert refused.returncode == 2 and "no questions" in refused.stderr
    queries.write_text("\n".join(json.dumps(q) for q in [{"question": "Wie richtte xAI op?", "doc": "typo-in-doc-id"},
                                                          {"question": "Wie richtte xAI op?", "doc": "musk-bod-openai"}]))
    unknown = qa_cli("eval", str(queries), "--corpus", str(workdir / "corpus"), "--index", str(tmp_path / "ei"))
    assert unknown.returncode == 0, unknown.stderr
    assert "1 of 2 questions name a document the index does not hold (first: 'typo-in-doc-id')" in unknown.stderr


def test_eval_calibrates_the_abstention_threshold(workdir, tmp_path):
    queries, unanswerable = tmp_path / "q.jsonl", tmp_path / "u.jsonl"
    queries.write_text(json.dumps({"question": "Hoeveel investeerde Microsoft begin 2023 in OpenAI?",
                                   "doc": "microsoft-openai-deal", "answer": "$10 miljard"}) + "\n")
    # On the subject, but the articles do not say: it reaches the answer model, whose threshold is
    # swept (an off-topic one is declined before it, by weak_evidence, at any threshold).
    unanswerable.write_text(json.dumps({"question": "Wie is de advocaat van Musk?"}) + "\n")
    result = qa_cli("eval", str(queries), "--corpus", str(workdir / "corpus"), "--index", str(tmp_path / "ei"),
                    "--answers", "--unanswerable", str(unanswerable), "--thresholds", "0,99")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip().startswith("threshold")]
    assert len(lines) == 2
    assert "answered 1.000" in lines[0] and "abstained 0.000" in lines[0]  # threshold 0 answers everything
    assert "answered 0.000" in lines[1] and "abstained 1.000" in lines[1]  # threshold 99 declines everything


def test_a_failed_download_a_bad_k_and_an_empty_question_are_one_line_errors():
    # The hub's own error spanned lines and named no fix. Port 9 refuses at once, on any machine.
    pull = subprocess.run([sys.executable, "-m", "qa.cli", "models", "pull", "intfloat/multilingual-e5-small"],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "HF_ENDPOINT": "http://127.0.0.1:9"})
    assert pull.returncode == 2 and len(pull.stderr.strip().splitlines()) == 1
    assert "could not download 'intfloat/multilingual-e5-small'" in pull.stderr and "--model" in pull.stderr
    for k in ("0", "-3"):
        bad_k = qa_cli("ask", "Wie?", "-k", k)
        assert bad_k.returncode == 2 and "must be 1 or more" in bad_k.stderr
    assert "must be a whole number, not 'abc'" in qa_cli("ask", "Wie?", "-k", "abc").stderr
    for question in ("", "  ?! ", "🤔"):
        empty = qa_cli("ask", question, "--index", "/nonexistent")  # refused before the index is read
        assert empty.returncode == 2 and empty.stderr.startswith("qa: error: the question is empty")


@pytest.mark.parametrize("command", [[sys.executable, "app.py"], [sys.executable, "-m", "qa.cli", "serve"]])
def test_serve_refuses_other_hosts_without_a_password(tmp_path, command):
    # `qa serve` takes the same options as app.py (they once stopped at qa's own parser).
    result = subprocess.run([*command, "--host", "0.0.0.0", "--index", str(tmp_path / "i")],
                            capture_output=True, text=True, timeout=120, cwd=ROOT, env={**os.environ, "QA_AUTH": ""})
    assert result.returncode == 2
    assert "QA_AUTH" in result.stderr and "Traceback" not in result.stderr


def test_serve_help_lists_its_options():
    result = qa_cli("serve", "--help")
    assert result.returncode == 0 and all(option in result.stdout for option in ("--port", "--host", "--auth"))


def test_python_dash_m_qa_is_the_qa_command(workdir):
    result = subprocess.run([sys.executable, "-m", "qa", "ask", "Wie moet de herstructurering van OpenAI goedkeuren?",
                             "--index", str(workdir / "index")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "procureurs-generaal" in result.stdout


def test_ask_numbers_the_retrieved_passages_apart_from_the_sources_in_the_questions_language(workdir):
    # They were "[1] ..." too (a [1] that could be another passage) with an ISO date, under a Dutch-English
    # "Passages:" heading whatever the question's language.
    qa_cli("build", "--corpus", str(workdir / "corpus"), "--index", str(workdir / "index"))
    english = qa_cli("ask", "How much did Microsoft put into OpenAI in early 2023?", "-k", "2",
                     "--index", str(workdir / "index"))
    assert english.returncode == 0, english.stderr
    sources, passages = english.stdout.split("Retrieved passages:")
    assert "\n[1] " in sources and "\n#1 " in passages and "\n[1] " not in passages
    assert "12 September 2025, 02:46" in passages and "2025-09-12T02:46" not in passages


def test_chat_says_a_reset_starts_a_new_conversation(workdir):
    qa_cli("build", "--corpus", str(workdir / "corpus"), "--index", str(workdir / "index"))
    chat = subprocess.run([sys.executable, "-m", "qa.cli", "chat", "--index", str(workdir / "index")],
                          input="Wanneer verliet Musk OpenAI?\nreset\nWaarom?\n", capture_output=True, text=True,
                          timeout=300)
    assert chat.returncode == 0, chat.stderr
    assert "Nieuw gesprek" in chat.stdout
    assert chat.stdout.rstrip().endswith("vraag>") and "Ik kan dit niet vinden" in chat.stdout.split("Nieuw gesprek")[1]


def test_ask_keeps_to_a_source_and_period_and_says_when_none_match(workdir):
    qa_cli("build", "--corpus", str(workdir / "corpus"), "--index", str(workdir / "index"))
    index = ["--index", str(workdir / "index")]
    kept = qa_cli("ask", "Wie moet de herstructurering van OpenAI goedkeuren?", "--source", "iex.nl",
                  "--since", "2025-09", "--until", "2025-09-30", "--json", *index)
    assert kept.returncode == 0, kept.stderr
    data = json.loads(kept.stdout)
    assert data["filters"] == {"source": "iex.nl", "since": "2025-09", "until": "2025-09-30"}
    assert data["passages"] and {p["source"] for p in data["passages"]} == {"IEX.nl"}
    none = qa_cli("ask", "Wie moet de herstructurering van OpenAI goedkeuren?", "--since", "2026", *index)
    assert none.returncode == 0 and none.stdout.startswith("Er zijn geen artikelen vanaf 2026.")
    bad = qa_cli("ask", "Wie moet de herstructurering goedkeuren?", "--until", "31-03-2025", *index)
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0
    assert "until '31-03-2025' is no date" in bad.stderr and "Traceback" not in bad.stderr
