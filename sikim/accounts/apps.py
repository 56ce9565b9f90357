from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sikim.accounts"
    label = "accounts"
