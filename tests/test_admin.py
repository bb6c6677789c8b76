"""The editor's backend (`site-builder admin`): the generated configuration, paths, checks on save,
photos, concurrent saves and the password rules."""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import io
import json
import os
import threading
import urllib.parse
from pathlib import Path

import pytest
from PIL import Image

from conftest import REPO, TmpProject, story_text
from site_builder.admin import auth, config, run
from site_builder.admin.paths import Refused
from site_builder.admin.server import Editor, make_server
from site_builder.admin.store import Store
from site_builder.content import validate_content
from site_builder.content.schema import front_matter_keys, json_schema
from site_builder.content.models import Profile, Story
from site_builder.settings import load_settings

TODAY = dt.datetime(2026, 3, 14, 8, 30)


@pytest.fixture
def project(tmp_project: TmpProject) -> TmpProject:
    tmp_project.copy_image("2026/co-san.jpg")
    tmp_project.write("content/profiles/ca-nhan/nguyen-thi-phuong.md",
                      "---\nname: Nguyễn Thị Phượng\nkind: ca-nhan\nsummary: Chủ nhiệm CLB.\n---\nTiểu sử.\n")
    tmp_project.add_story("co-san", story_text("Bài có sẵn", "2026-03-01 08:00", extra="slug: co-san"))
    return tmp_project


@pytest.fixture
def store(project: TmpProject) -> Store:
    return Store(project.root, load_settings(project.config), clock=lambda: TODAY)


def jpeg(width: int = 1200, height: int = 800) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (180, 40, 40)).save(out, "JPEG", quality=80)
    return out.getvalue()


def save(store: Store, path: str, raw: str, assets: list[dict] | None = None) -> dict:
    return store.handle("persistEntry", {"dataFiles": [{"path": path, "slug": Path(path).stem, "raw": raw}],
                                         "assets": assets or [], "options": {}})


NEW = """---
title: "Cô giáo Đặng Thị Hoà gieo chữ ở bản"
date: 2026-03-14 08:30
summary: Sapo của bài.
kind: ca-nhan
slug: co-giao-dang-thi-hoa-gieo-chu-o-ban
fields: [giao-duc-dao-tao]
people:
  - name: Nguyễn Thị Phượng
    profile: nguyen-thi-phuong
place: {commune: xã Tân Phong, province: Vĩnh Phúc}
cover: {src: 2026/lop-hoc.jpg, alt: Lớp học trên bản}
organisation: ""
tags: []
---
Nội dung </script><script>alert(1)</script> "Trích" & <b>đậm</b>.
"""
NEW_PATH = "content/stories/2026/co-giao-dang-thi-hoa-gieo-chu-o-ban.md"


# -- the configuration ---------------------------------------------------------------------------


def test_form_has_every_front_matter_key_of_the_model_in_order():
    for kind, model in (("story", Story), ("profile", Profile)):
        keys = set(front_matter_keys(model)) - set(config.KEPT_FROM_FILE)
        assert set(config.FORM_ORDER[kind]) == keys, kind
        assert len(config.FORM_ORDER[kind]) == len(keys)


