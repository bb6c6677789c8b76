"""`python -m site_builder.images`: process (and optionally publish) photos of images/.

Warms the cache and checks every photo; exits 1 with one line per problem. With
`--out SITE`, the variants are linked (else copied) from the cache into SITE at the
paths `ImagePipeline.outputs` lists.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from site_builder.files import link_or_copy
from site_builder.i18n import _, ngettext

from .errors import ImageErrors
from .pipeline import ImagePipeline
from .settings import ImageSettings, ImageSettingsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_builder.images",
                                     description=_("Process the photos of the photos' folder (and publish them with "
                                                   "--out); one line per problem."))
    parser.add_argument("src", nargs="*", help=_("photos, relative to the photos' folder (default: every file in it)"))
    parser.add_argument("--root", type=Path, default=Path("."), help=_("the project's folder (default: here)"))
    parser.add_argument("--images-dir", default="images", help=_("the photos' folder in the project (default: images)"))
    parser.add_argument("--out", type=Path, help=_("the site's folder to publish the photos into"))
    parser.add_argument("--avif", action="store_true", help=_("also write AVIF"))
    parser.add_argument("--no-progress", action="store_true", help=_("show no progress bar"))
    args = parser.parse_args(argv)

    images = args.root / args.images_dir
    if not images.is_dir():
        print(_("Error: there is no folder {folder}/ in {root}: name the photos' folder with --images-dir, or the "
                "project's folder with --root").format(folder=args.images_dir, root=args.root), file=sys.stderr)
        return 2
    try:
        settings = ImageSettings.from_config({"avif": True} if args.avif else {})
        pipeline = ImagePipeline(images, settings, project_root=args.root)
    except ImageSettingsError as e:
        print(_("Error: {message}").format(message=e), file=sys.stderr)
        return 2
    sources = args.src or sorted(
        p.relative_to(images).as_posix()
        for p in images.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(images).parts)
    )
    requests = [pipeline.request(s, field=None) for s in sources]
    try:
        processed = pipeline.process_all(requests, progress=False if args.no_progress else None)
    except ImageErrors as e:
        print(e, file=sys.stderr)
        return e.exit_code
    if args.out:
        for path, source in pipeline.outputs(processed):
            dest = args.out / path
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not dest.exists():  # names are content hashes
                link_or_copy(source, dest)
    st = pipeline.stats
    print(ngettext("{count} photo: {processed} processed, {cached} from the cache ({seconds:.2f} s)",
                   "{count} photos: {processed} processed, {cached} from the cache ({seconds:.2f} s)", st.sources)
          .format(count=st.sources, processed=st.processed, cached=st.cached, seconds=st.seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
