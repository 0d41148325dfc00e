"""The command line: parse arguments, call the library, print, choose the exit code.

Thin on purpose: each command imports what it needs when it runs, so ``--version`` and
``validate`` never pay for templating or the site builder. Library code raises
:class:`~discloser.errors.DiscloserError`; only this module prints.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from discloser import __version__

if TYPE_CHECKING:
    from discloser.config import Settings
    from discloser.load.discover import Source
    from discloser.validate import Report

app = typer.Typer(
    name="discloser",
    help="Declare what a feature does with people's photos; validate it; publish it.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

DEFAULT_DECLARATIONS = "declarations"


class Format(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


# Options shared by several commands, defined once so they read and behave the same everywhere.
PathsArg = Annotated[
    list[str] | None,
    typer.Argument(help="Declaration files or folders (default: declarations/)."),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="discloser.toml or pyproject.toml to read settings from."),
]
TemplatesOpt = Annotated[
    Path, typer.Option("--templates", help="The project's template overrides.")
]
VerifierKeyOpt = Annotated[
    Path | None,
    typer.Option("--key", help="Verifier keys you saved (default: the log's own)."),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="How findings print: text (default), json, sarif, or github (default when "
        "GITHUB_ACTIONS is set).",
    ),
]


class State:
    debug = False


def _version(value: bool) -> None:
    if value:
        typer.echo(f"discloser {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for failures.")] = False,
) -> None:
    """discloser: photo-use declarations in, honest disclosures out."""
    State.debug = debug


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"discloser: {message}", err=True)
    raise typer.Exit(code)


def _format(given: Format | None) -> str:
    if given is not None:
        return given.value
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _color(chosen: str) -> bool:
    return chosen == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ


@app.command()
def validate(
    paths: PathsArg = None,
    output_format: FormatOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Check declarations against the schema and the rules; exit 1 on errors."""
    from discloser.config import load_settings
    from discloser.errors import DiscloserError
    from discloser.report import FORMATS
    from discloser.validate import validate_paths

    chosen = (
        output_format.value
        if output_format
        else ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    )
    try:
        settings = load_settings(config)
        report = validate_paths(paths or [DEFAULT_DECLARATIONS], settings)
    except DiscloserError as exc:
        if State.debug:
            raise
        _fail(str(exc), exc.exit_code)
    sys.stdout.write(FORMATS[chosen](report, _color(chosen)))
    raise typer.Exit(1 if report.failed(strict) else 0)


def _writing_job(
    job: Callable[[list[str], Path, Settings, Path | None], Report],
    paths: list[str] | None,
    out: Path,
    templates: Path,
    output_format: Format | None,
    config: Path | None,
    verb: str,
) -> None:
    """Run a job that writes ``out``: print findings, and say what was written or why not."""
    from discloser.config import load_settings
    from discloser.errors import DiscloserError
    from discloser.report import FORMATS

    chosen = _format(output_format)
    try:
        report = job(paths or [DEFAULT_DECLARATIONS], out, load_settings(config), templates)
    except DiscloserError as exc:
        if State.debug:
            raise
        _fail(str(exc), exc.exit_code)
    if report.errors or report.warnings:
        sys.stdout.write(FORMATS[chosen](report, _color(chosen)))
    if report.errors:
        _fail(f"{out}: nothing written: the declarations have errors", 1)
    if getattr(report, "skipped", False):
        typer.echo(f"{out}/ is up to date: nothing changed since it was built", err=True)
        return
    typer.echo(f"{verb} {out}/ ({report.files} feature(s))", err=True)