def test_generated_fields_follow_the_schema(demo_content):
    settings = load_settings(REPO / "mkdocs.yml")
    cfg = config.decap_config(settings, demo_content.vocabularies, "http://127.0.0.1:8000/")
    stories = next(c for c in cfg["collections"] if c["name"] == config.STORIES)
    fields = {f["name"]: f for f in stories["fields"]}
    schema = json_schema("story")
    for name, prop in schema["properties"].items():
        if name in config.KEPT_FROM_FILE:
            assert name not in fields
            continue
        assert fields[name]["label"] == prop["title"]
        assert fields[name]["required"] == (name in schema["required"] and "anyOf" not in prop)
    organisations = [o["value"] for o in fields["organisation"]["options"]]
    assert organisations == [t.key for t in demo_content.vocabularies["organisations"].terms]
    assert fields["fields"]["multiple"] is True
    assert fields["kind"]["options"][0] == {"label": "Cá nhân", "value": "ca-nhan"}
    people = {f["name"]: f for f in fields["people"]["fields"]}
    assert people["profile"]["widget"] == "relation" and people["profile"]["collection"] == config.PROFILES
    assert {f["name"] for f in fields["place"]["fields"]} == {"province", "commune", "district"}
    assert {f["name"]: f["widget"] for f in fields["cover"]["fields"]}["src"] == "image"
    assert fields["date"]["widget"] == config.DATE_WIDGET and fields["slug"]["widget"] == "hidden"
    assert fields["date"]["format"] == "YYYY-MM-DD HH:mm" and "14/03/2026 08:30" in fields["date"]["hint"]
    assert stories["path"] == "{{year}}/{{slug}}"
    assert fields["body"]["widget"] == "markdown"


# -- paths ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["../mkdocs.yml", "/etc/passwd", "content/../mkdocs.yml", "content/stories/../../x.md",
                                  "content\\stories\\x.md", "content/.git/config", "images/2026/co-san.jpg", "mkdocs.yml",
                                  "content/stories/2026/x\x00.md", "C:/x.md"])
def test_entries_outside_the_content_folder_are_refused(store: Store, project: TmpProject, path: str):
    before = sorted(p for p in project.root.rglob("*") if ".cache" not in p.parts)
    for action, params in (("getEntry", {"path": path}), ("entriesByFolder", {"folder": path, "depth": 1})):
        with pytest.raises(Refused):
            store.handle(action, params)
    with pytest.raises(Refused):
        save(store, path, NEW)
    assert sorted(p for p in project.root.rglob("*") if ".cache" not in p.parts) == before


def test_links_leading_out_of_the_content_folder_are_refused(store: Store, project: TmpProject, tmp_path: Path):
    (tmp_path / "secret.md").write_text("secret")
    (project.root / "content" / "stories" / "2026" / "link.md").symlink_to(tmp_path / "secret.md")
    with pytest.raises(Refused) as caught:
        store.handle("getEntry", {"path": "content/stories/2026/link.md"})
    assert caught.value.status == 403


@pytest.mark.parametrize("path", ["../x.jpg", "content/stories/2026/x.jpg", "images/../mkdocs.yml", "/tmp/x.jpg",
                                  "images/.hidden/x.jpg"])
def test_media_outside_the_photo_folder_is_refused(store: Store, project: TmpProject, path: str):
    with pytest.raises(Refused):
        store.handle("getMediaFile", {"path": path})
    with pytest.raises(Refused):
        store.handle("persistMedia", {"asset": {"path": path, "content": base64.b64encode(jpeg()).decode(),
                                                "encoding": "base64"}})
    with pytest.raises(Refused):
        store.handle("deleteFiles", {"paths": [path]})
    with pytest.raises(Refused):
        save(store, NEW_PATH, NEW, [{"path": path, "content": base64.b64encode(jpeg()).decode(), "encoding": "base64"}])
    assert not (project.root / NEW_PATH).exists()
    assert (project.root / "mkdocs.yml").is_file()


def test_entries_cannot_be_deleted_through_the_media_actions(store: Store, project: TmpProject):
    with pytest.raises(Refused):
        store.handle("deleteFile", {"path": "content/stories/2026/co-san.md"})
    assert (project.root / "content/stories/2026/co-san.md").is_file()


# -- saving -----------------------------------------------------------------------------------------


def _photo_asset(name: str = "images/2026/Lớp học.JPG") -> dict:
    return {"path": name, "content": base64.b64encode(jpeg()).decode(), "encoding": "base64"}


