"""`site-builder`: new, check, build, serve, schema.

`build` and `serve` run MkDocs with our plugin, so `mkdocs build` gives the same site.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _project_root(config_file: str) -> Path:
    return Path(config_file).resolve().parent


def cmd_new(args: argparse.Namespace) -> int:
    from site_builder.content.scaffold import new_profile, new_story

    root = _project_root(args.config_file)
    try:
        if args.what == "story":
            path = new_story(root, args.title, kind=args.kind)
        else:
            path = new_profile(root, args.title, kind=args.kind)
    except FileExistsError as exc:
        print(f"Lỗi: tệp đã tồn tại, không ghi đè: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    print(path.relative_to(root) if path.is_relative_to(root) else path)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from site_builder.content import validate_content

    from site_builder.bodies import Bodies
    from site_builder.content.errors import sort_issues
    from site_builder.images import ImagePipeline, photo_requests
    from site_builder.settings import SettingsError, image_settings, load_settings

    root = _project_root(args.config_file)
    try:
        settings = load_settings(args.config_file)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 1
    content, issues = validate_content(root)
    items = [*content.stories, *content.profiles]
    bodies = Bodies(root / ".cache" / "bodies", root)
    issues += bodies.prepare(items)
    photos = ImagePipeline(settings.photos_dir(root), image_settings(settings.images), project_root=root)
    issues += [e.to_issue(root=root) for e in photos.check_all(photo_requests(photos, items, bodies.photo_refs))]
    issues = sort_issues(issues)
    for issue in issues:
        print(issue, file=sys.stderr)
    sys.stderr.flush()
    errors = [i for i in issues if i.is_error]
    print(
        f"{len(content.stories)} bài viết, {len(content.profiles)} hồ sơ; "
        f"{len(errors)} lỗi, {len(issues) - len(errors)} cảnh báo."
    )
    return 1 if errors else 0


def _load_config(args: argparse.Namespace, **overrides):
    from mkdocs.config import load_config

    config = load_config(config_file=args.config_file, **overrides)
    plugin = config.plugins.get("site_builder")
    if plugin is None:
        raise SystemExit(f"{args.config_file}: plugins must include site_builder")
    return config, plugin


def cmd_build(args: argparse.Namespace) -> int:
    from site_builder import fonts

    started = time.monotonic()
    if Path(args.config_file).is_file():
        # The fonts depend on nothing in the project: subset them (on a cold cache) while
        # MkDocs and the content load.
        fonts.prepare_in_background(_project_root(args.config_file) / ".cache" / "fonts")
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from site_builder.files import DiskFull, is_disk_full

    try:
        config, plugin = _load_config(args, strict=args.strict or None, site_dir=args.site_dir)
        plugin.overrides.update(drafts=args.drafts, future=args.future)
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
    except MkDocsException as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        print("Bản dựng thất bại; trang đã dựng trước đó được giữ nguyên.", file=sys.stderr)
        return 1
    except OSError as exc:  # MkDocs' own writes (the theme's files) on a full disk
        if not is_disk_full(exc):
            raise
        print(f"Lỗi: {DiskFull(Path(exc.filename or '.').parent)}", file=sys.stderr)
        print("Bản dựng thất bại; trang đã dựng trước đó được giữ nguyên.", file=sys.stderr)
        return 1
    summary = dict(plugin.summary, seconds=round(time.monotonic() - started, 2))
    print(
        "Đã dựng xong: {stories} bài viết, {pages} trang, {warnings} cảnh báo, {seconds:.2f} giây → {site}".format(
            site=config.site_dir, **summary
        )
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    serve(config_file=args.config_file, dev_addr=args.dev_addr, livereload=True, open_in_browser=False)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from site_builder.content.schema import json_schema

    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    for kind in ("story", "profile"):
        path = out / f"{kind}.schema.json"
        path.write_text(json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="site-builder", description="Gương Sáng: dựng trang gương người tốt, việc tốt.")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="tệp cấu hình (mặc định: mkdocs.yml)")
    sub = parser.add_subparsers(dest="command", required=True)

    new = sub.add_parser("new", help="tạo bài viết hoặc hồ sơ mới (không ghi đè)")
    new.add_argument("what", choices=["story", "profile"])
    new.add_argument("title", help="tiêu đề bài viết hoặc tên hồ sơ")
    new.add_argument("--kind", default="ca-nhan", help="ca-nhan | tap-the | mo-hinh | tin-tong-hop")
    new.set_defaults(func=cmd_new)

    check = sub.add_parser("check", help="kiểm tra nội dung, báo mọi lỗi")
    check.set_defaults(func=cmd_check)

    build = sub.add_parser("build", help="dựng trang vào site/")
    build.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi")
    build.add_argument("--drafts", action="store_true", help="gồm cả bài nháp")
    build.add_argument("--future", action="store_true", help="gồm cả bài hẹn giờ đăng")
    build.add_argument("-d", "--site-dir", default=None, help="thư mục đầu ra")
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="xem trước tại máy (hiện cả bài nháp)")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    serve.set_defaults(func=cmd_serve)

    schema = sub.add_parser("schema", help="ghi JSON Schema của phần đầu (front matter)")
    schema.add_argument("-o", "--output", default="schemas")
    schema.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s - %(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