@app.command()
def render(
    paths: PathsArg = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder (replaced whole).")
    ] = Path("build/disclosures"),
    templates: TemplatesOpt = Path("templates"),
    output_format: FormatOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Validate, then write every per-feature artefact into --out (atomically)."""
    from discloser.pipeline import render as render_job

    _writing_job(render_job, paths, out, templates, output_format, config, "wrote")


@app.command()
def build(
    paths: PathsArg = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Site folder (replaced whole).")] = Path(
        "public"
    ),
    templates: TemplatesOpt = Path("templates"),
    output_format: FormatOpt = None,
    config: ConfigOpt = None,
) -> None:
    """The main job: validate, render, and build the transparency site into --out."""
    from discloser.site.build import build_site

    _writing_job(build_site, paths, out, templates, output_format, config, "built")


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class FailOn(StrEnum):
    material = "material"
    never = "never"


@app.command()
def diff(
    base: Annotated[str, typer.Argument(help="A folder or a git revision (origin/main, a tag).")],
    head: Annotated[
        str | None, typer.Argument(help="A folder or a git revision (default: the working tree).")
    ] = None,
    folder: Annotated[
        str, typer.Option("--path", help="Where the declarations live in the repository.")
    ] = DEFAULT_DECLARATIONS,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text, json, or markdown.")
    ] = DiffFormat.text,
    fail_on: Annotated[
        FailOn,
        typer.Option("--fail-on", help="material: exit 1 on a widening without a higher revision."),
    ] = FailOn.never,
) -> None:
    """What changed between two versions of the declarations, classified."""
    from discloser.errors import DiscloserError
    from discloser.release import diff as d
    from discloser.release.versions import from_folder, load_version

    try:
        old = load_version(base, folder)
        new = from_folder(folder) if head is None else load_version(head, folder)
    except DiscloserError as exc:
        if State.debug:
            raise
        _fail(str(exc), exc.exit_code)
    diffs = d.diff_versions(old, new)
    formatter = {"text": d.as_text, "json": d.as_json, "markdown": d.as_markdown}[
        output_format.value
    ]
    sys.stdout.write(formatter(diffs))
    if fail_on is FailOn.material and any(f.unacknowledged for f in diffs):
        raise typer.Exit(1)


@app.command()
def release(
    folder: Annotated[
        str, typer.Argument(help="The declarations folder whose ledger to extend.")
    ] = DEFAULT_DECLARATIONS,
    config: ConfigOpt = None,
    key: Annotated[
        Path | None,
        typer.Option(
            "--key",
            help="The private signing key file (default: $DISCLOSER_SIGNING_KEY_FILE, or the "
            "key itself in $DISCLOSER_SIGNING_KEY).",
        ),
    ] = None,
) -> None:
    """Append each new revision to the ledger and sign its checkpoint (a transparency log)."""
    from discloser.config import load_settings
    from discloser.errors import DiscloserError
    from discloser.output import replace_file
    from discloser.release import ledger
    from discloser.release import log as tlog
    from discloser.report import FORMATS
    from discloser.validate import keep_declaration, validate_then

    try:
        # Parse once: the declarations validation loaded are the ones released.
        report, declarations = validate_then([folder], load_settings(config), keep_declaration)
        if report.errors:
            sys.stdout.write(FORMATS["text"](report, _color("text")))
            _fail("not released: fix the errors above first", 1)
        path = ledger.ledger_path(Path(folder))
        entries, _ = ledger.read(path)
        signer = tlog.load_signer(key)
        before = tlog.load(Path(folder))
        previous = tlog.check_release(before, signer)
        new = ledger.plan(entries, declarations)
        signed = tlog.release_head(before, new, signer, previous)
        ledger.append(path, new)
        if signed is not None and signed != before.note_text:
            replace_file(Path(folder) / tlog.CHECKPOINT_NAME, signed)
    except DiscloserError as exc:
        if State.debug:
            raise
        _fail(str(exc), exc.exit_code)
    for entry in new:
        typer.echo(
            f"released {entry['feature']} revision {entry['revision']} ({entry['notice_hash']})"
        )
    typer.echo(f"{path}: {len(entries) + len(new)} entries, {len(new)} new")
    if signed is None:
        typer.echo("checkpoint: none signed: no signing key (discloser keygen makes one)", err=True)
    else:
        typer.echo(
            f"{Path(folder) / tlog.CHECKPOINT_NAME}: signed at size {len(before.leaves) + len(new)}"
        )


@app.command("verify-receipt")
def verify_receipt(
    receipt_file: Annotated[Path, typer.Argument(metavar="FILE", help="A receipt (JSON).")],
    folder: Annotated[
        str, typer.Option("--path", help="The declarations folder (and its ledger).")
    ] = DEFAULT_DECLARATIONS,
    key: VerifierKeyOpt = None,
) -> None:
    """Check a consent receipt: the notice was published, and its signed proof holds."""
    import json

    from discloser.errors import DiscloserError
    from discloser.load.discover import discover
    from discloser.release import ledger, receipts
    from discloser.release import log as tlog
    from discloser.validate import SchemaErrors, read_declaration

    try:
        raw = receipt_file.read_bytes()
    except OSError as exc:
        _fail(f"{receipt_file}: cannot read ({exc.strerror})", 2)
    try:
        receipt = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        _fail(f"{receipt_file}: not a receipt: not JSON ({exc})", 1)
    try:
        current = {}
        has_ledger = ledger.ledger_path(Path(folder)).is_file()
        for source in discover([folder]) if not has_ledger else _quiet_discover(folder):
            try:
                d = read_declaration(source)[0]
            except (SchemaErrors, DiscloserError):
                continue  # an invalid declaration proves nothing; the ledger may still
            current[d.id] = d
        entries, problems = ledger.read(ledger.ledger_path(Path(folder)))
        trusted = tlog.read_trusted(key) if key is not None else None
        log = tlog.load(Path(folder))
    except DiscloserError as exc:
        _fail(str(exc), exc.exit_code)
    if problems:
        where = f"{ledger.ledger_path(Path(folder))}:{problems[0].line}"
        _fail(f"{where}: ledger broken: {problems[0].message}", 1)
    verdict = receipts.verify(receipt, current, entries, log, trusted)
    if not verdict.valid:
        for problem in verdict.problems:
            typer.echo(f"{receipt_file}: invalid: {problem}", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"{receipt_file}: valid: {receipt['decision']} for {receipt['feature']} revision "
        f"{receipt['revision']} ({verdict.source})"
    )
    if verdict.proven:
        typer.echo(f"{receipt_file}: proven: {verdict.proven}")
    for line in verdict.notes:
        typer.echo(f"{receipt_file}: note: {line}", err=True)


class SchemaKind(StrEnum):
    declaration = "declaration"
    notice = "notice"


@app.command()
def schema(
    kind: Annotated[
        SchemaKind, typer.Argument(help="declaration (default) or notice (the JSON twin).")
    ] = SchemaKind.declaration,
) -> None:
    """Print the JSON Schema of a declaration, or of the machine-readable notice."""
    if kind is SchemaKind.notice:
        from discloser.render.disclosure import twin_schema

        sys.stdout.write(twin_schema())
        return
    from discloser.schema import schema_text

    sys.stdout.write(schema_text())


@app.command()
def rules() -> None:
    """List every check: code, severity, name, and what it asks."""
    from discloser.findings import BUILTIN_CHECKS
    from discloser.rules.registry import all_rules

    for r in all_rules().values():
        typer.echo(f"{r.code}  {r.severity.value:<7}  {r.name:<34} {r.summary}")
    typer.echo("\nAlways on (reading and schema; cannot be switched off or waived):")
    for code, (name, severity, summary) in BUILTIN_CHECKS.items():
        typer.echo(f"{code}  {severity.value:<7}  {name:<34} {summary}")
    from discloser.check.codes import CODES

    typer.echo("\ndiscloser check (the app's code and manifests against the declarations):")
    for c in CODES.values():
        typer.echo(f"{c.code}  {c.severity.value:<7}  {c.name:<34} {c.summary}")


@app.command()
def init(
    feature_id: Annotated[str, typer.Argument(metavar="ID", help="The new feature's id.")],
    folder: Annotated[Path, typer.Option("--dir", help="Where to write <ID>.yaml.")] = Path(
        DEFAULT_DECLARATIONS
    ),
    templates: TemplatesOpt = Path("templates"),
) -> None:
    """Scaffold a declaration whose TODOs fail validation until answered."""
    from discloser.errors import DiscloserError
    from discloser.scaffold import scaffold

    schema_path = os.path.relpath(
        Path("schema/declaration.schema.json").resolve(), folder.resolve()
    )
    try:
        target = scaffold(feature_id, folder, schema_path, templates)
    except DiscloserError as exc:
        _fail(str(exc), exc.exit_code)
    typer.echo(f"wrote {target}: answer each TODO, then run `discloser validate {target}`")
    if not Path("schema/declaration.schema.json").is_file():
        typer.echo("for editor completion: discloser schema > schema/declaration.schema.json")


def _quiet_discover(folder: str) -> list[Source]:
    """The declarations beside a ledger, or none (a downloaded site holds only the ledger)."""
    from discloser.errors import DiscloserError
    from discloser.load.discover import discover

    try:
        return list(discover([folder]))
    except DiscloserError:
        return []


@app.command()
def keygen(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME", help="The log's name, a schema-less URL (example.com/disclosures)."
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write the PRIVATE key (outside git).")
    ],
    folder: Annotated[
        str, typer.Option("--path", help="The declarations folder (gets discloser-log.vkey).")
    ] = DEFAULT_DECLARATIONS,
) -> None:
    """Make the log's Ed25519 signing key; publish its verifier key beside the ledger."""
    from discloser.errors import DiscloserError
    from discloser.release import log as tlog
    from discloser.release.note import NoteError

    try:
        signer = tlog.keygen(name, out, Path(folder))
    except (DiscloserError, NoteError) as exc:
        _fail(str(exc), 2)
    typer.echo(
        f"wrote {out} (private: keep it out of the repository; give it to CI as ${tlog.KEY_ENV})",
        err=True,
    )
    typer.echo(f"added to {Path(folder) / tlog.VKEY_NAME} (public: commit it):", err=True)
    typer.echo(signer.verifier.text())


