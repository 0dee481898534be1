"""The keyword analyser: stems, stop words, compound parts, folded forms."""

import pytest

from qa.analysis import KeywordTokenizer, analyser_version, compound_parts, parse_languages


def test_the_languages_are_codes_of_language_modules():
    assert parse_languages("nl, en") == ["nl", "en"]
    assert analyser_version("nl,en").startswith("nl-snowball+nl-en-stopwords+")
    with pytest.raises(ValueError, match="QA_LANGUAGES"):
        parse_languages("nl,xx")


def test_the_corpus_language_chooses_the_stemmer_and_the_compound_rules():
    german = KeywordTokenizer("de,en")
    assert german.stemmer.stemWord("häuser") != KeywordTokenizer().stemmer.stemWord("häuser")
    assert "und" not in german(["Brücke und Solarpark"])[0]
    assert compound_parts("overnamepoging", "en") == ()  # English has no compounds to split


def test_a_hyphenated_compound_is_also_a_keyword_of_its_own():
    from qa.analysis import KeywordTokenizer

    tokens = KeywordTokenizer()(["Tegelijk richtte hij xAI op, zijn eigen AI-bedrijf."])[0]
    assert {"ai", "bedrijf"} <= set(tokens)  # the parts, as before
    assert any(t.startswith("aibedrijf") for t in tokens)  # and the compound a question names
    # A longer compound also holds its shorter ones: "de non-profit" asks of "het non-profit-bedrijf".
    longer = set(KeywordTokenizer()(["het non-profit-bedrijf"])[0])
    assert set(KeywordTokenizer()(["de non-profit"])[0]) <= longer
    # A long hyphenated chain (a slug, a code) is no compound: its runs are not added.
    chain = "-".join(["ab"] * 400)
    assert len(KeywordTokenizer()([chain])[0]) == 400


@pytest.mark.parametrize("word, parts", [
    ("overnamepoging", ("overname", "poging")),
    ("kostenbesparingscampagne", ("kosten", "besparing", "campagne")),  # with the linking "s"
    ("bedrijfsstructuur", ("bedrijf", "structuur")),
    ("waardering", ()),  # more common than "waard" + "ring" would be
    ("partnerschap", ()),  # "-schap" is a suffix, not a word
    ("donderdag", ()),  # "dag" is too short to be a part
    ("ziekenhuisopname", ("ziekenhuis", "opname")),  # not ziek + huis + opname: fewest parts first
])
def test_a_dutch_compound_is_split_into_known_words(word, parts):
    from qa.analysis import compound_parts

    assert compound_parts(word) == parts


def test_a_compound_keeps_its_own_keyword_and_adds_its_parts():
    from qa.analysis import KeywordTokenizer

    tokenize = KeywordTokenizer()
    compound = set(tokenize(["Dit is geen Overnamepoging."])[0])
    parts = set(tokenize(["een poging tot overname"])[0])
    assert parts < compound and len(compound - parts) == 1  # the parts, and the whole word


def test_a_hyphenated_compound_counts_its_parts_once():
    # Joined into "clouddeals", it was split again and "cloud" and "deals" counted twice.
    from qa.analysis import KeywordTokenizer

    tokens = KeywordTokenizer()(["De cloud-deals van Microsoft."])[0]
    assert tokens.count("cloud") == 1 and len(tokens) == len(set(tokens))


def test_a_ligature_is_read_as_its_letters():
    # Dutch "ĳ" as one character (U+0133) is the word list's "ij": the same keywords and parts.
    from qa.analysis import KeywordTokenizer

    tokenize = KeywordTokenizer()
    assert tokenize(["\u0133zerproductie"])[0] == tokenize(["ijzerproductie"])[0]
    assert set(tokenize(["ijzer productie"])[0]) < set(tokenize(["\u0133zerproductie"])[0])
    # Folding must not join a fraction or a power to the number before it.
    assert tokenize(["1½ miljoen, 10³ keer"])[0] == ["1", "1", "2", "miljoen", "10", "3", "keer"]


@pytest.mark.parametrize("split, joined", [
    ("Tegelijk richtte hij xAI op, zijn eigen AI-bedrijf.", "xAI werd in 2023 opgericht."),
    ("Microsoft kondigde de deal gisteren aan.", "de aankondiging van de deal"),
    ("Het kabinet stapte op vanwege de toeslagenaffaire.", "het opstappen van het kabinet"),
    ("De wake vond plaats in Clapham.", "De wake heeft plaatsgevonden."),
    ("Wanneer maakte het bedrijf de overname bekend?", "De overname werd bekendgemaakt."),
])
def test_a_verb_its_clause_splits_meets_its_joined_forms_as_the_answer_step_reads(split, joined):
    tokenize = KeywordTokenizer()
    verbs = {"opricht", "aankond", "opstap", "plaatsvond", "bekendmaak"}
    shared = set(tokenize([split], joined_verbs=True)[0]) & set(tokenize([joined], joined_verbs=True)[0])
    assert len(verbs & shared) == 1, shared
    assert not verbs & set(tokenize([split])[0])  # the index keeps its keywords: BM25 lost by it


def test_only_a_particle_that_closes_its_clause_is_joined_and_never_to_a_stop_word():
    from qa.analysis import _joined_verbs, stopwords

    def joined(text: str, code: str = "nl") -> list[str]:
        return _joined_verbs(text, code, stopwords("nl,en" if code == "nl" else f"{code},en"))

    assert joined("Hij stapte op de fiets.") == []  # "op" opens a phrase here: no "opstapte"
    assert joined("Het aantal nam vorige week toe, zegt het RIVM.") == ["toenam"]
    assert joined("De minister maakte bekend dat de scholen opengaan.") == ["bekendmaakte"]
    assert joined("Hoeveel mensen kwamen om bij de aardbeving?") == ["omkwamen"]  # "om" may open a clause too
    assert joined("Hij zette de auto in.") == ["inzette"]  # not "inde" (a word, of "innen"), of a stop word
    assert joined("Die Firma kündigte den Deal an.", "de") == ["ankündigte"]
    assert joined("The company took the deal over.", "en") == []  # English writes its verbs apart
