"""Start the web chat: ``python app.py`` (same as ``qa serve``; see ``--help``)."""

import sys

from qa.web import serve

if __name__ == "__main__":
    sys.exit(serve())
