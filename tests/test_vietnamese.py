"""Tests for site_builder.vietnamese."""

from __future__ import annotations

import datetime
import random
import unicodedata

import pytest

from site_builder.vietnamese import (
    fold,
    format_count,
    format_date,
    format_datetime,
    format_month,
    format_reading_time,
    iso_date,
    nfc,
    normalize_tone_placement,
    reading_time,
    slugify,
    sort_key,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- normalisation --------------------------------------------------------


def test_nfc_composes_nfd_input():
    assert nfc(nfd("Nguyễn Thị Phượng")) == "Nguyễn Thị Phượng"
    assert len(nfc(nfd("ệ"))) == 1


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("thuý", "thúy"),
        ("khoẻ", "khỏe"),
        ("Hoà", "Hòa"),
        ("HOÀ", "HÒA"),
        ("THUÝ", "THÚY"),
        ("hoạ sĩ", "họa sĩ"),
        ("Hoà Bình, Thanh Hoá.", "Hòa Bình, Thanh Hóa."),
        ("tuỳ", "tùy"),
        ("oà", "òa"),
    ],
)
def test_normalize_tone_placement_old_to_new(old, new):
    assert normalize_tone_placement(old) == new
    assert normalize_tone_placement(nfd(old)) == new
    assert normalize_tone_placement(new) == new


@pytest.mark.parametrize(
    "word",
    ["hoàng", "toán", "quyết", "khuyến", "quý", "Quỳnh", "QUỲ", "ngoài", "khuỷu", "thuế", "mùa"],
)
def test_normalize_tone_placement_leaves_other_syllables(word):
    assert normalize_tone_placement(word) == word


def test_normalize_tone_placement_returns_nfc():
    assert normalize_tone_placement(nfd("Nguyễn hoàng")) == "Nguyễn hoàng"


# --- slugs and folding -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Đặng Thị Hường", "dang-thi-huong"),
        ("Văn hóa - Xã hội", "van-hoa-xa-hoi"),
        ("Đ", "d"),
        ("ĐOÀN THANH NIÊN", "doan-thanh-nien"),
        ("Ơn nghĩa Ưu tú", "on-nghia-uu-tu"),
        ("Bình Xuyên: nhiều sáng tạo", "binh-xuyen-nhieu-sang-tao"),
        ("“Tiếng Việt” 2026", "tieng-viet-2026"),
        ("!!! — …", ""),
        ("", ""),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug
    assert slugify(nfd(text)) == slug


