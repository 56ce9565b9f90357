from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from sikim.accounts.models import User
from sikim.accounts.phone import looks_like_phone, normalize_phone


def find_user_by_login(identifier: str) -> User | None:
    """The user whose email or phone number is `identifier`, in any usual spelling."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if looks_like_phone(identifier):
        phone = normalize_phone(identifier)
        return User.objects.filter(phone=phone).first() if phone else None
    return User.objects.filter(email=identifier.lower()).first()


class EmailOrPhoneBackend(ModelBackend):
    """Log in with an email address or an Indonesian phone number."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None or password is None:
            return None
        user = find_user_by_login(username)
        if user is None:
            # Spend the same time as a real check so timing does not reveal who has an account.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