@app.command("verify-log")
def verify_log(
    saved: Annotated[
        Path, typer.Argument(metavar="OLD_CHECKPOINT", help="A checkpoint you saved earlier.")
    ],
    folder: Annotated[
        str, typer.Option("--path", help="The folder with the ledger (declarations or downloads).")
    ] = DEFAULT_DECLARATIONS,
    key: VerifierKeyOpt = None,
) -> None:
    """Prove that today's log extends a checkpoint saved earlier: nothing was rewritten."""
    from discloser.errors import DiscloserError
    from discloser.release import ledger
    from discloser.release import log as tlog

    try:
        text = tlog.read_saved(saved)
        log = tlog.load(Path(folder))
        _, problems = ledger.read(ledger.ledger_path(Path(folder)))
        if problems:
            where = f"{ledger.ledger_path(Path(folder))}:{problems[0].line}"
            _fail(f"{where}: ledger broken: {problems[0].message}", 1)
        trusted = tlog.read_trusted(key) if key is not None else log.verifiers
        if not trusted:
            _fail(f"{saved}: no verifier key: give --key FILE (the log has no {tlog.VKEY_NAME})")
        message = tlog.verify_log(log, text, trusted, str(saved))
    except DiscloserError as exc:
        if State.debug:
            raise
        _fail(str(exc), exc.exit_code)
    typer.echo(message)
    if key is None:
        typer.echo(
            f"note: the key came from {Path(folder) / tlog.VKEY_NAME}; --key with a copy you "
            "saved earlier makes the check independent of the publisher",
            err=True,
        )