def test_slugify_is_ascii():
    slug = slugify("Ăn ở Ư Ơ đồng ý ạ")
    assert slug.isascii()
    assert slug == "an-o-u-o-dong-y-a"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Làm theo Bác", "lam theo bac"),
        ("ĐẢNG VIÊN", "dang vien"),
        ("Đảng viên", "dang vien"),
        ("Hoà Bình, Thanh Hóa!", "hoa binh, thanh hoa!"),
        ("Nguyễn Thị Phượng", "nguyen thi phuong"),
        ("Văn hóa - Xã hội", "van hoa - xa hoi"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded
    assert fold(nfd(text)) == folded


def test_fold_is_ascii_for_vietnamese_letters():
    letters = "aàảãáạăằẳẵắặâầẩẫấậđeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵ"
    assert fold(letters).isascii()
    assert fold(letters.upper()) == fold(letters)


# --- collation ------------------------------------------------------------

ALPHABET = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
TONES = ["a", "à", "ả", "ã", "á", "ạ"]


def shuffled(items: list[str], seed: int) -> list[str]:
    copy = list(items)
    random.Random(seed).shuffle(copy)
    return copy


@pytest.mark.parametrize("seed", range(5))
def test_alphabet_order(seed):
    assert sorted(shuffled(ALPHABET, seed), key=sort_key) == ALPHABET
    upper = [letter.upper() for letter in ALPHABET]
    assert sorted(shuffled(upper, seed), key=sort_key) == upper


def test_latin_extras_are_among_the_letters():
    letters = sorted(ALPHABET + ["f", "j", "w", "z"], key=sort_key)
    assert letters.index("f") == letters.index("ê") + 1
    assert letters.index("j") == letters.index("i") + 1
    assert letters.index("w") == letters.index("v") + 1
    assert letters[-1] == "z"


def test_digits_before_letters():
    assert sorted(["b", "Ă", "9", "a", "0", "Đ"], key=sort_key) == ["0", "9", "a", "Ă", "b", "Đ"]


WORDS = [
    "2026",
    "An",
    "Anh",
    "Ăn",
    "Ân",
    "Bình",
    "Bình Xuyên",
    "Dương",
    "Đà Nẵng",
    "Em",
    "Ê-đê",
    "Hòa",
    "Hoàng",
    "Ông",
    "Ơn",
    "Tân Phong",
    "Thịnh Đức",
    "Ưu tú",
    "Yên",
]


@pytest.mark.parametrize("seed", range(5))
def test_word_order(seed):
    assert sorted(shuffled(WORDS, seed), key=sort_key) == WORDS


@pytest.mark.parametrize(
    "expected",
    [
        TONES,
        ["ma", "mà", "mả", "mã", "má", "mạ"],
        ["Ư", "Ừ", "Ử", "Ữ", "Ứ", "Ự"],
        ["hoa", "hòa", "hỏa", "họa"],
    ],
)
def test_tone_order(expected):
    assert sorted(shuffled(expected, 1), key=sort_key) == expected
    assert sorted(reversed(expected), key=sort_key) == expected


def test_letters_before_tones():
    # A tone only matters when the letters are equal.
    assert sorted(["bạc", "bác", "bà", "ba", "bac"], key=sort_key) == ["ba", "bà", "bac", "bác", "bạc"]


def test_word_by_word():
    expected = ["ba", "ba ba", "ba mươi", "bà", "bà con", "bác"]
    assert sorted(shuffled(expected, 3), key=sort_key) == expected


def test_case_is_tertiary():
    assert sorted(["AN", "An", "an"], key=sort_key) == ["an", "An", "AN"]
    assert sorted(["Bà", "bà", "Ba", "ba"], key=sort_key) == ["ba", "Ba", "bà", "Bà"]
    assert sorted(["Ăn", "an", "ăn", "An"], key=sort_key) == ["an", "An", "ăn", "Ăn"]


def test_punctuation_only_separates_words():
    assert sorted(["Bình-Xuyên", "Binh Xuyên", "Bình Xuyên"], key=sort_key)[0] == "Binh Xuyên"
    assert sort_key("“Bình Xuyên”")[:2] == sort_key("Bình Xuyên")[:2]


@pytest.mark.parametrize("text", ["Đặng Thị Hường", "Hòa Bình", "Thịnh Đức", "ƯU TÚ", "Nguyễn Ngọc Ký"])
def test_sort_key_nfd_equals_nfc(text):
    assert sort_key(nfd(text)) == sort_key(text)


@pytest.mark.parametrize(
    ("old", "new"), [("Hoà Bình", "Hòa Bình"), ("Thuý Kiều", "Thúy Kiều"), ("KHOẺ", "KHỎE")]
)
def test_sort_key_tone_placement_equivalence(old, new):
    assert sort_key(old) == sort_key(new)
    assert sort_key(nfd(old)) == sort_key(new)


# Reference collation, written independently from the module: explicit
# letter and tone tables, word by word, then case.
REF_LETTERS = "0123456789" + "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".replace(" ", "")
REF_VOWEL_FORMS = [
    "aàảãáạ", "ăằẳẵắặ", "âầẩẫấậ", "eèẻẽéẹ", "êềểễếệ", "iìỉĩíị",
    "oòỏõóọ", "ôồổỗốộ", "ơờởỡớợ", "uùủũúụ", "ưừửữứự", "yỳỷỹýỵ",
]
REF_CHAR = {letter: (REF_LETTERS.index(letter), 0) for letter in REF_LETTERS}
for forms in REF_VOWEL_FORMS:
    for tone, form in enumerate(forms):
        REF_CHAR[form] = (REF_LETTERS.index(forms[0]), tone)


def ref_key(text: str) -> tuple:
    words = []
    case = []
    for word in text.split():
        letters = []
        tone = 0
        for char in word:
            index, char_tone = REF_CHAR[char.lower()]
            letters.append(index)
            tone = max(tone, char_tone)
            case.append(0 if char.islower() or not char.isalpha() else 1)
        words.append((tuple(letters), tone))
    return (tuple(words), tuple(case))


ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "r", "s", "t", "th", "tr", "v", "x"]
CODAS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u"]


def random_syllable(rng: random.Random) -> str:
    syllable = rng.choice(ONSETS) + rng.choice(rng.choice(REF_VOWEL_FORMS)) + rng.choice(CODAS)
    style = rng.random()
    if style < 0.2:
        return syllable.upper()
    if style < 0.5:
        return syllable.capitalize()
    return syllable


