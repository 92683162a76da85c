"""The command group: how every command reports errors and prints (translation only).

Arguments go to `casefile.api`; exceptions come back as messages and exit codes (0 ok, 1
invalid input or failed check, 2 wrong usage). Every printed line goes through `echo`, which
escapes control characters.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import click

from casefile import __version__
from casefile.core.errors import CasefileError, safe_lines

if TYPE_CHECKING:
    from casefile.case.loader import Limits
    from casefile.evidence.sign import Signer

P = ParamSpec("P")
R = TypeVar("R")

EXAMPLES = {
    "validate": "casefile validate cases/\n  casefile validate cases/donetsk-pow-executions.yaml --format json\n"
                "  casefile validate cases/ --format github   # annotations in GitHub Actions",
    "render": "casefile render cases/donetsk-pow-executions.yaml\n"
              "  casefile render case.yaml --format html --edition public --output out/public.html\n"
              "  casefile render case.yaml --language uk   # Ukrainian labels and dates: out/<id>.uk.pdf",
    "new": "casefile new cases/UA-KHA-2025-002.yaml",
    "schema": "casefile schema --output schema/case.schema.json",
    "hash": "casefile hash cases/protected-witness/case.yaml",
    "verify": "casefile verify cases/protected-witness/case.yaml --json",
    "verify-dossier": "casefile verify-dossier out/TEST-KHE-2024-007.pdf --evidence cases/protected-witness\n"
                      "  cd TEST-KHE-2024-007-icrc && casefile verify-dossier 02-dossier.pdf\n"
                      "  casefile verify-dossier 02-dossier.pdf --case case.yaml   # against the submission record",
    "mark-submitted": "casefile mark-submitted cases/protected-witness/case.yaml --to icrc "
                      "--packet out/packets/TEST-KHE-2024-007-icrc --channel 'ICRC portal'",
    "check-leaks": "casefile check-leaks out/TEST-KHE-2024-007.public.pdf "
                   "--case cases/protected-witness/case.yaml",
    "check": "casefile check cases/donetsk-pow-executions.yaml --for un-sr-executions",
    "packet": "casefile packet cases/protected-witness/case.yaml --to icc-otp\n"
              "  casefile packet case.yaml --all --draft",
    "init": "casefile init my-cases --name 'Example Documentation Unit'",
    "build": "casefile build\n  casefile build cases/ --shard 2/4",
    "diff": "casefile diff cases/protected-witness/case.yaml\n  casefile diff case.yaml main HEAD --format markdown",
    "register": "casefile register cases/ --edition public",
    "doctor": "casefile doctor\n  casefile doctor --json",
    "serve": "casefile serve cases/protected-witness/case.yaml\n"
             "  casefile serve case.yaml --with public --with icrc   # three editions side by side",
    "import victims": "casefile import victims victims.csv cases/olenivka/case.yaml\n"
                      "  casefile import victims victims.csv case.yaml --dry-run   # show the entries, write nothing",
    "catalog": "casefile catalog provisions\n  casefile catalog provisions rome:8.2.a.i\n"
               "  casefile catalog bodies icrc",
}


def _epilog(name: str) -> str:
    return "\b\nExample:\n  " + EXAMPLES[name]


SIGN_PASSWORD_ENV = "CASEFILE_SIGN_PASSWORD"  # noqa: S105  the variable's name, not a password


def _sign_options(command: Callable[P, R]) -> Callable[P, R]:
    """--sign CERT.p12 and its companions (render, packet). Never a password on the command line."""
    for decorator in reversed([
        click.option("--sign", "sign_p12", type=click.Path(exists=True, dir_okay=False), default=None,
                     metavar="CERT.p12", help="Sign the PDF(s) (PAdES) with this PKCS#12 key and certificate. "
                     "Needs pyHanko: pip install 'casefile[sign]'."),
        click.option("--sign-password-env", metavar="VAR", default=None,
                     help=f"Environment variable holding the .p12 password [default: {SIGN_PASSWORD_ENV}; "
                     "unset: asked on a terminal]."),
        click.option("--sign-reason", default=None, help="Reason stated in the signature."),
        click.option("--sign-location", default=None, help="Location stated in the signature."),
        click.option("--timestamp-url", default=None, envvar="CASEFILE_TIMESTAMP_URL", metavar="URL",
                     help="An RFC 3161 timestamp authority: each signature gets its token (PAdES B-T). The only "
                     "request casefile sends over the network [env: CASEFILE_TIMESTAMP_URL]."),
    ]):
        command = decorator(command)
    return command


def _signer(sign_p12: str | None, sign_password_env: str | None, sign_reason: str | None,
            sign_location: str | None, timestamp_url: str | None = None) -> Signer | None:
    """The loaded signing key for --sign, or None. The password comes from the environment, else
    from a prompt on a terminal (the key is opened before any rendering, so a wrong one fails fast)."""
    if sign_p12 is None:
        if sign_password_env or sign_reason or sign_location:
            raise click.UsageError("--sign-password-env, --sign-reason and --sign-location need --sign CERT.p12")
        return None  # a CASEFILE_TIMESTAMP_URL in the environment is used only when signing
    from casefile.evidence import sign

    options = {"reason": sign_reason, "location": sign_location, "timestamp_url": timestamp_url}
    variable = sign_password_env or SIGN_PASSWORD_ENV
    password = os.environ.get(variable)
    if password is None and sign_password_env:
        raise click.UsageError(f"--sign-password-env {variable}: the environment variable is not set")
    if password is not None:
        return sign.load_signer(sign_p12, password, **options)
    try:
        return sign.load_signer(sign_p12, None, **options)
    except sign.PasswordNeeded:
        if not _can_prompt():
            raise
    password = click.prompt(f"Password for {sign_p12}", hide_input=True, default="", show_default=False, err=True)
    return sign.load_signer(sign_p12, password, **options)


def _can_prompt() -> bool:
    return sys.stdin.isatty()


class CasefileGroup(click.Group):
    """Turns every exception into a message and an exit code; never a bare traceback."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            sys.exit(result if isinstance(result, int) else 0)  # an exit code (ctx.exit), or done
        except click.ClickException as exc:  # usage errors quote arguments: shown escaped
            import io

            buffer = io.StringIO()
            exc.show(file=buffer)
            click.echo(safe_lines(buffer.getvalue().rstrip("\n")), err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except CasefileError as exc:
            echo(exc.format(), err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # output piped into `head` and the like
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:  # anything unanticipated: one line, traceback only on request
            if debug:
                traceback.print_exc()
            else:
                summary = " ".join(str(exc).split())[:300]
                echo(f"error: internal error: {type(exc).__name__}: {summary}", err=True)
                echo("hint: rerun with --debug to see the traceback, and report it", err=True)
            ctx.exit(1)



def echo(message: object = "", err: bool = False, nl: bool = True) -> None:
    """Every line any command prints: case text in it (paths, titles, ids) can hold terminal
    escape sequences, so each control character is shown escaped and a line stays one line."""
    click.echo(safe_lines(str(message)), err=err, nl=nl)

@click.group(cls=CasefileGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="casefile")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error.")
def cli(debug: bool) -> None:
    """Validate war-crimes case files and render dossiers and submission packets."""


def _limits(max_mb: float) -> Limits:
    from casefile.case.loader import Limits

    return Limits(max_file_bytes=int(max_mb * 1024 * 1024))


# --- shell completion: case files (with their ids), filing bodies, provisions ---------------
def complete_case(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Case files under the current folder (a repository's cases/ first), shown with their
    case id; read by a line match, not validated, so that Tab stays instant."""
    import re
    from pathlib import Path

    from click.shell_completion import CompletionItem

    root = Path.cwd()
    found: list[Any] = []
    for path in sorted(root.glob("**/*.y*ml"))[:500]:
        if path.name == "casefile.yaml" or any(part.startswith(".") or part == "out" for part in path.parts):
            continue
        relative = path.relative_to(root).as_posix()
        if not relative.startswith(incomplete):
            continue
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        except OSError:
            continue
        match = re.search(r"^id:\s*['\"]?([^'\"\s#]+)", head, flags=re.M)
        if match and re.search(r"^casefile:\s*1", head, flags=re.M):
            found.append(CompletionItem(relative, help=match.group(1)))
    return found


def complete_body(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Filing body ids: the repository's catalog (of the case given, else of the current folder)."""
    from click.shell_completion import CompletionItem

    catalog = _catalog_for_completion(ctx)
    return [CompletionItem(body.id, help=body.short) for body in catalog.bodies.values()
            if body.id.startswith(incomplete)]


def complete_edition(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    fixed = [CompletionItem(e, help=f"the {e} edition") for e in ("public",) if e.startswith(incomplete)]
    return fixed + complete_body(ctx, param, incomplete)


def complete_catalog_id(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Provision and body ids (`casefile catalog [provisions|bodies] ID`)."""
    from click.shell_completion import CompletionItem

    catalog = _catalog_for_completion(ctx)
    what = ctx.params.get("what")
    items: list[Any] = []
    if what in (None, "provisions"):
        items += [CompletionItem(p.id, help=p.title[:60]) for p in catalog.provisions.values()
                  if p.id.startswith(incomplete)]
    if what in (None, "bodies"):
        items += [CompletionItem(b.id, help=b.short) for b in catalog.bodies.values() if b.id.startswith(incomplete)]
    return items


def _catalog_for_completion(ctx: click.Context) -> Any:
    from pathlib import Path

    from casefile import api
    from casefile.case.catalog import load_catalog

    case = ctx.params.get("case")
    try:
        return api.project_of(Path(case) if case else Path.cwd()).catalog()
    except Exception:
        return load_catalog()
