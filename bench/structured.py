"""What structured data, embed cards and oEmbed files cost on an N-story synthetic site.

    python bench/structured.py [N ...]     (default: 2000)

Prepares a build of N synthetic stories (bench/synthetic.py: content, catalog, routes, bodies,
photos; no page written), then times in CPU seconds, best of three:
  * json-ld:  the JSON-LD of every page (a story's NewsArticle, every page's BreadcrumbList, the
              profiles' Person/Organization, the home page's WebSite), as the page views make it
  * embeds:   the bytes of every embed card, oEmbed JSON and the cards' style sheet (`OUTPUT.files`)
  * write:    writing those through the SiteWriter into an empty folder (a folder and two files
              per story; cold file creation is what costs, see bench/build.py)
  * logo:     drawing the publisher's PNG logo
and prints ms in total and per story.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import make_project  # noqa: E402

from site_builder.build import BuildOptions, prepare_build  # noqa: E402
from site_builder.images.logo import logo_png  # noqa: E402
from site_builder.outputs import OutputContext, embeds  # noqa: E402
from site_builder.pages import present  # noqa: E402
from site_builder.settings import load_settings  # noqa: E402
from site_builder.writer import SiteWriter  # noqa: E402


def best(runs: int, work) -> float:
    """CPU seconds of this process (not wall clock: the machine may be shared) of the fastest of
    `runs` calls of `work()`."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def measure(n: int, folder: Path) -> None:
    root = make_project(folder / f"site-{n}", n)
    settings = load_settings(root / "mkdocs.yml")
    build = prepare_build(root, settings, BuildOptions(), parallel=True)
    catalog, generator = build.catalog, build.pages()
    plan = build.output_plan()
    context = OutputContext(plan.catalog, plan.settings, plan.page_urls, build.photos,
                            lambda item, base: build.bodies.html(item, build.photos, base), build.card_urls)

    def json_ld() -> None:
        present.home_json_ld(settings)
        for story in catalog.stories:
            cover = build.photos.view(story.cover)
            og = present.social_image(story, settings, build.photos, build.card_urls.get(story.slug))
            present.story_json_ld(story, catalog, settings, og, cover)
        for profile in catalog.profiles:
            present.profile_json_ld(profile, catalog, settings, build.photos.view(profile.photo), None)
        for task in build._tasks:  # every page but the home page shows breadcrumbs (3 on average)
            present.breadcrumbs_json_ld(settings, generator._crumbs(("Mục", "muc/"), (task.url, task.url)))

    def files() -> list:
        return list(embeds.OUTPUT.files(context))

    made = files()
    writes = iter(range(100))

    def write() -> None:
        site = folder / f"written-{n}-{next(writes)}"
        writer = SiteWriter(site, build.registry)
        for path, data in made:
            writer.write_bytes(path, data)

    figures = {"json-ld": best(3, json_ld), "embeds": best(3, files), "write": best(3, write), "logo": best(3, logo_png)}
    print(f"{n} stories, {len(build._tasks)} pages, {len(made)} embed files "
          f"({sum(len(d) for _, d in made) / 1e6:.1f} MB):")
    for name, seconds in figures.items():
        print(f"  {name:8} {seconds * 1000:8.1f} ms   {seconds * 1000 / n:6.3f} ms/story")
    total = sum(figures.values())
    print(f"  {'total':8} {total * 1000:8.1f} ms   {total * 1000 / n:6.3f} ms/story")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [2000]
    with tempfile.TemporaryDirectory(prefix="gs-bench-structured-") as tmp:
        for n in sizes:
            measure(n, Path(tmp))


if __name__ == "__main__":
    main()
