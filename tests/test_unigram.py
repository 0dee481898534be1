"""qa/unigram.py on a small hand-made vocabulary; tests/test_onnx_model.py checks it against the
bundled model's own tokenizer.json."""

from pathlib import Path

import numpy as np

from qa.unigram import SPACE, UnigramTokenizer

PIECES = ["<s>", "<pad>", "</s>", "<unk>", SPACE, f"{SPACE}de", f"{SPACE}kat", "kat", "ten", f"{SPACE}katten",
          "t", "e", "n", "a", "k", "d", f"{SPACE}k"]
SPECIAL = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}


def tokenizer(scores: dict[str, float] | None = None, max_length: int = 512) -> UnigramTokenizer:
    scores = scores or {}
    return UnigramTokenizer(PIECES, [scores.get(p, -5.0) for p in PIECES], {"\t": " "}, SPECIAL, max_length)


def ids(*pieces: str) -> list[int]:
    return [PIECES.index(p) for p in pieces]


def test_the_most_probable_segmentation_wins():
    whole = tokenizer({f"{SPACE}katten": -6.0})
    assert whole.encode("de katten") == [0, *ids(f"{SPACE}de", f"{SPACE}katten"), 2]
    split = tokenizer({f"{SPACE}katten": -20.0})
    assert split.encode("de katten") == [0, *ids(f"{SPACE}de", f"{SPACE}kat", "ten"), 2]


def test_spaces_and_the_character_table_are_normalized_before_segmenting():
    t = tokenizer()
    assert t.encode("de\t\t  kat") == t.encode("de kat") == [0, *ids(f"{SPACE}de", f"{SPACE}kat"), 2]
    assert t.encode("") == [0, 2]


def test_characters_no_piece_covers_are_one_unknown_per_run():
    assert tokenizer().encode("kat xyz") == [0, *ids(f"{SPACE}kat", SPACE), 3, 2]


def test_ties_and_unknowns_are_resolved_as_tokenizers_does():
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors

    scores = {f"{SPACE}kat": -10.0, SPACE: -5.0, "kat": -5.0, f"{SPACE}k": -4.0, "a": -3.0, "t": -3.0}
    ours = tokenizer(scores)
    theirs = Tokenizer(models.Unigram([(p, scores.get(p, -5.0)) for p in PIECES], unk_id=3))
    theirs.normalizer = normalizers.Sequence([normalizers.Replace("\t", " "), normalizers.NFKC(),
                                              normalizers.Replace(Regex(" {2,}"), " ")])
    theirs.pre_tokenizer = pre_tokenizers.Metaspace(replacement=SPACE, prepend_scheme="always")
    theirs.post_processor = processors.TemplateProcessing(single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)])
    for text in ["kat", "de kat", "katten", "xkat", "kat xx kat", " kat ", "dekat", "tatat"]:
        assert ours.encode(text) == theirs.encode(text).ids, text


def test_long_texts_are_cut_to_the_window_with_both_special_tokens():
    encoded = tokenizer(max_length=6).encode("de kat de kat de kat")
    assert encoded == [0, *ids(f"{SPACE}de", f"{SPACE}kat", f"{SPACE}de", f"{SPACE}kat"), 2]


def test_saved_and_loaded_it_is_the_same(tmp_path: Path):
    UnigramTokenizer.save(tmp_path, PIECES, np.full(len(PIECES), -5.0), {"\t": " "}, SPECIAL, 512)
    assert UnigramTokenizer.load(tmp_path).encode("de katten") == tokenizer().encode("de katten")
