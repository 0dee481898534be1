"""Unigram tokenizer: XLM-RoBERTa's SentencePiece segmentation, small enough to load in a
tenth of a second, for embedding questions without the ``tokenizers`` library.

``tokenizers`` needs 0.9 s and 310 MB to load a 250,000-piece unigram vocabulary, and
``sentencepiece`` 0.55 s: most of a one-second ``qa ask``. Questions are short, so the same
Viterbi search over a plain dict of pieces costs well under a millisecond each. It follows
``tokenizers``' Unigram model step by step (ties go to the shorter piece, a character no piece
covers is one ``<unk>``, runs of them fuse) and tests check both give the same ids. Builds keep
using ``tokenizers``, which is faster on thousands of passages.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

SPACE = "\u2581"  # SentencePiece's "▁", which stands for a space
UNKNOWN_PENALTY = 10.0  # an unknown character scores this far below the rarest piece (as in tokenizers)
_WORD = re.compile(f"{SPACE}[^{SPACE}]*|[^{SPACE}]+")
_SPACES = re.compile(" {2,}")


class UnigramTokenizer:
    """Text to token ids, the way the model's ``tokenizer.json`` does it."""

    def __init__(self, pieces: list[str], scores: list[float], replacements: dict[str, str],
                 special: dict[str, int], max_length: int):
        self.ids = dict(zip(pieces, range(len(pieces))))
        for piece in special:
            del self.ids[piece]
        self.scores = scores
        self.longest = max(len(p) for p in self.ids)
        self.unknown_score = min(scores) - UNKNOWN_PENALTY
        self.replacements = str.maketrans(replacements)
        self.bos, self.eos, self.unk = special["<s>"], special["</s>"], special["<unk>"]
        self.max_length = max_length
        self._word_ids = lru_cache(maxsize=65536)(self._segment)

    @classmethod
    def load(cls, folder: Path) -> "UnigramTokenizer":
        meta = json.loads((folder / "unigram.json").read_text(encoding="utf-8"))
        pieces = (folder / "unigram-pieces.txt").read_text(encoding="utf-8").split("\n")
        scores = np.load(folder / "unigram-scores.npy").tolist()
        return cls(pieces, scores, meta["replacements"], meta["special"], meta["max_length"])

    @staticmethod
    def save(folder: Path, pieces: list[str], scores: np.ndarray, replacements: dict[str, str],
             special: dict[str, int], max_length: int) -> None:
        if any("\n" in p for p in pieces):
            raise ValueError("a vocabulary piece holds a line break")
        (folder / "unigram-pieces.txt").write_text("\n".join(pieces), encoding="utf-8")
        np.save(folder / "unigram-scores.npy", np.asarray(scores, dtype=np.float32))
        meta = {"replacements": replacements, "special": special, "max_length": max_length}
        (folder / "unigram.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    def normalize(self, text: str) -> str:
        """The model's own character table, then NFKC, then runs of spaces as one."""
        return _SPACES.sub(" ", unicodedata.normalize("NFKC", text.translate(self.replacements)))

    def encode(self, text: str) -> list[int]:
        """``<s>`` ids ``</s>``, cut to the model's window as ``tokenizers`` truncates."""
        spaced = self.normalize(text).replace(" ", SPACE)
        if spaced and not spaced.startswith(SPACE):
            spaced = SPACE + spaced
        ids: list[int] = []
        for word in _WORD.findall(spaced):
            ids.extend(self._word_ids(word))
            if len(ids) >= self.max_length - 2:
                break
        return [self.bos, *ids[:self.max_length - 2], self.eos]

    def _segment(self, word: str) -> tuple[int, ...]:
        """Viterbi: the segmentation of ``word`` whose pieces' log-probabilities sum highest."""
        size = len(word)
        best = [float("-inf")] * (size + 1)
        best[0] = 0.0
        last: list[tuple[int, int]] = [(0, -1)] * (size + 1)  # (start, piece id) of the best path's last piece
        for start in range(size):
            if best[start] == float("-inf"):
                continue
            single = False
            for end in range(start + 1, min(size, start + self.longest) + 1):
                piece = self.ids.get(word[start:end])
                if piece is None:
                    continue
                single = single or end == start + 1
                score = best[start] + self.scores[piece]
                if score > best[end]:
                    best[end], last[end] = score, (start, piece)
            if not single:
                score = best[start] + self.unknown_score
                if score > best[start + 1]:
                    best[start + 1], last[start + 1] = score, (start, self.unk)
        ids: list[int] = []
        end = size
        while end > 0:
            start, piece = last[end]
            if not (piece == self.unk and ids and ids[-1] == self.unk):  # runs of <unk> fuse into one
                ids.append(piece)
            end = start
        return tuple(reversed(ids))
