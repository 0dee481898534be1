"""qa/word_frequency.py: wordfreq's figures from a table, without loading wordfreq for a question."""

import subprocess
import sys

import pytest

import qa.word_frequency
from qa.word_frequency import WordFrequencies, zipf

pytestmark = pytest.mark.unit

WORDS = ["huis", "Huis", "HUIS", "ziekenhuisopname", "kostenbesparingscampagne", "overname-poging", "e-mail",
         "zo'n", "zo’n", "OpenAI's", "don't", "'s", "naïve", "groß", "Straße", "IJsland", "ĳs", "COVID-19",
         "mp3", "2019", "a_b", "xqzvbnw", "Москва", "北京", "", "-", "anti-", "procureurs-generaal"]


@pytest.mark.parametrize("code", ["nl", "en", "de"])
def test_zipf_is_wordfreqs_zipf_frequency(code):
    from wordfreq import zipf_frequency

    assert [zipf(word, code) for word in WORDS] == [zipf_frequency(word, code) for word in WORDS]


def test_a_table_is_written_whole_once_and_read_without_wordfreq(tmp_path):
    table = WordFrequencies(tmp_path / "nl", "nl")
    assert [p.name for p in tmp_path.iterdir()] == ["nl"]  # no staging folder left
    assert table.plain and 0 < table["huis"] < 1 and table.get("xqzvbnw") is None
    path = tmp_path / "nl" / qa.word_frequency.TABLE_FILE
    written = path.stat().st_mtime_ns
    WordFrequencies(tmp_path / "nl", "nl")
    assert path.stat().st_mtime_ns == written


def test_an_interrupted_write_leaves_nothing(tmp_path, monkeypatch):
    import wordfreq

    def broken(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(wordfreq, "get_frequency_dict", broken)
    with pytest.raises(KeyboardInterrupt):
        WordFrequencies(tmp_path / "nl", "nl")
    assert list(tmp_path.iterdir()) == []


def test_many_lookups_read_the_whole_table_with_the_same_answers(tmp_path, monkeypatch):
    monkeypatch.setattr(qa.word_frequency, "LOOKUPS_BEFORE_LOADING", 3)
    table = WordFrequencies(tmp_path / "nl", "nl")
    words = ["huis", "poging", "overname", "campagne", "besparing", "xqzvbnw"]
    looked_up = [table.get(word) for word in words]
    assert table._all is not None and len(table) > 100_000
    assert [table.get(word) for word in words] == looked_up and looked_up[-1] is None


def test_a_question_is_read_without_importing_wordfreq():
    script = (
        "import sys\n"
        "from qa.analysis import KeywordTokenizer\n"
        "from qa.questions import topic_words\n"
        "from qa.lang import detect_language\n"
        "q = 'Hoeveel kostte de overnamepoging van de ziekenhuisopname in Utrecht?'\n"
        "print(KeywordTokenizer('nl,en')([q])[0], topic_words(q), detect_language('How much did the bid cost?'))\n"
        "print('wordfreq' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    said, imported = done.stdout.splitlines()
    assert "'poog', 'ziekenhuis', 'opname'" in said and said.endswith(" en")  # compound parts, by frequency
    assert imported == "False"
