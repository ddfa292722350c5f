"""Command line: ``python -m ecrpublic_mock demo``."""

from __future__ import annotations

import argparse
import sys

from . import _demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ecrpublic_mock")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="run an in-process scenario against the mock")
    parser.parse_args(argv)
    _demo.run()
    return 0


if __name__ == "__main__":  # pragma: no cover - exercised through subprocess in tests
    sys.exit(main())
