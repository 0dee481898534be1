"""Keyword tokenization of every chunk text of an index: this checkout's tokenizer against
another checkout's, each in its own process, one after the other in one run.

    git worktree add /tmp/before <commit>
    python bench/keyword_tokens.py INDEX /tmp/before

Reports seconds and the number of tokens per checkout (a cold process: the compound
splitter's word list is loaded inside the timing).
"""
import json
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

index, other = sys.argv[1], sys.argv[2]
gen = Path(index) / (Path(index) / "CURRENT").read_text().strip()
db = sqlite3.connect(gen / "store.sqlite")
rows = db.execute("SELECT a.body, c.start, c.end FROM chunks c JOIN articles a ON a.id = c.article_id").fetchall()
texts = [b[s:e] for b, s, e in rows]
print(len(texts), "chunk texts")
code = r'''
import sys, time, json
sys.path.insert(0, sys.argv[1])
from qa.analysis import KeywordTokenizer
texts = json.load(open(sys.argv[2]))
t = KeywordTokenizer()
start = time.perf_counter(); tokens = t(texts); took = time.perf_counter() - start
print(json.dumps({"version": t.version, "seconds": round(took, 2), "tokens": sum(map(len, tokens))}))
'''
with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
    json.dump(texts, handle)
for checkout in [".", other]:
    out = subprocess.run([sys.executable, "-c", code, checkout, handle.name], capture_output=True, text=True)
    print(checkout, out.stdout.strip() or out.stderr[-500:])
Path(handle.name).unlink()
