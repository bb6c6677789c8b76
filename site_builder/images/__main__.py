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

from .errors import ImageErrors
from .pipeline import ImagePipeline
from .settings import ImageSettings, ImageSettingsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_builder.images", description=__doc__)
    parser.add_argument("src", nargs="*", help="photos relative to images/ (default: every file in it)")
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder (holds images/)")
    parser.add_argument("--images-dir", default="images", help="the photos' folder in the project (default: images)")
    parser.add_argument("--out", type=Path, help="site folder to publish the variants into")
    parser.add_argument("--avif", action="store_true", help="also write AVIF")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)

    images = args.root / args.images_dir
    if not images.is_dir():
        print(f"error: no {args.images_dir}/ folder in {args.root}", file=sys.stderr)
        return 2
    try:
        settings = ImageSettings.from_config({"avif": True} if args.avif else {})
        pipeline = ImagePipeline(images, settings, project_root=args.root)
    except ImageSettingsError as e:
        print(f"error: {e}", file=sys.stderr)
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
    print(f"{st.sources} photos: {st.processed} processed, {st.cached} from cache ({st.seconds:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