def test_a_new_story_is_checked_written_and_passes_check(store: Store, project: TmpProject):
    raw = NEW.replace("2026/lop-hoc.jpg", "2026/Lớp học.JPG")
    save(store, NEW_PATH, raw, [_photo_asset()])
    written = (project.root / NEW_PATH).read_text(encoding="utf-8")
    assert (project.root / "images/2026/lop-hoc.jpg").is_file()  # ASCII name, its year's folder
    assert "src: 2026/lop-hoc.jpg" in written
    assert "organisation" not in written and "tags" not in written  # empty values left out
    assert 'Nội dung </script><script>alert(1)</script> "Trích" & <b>đậm</b>.' in written
    content, issues = validate_content(project.root)
    assert [i for i in issues if i.is_error] == []
    story = next(s for s in content.stories if s.slug == "co-giao-dang-thi-hoa-gieo-chu-o-ban")
    assert story.title == "Cô giáo Đặng Thị Hoà gieo chữ ở bản" and story.people[0].profile == "nguyen-thi-phuong"


def test_an_invalid_story_is_refused_with_vietnamese_field_messages_and_nothing_is_written(store, project):
    raw = NEW.replace("cover: {src: 2026/lop-hoc.jpg, alt: Lớp học trên bản}", "cover: {src: 2026/lop-hoc.jpg}")
    raw = raw.replace('title: "Cô giáo Đặng Thị Hoà gieo chữ ở bản"\n', "")
    before = sorted(p for p in project.root.rglob("*") if ".cache" not in p.parts)
    with pytest.raises(Refused) as caught:
        save(store, NEW_PATH, raw, [_photo_asset("images/2026/lop-hoc.jpg")])
    message = str(caught.value)
    assert "cover.alt (mô tả ảnh): " in message and "alt" in message
    assert "title (tiêu đề): " in message and "thiếu" in message or "bắt buộc" in message
    assert sorted(p for p in project.root.rglob("*") if ".cache" not in p.parts) == before


@pytest.mark.parametrize("change, field", [
    (("fields: [giao-duc-dao-tao]", "fields: [khong-co]"), "fields[0]"),
    (("profile: nguyen-thi-phuong", "profile: khong-co-ho-so"), "people[0].profile"),
    (("2026/lop-hoc.jpg", "2026/khong-co.jpg"), "cover.src"),
    (("slug: co-giao-dang-thi-hoa-gieo-chu-o-ban", "slug: co-san"), "slug"),
    (("Nội dung", "![](https://example.com/x.jpg)\n\nNội dung"), "body"),
])
def test_what_check_refuses_the_editor_refuses(store: Store, project: TmpProject, change, field):
    with pytest.raises(Refused) as caught:
        save(store, NEW_PATH, NEW.replace(*change), [_photo_asset("images/2026/lop-hoc.jpg")]
             if "khong-co.jpg" not in change[1] else [])
    assert f"{field} " in str(caught.value) or f"{field}:" in str(caught.value)
    assert not (project.root / NEW_PATH).exists()


def test_editing_a_story_keeps_its_file_and_slug_and_its_previous_version(store: Store, project: TmpProject):
    path = "content/stories/2026/co-san.md"
    before = (project.root / path).read_text(encoding="utf-8")
    shown = store.handle("getEntry", {"path": path})["data"]
    assert "slug: co-san" in shown
    save(store, path, shown.replace("Bài có sẵn", "Bài có sẵn, đã sửa"))
    assert "title: Bài có sẵn, đã sửa" in (project.root / path).read_text(encoding="utf-8")
    kept = list((project.root / ".history" / path).iterdir())
    assert [k.read_text(encoding="utf-8") for k in kept] == [before]
    with pytest.raises(Refused):  # a file keeps its name
        store.handle("persistEntry", {"dataFiles": [{"path": path, "raw": shown, "newPath": "content/stories/2026/x.md"}],
                                      "assets": []})


def test_vocabulary_names_are_shown_as_the_keys_the_selects_hold(store: Store, project: TmpProject):
    project.add_story("ten", story_text("Tên", "2026-03-02 08:00", kind="Cá nhân",
                                        extra="fields: [Giáo dục - Đào tạo]\norganisation: Huyện Đoàn Bình Xuyên"))
    shown = store.handle("getEntry", {"path": "content/stories/2026/ten.md"})["data"]
    assert "kind: ca-nhan" in shown and "- giao-duc\n" in shown and "organisation: huyen-doan-binh-xuyen" in shown
    assert "slug: ten" in shown


