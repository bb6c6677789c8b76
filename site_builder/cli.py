"""`site-builder`: new, check, build, serve, admin, import, convert, stats, schema, unpublish, audit, server-config,
deploy.

`build` and `serve` run MkDocs with our plugin, so `mkdocs build` gives the same site.
Every message is in Vietnamese unless `--lang en` (or LANG=en...) asks for English
(`site_builder.i18n`); MkDocs' own progress chatter is not shown, its warnings
and errors are.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from site_builder import i18n
from site_builder.i18n import N_, _, ngettext

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _project_root(config_file: str) -> Path:
    return Path(config_file).resolve().parent


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def cmd_new(args: argparse.Namespace) -> int:
    from site_builder.content.scaffold import new_profile, new_story
    from site_builder.settings import SettingsError, load_settings

    root = _project_root(args.config_file)
    try:
        content_dir = load_settings(args.config_file).docs_dir
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        if args.what == "story":
            path = new_story(root, args.title, kind=args.kind, content_dir=content_dir)
        else:
            path = new_profile(root, args.title, kind=args.kind, content_dir=content_dir)
    except FileExistsError as exc:
        existing = _shown(Path(exc.filename).resolve(), root) if exc.filename else args.title
        print(
            _("Error: {path} already exists and was not overwritten: edit that file, or choose another title.")
            .format(path=existing),
            file=sys.stderr,
        )
        return 1
    except ValueError as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 1
    print(_shown(path, root))
    return 0


def _counts(stories: int | None = None, profiles: int | None = None, pages: int | None = None) -> list[str]:
    out = []
    if stories is not None:
        out.append(ngettext("{count} story", "{count} stories", stories).format(count=stories))
    if profiles is not None:
        out.append(ngettext("{count} profile", "{count} profiles", profiles).format(count=profiles))
    if pages is not None:
        out.append(ngettext("{count} page", "{count} pages", pages).format(count=pages))
    return out


def _errors(count: int) -> str:
    return ngettext("{count} error", "{count} errors", count).format(count=count)


def _warnings(count: int) -> str:
    return ngettext("{count} warning", "{count} warnings", count).format(count=count)


def cmd_check(args: argparse.Namespace) -> int:
    from site_builder.bodies import Bodies
    from site_builder.checking import check_bodies_and_photos
    from site_builder.content import validate_content
    from site_builder.content.errors import sort_issues
    from site_builder.settings import SettingsError, load_settings

    root = _project_root(args.config_file)
    try:
        settings = load_settings(args.config_file)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 1
    # `build` refuses a site without its address: say so here too
    setting_problems = [] if settings.site_url else SettingsError.missing_site_url(Path(args.config_file).name).problems
    content, issues = validate_content(root, settings.docs_dir, settings.privacy.require_consent,
                                       site_url=settings.site_url)
    items = [*content.stories, *content.profiles]
    bodies = Bodies(root / ".cache" / "bodies", root, settings.images_dir)
    issues += check_bodies_and_photos(root, settings, items, content.photos_of_rejected, bodies)
    issues += _route_conflicts(args, root, settings, content)
    issues = sort_issues(issues)
    for line in [*setting_problems, *map(str, issues)]:
        print(line, file=sys.stderr)
    sys.stderr.flush()
    errors = len(setting_problems) + sum(1 for i in issues if i.is_error)
    print(
        _("{content}; {errors}, {warnings}.").format(
            content=", ".join(_counts(stories=len(content.stories), profiles=len(content.profiles))),
            errors=_errors(errors),
            warnings=_warnings(len(issues) - errors),
        )
    )
    if errors:
        print(_("Correct the errors above (file:line: field: what to do), then check again."))
    return 1 if errors else 0


def _route_conflicts(args: argparse.Namespace, root: Path, settings, content) -> list:
    """What a build would find claimed twice: a `content/index.md` and the home page, a static file
    and one of ours... (MkDocs says which files it would write itself)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from site_builder.build import route_conflicts
    from site_builder.plugin import content_files, mkdocs_outputs, own_sitemap

    config = load_config(config_file=args.config_file)
    own_sitemap(config)
    files = get_files(config)
    content_files(files, config)
    return route_conflicts(root, settings, content, mkdocs_outputs(files, config, root))


