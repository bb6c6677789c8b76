"""Site settings: the `social_cards` option."""

from __future__ import annotations

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
    assert message.startswith("plugins.site_builder.social_cards: ")
    assert "'auto', 'all' or 'off'" in message


@pytest.mark.parametrize(
    "mode, covered, uncovered",
    [("auto", False, True), ("all", True, True), ("off", False, False)],
)
def test_which_stories_get_a_card(mode, covered, uncovered):
    s = settings(social_cards=mode)
    assert (s.wants_social_card(has_cover=True), s.wants_social_card(has_cover=False)) == (covered, uncovered)