def test_two_saves_at_once(store: Store, project: TmpProject):
    """Saves are one at a time: of two new stories with one slug, one is refused; many saves of one
    file leave one whole version and keep every other."""
    results: list[object] = []

    def attempt(path: str) -> None:
        try:
            results.append(save(store, path, NEW.replace("fields: [giao-duc-dao-tao]", "").replace(
                "cover: {src: 2026/lop-hoc.jpg, alt: Lớp học trên bản}", "")))
        except Refused as exc:
            results.append(exc)

    threads = [threading.Thread(target=attempt, args=(f"content/stories/2026/{name}.md",)) for name in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(isinstance(r, Refused) for r in results) == 1
    assert "slug" in str(next(r for r in results if isinstance(r, Refused)))

    path = "content/stories/2026/co-san.md"
    texts = [story_text(f"Phiên bản {i}", "2026-03-01 08:00", extra="slug: co-san") for i in range(8)]
    threads = [threading.Thread(target=save, args=(store, path, t)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = (project.root / path).read_text(encoding="utf-8")
    assert any(f"title: Phiên bản {i}\n" in final for i in range(8))
    assert len(list((project.root / ".history" / path).iterdir())) == 8  # the first file and 7 versions


def test_slug_of_a_new_story_is_site_builder_new_s_and_unique(store: Store):
    assert store.handle("slug", {"title": "Đường hoa của phụ nữ", "collection": "bai-viet"}) == {
        "slug": "duong-hoa-cua-phu-nu"}
    assert store.handle("slug", {"title": "Bài có sẵn", "collection": "bai-viet"})["slug"] == "bai-co-san"
    assert store.handle("slug", {"title": "Co san", "collection": "bai-viet"})["slug"] == "co-san-2"


# -- lists -------------------------------------------------------------------------------------------


def test_a_list_comes_a_page_at_a_time_newest_first_front_matter_only(store: Store, project: TmpProject):
    for day in range(1, 8):
        project.add_story(f"bai-{day}", story_text(f"Bài ngày {day}", f"2025-05-0{day} 08:00", body="Thân bài dài."))
    params = {"folder": "content/stories", "extension": "md", "depth": 2, "bodies": False, "pageSize": 3}
    first = store.handle("entriesByFolder", {**params, "page": 0})
    assert (first["page"], first["pages"], first["count"]) == (0, 3, 8)
    assert [e["file"]["path"] for e in first["entries"]] == ["content/stories/2026/co-san.md",
                                                              "content/stories/2025/bai-7.md",
                                                              "content/stories/2025/bai-6.md"]
    assert all(e["data"].startswith("---\n") and e["data"].endswith("---\n") for e in first["entries"])
    assert "Thân bài" not in json.dumps(first, ensure_ascii=False)
    last = store.handle("entriesByFolder", {**params, "page": 9})  # past the end: the last page
    assert last["page"] == 2 and [e["file"]["path"] for e in last["entries"]] == [
        "content/stories/2025/bai-2.md", "content/stories/2025/bai-1.md"]
    everything = store.handle("entriesByFolder", {"folder": "content/stories", "depth": 2})  # as decap-server
    assert len(everything) == 8 and "Thân bài dài." in everything[1]["data"]
    changed = project.add_story("bai-1", story_text("Bài sửa lại", "2025-06-01 08:00"), year=2025)
    os.utime(changed, ns=(changed.stat().st_mtime_ns + 10**9,) * 2)  # a change in the same instant shows too
    again = store.handle("entriesByFolder", {**params, "page": 0})
    assert [e["file"]["path"] for e in again["entries"]][1] == "content/stories/2025/bai-1.md"
    assert "Bài sửa lại" in again["entries"][1]["data"]


def test_the_configuration_is_made_again_when_a_vocabulary_changes(store: Store, project: TmpProject):
    editor = Editor(store, REPO / "site_builder", {}, "http://127.0.0.1:8000/")
    first = editor.config()
    assert editor.config() is first
    vocabulary = project.root / "content" / "vocabularies" / "campaigns.yml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "- name: Phong trào mới toanh\n", encoding="utf-8")
    os.utime(vocabulary, ns=(vocabulary.stat().st_mtime_ns + 10**9,) * 2)
    assert "Phong trào mới toanh" in json.dumps(editor.config(), ensure_ascii=False)


# -- photos -------------------------------------------------------------------------------------------


def test_photos_are_checked_like_the_pipeline_checks_them(store: Store, project: TmpProject):
    for name, data, words in (("images/2026/x.jpg", b"not a photo", "không phải ảnh"),
                              ("images/2026/x.txt", jpeg(), "chỉ tải lên được ảnh"),
                              ("images/2026/x.jpg", jpeg()[:2000], "hỏng")):
        with pytest.raises(Refused) as caught:
            store.handle("persistMedia", {"asset": {"path": name, "content": base64.b64encode(data).decode()}})
        assert words in str(caught.value)
    assert not (project.root / "images/2026/x.jpg").exists()


def test_a_photo_is_filed_under_its_year_with_an_ascii_name_and_listed_without_its_bytes(store, project):
    answer = store.handle("persistMedia", {"asset": _photo_asset("images/Ảnh đẹp Đồng Tâm.jpeg")})
    assert answer["path"] == "images/2026/anh-dep-dong-tam.jpg"
    listed = store.handle("getMedia", {"mediaFolder": "images/2026"})
    assert {f["path"] for f in listed} == {"images/2026/anh-dep-dong-tam.jpg", "images/2026/co-san.jpg"}
    assert all("content" not in f and f["url"].startswith("/admin/anh/") for f in listed)
    made = sorted(store.previews.rglob("*.jpg"))
    assert len(made) == 2  # its previews, made when it was saved
    preview = store.preview("images/2026/anh-dep-dong-tam.jpg", 360)
    assert Image.open(io.BytesIO(preview)).size == (360, 240)
    assert sorted(store.previews.rglob("*.jpg")) == made  # not made again
    again = store.handle("persistMedia", {"asset": _photo_asset("images/2026/anh-dep-dong-tam.jpg")})
    assert again["path"] == "images/2026/anh-dep-dong-tam.jpg"  # the same photo: not copied twice


def test_the_server_makes_the_newest_photos_previews_when_it_starts(store: Store, project: TmpProject):
    assert not store.previews.exists()
    store.warm_up()
    made = list(store.previews.rglob("*.jpg"))
    assert len(made) == 1  # images/2026/co-san.jpg, this year's (the store's clock: 2026)
    assert store.preview("images/2026/co-san.jpg", 360) == made[0].read_bytes()


def test_the_library_addresses_photos_whatever_their_names(store: Store, project: TmpProject):
    (project.root / "images/2026/ảnh cũ #1.jpg").write_bytes(jpeg(800, 600))
    listed = {f["name"]: f for f in store.handle("getMedia", {"mediaFolder": "images/2026"})}
    url = listed["ảnh cũ #1.jpg"]["thumbnail"]
    assert " " not in url and "#" not in url and url.startswith("/admin/anh/images/2026/")
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)[len("/admin/anh/"):]
    assert Image.open(io.BytesIO(store.preview(path, 360))).size == (360, 270)


# -- who may edit ---------------------------------------------------------------------------------------


def test_listening_beyond_this_computer_needs_a_password_file(project: TmpProject):
    with pytest.raises(PermissionError):
        run(project.root, load_settings(project.config), "0.0.0.0", 0, "http://127.0.0.1:8000/", None, False)
    assert auth.is_local("127.0.0.1") and not auth.is_local("192.168.1.10") and not auth.is_local("0.0.0.0")


def test_password_file(tmp_path: Path):
    file = tmp_path / "mat-khau"
    auth.add_user(file, "lan", "mật khẩu dài")
    users = auth.read_users(file)
    assert users["lan"].startswith("scrypt$") and "mật khẩu" not in file.read_text(encoding="utf-8")
    assert auth.hash_password("x") != auth.hash_password("x")  # salted
    with pytest.raises(ValueError):
        auth.add_user(file, "ngan", "1234567")
    file.write_text("lan:plaintext\n")
    with pytest.raises(ValueError):
        auth.read_users(file)


def test_every_call_needs_a_session_when_a_password_file_is_given(project: TmpProject, tmp_path: Path):
    file = tmp_path / "mat-khau"
    auth.add_user(file, "lan", "mật khẩu dài")
    store = Store(project.root, load_settings(project.config))
    editor = Editor(store, REPO / "site_builder", {}, "http://127.0.0.1:8000/", auth.Sessions(auth.read_users(file)))
    server = make_server(editor, "127.0.0.1", 0, warm_up=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]

    def request(method: str, path: str, body: str = "", headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request(method, path, body=body.encode(), headers=headers or {})
        response = conn.getresponse()
        return response, response.read()

    api = json.dumps({"action": "getEntry", "params": {"path": "content/stories/2026/co-san.md"}})
    try:
        response, _ = request("GET", "/admin/")
        assert response.status == 303 and response.getheader("Location") == "/admin/dang-nhap"
        for path in ("/admin/config.json", "/admin/anh/images/2026/co-san.jpg?w=360"):
            assert request("GET", path)[0].status == 401
        assert request("POST", "/api/v1", api, {"Content-Type": "application/json"})[0].status == 401
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        assert request("POST", "/admin/dang-nhap", "user=lan&password=sai", form)[0].status == 401
        response, _ = request("POST", "/admin/dang-nhap", "user=lan&password=m%E1%BA%ADt+kh%E1%BA%A9u+d%C3%A0i", form)
        cookie = response.getheader("Set-Cookie")
        assert response.status == 303 and "HttpOnly" in cookie and "SameSite=Strict" in cookie
        session = {"Cookie": cookie.split(";")[0], "Content-Type": "application/json"}
        response, body = request("POST", "/api/v1", api, session)
        assert response.status == 200 and "Bài có sẵn" in json.loads(body)["data"]
        assert request("POST", "/api/v1", api, {**session, "Origin": "http://evil.example"})[0].status == 403
        assert request("POST", "/api/v1", api, {**session, "Cookie": "gs_session=forged"})[0].status == 401
    finally:
        server.shutdown()
        server.server_close()


def test_a_save_keeps_what_the_form_does_not_edit(store: Store, project: TmpProject):
    """A withdrawn story edited in the browser stays withdrawn; consent records and old addresses stay."""
    project.add_story("rut", story_text("Bài đã gỡ", "2026-03-02 08:00", extra=(
        "people:\n  - name: Bà A\n    consent: {by: nguoi, date: 2026-03-01, how: van-ban}\n"
        "aliases: [/tin-cu/bai-da-go.html]\nwithdrawn: {date: 2026-11-01, reason: Bà A đề nghị}")))
    path = "content/stories/2026/rut.md"
    raw = "---\ntitle: Bài đã gỡ, đã sửa\ndate: 2026-03-02 08:00\nsummary: Tóm tắt ngắn của bài viết.\nkind: ca-nhan\n" \
          "people:\n  - name: Bà A\nslug: rut\n---\nNội dung.\n"  # what the form sends: none of those keys
    save(store, path, raw)
    text = (project.root / path).read_text(encoding="utf-8")
    assert "Bài đã gỡ, đã sửa" in text
    for kept in ("withdrawn:", "Bà A đề nghị", "consent:", "van-ban", "/tin-cu/bai-da-go.html"):
        assert kept in text, kept
