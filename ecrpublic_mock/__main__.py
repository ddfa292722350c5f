"""Command line: ``python -m ecrpublic_mock demo``, ``serve`` and ``sandbox``."""

from __future__ import annotations

import argparse
import dataclasses
import ipaddress
import sys
import typing
from typing import Any

from . import _demo
from ._core.settings import Settings

DEFAULT_CALL_LOG_SIZE = 1000
DEFAULT_REQUEST_TIMEOUT = 10.0


class _Parser(argparse.ArgumentParser):
    """A subcommand's usage error is one line on stderr (serve's usage is long: --help)."""

    def error(self, message: str) -> typing.NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _host(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an IPv4 or IPv6 address (IPv6 without brackets, e.g. ::1)"
        ) from None


def _port(text: str) -> int:
    port = _integer(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    return port


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None


def _count(text: str) -> int:
    count = _integer(text)
    if count < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative")
    return count


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not seconds > 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return seconds


def _add_settings(parser: argparse.ArgumentParser) -> None:
    """One flag per ``Settings`` field (``--account-id``, ``--max-repositories``, ...),
    its kind from the field's type; the values get the mock's own checks later."""
    hints = typing.get_type_hints(Settings)
    for field in dataclasses.fields(Settings):
        flag = "--" + field.name.replace("_", "-")
        kind = hints[field.name]
        options: dict[str, Any] = {"dest": field.name, "help": f"default: {field.default}"}
        if typing.get_origin(kind) is typing.Literal:
            options["choices"] = typing.get_args(kind)
        elif kind is int:
            options["type"] = _integer
        elif kind is bool:
            options["action"] = argparse.BooleanOptionalAction
        parser.add_argument(flag, **options)


def _add_mock_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--request-timeout",
        type=_seconds,
        default=DEFAULT_REQUEST_TIMEOUT,
        help="seconds a client may stall while sending a request before it is answered 408 "
        f"(default: {DEFAULT_REQUEST_TIMEOUT:g})",
    )
    _add_settings(parser)


def _settings(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Settings:
    options = {
        field.name: getattr(args, field.name)
        for field in dataclasses.fields(Settings)
        if getattr(args, field.name) is not None
    }
    try:
        return Settings.from_options(options)
    except ValueError as error:
        parser.error(str(error))


def _sandbox(args: argparse.Namespace, parser: argparse.ArgumentParser, settings: Settings) -> int:
    command = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    if not command:
        parser.error("no COMMAND given: sandbox [options] -- COMMAND [ARGUMENT ...]")
    try:
        from ._sandbox import cli
    except ImportError as error:
        parser.error(f"{error}; the sandbox needs: pip install 'ecrpublic-mock[sandbox]'")
    return cli.run(
        command,
        settings,
        docker=args.docker,
        request_timeout=args.request_timeout,
        report=args.report,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ecrpublic_mock")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands.add_parser("demo", help="run an in-process scenario against the mock")
    serve = commands.add_parser(
        "serve",
        help="serve the mock over HTTP for the AWS CLI and other SDKs (--endpoint-url)",
        description="Serve one registry over HTTP until SIGINT or SIGTERM; the first line "
        "printed is 'ecrpublic_mock serving on http://HOST:PORT'. The server has no "
        "authentication: whoever reaches it can read and change its state. Needs the "
        "'server' extra: pip install 'ecrpublic-mock[server]'.",
    )
    serve.add_argument(
        "--host", type=_host, default="127.0.0.1", help="IPv4 or IPv6 address (default: loopback)"
    )
    serve.add_argument("--port", type=_port, default=0, help="default: 0, a free port")
    serve.add_argument(
        "--call-log-size",
        type=_count,
        default=DEFAULT_CALL_LOG_SIZE,
        help=f"keep the last N calls in the call log (default: {DEFAULT_CALL_LOG_SIZE}; 0: none)",
    )
    _add_mock_options(serve)
    sandbox = commands.add_parser(
        "sandbox",
        help="run a command where public.ecr.aws and the ECR Public API are the mock",
        usage="%(prog)s [options] -- COMMAND [ARGUMENT ...]",
        description="Run COMMAND (Linux, as root or with unprivileged user namespaces) in "
        "namespaces where public.ecr.aws and the ECR Public API endpoints resolve to the "
        "mock, served over HTTPS with a CA made for the run that clients trust, and nothing "
        "else is reachable; then print on stderr what it left and the calls it made. The "
        "exit status is COMMAND's. Needs the 'sandbox' extra: "
        "pip install 'ecrpublic-mock[sandbox]'.",
    )
    sandbox.add_argument(
        "--docker",
        action="store_true",
        help="start a private dockerd in the sandbox, DOCKER_HOST naming it (root only)",
    )
    sandbox.add_argument(
        "--report", metavar="FILE", help="write the call log and the final state as JSON"
    )
    _add_mock_options(sandbox)
    sandbox.add_argument("argv", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.command == "demo":
        _demo.run()
        return 0
    settings = _settings(args, serve if args.command == "serve" else sandbox)
    if args.command == "sandbox":
        return _sandbox(args, sandbox, settings)
    try:
        from ._server import runner
    except ImportError as error:
        serve.error(f"{error}; serving needs uvicorn: pip install 'ecrpublic-mock[server]'")
    from ._harness.state import MockState

    try:
        sock = runner.bind(args.host, args.port)
    except OSError as error:
        serve.error(f"cannot listen on {args.host} port {args.port}: {error.strerror}")
    warning = runner.exposure(args.host)
    if warning is not None:
        print(f"warning: {warning}", file=sys.stderr, flush=True)
    state = MockState(settings, args.call_log_size)
    return runner.serve(sock, state, args.request_timeout)


if __name__ == "__main__":  # pragma: no cover - exercised through subprocess in tests
    sys.exit(main())
