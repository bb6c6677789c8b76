"""Site settings: declared once, read with or without MkDocs, every problem on its line of mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.settings import SettingsError, parse_settings

BASE = {"site_name": "Gương Sáng", "organisation": {"name": "Ban biên tập"}, "feedback": {"email": "a@example.vn"}}


def settings(**extra):
    return parse_settings({**BASE, **extra})


def test_social_cards_defaults_to_auto():
    assert settings().social_cards == "auto"


@pytest.mark.parametrize("value", ["auto", "all", "off"])
def test_social_cards_accepts_its_three_values(value):
    assert settings(social_cards=value).social_cards == value


def test_a_bare_yaml_off_is_off():
    assert settings(social_cards=False).social_cards == "off"  # `social_cards: off` in YAML 1.1


@pytest.mark.parametrize("value", ["some", "Auto", "", True, 1, None, ["all"]])
def test_a_bad_social_cards_value_is_an_error_naming_the_setting(value):
    with pytest.raises(SettingsError) as info:
        settings(social_cards=value)
    message = str(info.value)
    assert message.startswith("mkdocs.yml: plugins.site_builder.social_cards: ")
    assert "hãy viết một trong các giá trị 'auto', 'all', 'off'" in message


@pytest.mark.parametrize(
    "mode, covered, uncovered",
    [("auto", False, True), ("all", True, True), ("off", False, False)],
)
def test_which_stories_get_a_card(mode, covered, uncovered):
    s = settings(social_cards=mode)
    assert (s.wants_social_card(has_cover=True), s.wants_social_card(has_cover=False)) == (covered, uncovered)


# --- read from mkdocs.yml -----------------------------------------------------------------------

DEMO_CONFIG = Path(__file__).resolve().parents[1] / "mkdocs.yml"


def test_the_demo_settings_read_without_mkdocs():
    from site_builder.settings import load_settings

    s = load_settings(DEMO_CONFIG)
    assert s.site_name == "Gương Sáng" and s.docs_dir == "content" and s.images_dir == "images"
    assert s.site_url == "https://guongsang.example.vn/" and s.per_page == 24
    assert s.organisation.name.startswith("Ban Tuyên giáo")


def test_every_problem_names_its_line_of_mkdocs_yml(tmp_path):
    from site_builder.settings import load_settings

    text = DEMO_CONFIG.read_text(encoding="utf-8")
    text = text.replace("      per_page: 24", "      per_page: mười\n      per_pag: 3")
    text = text.replace("          url: https://nhandan.vn/", "          url: nhandan.vn")
    lines = text.splitlines()
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(config)
    problems = info.value.problems
    assert len(problems) == 3
    by_key = {p.split(": ")[1]: p for p in problems}
    for key, needle in (("plugins.site_builder.per_page", "per_page: mười"),
                        ("plugins.site_builder.per_pag", "per_pag: 3"),
                        ("plugins.site_builder.footer_links[2].url", "url: nhandan.vn")):
        line = int(by_key[key].split(":")[1])
        assert needle in lines[line - 1], (key, line)
    assert "per_page" in by_key["plugins.site_builder.per_pag"]  # did you mean


def test_a_missing_plugin_entry_says_what_to_add(tmp_path):
    from site_builder.settings import load_settings

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: X\nplugins:\n  - search\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="- site_builder"):
        load_settings(config)


def test_the_plugin_takes_exactly_the_settings_options():
    from site_builder.plugin import SiteBuilderPlugin
    from site_builder.settings import MKDOCS_KEYS, SiteSettings, plugin_options

    assert set(plugin_options()) == set(SiteSettings.model_fields) - set(MKDOCS_KEYS)
    plugin = SiteBuilderPlugin()
    assert plugin.load_config({"per_page": "mười", "bogus": 1}) == ([], [])  # validated in on_config, with lines
    assert plugin.config == {"per_page": "mười", "bogus": 1}


def test_a_site_without_its_address_is_not_built_but_can_be_previewed(tmp_project):
    from conftest import story_text

    tmp_project.add_story("bai", story_text("Bài", "2026-03-14 08:30"))
    text = tmp_project.config.read_text(encoding="utf-8")
    tmp_project.config.write_text(text.replace("site_url: https://guongsang.example.vn/\n", ""), encoding="utf-8")
    result = tmp_project.build()
    assert result.returncode == 1 and "site_url" in result.stderr
    assert not (tmp_project.root / "site").exists()
    from site_builder.settings import load_settings

    assert load_settings(tmp_project.config).site_url == ""  # `serve` only warns (tests/test_plugin_serve.py)
    from conftest import SITE_BUILDER, run_tool

    check = run_tool(SITE_BUILDER, "-f", tmp_project.config, "check")
    assert check.returncode == 1 and "mkdocs.yml: site_url:" in check.stderr  # check says what build would


@pytest.mark.parametrize("url", ["guongsang.vn", "/", "ftp://x.vn/"])
def test_site_url_must_be_a_full_address(url):
    with pytest.raises(SettingsError, match="site_url"):
        settings(site_url=url)


# --- images: ------------------------------------------------------------------------------------


@pytest.mark.parametrize("images, key, words", [
    ({"quality": 80}, "images.quality", "mapping"),
    ({"webp_method": "x"}, "images.webp_method", "whole number"),
    ({"workers": "hai"}, "images.workers", "whole number"),
    ({"url_prefix": 5}, "images.url_prefix", "text"),
    ({"jpeg_progressive": "no"}, "images.jpeg_progressive", "true or false"),
    ({"avif": "yes"}, "images.avif", "true or false"),
    ({"url_prefix": "../../x/"}, "images.url_prefix", "inside the site"),
    ({"url_prefix": "/var/www/x/"}, "images.url_prefix", "inside the site"),
    ({"widths": [480, 100000]}, "images.widths[1]", "8192"),
    ({"formats": ["webp", "gif"]}, "images.formats[1]", "jpeg"),
    ({"formats": ["webp"]}, "images", "add 'jpeg' to the list"),
    ({"qualty": {"jpeg": 70}}, "images.qualty", "quality"),
])
def test_wrong_image_options_are_one_clear_message_each(images, key, words, english):
    with pytest.raises(SettingsError) as info:
        settings(images=images)
    (problem,) = info.value.problems
    assert problem.startswith(f"mkdocs.yml: plugins.site_builder.{key}: ") and words in problem, problem


def test_image_options_reach_the_pipeline_and_its_defaults_stay_its_own():
    from site_builder.settings import image_settings

    s = settings(images={"widths": [320, 640], "avif": False, "quality": {"jpg": 70}})
    pipeline = image_settings(s.images)
    assert pipeline.widths == (320, 640) and pipeline.quality["jpeg"] == 70
    assert image_settings(settings().images) == image_settings({})


# --- the messages' language -----------------------------------------------------------------------


@pytest.mark.parametrize("extra, expected", [
    ({"per_page": 500}, "mkdocs.yml: plugins.site_builder.per_page: hãy viết một số không quá 200 (hiện là số 500)"),
    ({"related_count": -1}, "mkdocs.yml: plugins.site_builder.related_count: hãy viết một số từ 0 trở lên (hiện là số -1)"),
    ({"feedback": {}}, "mkdocs.yml: plugins.site_builder.feedback: hãy cho biết phản hồi của bạn đọc được gửi tới đâu"),
    ({"feedback": {"email": "phanhoi"}}, "mkdocs.yml: plugins.site_builder.feedback: feedback.email 'phanhoi' không phải "
                                         "địa chỉ thư điện tử: hãy viết một địa chỉ như phanhoi@example.vn"),
    ({"footer_links": [{"title": "Báo", "url": "nhandan.vn"}]},
     "mkdocs.yml: plugins.site_builder.footer_links[0].url: hãy viết địa chỉ bắt đầu bằng http://, https://, mailto: "
     "hoặc / (hiện là 'nhandan.vn')"),
    ({"site_url": "guongsang.vn"}, "mkdocs.yml: site_url: hãy viết đầy đủ địa chỉ của trang web, bắt đầu bằng https://"),
    ({"images": {"url_prefix": "../x/"}}, "mkdocs.yml: plugins.site_builder.images.url_prefix: hãy viết một thư mục bên "
                                          "trong trang web, ví dụ assets/images/ (hiện là '../x/')"),
])
def test_settings_problems_are_vietnamese_sentences_saying_what_to_do(extra, expected):
    with pytest.raises(SettingsError) as info:
        settings(**extra)
    (problem,) = info.value.problems
    assert problem.startswith(expected), problem


def test_settings_problems_are_english_for_developers(english):
    with pytest.raises(SettingsError) as info:
        settings(per_page=500, social_cards="some")
    assert info.value.problems == [
        "mkdocs.yml: plugins.site_builder.per_page: write a number of at most 200 (it is the number 500)",
        "mkdocs.yml: plugins.site_builder.social_cards: write one of 'auto', 'all', 'off' (it is 'some')",
    ]


def test_an_unreadable_settings_file_says_what_to_do(tmp_path):
    from site_builder.settings import load_settings

    with pytest.raises(SettingsError) as info:
        load_settings(tmp_path / "mkdocs.yml")
    assert str(info.value) == (f"{tmp_path / 'mkdocs.yml'}: không đọc được tệp cài đặt (tệp không tồn tại): hãy chạy "
                               "lệnh trong thư mục của trang web, hoặc chỉ rõ tệp bằng -f")
    (tmp_path / "mkdocs.yml").write_bytes("site_name: Gương Sáng\n".encode("utf-16"))
    with pytest.raises(SettingsError, match="tệp cài đặt không phải văn bản UTF-8: hãy lưu lại tệp với bảng mã UTF-8"):
        load_settings(tmp_path / "mkdocs.yml")
