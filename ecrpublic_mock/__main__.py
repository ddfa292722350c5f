"""Command line: ``python -m ecrpublic_mock demo`` and ``python -m ecrpublic_mock serve``."""

from __future__ import annotations

import argparse
import dataclasses
import sys

from . import _demo, _server
from ._core.settings import MUTABILITIES, Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ecrpublic_mock")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="run an in-process scenario against the mock")
    serve = commands.add_parser(
        "serve",
        help="serve the mock over HTTP for the AWS CLI and other SDKs (--endpoint-url)",
        description="Serve one registry over HTTP until SIGINT or SIGTERM; the first line "
        "printed is 'ecrpublic_mock serving on http://HOST:PORT'.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="IPv4 address (default: loopback)")
    serve.add_argument("--port", type=int, default=0, help="default: 0, a free port")
    # Every mock option, with the mock's own checks: --account-id, --max-repositories, ...
    for field in dataclasses.fields(Settings):
        flag = "--" + field.name.replace("_", "-")
        if field.name == "account_id":
            serve.add_argument(flag, dest=field.name)
        elif field.name == "image_tag_mutability":
            serve.add_argument(flag, dest=field.name, choices=MUTABILITIES)
        else:
            serve.add_argument(flag, dest=field.name, type=int)
    args = parser.parse_args(argv)
    if args.command == "demo":
        _demo.run()
        return 0
    options = {
        field.name: getattr(args, field.name)
        for field in dataclasses.fields(Settings)
        if getattr(args, field.name) is not None
    }
    try:
        settings = Settings.from_options(options)
    except ValueError as error:
        serve.error(str(error))
    return _server.serve(args.host, args.port, settings)


if __name__ == "__main__":  # pragma: no cover - exercised through subprocess in tests
    sys.exit(main())
