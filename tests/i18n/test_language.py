"""Which language a page speaks: the user's saved choice, else the cookie, else the browser, else Chinese."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from screening.models import UserProfile
from tests.conftest import PASSWORD
from tests.i18n.pages import html_lang

pytestmark = pytest.mark.requirement("URS-I18N-003")


@pytest.fixture
def site(chinese, db):
    return Client()


def lang_of(client, url="/accounts/login/", **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    return html_lang(response.content.decode())


def test_default_is_simplified_chinese(site):
    response = site.get("/accounts/login/")
    assert html_lang(response.content.decode()) == "zh-Hans"
    assert response["Content-Language"] == "zh-hans"


def test_browser_language_is_followed_without_a_saved_choice(site):
    assert lang_of(site, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.8") == "en"
    assert lang_of(site, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5") == "zh-Hans"
    assert lang_of(site, HTTP_ACCEPT_LANGUAGE="fr-FR") == "zh-Hans"  # not offered: the site's default


def test_switcher_on_the_login_page_sets_the_cookie_and_keeps_the_url(site):
    html = site.get("/accounts/login/").content.decode()
    assert 'action="/language/"' in html and 'name="language" value="en"' in html
    response = site.post("/language/", {"language": "en", "next": "/accounts/login/?next=/log/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/log/"
    assert response.cookies["django_language"].value == "en"
    assert lang_of(site) == "en"
    assert lang_of(site, HTTP_ACCEPT_LANGUAGE="zh-CN") == "en"  # the explicit choice beats the browser


def test_switcher_refuses_foreign_redirects_and_unknown_languages(site):
    response = site.post("/language/", {"language": "xx", "next": "/accounts/login/"})
    assert response.status_code == 302 and "django_language" not in response.cookies
    assert lang_of(site) == "zh-Hans"
    response = site.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert site.get("/language/").status_code == 405


def test_choice_is_saved_on_the_profile_and_applied_at_the_next_login(site, users):
    user = users["coordinator"]
    site.force_login(user)
    site.post("/language/", {"language": "en", "next": "/candidates/"})
    assert UserProfile.objects.get(user=user).language == "en"
    site.logout()

    fresh = Client()  # another computer, a Chinese browser, no cookie
    response = fresh.post("/accounts/login/", {"username": user.username, "password": PASSWORD},
                          HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 302
    assert lang_of(fresh, "/candidates/", HTTP_ACCEPT_LANGUAGE="zh-CN") == "en"
    assert fresh.cookies["django_language"].value == "en"  # the login page of the next visit speaks it too


def test_a_user_without_a_saved_choice_gets_the_browser_language(site, users):
    response = site.post("/accounts/login/", {"username": "investigator", "password": PASSWORD})
    assert response.status_code == 302
    assert lang_of(site, "/candidates/", HTTP_ACCEPT_LANGUAGE="en") == "en"
    assert lang_of(site, "/candidates/") == "zh-Hans"
    assert not UserProfile.objects.filter(user__username="investigator").exists()


def test_switcher_is_on_every_page(site, users, make_candidate):
    make_candidate()
    site.force_login(users["admin"])
    for url in ("/candidates/", "/candidates/NLX-S-001/", "/log/", "/dashboard/", "/exports/", "/candidates/x/y/"):
        html = site.get(url).content.decode()
        assert 'action="/language/"' in html and 'lang="en"' in html, url


def test_urls_are_the_same_in_both_languages(site, users):
    site.force_login(users["coordinator"])
    assert site.get("/candidates/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    assert site.get("/candidates/").status_code == 200
    assert site.get("/en/candidates/").status_code == 404
    assert site.get("/zh-hans/candidates/").status_code == 404


def test_print_view_has_the_readers_lang(site, users, make_candidate):
    make_candidate()
    site.force_login(users["investigator"])
    assert lang_of(site, "/candidates/NLX-S-001/print/") == "zh-Hans"
    assert lang_of(site, "/candidates/NLX-S-001/print/", HTTP_ACCEPT_LANGUAGE="en") == "en"


def test_admin_labels_of_the_projects_models_are_chinese(site, users, make_candidate):
    candidate = make_candidate()
    users["admin"].is_superuser = True
    users["admin"].save()
    site.force_login(users["admin"])
    html = site.get("/admin/").content.decode()
    for label in ("候选者", "评估", "签名", "稽查事件", "参考范围", "筛选数据", "LIS 检验项目映射", "检验结果导入"):
        assert label in html, label
    html = site.get(f"/admin/screening/candidate/{candidate.pk}/change/").content.decode()  # read-only here
    for label in ("筛选号", "姓名缩写", "知情同意书签署日期", "受试者编号", "ECOG 体能状态"):
        assert label in html, label


def test_messages_after_saving_are_in_the_readers_language(site, users, make_candidate):
    from screening.services import signoff

    candidate = make_candidate()
    site.force_login(users["investigator"])
    response = site.post(f"/candidates/{candidate.screening_number}/sign/",
                         {"evaluation": candidate.latest_evaluation_id, "password": "wrong"})
    assert "密码不正确" in response.content.decode()
    response = site.post(f"/candidates/{candidate.screening_number}/sign/",
                         {"evaluation": candidate.latest_evaluation_id, "password": PASSWORD}, follow=True)
    assert "已签名：本人确认该候选者符合 1.0 版方案的入选标准" in response.content.decode()
    with translation.override("zh-hans"):
        assert signoff.meaning_for(candidate.latest_evaluation).startswith("本人确认")