def _missing_config(args: argparse.Namespace) -> bool:
    if Path(args.config_file).is_file():
        return False
    print(
        _("Error: there is no {file} here: run the command in the site's folder, or name the file with -f.")
        .format(file=args.config_file),
        file=sys.stderr,
    )
    return True


def _load_config(args: argparse.Namespace, **overrides):
    from mkdocs.config import load_config

    config = load_config(config_file=args.config_file, **overrides)
    plugin = config.plugins.get("site_builder")
    if plugin is None:
        raise SystemExit(
            _("Error: {file} does not use the site_builder plugin: add it under 'plugins:'.").format(
                file=args.config_file
            )
        )
    return config, plugin


def cmd_build(args: argparse.Namespace) -> int:
    from site_builder import fonts

    started = time.monotonic()
    if _missing_config(args):
        return 1
    # The fonts depend on nothing in the project: subset them (on a cold cache) while
    # MkDocs and the content load.
    fonts.prepare_in_background(_project_root(args.config_file) / ".cache" / "fonts")
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    from site_builder.files import DiskFull, is_disk_full

    try:
        config, plugin = _load_config(args, strict=args.strict or None, site_dir=args.site_dir)
        plugin.overrides.update(drafts=args.drafts, future=args.future)
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
    except MkDocsException as exc:
        if not isinstance(exc, Abort):  # an Abort's reason has been logged above
            print(_("Error: {message}").format(message=exc), file=sys.stderr)
        if args.strict:
            print(_("With --strict, warnings stop the build too."), file=sys.stderr)
        print(
            _("The build failed; the site built before is kept. Correct the errors above, then build again."),
            file=sys.stderr,
        )
        return 1
    except OSError as exc:  # MkDocs' own writes (the theme's files) on a full disk
        if not is_disk_full(exc):
            raise
        # shutil's copies name the source in `filename` and the file written in `filename2`.
        written = exc.filename2 or exc.filename or "."
        print(_("Error: {message}").format(message=DiskFull(Path(written).parent)), file=sys.stderr)
        print(_("The build failed; the site built before is kept. Correct the errors above, then build again."),
              file=sys.stderr)
        return 1
    summary = plugin.summary
    if os.environ.get("GUONGSANG_TIMINGS"):  # for bench/ scripts: the parts' seconds, as JSON on stderr
        print("timings: " + json.dumps(summary), file=sys.stderr)
    print(
        _("Site built: {counts}, {warnings}, {seconds:.2f} seconds → {site}").format(
            counts=", ".join(_counts(stories=summary["stories"], pages=summary["pages"])),
            warnings=_warnings(summary["warnings"]),
            seconds=time.monotonic() - started,
            site=config.site_dir,
        )
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    if _missing_config(args):
        return 1
    print(
        _("Preview at http://{address}/ (drafts included); it updates when a file changes. Press Ctrl+C to stop.")
        .format(address=args.dev_addr),
        flush=True,
    )
    serve(config_file=args.config_file, dev_addr=args.dev_addr, livereload=True, open_in_browser=False)
    return 0


def cmd_admin(args: argparse.Namespace) -> int:
    import getpass

    from site_builder import admin
    from site_builder.admin import auth
    from site_builder.settings import SettingsError, load_settings

    if args.add_user:
        if not args.password_file:
            print(_("Error: name the password file with --password-file FILE."), file=sys.stderr)
            return 2
        password = getpass.getpass(_("Password for {user}: ").format(user=args.add_user))
        if getpass.getpass(_("The same password again: ")) != password:
            print(_("Error: the two passwords differ; nothing was changed."), file=sys.stderr)
            return 1
        try:
            auth.add_user(Path(args.password_file), args.add_user, password)
        except ValueError as exc:
            print(_("Error: {message}").format(message=exc), file=sys.stderr)
            return 1
        print(_("{user} can now log in to the editor.").format(user=args.add_user))
        return 0
    if _missing_config(args):
        return 1
    root = _project_root(args.config_file)
    try:
        settings = load_settings(args.config_file)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 1
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    print(_("Editor at http://{host}:{port}/admin/ (the site's preview: {site}). Press Ctrl+C to stop.")
          .format(host=shown_host, port=args.port, site=args.site), flush=True)
    try:
        admin.run(root, settings, args.host, args.port, args.site,
                  Path(args.password_file) if args.password_file else None, args.git)
    except (FileNotFoundError, PermissionError, ValueError) as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 2
    except OSError as exc:
        print(_("Error: cannot listen on {host}:{port} ({reason}): is the editor already running? Use "
                "--port to choose another port.").format(host=args.host, port=args.port, reason=exc.strerror or exc),
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def _import_row(result, root: Path) -> list[str]:
    """The summary table's row of one imported file."""
    status = {
        "imported": _("imported"), "planned": _("would be imported"), "exists": _("already exists"),
        "error": _("error"),
    }[result.status]
    story = _shown(result.story.resolve(), root) if result.story is not None else ""
    review = str(len(result.draft.review)) if result.draft is not None and result.ok else ""
    return [str(result.source), status, story, str(len(result.photos)) if result.ok else "", review,
            str(len(result.unrecognised))]


def _print_import(result, root: Path) -> None:
    """What became of one file, and what could not be recognised in it."""
    shown = str(result.source)
    if result.ok:
        verb = _("imported") if result.status == "imported" else _("would be imported")
        print(_("{file}: {verb} → {story}").format(file=shown, verb=verb, story=_shown(result.story.resolve(), root)))
        for photo in result.photos:
            print("  " + _("photo: {path}").format(path=photo.src) + (_(" (already there)") if photo.reuse else ""))
        if result.converted:
            print("  " + ngettext("{count} paragraph converted from {encodings} to Unicode",
                                  "{count} paragraphs converted from {encodings} to Unicode", result.converted)
                  .format(count=result.converted, encodings=", ".join(sorted(result.encodings))))
        for note in result.draft.notes:
            print("  " + note)
        if result.draft.removed:
            removed = ", ".join(repr(r[:40]) for r in result.draft.removed[:8])
            print("  " + _("left out as page furniture: {items}").format(items=removed)
                  + (" …" if len(result.draft.removed) > 8 else ""))
        print("  " + ngettext("{count} point to check, listed under 'review:' in the story",
                              "{count} points to check, listed under 'review:' in the story",
                              len(result.draft.review)).format(count=len(result.draft.review)))
    else:
        print(_("{file}: error: {message}").format(file=shown, message=result.error), file=sys.stderr)
    for item in result.unrecognised:
        print("  " + _("not recognised: {item}").format(item=item))


def cmd_import(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from site_builder.importers import Importer
    from site_builder.settings import SettingsError, load_settings

    root = _project_root(args.config_file)
    if _missing_config(args):
        return 1
    try:
        settings = load_settings(args.config_file)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 1
    images = Path(args.images) if args.images else None
    if images is not None and not images.is_dir():
        print(_("Error: the photo folder {folder} does not exist.").format(folder=args.images), file=sys.stderr)
        return 1
    importer = Importer(root, settings.content_dir(root), settings.photos_dir(root), images=images,
                        dry_run=args.dry_run)
    results = importer.run([Path(p) for p in args.paths])
    for result in results:
        _print_import(result, root)
    sys.stdout.flush()
    sys.stderr.flush()
    table = Table(title=_("Import"), show_lines=False)
    for column in (_("File"), _("Result"), _("Story"), _("Photos"), _("To check"), _("Not recognised")):
        table.add_column(column)
    for result in results:
        table.add_row(*_import_row(result, root))
    Console(width=max(100, Console().width), soft_wrap=False).print(table)
    done = sum(1 for r in results if r.ok)
    print(_("{done} of {total} articles imported; {failed} not.").format(
        done=done, total=len(results), failed=len(results) - done) if not args.dry_run else
        _("Dry run: {done} of {total} articles would be imported; nothing was written.").format(
            done=done, total=len(results)))
    if not results:
        print(_("Error: no .txt, .html, .htm or .docx file was found."), file=sys.stderr)
        return 1
    return 0 if done == len(results) else 1


def cmd_convert(args: argparse.Namespace) -> int:
    from site_builder.files import DiskFull
    from site_builder.importers.convert import convert_files

    try:
        results = convert_files([Path(p) for p in args.paths], dry_run=args.dry_run)
    except (OSError, DiskFull) as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 1
    for result in results:
        if not result.changed:
            continue
        print(_("{file}: {legacy} lines from {encodings}, {other} other lines normalised").format(
            file=result.path, legacy=result.legacy, encodings=", ".join(sorted(result.encodings)) or "-",
            other=result.normalised) + (_(" (dry run: not written)") if args.dry_run else ""))
    changed = sum(1 for r in results if r.changed)
    print(ngettext("{count} file converted.", "{count} files converted.", changed).format(count=changed))
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


def _load_content(args: argparse.Namespace):
    """(root, settings, content, issues), read with the site's settings as `build` reads it (consent rule,
    the site's address for old addresses); SettingsError passes up."""
    from site_builder.content import validate_content
    from site_builder.settings import load_settings

    root = _project_root(args.config_file)
    settings = load_settings(args.config_file)
    content, issues = validate_content(root, settings.docs_dir, settings.privacy.require_consent,
                                       site_url=settings.site_url)
    return root, settings, content, issues


def _all_content(args: argparse.Namespace):
    """(root, settings, every valid story and profile) for the takedown commands, or None when there
    is no configuration or its settings are wrong (said on stderr)."""
    from site_builder.settings import SettingsError

    if _missing_config(args):
        return None
    try:
        root, settings, content, _issues = _load_content(args)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return None
    return root, settings, [*content.stories, *content.profiles]


def cmd_unpublish(args: argparse.Namespace) -> int:
    from site_builder import vietnamese as vi
    from site_builder.takedown.record import WithdrawError, find, withdraw, withdrawn_items

    loaded = _all_content(args)
    if loaded is None:
        return 1
    root, _settings, items = loaded
    if args.list:
        listed = withdrawn_items(items)
        for w in listed:
            kind = _("story") if w.what == "story" else _("profile")
            print(f"{w.date:%d/%m/%Y}  {kind}  {w.slug}  ({_shown(w.path, root)})")
            print("    " + _("reason: {reason}").format(reason=w.reason))
        print(ngettext("{count} withdrawn.", "{count} withdrawn.", len(listed)).format(count=len(listed)))
        return 0
    if not args.slug:
        print(_("Error: name the story or profile to withdraw (its slug), or use --list."), file=sys.stderr)
        return 2
    what = "story" if args.story else "profile" if args.profile else None
    try:
        item = find(items, args.slug, what)
        path = withdraw(item, args.reason or "", vi.now_in_vietnam().date())
    except WithdrawError as exc:
        print(_("Error: {slug}: {message}; nothing was changed.").format(slug=args.slug, message=exc), file=sys.stderr)
        return 1
    print(_("{file}: withdrawn. From the next build ('site-builder build') it is gone from every page, photo, feed, "
            "sitemap, search result and file of the site; its address shows a removal notice. To publish it again, "
            "delete the lines 'withdrawn:' in that file.").format(file=_shown(path, root)))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from site_builder.images import ImagePipeline
    from site_builder.settings import image_settings
    from site_builder.takedown.purge import audit_site, leak_report, withdrawn_traces
    from site_builder.takedown.record import WithdrawError, find

    loaded = _all_content(args)
    if loaded is None:
        return 1
    root, settings, items = loaded
    try:
        item = find(items, args.slug, None)
    except WithdrawError as exc:
        print(_("Error: {slug}: {message}").format(slug=args.slug, message=exc), file=sys.stderr)
        return 2
    if item.withdrawn is None:
        print(_("Error: {slug} is not withdrawn: withdraw it first with 'site-builder unpublish {slug} --reason \"...\"', "
                "then build").format(slug=args.slug), file=sys.stderr)
        return 2
    site_dir = Path(args.site_dir) if args.site_dir else root / settings.site_dir
    if not site_dir.is_dir():
        print(_("Error: there is no built site in {folder}: build it first").format(folder=site_dir), file=sys.stderr)
        return 2
    photos = ImagePipeline(settings.photos_dir(root), image_settings(settings.images), project_root=root)
    leaks = audit_site(site_dir, withdrawn_traces([item], root, photos, settings.images_dir))
    if leaks:
        print(leak_report(leaks, shown_most=10_000))
        return 1
    print(_("{slug}: no file of {folder} holds its title, summary, address or photos.").format(
        slug=args.slug, folder=site_dir))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """The statistics tables of /thong-ke/ in the terminal (or as CSV), for a report."""
    from site_builder.catalog import build_catalog
    from site_builder.settings import SettingsError
    from site_builder.stats import UnknownProvince, compute
    from site_builder.vietnamese import now_in_vietnam

    try:
        _root, _settings, content, issues = _load_content(args)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 1
    errors = [i for i in issues if i.is_error]
    if errors:
        for issue in errors:
            print(issue, file=sys.stderr)
        print(_("Correct the errors above (file:line: field: what to do), then check again."), file=sys.stderr)
        return 1
    catalog = build_catalog(content, now_in_vietnam())
    try:
        stats = compute(catalog, year=args.year, province=args.province or "")
    except UnknownProvince as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 1
    if args.csv:
        _print_stats_csv(stats)
    else:
        _print_stats(stats)
    return 0


def _print_stats(stats) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable

    from site_builder.stats.tables import COUNT
    from site_builder.vietnamese import format_count

    console = Console(highlight=False)
    scope = [ngettext("{count} story", "{count} stories", stats.stories).format(count=format_count(stats.stories))]
    if stats.year is not None:
        scope.append(_("published in {year}").format(year=stats.year))
    if stats.province:
        scope.append(_("in {province}").format(province=stats.province))
    console.print(_("Statistics: {scope}").format(scope=", ".join(scope)), style="bold")
    for table in stats.tables:
        shown = RichTable(title=_(table.title), title_justify="left", title_style="bold")
        if table.group_label:
            shown.add_column(_(table.group_label))
        shown.add_column(_(table.label))
        shown.add_column(_(COUNT), justify="right")
        for row in table.rows:
            cells = [row.label, format_count(row.count)]
            shown.add_row(*([row.group, *cells] if table.group_label else cells))
        console.print()
        console.print(shown)


def _print_stats_csv(stats) -> None:
    """Every table in one CSV (one line per row: table, province, item, count), UTF-8 with BOM for Excel."""
    import csv

    from site_builder.stats.tables import COUNT

    writer = csv.writer(sys.stdout)
    sys.stdout.write("\ufeff")
    writer.writerow([_("Table"), _("Province or city"), _("Item"), _(COUNT)])
    for table in stats.tables:
        for row in table.rows:
            writer.writerow([_(table.title), row.group, row.label, row.count])


def _site_folder(args: argparse.Namespace) -> Path | None:
    """The built site: --site, else the settings' site_dir (None, said on stderr, when unreadable)."""
    if args.site:
        return Path(args.site)
    from site_builder.settings import SettingsError, load_settings

    try:
        settings = load_settings(args.config_file)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return None
    return _project_root(args.config_file) / settings.site_dir


def cmd_server_config(args: argparse.Namespace) -> int:
    from urllib.parse import urlsplit

    from site_builder import server_config
    from site_builder.outputs.server_rules import RulesError, ServerRules
    from site_builder.routes import urls

    site = _site_folder(args)
    if site is None:
        return 1
    rules_file = site / urls.SERVER_RULES
    try:
        rules = ServerRules.from_json(rules_file.read_bytes(), str(rules_file))
    except FileNotFoundError:
        print(_("Error: {file} does not exist: build the site first ('site-builder build'), or name the built site "
                "with --site.").format(file=rules_file), file=sys.stderr)
        return 1
    except RulesError as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 1
    name = args.server_name
    if name is None and Path(args.config_file).is_file():  # the host of site_url
        from site_builder.settings import SettingsError, load_settings

        try:
            name = urlsplit(load_settings(args.config_file).site_url).hostname
        except SettingsError:
            name = None
    if args.server == "s3":
        print(json.dumps(server_config.object_store(rules), ensure_ascii=False, indent=2))
    elif args.server == "nginx":
        print(server_config.nginx(rules, args.root, listen=args.listen or "80", server_name=name or "_"), end="")
    else:
        address = args.listen if args.listen and args.listen.startswith(":") else (name or "") + (
            f":{args.listen}" if args.listen else "")
        print(server_config.caddy(rules, args.root, address), end="")
    return 0


def cmd_deploy(args: argparse.Namespace) -> int:
    from site_builder import deploy
    from site_builder.files import human_size

    dest = deploy.target(args.dest, rsh=args.rsh)
    try:
        if args.rollback:
            before, after, rules_changed = deploy.rollback(dest)
            print(_("Rolled back: {dest} now serves release {after} (instead of {before}).")
                  .format(dest=dest, after=after, before=before))
        else:
            site = _site_folder(args)
            if site is None:
                return 1
            result = deploy.deploy(site, dest, keep=args.keep)
            rules_changed = result.rules_changed
            if result.first:
                print(_("The first release at {dest}: make the web server serve {dest}/current with the configuration "
                        "of 'site-builder server-config nginx' (or caddy), see README.").format(dest=dest))
            print(_("Deployed release {release} to {dest}: {files} files, {reused} unchanged reused, {size} written.")
                  .format(release=result.release, dest=dest, files=result.files, reused=result.reused,
                          size=human_size(result.bytes_written)))
    except deploy.DeployError as exc:
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 1
    except OSError as exc:
        from site_builder.files import os_reason

        print(_("Error: {dest}: {reason}; the site served before is unchanged.").format(dest=dest,
                                                                                     reason=os_reason(exc)),
              file=sys.stderr)
        return 1
    if rules_changed:
        print(_("The server rules (redirects, withdrawn stories, the Content-Security-Policy) differ from those of "
                "the release served before: make the server configuration again ('site-builder server-config "
                "nginx') and reload the server."))
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse, whose messages come translated through gettext (`i18n.set_language`), plus a hint."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        text = _("{prog}: error: {message}").format(prog=self.prog, message=message)
        hint = _("Run '{prog} --help' to see the commands and their options.").format(prog=self.prog)
        self.exit(2, f"{text}\n{hint}\n")


def _add_lang(parser: argparse.ArgumentParser, default=None) -> None:
    parser.add_argument(
        "--lang", choices=i18n.LANGUAGES, default=default,
        help=_("language of the messages: vi or en (default: from LANGUAGE/LANG, else vi)"),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="site-builder", description=_("Gương Sáng: build the website of good people, good deeds."))
    parser.add_argument(
        "-f", "--config-file", default="mkdocs.yml", metavar=_("FILE"),
        help=_("the site's configuration file (default: mkdocs.yml)"),
    )
    _add_lang(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar=_("COMMAND"), title=_("commands"))

    def command(name: str, help: str) -> argparse.ArgumentParser:
        # `--lang` is accepted after the command too; it must not reset the one given before it.
        p = sub.add_parser(name, help=help, description=help)
        _add_lang(p, default=argparse.SUPPRESS)
        return p

    new = command("new", _("create a new story or profile (never overwrites a file)"))
    new.add_argument("what", choices=["story", "profile"], metavar="{story,profile}", help=_("story or profile"))
    new.add_argument("title", metavar=_("TITLE"), help=_("the story's title or the profile's name"))
    new.add_argument("--kind", default="ca-nhan", metavar=_("KIND"), help="ca-nhan | tap-the | mo-hinh | tin-tong-hop")
    new.set_defaults(func=cmd_new)

    check = command("check", _("check the content and list every problem"))
    check.set_defaults(func=cmd_check)

    build = command("build", _("build the site into site/"))
    build.add_argument("--strict", action="store_true", help=_("treat warnings as errors"))
    build.add_argument("--drafts", action="store_true", help=_("include drafts"))
    build.add_argument("--future", action="store_true", help=_("include stories scheduled for later"))
    build.add_argument("-d", "--site-dir", default=None, metavar=_("FOLDER"), help=_("output folder"))
    build.set_defaults(func=cmd_build)

    serve = command("serve", _("preview the site on this computer (drafts included)"))
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar=_("ADDRESS"),
                       help=_("address and port (default: 127.0.0.1:8000)"))
    serve.set_defaults(func=cmd_serve)

    admin = command("admin", _("open the browser editor (Decap CMS) on this computer"))
    admin.add_argument("--port", type=int, default=8001, metavar=_("PORT"), help=_("port (default: 8001)"))
    admin.add_argument("--host", default="127.0.0.1", metavar=_("ADDRESS"),
                       help=_("address to listen on (default: 127.0.0.1, this computer only; any other needs "
                              "--password-file)"))
    admin.add_argument("--password-file", default=None, metavar=_("FILE"),
                       help=_("file of the users allowed to log in (salted password hashes)"))
    admin.add_argument("--add-user", default=None, metavar=_("NAME"),
                       help=_("add a user (or change a password) in the --password-file, then stop"))
    admin.add_argument("--git", action="store_true", help=_("commit every file the editor writes with git"))
    admin.add_argument("--site", default="http://127.0.0.1:8000/", metavar=_("ADDRESS"),
                       help=_("address of the site's preview, for 'Xem trên trang' (default: http://127.0.0.1:8000/)"))
    admin.set_defaults(func=cmd_admin)

    imports = command("import", _("import published articles (.txt, .html, .docx) as draft stories, with their "
                                  "photos (never overwrites a file)"))
    imports.add_argument("paths", nargs="+", metavar=_("FILE_OR_FOLDER"), help=_("articles, or folders of articles"))
    imports.add_argument("--dry-run", action="store_true", help=_("say what would be written; write nothing"))
    imports.add_argument("--images", default=None, metavar=_("FOLDER"),
                         help=_("a folder where the articles' photos are (besides next to the articles)"))
    imports.set_defaults(func=cmd_import)

    convert = command("convert", _("rewrite text typed in the old VNI or TCVN3 encodings in Unicode (content files)"))
    convert.add_argument("paths", nargs="+", metavar=_("FILE_OR_FOLDER"), help=_("content files or folders"))
    convert.add_argument("--dry-run", action="store_true", help=_("say what would change; write nothing"))
    convert.set_defaults(func=cmd_convert)

    stats = command("stats", _("print the statistics of the published stories (the tables of /thong-ke/)"))
    stats.add_argument("--year", type=int, default=None, metavar=_("YEAR"),
                       help=_("only the stories published in this year"))
    stats.add_argument("--province", default=None, metavar=_("PROVINCE"),
                       help=_("only the stories of this province: today's, or one before the 2025 reform"))
    stats.add_argument("--csv", action="store_true", help=_("print the tables as CSV (for Excel) instead"))
    stats.set_defaults(func=cmd_stats)

    schema = command("schema", _("write the JSON Schemas of the front matter (for VS Code)"))
    schema.add_argument("-o", "--output", default="schemas", metavar=_("FOLDER"),
                        help=_("output folder (default: schemas)"))
    schema.set_defaults(func=cmd_schema)

    unpublish = command("unpublish", _("withdraw a story or profile from the site (records date and reason in its file)"))
    unpublish.add_argument("slug", nargs="?", metavar="SLUG", help=_("the story's or profile's slug (in its address)"))
    unpublish.add_argument("--reason", metavar=_("TEXT"), help=_("why it is withdrawn (kept in the file, never published)"))
    unpublish.add_argument("--list", action="store_true", help=_("list what is withdrawn, when and why"))
    which = unpublish.add_mutually_exclusive_group()
    which.add_argument("--story", action="store_true", help=_("the slug is a story's"))
    which.add_argument("--profile", action="store_true", help=_("the slug is a profile's"))
    unpublish.set_defaults(func=cmd_unpublish)

    audit = command("audit", _("check that a built site holds nothing of a withdrawn story or profile"))
    audit.add_argument("slug", metavar="SLUG", help=_("the withdrawn story's or profile's slug"))
    audit.add_argument("-d", "--site-dir", default=None, metavar=_("FOLDER"), help=_("the built site (default: site/)"))
    audit.set_defaults(func=cmd_audit)
    server_config = command("server-config", _("print a web server configuration for the built site (s3: what an object "
                                        "store and its CDN need, as JSON)"))
    server_config.add_argument("server", choices=["nginx", "caddy", "s3"], help="nginx | caddy | s3")
    server_config.add_argument("--root", default="/srv/guongsang/current", metavar=_("FOLDER"),
                        help=_("the folder the server serves (default: /srv/guongsang/current)"))
    server_config.add_argument("--site", default=None, metavar=_("FOLDER"),
                        help=_("the built site whose rules are used (default: the site_dir of the settings)"))
    server_config.add_argument("--listen", default=None, metavar=_("ADDRESS"),
                        help=_("address and port to listen on (default: 80)"))
    server_config.add_argument("--server-name", default=None, metavar=_("NAME"),
                        help=_("the site's host name (default: from site_url)"))
    server_config.set_defaults(func=cmd_server_config)

    deploy = command("deploy", _("publish the built site as a new release and switch to it"))
    deploy.add_argument("dest", metavar=_("DEST"), help=_("a folder, or user@host:/folder (rsync over ssh)"))
    deploy.add_argument("--keep", type=int, default=5, metavar="N", help=_("releases to keep (default: 5)"))
    deploy.add_argument("--rollback", action="store_true", help=_("switch back to the release before the current one"))
    deploy.add_argument("--site", default=None, metavar=_("FOLDER"),
                        help=_("the built site (default: the site_dir of the settings)"))
    deploy.add_argument("--rsh", default="ssh", metavar=_("COMMAND"),
                        help=_("the remote shell for a host:folder target (default: ssh)"))
    deploy.set_defaults(func=cmd_deploy)

    return parser


def _language_option(argv: list[str]) -> str | None:
    """The value of `--lang` in `argv`, read before argparse so its own messages are translated."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.partition("=")[2]
        if (arg == "--lang" or arg.startswith("--lang=")) and value in i18n.LANGUAGES:
            return value
    return None


_LEVELS = {"WARNING": N_("WARNING"), "ERROR": N_("ERROR"), "CRITICAL": N_("ERROR")}


class _LogFormatter(logging.Formatter):
    """`LEVEL   - message`, with the level's name translated."""

    def format(self, record: logging.LogRecord) -> str:
        record.levelname_shown = _(_LEVELS[record.levelname]) if record.levelname in _LEVELS else record.levelname
        return super().format(record)


def _setup_logging() -> None:
    """Warnings and errors only: MkDocs' INFO lines ("Building documentation...") are English
    chatter; the commands print their own summary."""
    handler = logging.StreamHandler()
    handler.setFormatter(_LogFormatter("%(levelname_shown)-8s - %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(_language_option(argv) or i18n.language_from_environment())
    args = build_parser().parse_args(argv)
    _setup_logging()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
