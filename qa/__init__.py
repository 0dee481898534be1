"""qa: ask questions of a folder of (Dutch) news articles and get source-cited answers.

    import qa
    report = qa.build_index("corpus", "index")
    retriever = qa.Retriever.load("index")
    for passage in retriever.search("Hoeveel investeerde Microsoft in 2019 in OpenAI?", k=5):
        print(passage.citation())
    print(qa.ChatSession(retriever).ask("En begin 2023?").text)
"""

from .analysis import KeywordTokenizer
from .answer import Answer, ChatSession, Source
from .chat import Turn
from .chunking import Chunk, chunk_article, split_sentences
from .config import Settings
from .corpus import Article, CorpusScan, scan_corpus
from .embedding import Embedder, ModelSpec
from .errors import BuildLockedError, CorpusError, EmptyCorpusError, IndexLoadError, ModelError, QAError
from .index import BuildReport, build_index
from .lang import detect_language
from .retrieval import Passage, Retriever

__all__ = [
    "Answer", "Article", "BuildLockedError", "BuildReport", "ChatSession", "Chunk", "CorpusError", "CorpusScan",
    "Embedder", "EmptyCorpusError", "IndexLoadError", "KeywordTokenizer", "ModelError", "ModelSpec", "Passage",
    "QAError", "Retriever", "Settings", "Source", "Turn", "build_index", "chunk_article", "detect_language",
    "scan_corpus", "split_sentences",
]
