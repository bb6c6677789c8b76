"""What a story is about and what a profile is: a leaf module (URL shapes and models both use it)."""

from __future__ import annotations

from enum import Enum


class Kind(str, Enum):
    """What a story is about (and what a profile is)."""

    PERSON = "ca-nhan"  # cá nhân
    COLLECTIVE = "tap-the"  # tập thể
    MODEL = "mo-hinh"  # mô hình
    ROUNDUP = "tin-tong-hop"  # tin tổng hợp (stories only)

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[Kind, str] = {
    Kind.PERSON: "Cá nhân",
    Kind.COLLECTIVE: "Tập thể",
    Kind.MODEL: "Mô hình",
    Kind.ROUNDUP: "Tin tổng hợp",
}

PROFILE_KINDS = (Kind.PERSON, Kind.COLLECTIVE, Kind.MODEL)