@app.command()
def stores(
    paths: PathsArg = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder (replaced whole).")
    ] = Path("build/stores"),
    app_name: Annotated[
        str | None, typer.Option("--app", help="Only this app (from [[tool.discloser.apps]]).")
    ] = None,
    merge: Annotated[
        Path | None,
        typer.Option("--merge", help="The app's PrivacyInfo.xcprivacy to merge into (kept whole)."),
    ] = None,
    fastlane: Annotated[
        Path | None,
        typer.Option("--fastlane", help="The app's existing fastlane app_privacy_details.json."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Let --merge and --fastlane drop answers no feature implies."
        ),
    ] = False,
    play_template: Annotated[
        Path | None,
        typer.Option("--play-template", help="Data safety CSV exported from the Play Console."),
    ] = None,
    output_format: FormatOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write each app's store artefacts: privacy manifest, fastlane JSON, Play form, DPV."""
    from functools import partial

    from discloser.stores.job import Existing, run

    existing = Existing(merge, fastlane, play_template, replace)

    def job(p: list[str], o: Path, s: Settings, _t: Path | None) -> Report:
        return run(p, o, s, app_name, existing)

    _writing_job(partial(job), paths, out, Path("templates"), output_format, config, "wrote")


@app.command()
def check(
    app_paths: Annotated[
        list[str] | None,
        typer.Argument(metavar="APP_PATH", help="The app's folders or files (default: .)."),
    ] = None,
    declarations: Annotated[
        list[str] | None,
        typer.Option("--declarations", "-d", help="Declarations folder (default: declarations)."),
    ] = None,
    patterns: Annotated[
        list[Path] | None,
        typer.Option("--patterns", help="Extra signal pattern files or folders (YAML)."),
    ] = None,
    output_format: FormatOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    signals: Annotated[
        bool, typer.Option("--signals", help="Print the signals found (JSON), not findings.")
    ] = False,
    app_name: Annotated[
        str | None,
        typer.Option(
            "--app",
            help="Also compare the app's PrivacyInfo.xcprivacy and fastlane "
            "app_privacy_details.json with this app's store answers.",
        ),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Hold the declarations against the app's code and manifests; exit 1 on errors."""
    from discloser.check.run import check_app
    from discloser.config import load_settings
    from discloser.errors import DiscloserError
    from discloser.report import FORMATS

    chosen = _format(output_format)
    try:
        settings = load_settings(config) if app_name is not None else None
        result = check_app(
            app_paths or ["."],
            declarations or [DEFAULT_DECLARATIONS],
            patterns,
            settings,
            app_name,
        )
    except DiscloserError as exc:
        if State.debug:
            raise
        _fail(str(exc), exc.exit_code)
    if signals:
        import json
        from dataclasses import asdict

        doc = {"signals": [asdict(s) for s in result.signals]}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return
    sys.stdout.write(FORMATS[chosen](result.report, _color(chosen)))
    raise typer.Exit(1 if result.report.failed(strict) else 0)


def main() -> None:
    """Console-script entry point: no traceback reaches a pipeline unless --debug asks."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("discloser: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line; --debug shows the traceback
        if "--debug" in sys.argv:
            raise
        typer.echo(
            f"discloser: internal error: {type(exc).__name__}: {exc} (rerun with --debug)", err=True
        )
        sys.exit(2)
    finally:
        # The process ends here, and its last act would be a full collection over everything it
        # imported (~30 ms, a sixth of validating one file) to free what the exit frees anyway:
        # frozen objects are left out of it.
        gc.freeze()