def random_words(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(random_syllable(rng) for _ in range(rng.randint(1, 3))) for _ in range(count)]


def test_reference_collation_agrees_on_fixed_lists():
    for expected in (ALPHABET, TONES, [w for w in WORDS if "-" not in w]):
        assert sorted(shuffled(expected, 7), key=ref_key) == expected


def test_sorting_random_words_matches_pairwise_comparison():
    words = random_words(10_000, seed=2026)
    ordered = sorted(words, key=sort_key)
    for before, after in zip(ordered, ordered[1:]):
        assert ref_key(before) <= ref_key(after), (before, after)
    rng = random.Random(1)
    for _ in range(20_000):
        a, b = rng.choice(words), rng.choice(words)
        if ref_key(a) != ref_key(b):
            assert (sort_key(a) < sort_key(b)) == (ref_key(a) < ref_key(b)), (a, b)
    # NFD input sorts the same way.
    assert sorted(map(nfd, words), key=sort_key) == list(map(nfd, ordered))


# --- dates ----------------------------------------------------------------


def test_format_date_thursday():
    assert format_date(datetime.date(2026, 11, 26)) == "Thứ Năm, 26/11/2026"


def test_format_date_sunday():
    assert format_date(datetime.date(2026, 11, 29)) == "Chủ Nhật, 29/11/2026"


def test_format_date_all_weekdays_and_padding():
    names = [format_date(datetime.date(2026, 3, day)).split(",")[0] for day in range(2, 9)]
    assert names == ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
    assert format_date(datetime.date(2026, 3, 5)) == "Thứ Năm, 05/03/2026"


def test_format_date_accepts_datetime():
    assert format_date(datetime.datetime(2026, 11, 26, 23, 59)) == "Thứ Năm, 26/11/2026"


def test_format_datetime():
    assert format_datetime(datetime.datetime(2026, 11, 26, 8, 30)) == "Thứ Năm, 26/11/2026, 08:30"


def test_format_datetime_converts_aware_values_to_vietnam_time():
    value = datetime.datetime(2026, 11, 25, 18, 5, tzinfo=datetime.timezone.utc)
    assert format_datetime(value) == "Thứ Năm, 26/11/2026, 01:05"


def test_format_month():
    assert format_month(2026, 11) == "Tháng 11/2026"
    assert format_month(2026, 3) == "Tháng 3/2026"


def test_iso_date():
    assert iso_date(datetime.date(2026, 11, 26)) == "2026-11-26"
    assert iso_date(datetime.datetime(2026, 11, 26, 8, 30)) == "2026-11-26T08:30:00+07:00"
    utc = datetime.datetime(2026, 11, 26, 1, 30, tzinfo=datetime.timezone.utc)
    assert iso_date(utc) == "2026-11-26T08:30:00+07:00"


# --- reading time and numbers --------------------------------------------------


def test_reading_time_minimum_one_minute():
    assert reading_time("") == 1
    assert reading_time("Một câu ngắn.") == 1


def test_reading_time_counts_syllables():
    assert reading_time("học tập " * 230) == 2  # 460 syllables
    assert reading_time(nfd("Nguyễn Thị Phượng ") * 230) == 3  # 690 syllables


def test_reading_time_ignores_markdown_and_urls():
    body = "\n\n".join(
        [
            "## Tiêu đề",
            "Xem [bài viết](https://example.com/a/very/long/path/with/many/parts) "
            "và ![ảnh](images/2026/anh-dep.jpg) tại https://example.org/x/y/z/w/v/u/t/s/r/q.",
            "<div class=\"note\">ghi chú</div>",
            "[ref]: https://example.net/one/two/three/four/five/six/seven/eight",
        ]
    )
    # Text words: Tiêu đề, Xem bài viết và ảnh tại, ghi chú = 10 words.
    assert reading_time("\n\n".join([body] * 23)) == 1
    assert reading_time("\n\n".join([body] * 35)) == 2


def test_format_reading_time():
    assert format_reading_time(3) == "3 phút đọc"
    assert format_reading_time(reading_time("từ " * 700)) == "3 phút đọc"


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0"), (999, "999"), (1234, "1.234"), (1234567, "1.234.567"), (-5000, "-5.000")]
)
def test_format_count(n, text):
    assert format_count(n) == text
