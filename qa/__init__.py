"""qa: ask questions of a folder of (Dutch) news articles and get source-cited answers.

    import qa
    report = qa.build_index("corpus", "index")
    retriever = qa.Retriever.load("index")
    for passage in retriever.search("Hoeveel investeerde Microsoft in 2019 in OpenAI?", k=5):
        print(passage.citation())
    print(qa.ChatSession(retriever).ask("En begin 2023?").text)
"""

from .answer import Answer, ChatSession, Source
from .chunking import Chunk, chunk_article, split_sentences
from .config import Settings
from .corpus import Article, CorpusScan, scan_corpus
from .embedding import Embedder, ModelError, ModelSpec
from .index import BuildLockedError, BuildReport, EmptyCorpusError, IndexLoadError, build_index
from .retrieval import Passage, Retriever

__all__ = [
    "Answer", "ChatSession", "Source", "Article", "BuildLockedError", "BuildReport", "Chunk", "CorpusScan", "Embedder", "EmptyCorpusError",
    "IndexLoadError", "ModelError", "ModelSpec", "Passage", "Retriever", "Settings", "build_index",
    "chunk_article", "scan_corpus", "split_sentences",
]
