from django.conf import settings


def test_the_suite_runs_with_test_settings():
    assert settings.SIKIM_ENV == "test"
    assert settings.HUEY["immediate"] is True
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
